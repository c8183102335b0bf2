"""MCP502 core-tasks-api: the 2025-11-25 core Tasks (and mcp 1.x's experimental API for them)."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Valid
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.method_mentions import MethodMentionRule
from mcpmigrate.steps import Step

EXPERIMENTAL_MODULES = (
    "mcp.client.experimental", "mcp.server.experimental", "mcp.shared.experimental", "mcp.server.lowlevel.experimental",
)
CLIENT_METHODS = frozenset({"call_tool_as_task", "get_task", "poll_task", "get_task_result", "cancel_task"})
# Also the request context's task checks and the session's task-augmented server-to-client requests.
SERVER_METHODS = frozenset(
    {
        "enable_tasks", "get_task", "get_task_result", "cancel_task", "task_support", "validate_task_mode",
        "validate_for_tool", "can_use_tool", "elicit_as_task", "create_message_as_task",
    }
)
EXTENSION = "io.modelcontextprotocol/tasks"
MESSAGE = "the 2025-11-25 core Tasks API is gone: 2026-07-28 Tasks are the `io.modelcontextprotocol/tasks` extension"
HELP = (
    "Declare the extension in the request's `_meta` client capabilities; a `tools/call` may then return a "
    "task handle (`resultType: \"task\"`) that the client polls with `tasks/get`, answers with "
    "`tasks/update` and stops with `tasks/cancel` (mcp 2.x ships no implementation; FastMCP 4 has "
    "`fastmcp-tasks`)"
)


class CoreTasksApi(MethodMentionRule):
    code = "MCP502"
    name = "core-tasks-api"
    step = Step.TASKS
    summary = "mcp 1.x's experimental Tasks API and hand-rolled `tasks/*` without the Tasks extension"
    why = (
        "2026-07-28 moved Tasks out of the core protocol into the `io.modelcontextprotocol/tasks` extension "
        "(SEP-2663): the server alone decides to create a task, only for requests that declare the extension, "
        "`tasks/result` is gone, and results are flat (`taskId`, `status`, `ttlMs`, `pollIntervalMs`). The "
        "mcp 2.x SDK removed the experimental API (`session.experimental.*`, `server.experimental.*`, "
        "`ctx.experimental.run_task`) and its modules."
    )
    fix_summary = "none: 1.x experimental Tasks API and `tasks/*` without the extension reported"
    fix_description = "None: the lifecycle changes. Each use is reported with the extension's pattern."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.github.io/ext-tasks/specification/2026-07-28/tasks.html",
        "../shared/reference/python-sdk-v1-to-v2.md section 7",
    )
    methods = frozenset({"tasks/get", "tasks/result", "tasks/cancel"})
    tokens = ("task",)
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from mcp.shared.experimental.tasks import InMemoryTaskStore

            async def run(session):
                created = await session.experimental.call_tool_as_task("render", {"scene": 1}, ttl=60000)
                async for status in session.experimental.poll_task(created.task.taskId):
                    print(status)
                return await session.experimental.get_task_result(created.task.taskId, dict)
            """,
            findings=[(1, 6), (4, 21), (5, 25), (7, 18)],
        ),
        Invalid(
            """
            def handle(message: dict) -> dict:
                if message["method"] == "tasks/result":
                    return {"result": {}}
                if message["method"] == "tasks/get":
                    return {"status": "working"}
                return {}
            """,
            findings=[(2, 29), (4, 29)],
            note="hand-rolled handlers in a file that never mentions the extension",
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server

            server = Server("renderer")
            server.experimental.enable_tasks()

            async def work(ctx):
                return await ctx.experimental.run_task(lambda task: None)
            """,
            findings=[(4, 1), (7, 18)],
        ),
        Valid(
            """
            EXTENSION = "io.modelcontextprotocol/tasks"

            def handle(message: dict) -> dict:
                if message["method"] == "tasks/get":
                    return {"resultType": "complete", "taskId": message["params"]["taskId"], "status": "working"}
                return {}
            """
        ),
        Valid(
            """
            import asyncio

            async def main(loop):
                task = asyncio.create_task(loop())
                return task.get_task() if hasattr(task, "get_task") else task.cancel()
            """
        ),
        Valid(
            """
            from celery.result import AsyncResult

            def status(app, task_id):
                return app.experimental.get_task(task_id) if app else AsyncResult(task_id).status
            """
        ),
        Invalid(
            """
            from mcp.server.fastmcp import Context
            from mcp import types

            async def book(ctx: Context) -> str:
                ctx.request_context.experimental.validate_task_mode(types.TASK_REQUIRED)
                answer = await ctx.session.experimental.elicit_as_task("Seat?", {"type": "object"})
                return str(answer)
            """,
            findings=[(5, 5), (6, 20)],
            note="the 1.x request context's task checks and task-augmented elicitation (seen in the SDK's simple-task-interactive example)",
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.has_extension = EXTENSION in context.text

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        if method == "tasks/result" or not self.has_extension:
            self.report(literal, MESSAGE + ("; `tasks/result` was removed" if method == "tasks/result" else ""), help=HELP)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None and not node.relative else None
        if module and any(module == m or module.startswith(m + ".") for m in EXPERIMENTAL_MODULES):
            self.report(node.module, f"`{module}` is gone in mcp 2.x; {MESSAGE}", help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Attribute):
            return
        if func.value.attr.value != "experimental" or not self.context.imports.imports_from("mcp"):
            return
        method = func.attr.value
        if method in CLIENT_METHODS | SERVER_METHODS or method == "run_task":
            self.report(node, f"`{dotted_name(func) or method}()`: {MESSAGE}", help=HELP)
