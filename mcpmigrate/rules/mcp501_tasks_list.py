"""MCP501 tasks-list: `tasks/list`, which 2026-07-28 removed."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.method_mentions import SEND, MethodMentionRule, typed_tokens
from mcpmigrate.rules._kits.shapes import METHOD_HANDLED, METHOD_SENT
from mcpmigrate.steps import Step

MESSAGE = "`tasks/list` is gone in 2026-07-28: there is no way to list tasks"
HELP = "Keep the task handles `tools/call` returns (`taskId`) and poll each with `tasks/get`"


class TasksList(MethodMentionRule):
    code = "MCP501"
    name = "tasks-list"
    step = Step.TASKS
    summary = "`tasks/list` requests, handlers and `list_tasks()` calls; 2026-07-28 removed the method"
    why = (
        "Tasks moved to the `io.modelcontextprotocol/tasks` extension (SEP-2663), which has no `tasks/list`: "
        "a client learns a task's id from the `tools/call` result that created it and polls `tasks/get`. "
        "A request for `tasks/list` gets `-32601` Method not found."
    )
    fix_summary = "none: `tasks/list` requests, handlers and calls reported"
    fix_description = "None: keep the handles where they are created. Each request, handler and call is reported."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.github.io/ext-tasks/specification/2026-07-28/tasks.html",
        "../shared/reference/spec-2026-07-28-details.md section 3",
    )
    methods = frozenset({"tasks/list"})
    answers = ((METHOD_SENT, "tasks/list"), (METHOD_HANDLED, "tasks/list"))
    tokens = ("tasks/list", "list_tasks", *typed_tokens(methods))
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            import mcp

            async def pending(session):
                listing = await session.experimental.list_tasks()
                return [task.taskId for task in listing.tasks]

            def request(cursor=None):
                return {"jsonrpc": "2.0", "id": 9, "method": "tasks/list", "params": {"cursor": cursor}}
            """,
            findings=[(4, 21), (8, 50)],
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server

            server = Server("jobs")

            @server.experimental.list_tasks()
            async def list_tasks(request):
                return []

            def route(method: str):
                if method == "tasks/list":
                    return list_tasks
            """,
            findings=[(5, 2), (10, 18)],
            note="a server's handler, by SDK decorator and by hand-rolled dispatch",
        ),
        Valid(
            """
            async def poll(session, task_id):
                return await session.send_request({"jsonrpc": "2.0", "id": 1, "method": "tasks/get", "params": {"taskId": task_id}})
            """
        ),
        Valid(
            """
            from celery import Celery

            app = Celery("jobs")

            def active():
                return app.control.inspect().list_tasks()
            """
        ),
        Valid(
            """
            TODO = ["tasks/list", "buy milk"]

            def handle(kind: str) -> bool:
                return kind == "tasks/list"
            """
        ),
    )

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        self.report(literal, MESSAGE + (" (a request for it gets -32601)" if role == SEND else ""), help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "list_tasks"
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value == "experimental"
            and self.context.imports.imports_from("mcp")
        ):
            self.report(node, MESSAGE, help=HELP)
