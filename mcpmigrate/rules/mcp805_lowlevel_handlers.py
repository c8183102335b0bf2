"""MCP805 lowlevel-handlers: the low-level `Server` takes `on_*=` handlers in mcp 2.x, not decorators."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, insert_before
from mcpmigrate.rule.edits import positionals_as_keywords, remove_arguments
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.prefilter import word
from mcpmigrate.rules._kits.sdk_renames import RenameRule
from mcpmigrate.steps import Side, Step

LOWLEVEL_SERVER = frozenset({"mcp.server.lowlevel.Server", "mcp.server.lowlevel.server.Server", "mcp.server.Server"})
# Server(name, version, instructions, website_url, icons, lifespan) in 1.x; keyword-only after name in 2.x.
V1_POSITIONAL = ("name", "version", "instructions", "website_url", "icons", "lifespan")

# decorator -> (Server keyword, params type, result type)
HANDLERS = {
    "list_tools": ("on_list_tools", "PaginatedRequestParams | None", "ListToolsResult"),
    "call_tool": ("on_call_tool", "CallToolRequestParams", "CallToolResult"),
    "list_resources": ("on_list_resources", "PaginatedRequestParams | None", "ListResourcesResult"),
    "list_resource_templates": ("on_list_resource_templates", "PaginatedRequestParams | None", "ListResourceTemplatesResult"),
    "read_resource": ("on_read_resource", "ReadResourceRequestParams", "ReadResourceResult"),
    "list_prompts": ("on_list_prompts", "PaginatedRequestParams | None", "ListPromptsResult"),
    "get_prompt": ("on_get_prompt", "GetPromptRequestParams", "GetPromptResult"),
    "completion": ("on_completion", "CompleteRequestParams", "CompleteResult"),
    "subscribe_resource": ("on_subscribe_resource", "SubscribeRequestParams", "EmptyResult"),
    "unsubscribe_resource": ("on_unsubscribe_resource", "UnsubscribeRequestParams", "EmptyResult"),
    "set_logging_level": ("on_set_logging_level", "SetLevelRequestParams", "EmptyResult"),
    "progress_notification": ("on_progress", "ProgressNotificationParams", "None"),
}
# Decorators the high-level servers keep in mcp 2.x (`MCPServer.completion()`; FastMCP 1.x had it too).
HIGH_LEVEL_DECORATORS = frozenset({"completion"})
REMOVED_ATTRIBUTES = {
    "request_context": "use `ctx`, the first argument of every handler",
    "request_handlers": "register with `server.add_request_handler(method, params_type, handler)`",
    "notification_handlers": "register with `server.add_notification_handler(method, params_type, handler)`",
}


class LowlevelHandlers(RenameRule):
    code = "MCP805"
    name = "lowlevel-handlers"
    step = Step.SDK_2
    side = Side.SERVER
    summary = "The low-level `Server` takes `on_*=` handlers with `(ctx, params)` signatures in mcp 2.x; its decorators are gone"
    why = (
        "mcp 2.x rebuilt the low-level server around per-request context: handlers are passed to "
        "`Server(name, on_list_tools=..., on_call_tool=..., ...)` and each is `async (ctx: ServerRequestContext, "
        "params) -> Result`, so `@server.list_tools()` and the other decorators raise AttributeError. The "
        "decorators' conveniences went with them: return values are no longer wrapped into results, tool "
        "input is not validated against the schema, and exceptions are not turned into `isError` results. "
        "`server.request_context` and `request_ctx` are gone (the context is the handler's first argument), "
        "`Server(...)` takes everything after the name by keyword, and `run()` no longer takes `stateless`."
    )
    fix_summary = "positional `Server(...)` arguments to keywords, `stateless=` dropped; handlers reported"
    fix_description = (
        "Passes positional `Server(...)` arguments after the name by keyword and drops `stateless=` from "
        "`server.run(...)`. Each decorated handler is reported with the keyword, parameter and result types "
        "to use: rewriting a handler's body is for a human."
    )
    fix_safety = (
        "The keyword and `stateless` rewrites are safe when the project targets mcp 2.x (unsafe otherwise). "
        "Handlers have no automatic fix: their signatures and return values change."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1c",
    )
    moves = {"mcp.server.lowlevel.server.request_ctx": None}
    notes = {"mcp.server.lowlevel.server.request_ctx": "use `ctx`, the first argument of every handler"}
    tokens = ("request_ctx", word("server"))  # the low-level `Server`, or `request_ctx`
    context_tokens = ("mcp",)
    examples = (
        Invalid(
            """
            import mcp.types as types
            from mcp.server.lowlevel import Server

            server = Server("calc", "1.0.0")

            @server.list_tools()
            async def list_tools() -> list[types.Tool]:
                return []

            @server.call_tool(validate_input=False)
            async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
                meta = server.request_context.meta
                return []
            """,
            findings=[(4, 25), (6, 2), (10, 2), (12, 12)],
            fixed="""
            import mcp.types as types
            from mcp.server.lowlevel import Server

            server = Server("calc", version="1.0.0")

            @server.list_tools()
            async def list_tools() -> list[types.Tool]:
                return []

            @server.call_tool(validate_input=False)
            async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
                meta = server.request_context.meta
                return []
            """,
        ),
        Invalid(
            """
            from mcp.server import Server
            from mcp.server.lowlevel.server import request_ctx
            from mcp.server.stdio import stdio_server

            app = Server("files")

            async def main() -> None:
                async with stdio_server() as (read, write):
                    await app.run(read, write, app.create_initialization_options(), stateless=True)
            """,
            findings=[(2, 40), (9, 73)],
            fixed="""
            from mcp.server import Server
            from mcp.server.lowlevel.server import request_ctx
            from mcp.server.stdio import stdio_server

            app = Server("files")

            async def main() -> None:
                async with stdio_server() as (read, write):
                    await app.run(read, write, app.create_initialization_options())
            """,
        ),
        Valid(
            """
            from mcp.server import Server, ServerRequestContext
            from mcp.types import ListToolsResult, PaginatedRequestParams

            async def list_tools(ctx: ServerRequestContext, params: PaginatedRequestParams | None) -> ListToolsResult:
                return ListToolsResult(tools=[])

            server = Server("calc", version="1.0.0", on_list_tools=list_tools)
            """
        ),
        Valid(
            """
            from mcp.server import ServerRequestContext
            from mcp.server.mcpserver import MCPServer
            from mcp.types import CompletionArgument, PromptReference

            mcp = MCPServer("everything")

            @mcp.completion()
            async def complete(ref: PromptReference, argument: CompletionArgument, context):
                return None
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("high-level")

            @mcp.tool()
            async def list_tools() -> list[str]:
                return await mcp.list_tools()
            """
        ),
        Valid(
            """
            from flask import Flask

            server = Flask("web")

            @server.route("/call_tool")
            def call_tool():
                return server.request_context
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.servers: set[str] = set()  # dotted names assigned a low-level Server

    def _is_server(self, node: cst.BaseExpression) -> bool:
        return self.context.qualified_name(node) in LOWLEVEL_SERVER

    def _receiver_is_server(self, node: cst.BaseExpression) -> bool:
        name = dotted_name(node)
        return name is not None and (name in self.servers)

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self._is_server(node.value.func):
            for target in node.targets:
                name = dotted_name(target.target)
                if name is not None:
                    self.servers.add(name)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.value, cst.Call) and self._is_server(node.value.func):
            name = dotted_name(node.target)
            if name is not None:
                self.servers.add(name)

    def visit_Call(self, node: cst.Call) -> None:
        if self._is_server(node.func):
            self._constructor(node)
        elif (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "run"
            and self._receiver_is_server(node.func.value)
        ):
            for index, arg in enumerate(node.args):
                if arg.keyword is not None and arg.keyword.value == "stateless":
                    fix = NodeFix("Remove `stateless=`", self.fix_applicability, tuple(remove_arguments(node, {index})))
                    self.defer(None, arg, "`Server.run()` takes no `stateless` in mcp 2.x: 2026-07-28 requests are always stateless", fix)

    def _constructor(self, node: cst.Call) -> None:
        pairs, star = positionals_as_keywords(node, V1_POSITIONAL)
        if star is not None:  # where `*args` lands is unknown: leave the call as it is
            return
        for arg, keyword in pairs:
            fix = NodeFix(f"Pass it as `{keyword}=`", self.fix_applicability, (insert_before(arg, f"{keyword}="),))
            self.defer(None, arg, f"`Server(...)` takes `{keyword}` by keyword only in mcp 2.x", fix)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return
        method = call.func.attr.value
        if method not in HANDLERS:
            return
        receiver = call.func.value
        # Without a low-level `Server` assigned in the file, any `mcp.server` import is taken as one;
        # but high-level servers (FastMCP, MCPServer) have a `completion()` decorator of their own.
        proven = self._receiver_is_server(receiver)
        guessed = not self.servers and method not in HIGH_LEVEL_DECORATORS and self.context.imports.imports_from("mcp.server")
        if not (proven or guessed):
            return
        keyword, params, result = HANDLERS[method]
        server = dotted_name(receiver) or "server"
        self.defer(
            None,
            call,
            f"`@{server}.{method}()` is gone in mcp 2.x: pass the handler as `Server(..., {keyword}=handler)`",
            help=(
                f"Write `async def handler(ctx: ServerRequestContext, params: {params}) -> {result}` (from "
                "`mcp.server` and `mcp.types`): it receives the request's params and returns the full result, "
                "with no wrapping of return values, input validation or exception conversion"
            ),
        )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in REMOVED_ATTRIBUTES and self._receiver_is_server(node.value):
            self.claim(node)
            self.defer(
                None,
                node,
                f"`Server.{node.attr.value}` is gone in mcp 2.x",
                help=REMOVED_ATTRIBUTES[node.attr.value][0].upper() + REMOVED_ATTRIBUTES[node.attr.value][1:],
            )
            return
        super().visit_Attribute(node)
