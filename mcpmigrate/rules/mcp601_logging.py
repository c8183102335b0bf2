"""MCP601 logging: MCP's logging channel, deprecated in 2026-07-28."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.jsonrpc import mcp_evidence
from mcpmigrate.method_mentions import MethodMentionRule
from mcpmigrate.rule import Invalid, NodeFix, Valid, replace_between
from mcpmigrate.server_requests import CONTEXT_CLASSES

LEVELS = frozenset({"debug", "info", "warning", "error"})
CLIENT_METHODS = frozenset({"set_logging_level", "send_log_message"})
MESSAGE = "MCP logging is deprecated in 2026-07-28, and its messages are dropped unless the request asks for them"
HELP = "Log with Python's `logging` (stderr on stdio) or OpenTelemetry; a client opts in per request with `_meta` `io.modelcontextprotocol/logLevel`"


class Logging(MethodMentionRule):
    code = "MCP601"
    name = "logging"
    summary = "MCP logging (`ctx.info(...)`, `send_log_message`, `logging/setLevel`, `notifications/message`)"
    severity = Severity.WARNING
    why = (
        "2026-07-28 deprecates MCP logging (SEP-2577) and removes `logging/setLevel`: a client asks for log "
        "messages per request with `_meta` `io.modelcontextprotocol/logLevel`, and a server MUST NOT send "
        "`notifications/message` for a request without it. It still works for now, for at least 12 months."
    )
    fix_description = (
        "`await ctx.info(\"...\")` (and `debug`, `warning`, `error`) as a statement of its own becomes "
        "`logger.info(\"...\")` on a module-level `logger = logging.getLogger(__name__)`, which is added (with "
        "`import logging`) when missing. Other uses are reported."
    )
    fix_safety = (
        "Unsafe: the messages go to the server's own log instead of the client, and `ctx.info` took extra "
        "arguments (`logger_name`, `extra`) that `logging` spells differently (such calls are not rewritten)."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/deprecated",
        "../shared/reference/spec-2026-07-28-details.md sections 2.1 and 4",
    )
    methods = frozenset({"logging/setLevel", "notifications/message"})
    tokens = ("mcp", "logging/setlevel", "notifications/message", "set_logging_level", "send_log_message")
    examples = (
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("files")


            @mcp.tool()
            async def read(path: str, ctx: Context) -> str:
                await ctx.info(f"reading {path}")
                await ctx.debug("cache miss", logger_name="cache")
                return open(path).read()
            """,
            findings=[(8, 11), (9, 11)],
            unsafe_fixed="""
            from mcp.server.fastmcp import Context, FastMCP
            import logging

            mcp = FastMCP("files")
            logger = logging.getLogger(__name__)


            @mcp.tool()
            async def read(path: str, ctx: Context) -> str:
                logger.info(f"reading {path}")
                await ctx.debug("cache miss", logger_name="cache")
                return open(path).read()
            """,
        ),
        Invalid(
            """
            async def quiet(session):
                await session.set_logging_level("error")

            def on_message(message: dict):
                if message["method"] == "logging/setLevel":
                    return {}
            """,
            findings=[(2, 11), (5, 29)],
            note="a client setting the level, and a hand-rolled handler",
        ),
        Valid(
            """
            import logging

            logger = logging.getLogger(__name__)

            def read(path: str) -> str:
                logger.info("reading %s", path)
                return path
            """
        ),
        Valid(
            """
            import structlog

            async def handle(ctx, log):
                await log.info("done")
                ctx.info = {"level": "info"}
            """
        ),
        Valid(
            """
            from fastapi import Request

            async def handler(request: Request):
                request.state.info("x") if hasattr(request.state, "info") else None
                return {"method": "notifications/message"}
            """
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self.contexts: list[set[str]] = [set()]
        self.statement: cst.SimpleStatementLine | None = None
        self.fixable: list[tuple[cst.Call, cst.SimpleStatementLine]] = []

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        self.report(literal, MESSAGE + ("; `logging/setLevel` was removed" if method == "logging/setLevel" else ""), help=HELP)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = set()
        for param in (*node.params.params, *node.params.kwonly_params):
            annotation = param.annotation.annotation if param.annotation else None
            if isinstance(annotation, cst.Subscript):
                annotation = annotation.value
            if annotation is not None and self.context.qualified_name(annotation) in CONTEXT_CLASSES:
                names.add(param.name.value)
        self.contexts.append(names)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.contexts.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement = node

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        receiver = func.value
        on_context = isinstance(receiver, cst.Name) and receiver.value in self.contexts[-1]
        if on_context and (method in LEVELS or method == "log"):
            statement = self.statement
            awaited_alone = (
                statement is not None
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Expr)
                and isinstance(statement.body[0].value, cst.Await)
                and statement.body[0].value.expression is node
            )
            if method in LEVELS and awaited_alone and len(node.args) == 1 and node.args[0].keyword is None:
                self.fixable.append((node, statement))
            else:
                self.report(node, MESSAGE, help=HELP)
        elif method in CLIENT_METHODS and mcp_evidence(self.context):
            self.report(node, MESSAGE + ("; `logging/setLevel` was removed" if method == "set_logging_level" else ""), help=HELP)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self.fixable:
            return
        logger_edits = self._logger()
        for call, statement in self.fixable:
            if logger_edits is None:
                self.report(call, MESSAGE, help=HELP)
                continue
            level = call.func.attr.value
            edits = (replace_between(statement.body[0].value, "start", call.func, "end", f"logger.{level}"), *logger_edits)
            self.report(call, MESSAGE, fix=NodeFix(f"Use `logger.{level}(...)`", Applicability.UNSAFE, edits))

    def _logger(self) -> tuple | None:
        """Edits giving the module `logger = logging.getLogger(__name__)` (none if it has one)."""
        module = self.context.module
        for statement in module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.Assign)
                        and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                        and small.targets[0].target.value == "logger"
                    ):
                        return ()
        if "logger" in self.context.imports.bindings:
            return None  # `logger` means something else here
        imported = _import_logging(self.context) if "logging" not in self.context.imports.bindings else []
        # The logger goes after the first statement that is neither an import nor the docstring.
        anchor = next(
            (
                s for s in module.body
                if not (isinstance(s, cst.SimpleStatementLine) and all(isinstance(x, (cst.Import, cst.ImportFrom, cst.Expr)) for x in s.body))
            ),
            None,
        )
        newline = module.default_newline
        line = f"logger = logging.getLogger(__name__){newline}"
        if anchor is None:
            return None
        if isinstance(anchor, cst.SimpleStatementLine):
            edit = replace_between(anchor, "next_line", anchor, "next_line", line)
        else:
            edit = replace_between(anchor, "line_start", anchor, "line_start", line + newline)
        return (*imported, edit)


def _import_logging(context) -> list:
    """`import logging` after the last top-level import."""
    newline = context.module.default_newline
    last = None
    for statement in context.module.body:
        if isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            last = statement
    if last is None:
        return [replace_between(context.module.body[0], "line_start", context.module.body[0], "line_start", "import logging" + newline)]
    return [replace_between(last, "next_line", last, "next_line", "import logging" + newline)]
