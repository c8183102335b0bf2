"""MCP601 logging: MCP's logging channel, deprecated in 2026-07-28."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, replace_between
from mcpmigrate.rule.edits import import_module
from mcpmigrate.rule.syntax import is_statement_of
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, mcp_evidence
from mcpmigrate.rules._kits.method_mentions import MethodMentionRule, typed_tokens
from mcpmigrate.rules._kits.server_requests import RequestScopes
from mcpmigrate.rules._kits.shapes import METHOD_HANDLED, METHOD_SENT
from mcpmigrate.steps import Step

LEVELS = frozenset({"debug", "info", "warning", "error"})
CLIENT_METHODS = frozenset({"set_logging_level", "send_log_message"})
MESSAGE = "MCP logging is deprecated in 2026-07-28, and its messages are dropped unless the request asks for them"
HELP = "Log with Python's `logging` (stderr on stdio) or OpenTelemetry; a client opts in per request with `_meta` `io.modelcontextprotocol/logLevel`"


class Logging(MethodMentionRule):
    gathers = (*MethodMentionRule.gathers, RequestScopes)
    code = "MCP601"
    name = "logging"
    step = Step.DEPRECATIONS
    summary = "MCP logging (`ctx.info(...)`, `send_log_message`, `logging/setLevel`, `notifications/message`)"
    severity = Severity.WARNING
    why = (
        "2026-07-28 deprecates MCP logging (SEP-2577) and removes `logging/setLevel`: a client asks for log "
        "messages per request with `_meta` `io.modelcontextprotocol/logLevel`, and a server MUST NOT send "
        "`notifications/message` for a request without it. It still works for now, for at least 12 months."
    )
    fix_summary = "`await ctx.info(...)` -> `logger.info(...)` (display-only); other MCP logging reported (warning)"
    fix_description = (
        "`await ctx.info(\"...\")` (and `debug`, `warning`, `error`) as a statement of its own becomes "
        "`logger.info(\"...\")` on a module-level `logger = logging.getLogger(__name__)`, added after the "
        "module's imports when missing (and `import logging` with the standard-library imports). Other uses "
        "are reported."
    )
    fix_safety = (
        "Display-only: `ctx.info(...)` still works on mcp 2.x (deprecated, not removed), so neither `--fix` "
        "nor `--unsafe-fixes` applies the rewrite; name the rule to apply it (`--fix-only MCP601`, or "
        "`extend-fixable = [\"MCP601\"]`). Review it then: the messages go to the server's own log instead of "
        "the client, tests that assert on the context's log calls need changing, and `ctx.info` took extra "
        "arguments (`logger_name`, `extra`) that `logging` spells differently (such calls are not rewritten)."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/deprecated",
        "../shared/reference/spec-2026-07-28-details.md sections 2.1 and 4",
    )
    methods = frozenset({"logging/setLevel", "notifications/message"})
    # A Context's `ctx.info()` needs `context` (its annotation); the rest are MCP evidence themselves.
    answers = ((METHOD_SENT, "notifications/message"), (METHOD_HANDLED, "logging/setLevel"), (METHOD_SENT, "logging/setLevel"))
    tokens = ("context", "logging/setlevel", "notifications/message", "set_logging_level", "send_log_message", *typed_tokens(methods))
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("notes")


            @mcp.tool()
            async def save(text: str, ctx: Context | None = None) -> str:
                if ctx is not None:
                    await ctx.warning("saving")
                return text


            @mcp.tool()
            async def load(name: str) -> str:
                ctx = mcp.get_context()
                await ctx.info(f"loading {name}")
                return name
            """,
            findings=[(9, 15), (16, 11)],
            display_fixed="""
            import logging

            from mcp.server.fastmcp import Context, FastMCP

            logger = logging.getLogger(__name__)

            mcp = FastMCP("notes")


            @mcp.tool()
            async def save(text: str, ctx: Context | None = None) -> str:
                if ctx is not None:
                    logger.warning("saving")
                return text


            @mcp.tool()
            async def load(name: str) -> str:
                ctx = mcp.get_context()
                logger.info(f"loading {name}")
                return name
            """,
            note="the request context as the server-request rules know it (one gatherer): `Context | None`, "
            "`mcp.get_context()`",
        ),
        Invalid(
            """
            from mcp import server, types


            def proxy(app: server.Server, remote):
                async def set_level(req: types.SetLevelRequest) -> types.ServerResult:
                    await remote.set_logging_level(req.params.level)
                    return types.ServerResult(types.EmptyResult())

                app.request_handlers[types.SetLevelRequest] = set_level
            """,
            findings=[(5, 30), (6, 15), (9, 26)],
            note="the SDK's typed `SetLevelRequest`: a handler's parameter and its registration",
        ),
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
            display_fixed="""
            import logging

            from mcp.server.fastmcp import Context, FastMCP

            logger = logging.getLogger(__name__)

            mcp = FastMCP("files")


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

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.scopes = context.shared(RequestScopes)
        self.fixable: list[tuple[cst.Call, cst.SimpleStatementLine]] = []

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        self.report(literal, MESSAGE + ("; `logging/setLevel` was removed" if method == "logging/setLevel" else ""), help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        receiver = func.value
        on_context = self.scopes.is_context(receiver)
        if on_context and (method in LEVELS or method == "log"):
            statement = self.context.statement
            if method in LEVELS and is_statement_of(statement, node, awaited=True) and len(node.args) == 1 and node.args[0].keyword is None:
                self.fixable.append((node, statement))
            else:
                self.report(node, MESSAGE, help=HELP)
        elif method in CLIENT_METHODS and mcp_evidence(self.context):
            self.report(node, MESSAGE + ("; `logging/setLevel` was removed" if method == "set_logging_level" else ""), help=HELP)

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)  # the method mentions
        if not self.fixable:
            return
        logger_edits = self._logger()
        for call, statement in self.fixable:
            if logger_edits is None:
                self.report(call, MESSAGE, help=HELP)
                continue
            level = call.func.attr.value
            edits = (replace_between(statement.body[0].value, "start", call.func, "end", f"logger.{level}"), *logger_edits)
            self.report(call, MESSAGE, fix=NodeFix(f"Use `logger.{level}(...)`", Applicability.DISPLAY_ONLY, edits))

    def _logger(self) -> tuple | None:
        """The edits giving the module `logger = logging.getLogger(__name__)` (none if it has one),
        after the last top-level import with a blank line above, and `import logging` if missing."""
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
        imports = [
            statement for statement in module.body
            if isinstance(statement, cst.SimpleStatementLine)
            and any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)
        ]
        if not imports:
            return None
        newline = module.default_newline
        text = f"{newline}logger = logging.getLogger(__name__){newline}"
        logger = replace_between(imports[-1], "next_line", imports[-1], "next_line", text)
        if "logging" in self.context.imports.bindings:
            return (logger,)
        imported = import_module(self.context, "logging")
        return None if imported is None else (logger, imported)
