"""MCP805 lowlevel-handlers: the low-level `Server` takes `on_*=` handlers in mcp 2.x, not decorators."""

from __future__ import annotations

import textwrap

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, insert_before, replace
from mcpmigrate.rule.edits import insert_after_imports, positionals_as_keywords, remove_arguments
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.prefilter import word
from mcpmigrate.rules._kits import v1_handlers
from mcpmigrate.rules._kits.sdk import SERVER_CLASSES
from mcpmigrate.rules._kits.sdk_renames import RenameRule
from mcpmigrate.steps import Side, Step

# The adapters two of the examples' fixes write, indented as the examples' text is.
# (`textwrap.indent` leaves blank lines alone; the first line sits where the placeholder does.)
SUBSCRIBE_ADAPTER = textwrap.indent(v1_handlers.adapter_source({"subscribe_resource"}, "    ", "\n").rstrip("\n"), " " * 12)[12:]
CALC_ADAPTER = textwrap.indent(v1_handlers.adapter_source({"list_tools", "call_tool"}, "    ", "\n").rstrip("\n"), " " * 12)[12:]

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
# Where a high-level server (FastMCP 1.x, MCPServer 2.x) keeps its low-level `Server`.
INNER_SERVER_ATTRIBUTES = ("_mcp_server", "_lowlevel_server")
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
    fix_summary = "positional `Server(...)` arguments to keywords, `stateless=` dropped; handlers kept through a generated 1.x adapter (unsafe)"
    fix_description = (
        "Passes positional `Server(...)` arguments after the name by keyword and drops `stateless=` from "
        "`server.run(...)`. With `--unsafe-fixes`, each handler decorator of a `Server` the module creates "
        "becomes `@mcp1_handler(server, \"list_tools\")`, and a function `mcp1_handler` is added after the "
        "imports: it registers a 2.x `async (ctx, params)` handler (`server.add_request_handler`) that calls "
        "the function as 1.x did and keeps what the 1.x decorators did for it: lists wrapped into their "
        "results, tool input and output validated against the listed schemas (unless "
        "`validate_input=False`), a tool's exceptions and odd return values turned into `isError` results, "
        "`read_resource` contents built from `str`, `bytes` or `ReadResourceContents`, an empty completion "
        "for `None`. It has only the branches the module uses. `server.request_context` becomes "
        "`mcp1_handler(server, \"request_context\")`: the adapter runs each handler with its 2.x `ctx` in a "
        "context variable, as 1.x kept its request context. A decorator on a server the module does not "
        "create, or with arguments the adapter does not know, is reported with the 2.x handler to write."
    )
    fix_safety = (
        "The keyword and `stateless` rewrites are safe when the project targets mcp 2.x (unsafe otherwise). "
        "The handler adapter is unsafe: it adds code to the module; the request context it hands on is the "
        "2.x one (1.x's attribute names, 2.x types); and what else the 1.x server offered beside the "
        "decorators (`request_ctx`, `request_handlers`, the 1.x `ServerResult` wrappers) stays a finding for "
        "a human. The behaviour it keeps was checked by running a 1.x server on mcp 1.26.0 and "
        "its fixed form on mcp 2.3.0 against clients of both protocol eras."
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
        Valid(
            """
            from agents.mcp import MCPServer, MCPServerStdio
            from mcp.types import CallToolResult


            class LocalServer(MCPServer):
                # the OpenAI Agents SDK's own `MCPServer`: a client-side wrapper, not the mcp 2.x server
                async def connect(self) -> None:
                    self.session = None

                async def list_tools(self, run_context=None, agent=None):
                    return []

                async def call_tool(self, tool_name: str, arguments: dict) -> CallToolResult:
                    return CallToolResult(content=[])


            async def run(server: MCPServer) -> None:
                await server.connect()
                async with MCPServerStdio(params={"command": "uvx", "args": ["mcp-server-time"]}) as other:
                    await other.list_tools()
            """
        ),
        Invalid(
            """
            from mcp import types
            from mcp.server.lowlevel.server import Server


            class LowlevelMCPServer(Server):
                def call_tool(self):
                    def decorator(func):
                        async def handler(req: types.CallToolRequest):
                            return await func(req.params.name)

                        self.request_handlers[types.CallToolRequest] = handler
                        return func

                    return decorator


            server = LowlevelMCPServer("tools", "Tools for the API")
            """,
            findings=[(11, 13), (17, 37)],
            fixed="""
            from mcp import types
            from mcp.server.lowlevel.server import Server


            class LowlevelMCPServer(Server):
                def call_tool(self):
                    def decorator(func):
                        async def handler(req: types.CallToolRequest):
                            return await func(req.params.name)

                        self.request_handlers[types.CallToolRequest] = handler
                        return func

                    return decorator


            server = LowlevelMCPServer("tools", version="Tools for the API")
            """,
            note="a subclass of the low-level `Server`: its `self` is one, and so is each instance",
        ),
        Invalid(
            """
            import mcp.types as types
            from mcp.server.lowlevel import Server

            server = Server("prompts", "1.0.0")

            @server.get_prompt()
            async def get_prompt(name: str, arguments: dict[str, str] | None) -> types.GetPromptResult:
                meta = server.request_context.meta
                return types.GetPromptResult(messages=[])
            """,
            findings=[(4, 28), (6, 2), (8, 12)],
            fixed="""
            import mcp.types as types
            from mcp.server.lowlevel import Server

            server = Server("prompts", version="1.0.0")

            @server.get_prompt()
            async def get_prompt(name: str, arguments: dict[str, str] | None) -> types.GetPromptResult:
                meta = server.request_context.meta
                return types.GetPromptResult(messages=[])
            """,
            unsafe_fixed="""
            import mcp.types as types
            from mcp.server.lowlevel import Server


            def mcp1_handler(server, decorator, **options):
                \"\"\"What `@server.<decorator>()` did on the mcp 1.x low-level `Server`, on mcp 2.x: registers an
                `async (ctx, params)` handler that calls the decorated function as 1.x did and builds the result
                from what it returns. Written by mcpmigrate (MCP805): replace it with 2.x handlers in time.\"\"\"
                import contextvars

                from mcp import types

                state = server.__dict__.setdefault("_mcp1_handlers", {"tools": {}})
                context = state.setdefault("context", contextvars.ContextVar("mcp1_request_context"))
                if decorator == "request_context":
                    return context.get()  # a LookupError outside a request, as in 1.x

                def entered(handler):
                    async def with_context(ctx, params):
                        token = context.set(ctx)
                        try:
                            return await handler(ctx, params)
                        finally:
                            context.reset(token)

                    return with_context

                def register(function):
                    if decorator == "get_prompt":

                        async def handler(ctx, params):
                            return await function(params.name, params.arguments)

                        server.add_request_handler("prompts/get", types.GetPromptRequestParams, entered(handler))
                    return function

                return register


            server = Server("prompts", version="1.0.0")

            @mcp1_handler(server, "get_prompt")
            async def get_prompt(name: str, arguments: dict[str, str] | None) -> types.GetPromptResult:
                meta = mcp1_handler(server, "request_context").meta
                return types.GetPromptResult(messages=[])
            """,
            note=(
                "`server.request_context` becomes the 2.x `ctx` of the request the adapter's handler is running: "
                "it has 1.x's `request_id`, `meta`, `session`, `lifespan_context` and `request`, with 2.x types."
            ),
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server
            from mcp.types import TextContent, Tool

            server = Server("calc")

            @server.list_tools()
            async def list_tools() -> list[Tool]:
                return [Tool(name="add", inputSchema={"type": "object"})]

            @server.call_tool(validate_input=False)
            async def call_tool(name: str, arguments: dict) -> list[TextContent]:
                return [TextContent(type="text", text=str(sum(arguments.values())))]
            """,
            findings=[(6, 2), (10, 2)],
            unsafe_fixed=f"""
            from mcp.server.lowlevel import Server
            from mcp.types import TextContent, Tool


            {CALC_ADAPTER}


            server = Server("calc")

            @mcp1_handler(server, "list_tools")
            async def list_tools() -> list[Tool]:
                return [Tool(name="add", inputSchema={{"type": "object"}})]

            @mcp1_handler(server, "call_tool", validate_input=False)
            async def call_tool(name: str, arguments: dict) -> list[TextContent]:
                return [TextContent(type="text", text=str(sum(arguments.values())))]
            """,
            note="The adapter (shown in full in the first example) gets the branches of the decorators the module uses.",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("everything")

            async def handle_subscribe(uri) -> None:
                print(uri)

            mcp._mcp_server.subscribe_resource()(handle_subscribe)
            """,
            findings=[(8, 1)],
            unsafe_fixed=f"""
            from mcp.server.fastmcp import FastMCP


            {SUBSCRIBE_ADAPTER}


            mcp = FastMCP("everything")

            async def handle_subscribe(uri) -> None:
                print(uri)

            mcp1_handler(mcp._mcp_server, "subscribe_resource")(handle_subscribe)
            """,
            note="The decorator called by hand, on the low-level server a FastMCP keeps: the same registration.",
        ),
        Invalid(
            """
            from mcp.server import Server

            def register(server: Server) -> None:
                @server.list_tools()
                async def list_tools() -> list:
                    return []
            """,
            findings=[(4, 6)],
            note="No fix where the file does not create the server: whether it is the low-level one is not known here.",
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
        self.inner_servers: set[str] = set()  # `mcp._mcp_server` of a high-level `mcp` the module creates
        # Each handler decorator: its call, the decorator, the server's name, whether the adapter can take it.
        self.decorators: list[tuple[cst.Call, str, str, bool]] = []
        self.server_classes: dict[str, set[str]] = {}  # the module's subclasses of the low-level Server: their methods
        self.instances: dict[str, str] = {}  # names assigned one of those subclasses -> the subclass
        self.classes: list[bool] = []  # per enclosing class: is it such a subclass (its `self` a Server)?
        self.request_contexts: list[tuple[cst.Attribute, str | None]] = []  # `server.request_context` read: the server's name

    def _is_server(self, node: cst.BaseExpression) -> bool:
        return self.context.qualified_name(node) in LOWLEVEL_SERVER or (isinstance(node, cst.Name) and node.value in self.server_classes)

    def _receiver_is_server(self, node: cst.BaseExpression) -> bool:
        name = dotted_name(node)
        if name == "self" and self.classes and self.classes[-1]:
            return True
        # `mcp._mcp_server`: a high-level server's low-level one, whoever made it (FastMCP, a subclass)
        if isinstance(node, cst.Attribute) and node.attr.value in INNER_SERVER_ATTRIBUTES and self.context.imports.imports_from("mcp", "fastmcp"):
            return True
        return name is not None and (name in self.servers)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        subclass = any(self._is_server(base.value) for base in node.bases)
        if subclass:
            body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
            self.server_classes[node.name.value] = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
        self.classes.append(subclass)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def _remember_instance(self, name: str, value: cst.Call) -> None:
        self.servers.add(name)
        if isinstance(value.func, cst.Name) and value.func.value in self.server_classes:
            self.instances[name] = value.func.value

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self._is_server(node.value.func):
            for target in node.targets:
                name = dotted_name(target.target)
                if name is not None:
                    self._remember_instance(name, node.value)
        elif isinstance(node.value, cst.Call) and self.context.qualified_name(node.value.func) in SERVER_CLASSES:
            # A high-level server's own low-level `Server`, which 1.x code decorated directly.
            for target in node.targets:
                name = dotted_name(target.target)
                if name is not None:
                    self.inner_servers.update(f"{name}.{attribute}" for attribute in INNER_SERVER_ATTRIBUTES)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.value, cst.Call) and self._is_server(node.value.func):
            name = dotted_name(node.target)
            if name is not None:
                self._remember_instance(name, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call) and len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
            self._handler_registration(node.func)
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
        if isinstance(node.func, cst.Name) and "__init__" in self.server_classes.get(node.func.value, ()):
            return  # a subclass with its own constructor: its parameters are its own
        pairs, star = positionals_as_keywords(node, V1_POSITIONAL)
        if star is not None:  # where `*args` lands is unknown: leave the call as it is
            return
        for arg, keyword in pairs:
            fix = NodeFix(f"Pass it as `{keyword}=`", self.fix_applicability, (insert_before(arg, f"{keyword}="),))
            self.defer(None, arg, f"`Server(...)` takes `{keyword}` by keyword only in mcp 2.x", fix)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._handler_registration(node.decorator)

    def _handler_registration(self, call: cst.BaseExpression) -> None:
        """`@server.list_tools()` over a function, or `server.list_tools()(function)`: the same registration."""
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return
        method = call.func.attr.value
        if method not in HANDLERS:
            return
        receiver = call.func.value
        own = self.instances.get(dotted_name(receiver) or "")
        if own is not None and method in self.server_classes[own]:
            return  # the subclass defines this decorator itself (what it does inside is reported there)
        # Without a low-level `Server` assigned in the file, any `mcp.server` import is taken as one;
        # but high-level servers (FastMCP, MCPServer) have a `completion()` decorator of their own.
        proven = self._receiver_is_server(receiver) or dotted_name(receiver) in self.inner_servers
        guessed = not self.servers and method not in HIGH_LEVEL_DECORATORS and self.context.imports.imports_from("mcp.server")
        if not (proven or guessed):
            return
        # The adapter keeps 1.x's calling convention; a call it cannot mirror (positional or unknown
        # arguments) is left for a human.
        options = ("validate_input",) if method == "call_tool" else ()
        adaptable = proven and all(arg.keyword is not None and arg.keyword.value in options for arg in call.args)
        self.decorators.append((call, method, dotted_name(receiver) or "server", adaptable))

    def leave_Module(self, original_node: cst.Module) -> None:
        adaptable = {method for _, method, _, can in self.decorators if can}
        # The adapter hands its handlers' 2.x `ctx` on to the reads of the servers whose handlers it registers.
        adapted_servers = {server for _, _, server, can in self.decorators if can}
        contexts = [(node, server) for node, server in self.request_contexts if server in adapted_servers]
        if contexts:
            adaptable.add(v1_handlers.REQUEST_CONTEXT)
        insertion = None
        if adaptable and v1_handlers.NAME not in self.context.imports.bindings and not self._defines(v1_handlers.NAME):
            module = self.context.module
            insertion = insert_after_imports(self.context, v1_handlers.adapter_source(adaptable, module.default_indent, module.default_newline))
        for node, server in self.request_contexts:
            message, help = f"`Server.{node.attr.value}` is gone in mcp 2.x", REMOVED_ATTRIBUTES[node.attr.value]
            if insertion is None or (node, server) not in contexts:
                self.defer(None, node, message, help=help[0].upper() + help[1:])
                continue
            reading = f'{v1_handlers.NAME}({server}, "{v1_handlers.REQUEST_CONTEXT}")'
            fix = NodeFix(
                f"Read it as `{reading}`: the 2.x `ctx` of the request the adapter's handler is running",
                Applicability.UNSAFE,
                (replace(node, reading), insertion),
            )
            self.defer(None, node, message, fix)
        for call, method, server, can in self.decorators:
            keyword, params, result = HANDLERS[method]
            message = f"`@{server}.{method}()` is gone in mcp 2.x: pass the handler as `Server(..., {keyword}=handler)`"
            manual = (
                f"Write `async def handler(ctx: ServerRequestContext, params: {params}) -> {result}` (from "
                "`mcp.server` and `mcp.types`): it receives the request's params and returns the full result, "
                "with no wrapping of return values, input validation or exception conversion"
            )
            if not (can and insertion is not None):
                self.defer(None, call, message, help=manual)
                continue
            registration = f'{server}, "{method}"'
            edits = (
                (replace(call.func, v1_handlers.NAME), insert_before(call.args[0], registration + ", "))
                if call.args else (replace(call, f"{v1_handlers.NAME}({registration})"),)
            )
            fix = NodeFix(
                f"Register it with `@{v1_handlers.NAME}({registration})`, an adapter added to the module that keeps "
                "1.x's calling convention, result wrapping, tool input validation and error results",
                Applicability.UNSAFE,
                (*edits, insertion),
            )
            self.defer(None, call, message, fix)
        super().leave_Module(original_node)

    def _defines(self, name: str) -> bool:
        return any(
            isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == name
            for statement in self.context.module.body
        )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == v1_handlers.REQUEST_CONTEXT and self._receiver_is_server(node.value):
            self.claim(node)
            self.request_contexts.append((node, dotted_name(node.value)))  # reported with the handlers
            return
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
