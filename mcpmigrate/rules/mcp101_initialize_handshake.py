"""MCP101 initialize-handshake: clients that open with `initialize` / `notifications/initialized`."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, SourceView, Valid, replace
from mcpmigrate.rule.edits import add_imports, remove_statement, string_literal
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.syntax import is_statement_of
from mcpmigrate.rules._kits.client_sessions import ClientSessions
from mcpmigrate.rules._kits.jsonrpc import (
    EVIDENCE_TOKENS,
    builds_on_client_session,
    built_message_method,
    dict_entries,
    mcp_evidence,
    message_method,
)
from mcpmigrate.rules._kits.method_mentions import CallMentions, MethodMentions, annotation_classes, typed_message
from mcpmigrate.rules._kits.sdk import HIGH_LEVEL_CLIENTS, LIST_METHODS, MEMORY_HELPER
from mcpmigrate.rules._kits.spec import CURRENT_VERSION, META_CAPABILITIES, META_INFO, META_VERSION
from mcpmigrate.rules._kits.shapes import METHOD_SENT
from mcpmigrate.steps import Side, Step

DISCOVER = "server/discover"
# The transports `mcp.Client` opens by itself: stdio from the same parameters, Streamable HTTP from a URL.
CLIENT_TRANSPORTS = frozenset(
    {"mcp.client.stdio.stdio_client", "mcp.client.streamable_http.streamablehttp_client",
     "mcp.client.streamable_http.streamable_http_client"}
)
SSE_CLIENT = "mcp.client.sse.sse_client"
# ClientSession keywords `mcp.Client` takes with the same meaning.
CLIENT_KEYWORDS = frozenset(
    {"read_timeout_seconds", "sampling_callback", "list_roots_callback", "logging_callback", "message_handler",
     "client_info", "elicitation_callback", "sampling_capabilities"}
)
# What a session may be used for, unchanged, once it is an `mcp.Client` (mcp 2.3.0).
CLIENT_METHODS = frozenset(
    {"call_tool", "complete", "get_prompt", "list_prompts", "list_resource_templates", "list_resources", "list_tools",
     "read_resource", "send_ping", "send_progress_notification", "send_roots_list_changed", "set_logging_level",
     "subscribe_resource", "unsubscribe_resource"}
)


class _SessionUses(cst.CSTVisitor):
    """How a block uses some names: every `name.attr` attribute, every bare use, and multi-line strings
    (which a dedent would change)."""

    def __init__(self, names: set[str]) -> None:
        self.watched = names
        self.attributes: list[str] = []
        self.uses = 0
        self.multiline_string = False
        self.incompatible = False  # a call whose arguments `mcp.Client` does not take

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value in self.watched:
            self.attributes.append(node.attr.value)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.watched:
            self.uses += 1

    def visit_Call(self, node: cst.Call) -> None:
        # `mcp.Client`'s list methods take only `cursor=` (1.x also took it positionally, and `params=`)
        func = node.func
        if (
            isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in self.watched
            and func.attr.value in LIST_METHODS
            and any(arg.keyword is None or arg.keyword.value != "cursor" for arg in node.args)
        ):
            self.incompatible = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.multiline_string |= "\n" in node.value

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.multiline_string |= any("\n" in getattr(part, "value", "") for part in node.parts)


class InitializeHandshake(Rule):
    code = "MCP101"
    name = "initialize-handshake"
    step = Step.HANDSHAKE
    side = Side.CLIENT
    summary = "Clients that open with the `initialize` handshake, which 2026-07-28 removed"
    why = (
        "2026-07-28 has no handshake: `initialize` and `notifications/initialized` are gone. A client "
        "learns the server's capabilities from `server/discover` (or not at all), and sends its protocol "
        "version and capabilities in `_meta` on every request (`io.modelcontextprotocol/protocolVersion`, "
        "`io.modelcontextprotocol/clientCapabilities`). A 2026-07-28-only server answers `initialize` with "
        "an error. In the mcp 2.x SDK, `ClientSession.initialize()` always performs the old handshake; "
        "`discover()` is the 2026-07-28 entry point (and `mcp.Client` picks the era by itself)."
    )
    fix_summary = (
        "a `ClientSession` opened on its transport -> `mcp.Client` (unsafe); other `session.initialize()` -> "
        "`discover()` (unsafe); hand-rolled `initialize` -> `server/discover` with `_meta` (unsafe); lone "
        "`notifications/initialized` removed (unsafe); `initialize()` on an `mcp.Client` removed"
    )
    fix_description = (
        "`async with stdio_client(params) as (read, write):` (or Streamable HTTP from a URL) around "
        "`async with ClientSession(read, write, **callbacks) as session:` and `await session.initialize()` "
        "becomes `async with Client(params, **callbacks) as session:`, where the body uses the session only "
        "through methods `mcp.Client` has and the streams not at all: the Client discovers and falls back to "
        "`initialize`, so it still talks to older servers, and answers a 2026-07-28 server's input requests "
        "(elicitation, sampling, roots) with the same callbacks. `await client.initialize()` on an `mcp.Client` "
        "(which connects when entered and has no such method) or on 1.x's in-memory helper session (initialized "
        "already) is removed: safe when the project targets mcp 2.x. Any other "
        "`await session.initialize()` becomes `await session.discover()`. A hand-written `initialize` "
        "request becomes `server/discover`, its `capabilities` and `clientInfo` moving into `_meta` with "
        "the protocol version `2026-07-28`. A statement that only sends `notifications/initialized` is "
        "removed. Requests after the handshake still need their own `_meta` (see MCP905)."
    )
    fix_safety = (
        "Unsafe, always. `mcp.Client` is another class than `ClientSession` (same method names, but the "
        "session can no longer be handed to code typed for a `ClientSession`). `ClientSession.discover()` (mcp 2.x "
        "only) does not fall back to `initialize`, so "
        "the fixed client can no longer talk to a server that speaks only the older revisions (stdio: "
        "`Invalid request parameters`; HTTP: `Missing session ID`), and a used result changes type (a "
        "`DiscoverResult` is not an `InitializeResult`). Migrate servers first; a client that must reach "
        "both eras belongs on `mcp.Client(..., mode=\"auto\")`, which discovers and falls back. The "
        "hand-written rewrites are unsafe for the same reason."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "https://modelcontextprotocol.io/specification/2026-07-28/server/discover",
        "../shared/reference/spec-2026-07-28-details.md sections 1, 2.1, 2.2",
    )
    uses_target_sdk = True
    answers = ((METHOD_SENT, "initialize"), (METHOD_SENT, "notifications/initialized"))
    tokens = ("initialize",)
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from mcp import Client
            from mcp.shared.memory import create_connected_server_and_client_session


            async def count(server) -> int:
                async with Client(server) as client:
                    await client.initialize()
                    return len((await client.list_tools()).tools)


            async def alive(server) -> None:
                async with create_connected_server_and_client_session(server) as session:
                    await session.initialize()
                    await session.send_ping()
            """,
            findings=[(7, 22), (13, 23)],
            fixed="""
            from mcp import Client
            from mcp.shared.memory import create_connected_server_and_client_session


            async def count(server) -> int:
                async with Client(server) as client:
                    return len((await client.list_tools()).tools)


            async def alive(server) -> None:
                async with create_connected_server_and_client_session(server) as session:
                    await session.send_ping()
            """,
            note="`mcp.Client` connects when entered and has no `initialize()`; 1.x's in-memory helper hands over a "
            "session initialized already (MCP806 makes it a `Client`)",
        ),
        Valid(
            """
            import json

            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("apps")


            def handle_view_message(raw: str) -> dict:
                # MCP Apps: the view in the iframe speaks its own JSON-RPC to the host (`ui/*` methods)
                message = json.loads(raw)
                if message["method"] == "ui/initialize":
                    return {"jsonrpc": "2.0", "id": message["id"], "result": {"hostCapabilities": {}}}
                return {}


            def initialize_view(send) -> None:
                send({"jsonrpc": "2.0", "id": 1, "method": "ui/initialize", "params": {"appInfo": {"name": "v"}}})
            """
        ),
        Invalid(
            """
            from mcp import ClientSession
            from mcp.client.stdio import stdio_client

            async def main(params):
                async with stdio_client(params) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        return await session.list_tools()
            """,
            findings=[(7, 27)],
            unsafe_fixed="""
            from mcp import Client

            async def main(params):
                async with Client(params) as session:
                    return await session.list_tools()
            """,
        ),
        Invalid(
            """
            from mcp import ClientSession
            from mcp.client.streamable_http import streamablehttp_client

            async def ask(url, on_sampling, on_log):
                async with streamablehttp_client(url) as (read, write, _):
                    async with ClientSession(
                        read, write, sampling_callback=on_sampling, logging_callback=on_log,
                    ) as session:
                        await session.initialize()
                        # the server may sample the client's model while the tool runs
                        result = await session.call_tool("summarize", {"text": "..."})
                        return result.content


            async def ping(url):
                async with streamablehttp_client(url) as (read, write, get_session_id):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        await session.send_ping()
                        return get_session_id()
            """,
            findings=[(9, 27), (18, 27)],
            unsafe_fixed="""
            from mcp import Client, ClientSession
            from mcp.client.streamable_http import streamablehttp_client

            async def ask(url, on_sampling, on_log):
                async with Client(url, sampling_callback=on_sampling, logging_callback=on_log) as session:
                    # the server may sample the client's model while the tool runs
                    result = await session.call_tool("summarize", {"text": "..."})
                    return result.content


            async def ping(url):
                async with streamablehttp_client(url) as (read, write, get_session_id):
                    async with ClientSession(read, write) as session:
                        await session.discover()
                        await session.send_ping()
                        return get_session_id()
            """,
            note="`mcp.Client` opens Streamable HTTP from the URL and answers the server's requests with the same "
            "callbacks on both eras; a session whose transport is used again keeps its `ClientSession`",
        ),
        Invalid(
            """
            from mcp import ClientSession
            from mcp.client.stdio import stdio_client
            from mcp.types import PaginatedRequestParams


            async def resources(params, cursor: str) -> int:
                async with stdio_client(params) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        result = await session.list_resources(params=PaginatedRequestParams(cursor=cursor))
                        return len(result.resources)
            """,
            findings=[(9, 27)],
            unsafe_fixed="""
            from mcp import ClientSession
            from mcp.client.stdio import stdio_client
            from mcp.types import PaginatedRequestParams


            async def resources(params, cursor: str) -> int:
                async with stdio_client(params) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.discover()
                        result = await session.list_resources(params=PaginatedRequestParams(cursor=cursor))
                        return len(result.resources)
            """,
            note="`mcp.Client`'s list methods take only `cursor=`: a session paging with `params=` stays a `ClientSession`",
        ),
        Invalid(
            """
            from contextlib import AsyncExitStack
            import mcp

            class Agent:
                session: mcp.ClientSession | None = None

                async def connect(self, stack: AsyncExitStack, read, write) -> None:
                    self.session = await stack.enter_async_context(mcp.ClientSession(read, write))
                    info = await self.session.initialize()
                    print(info.serverInfo.name)

                async def reconnect(self, other: mcp.ClientSession) -> None:
                    await other.initialize()
            """,
            findings=[(9, 35), (13, 21)],
            unsafe_fixed="""
            from contextlib import AsyncExitStack
            import mcp

            class Agent:
                session: mcp.ClientSession | None = None

                async def connect(self, stack: AsyncExitStack, read, write) -> None:
                    self.session = await stack.enter_async_context(mcp.ClientSession(read, write))
                    info = await self.session.discover()
                    print(info.serverInfo.name)

                async def reconnect(self, other: mcp.ClientSession) -> None:
                    await other.discover()
            """,
            note="`self.session` and annotated parameters",
        ),
        Invalid(
            """
            import httpx

            async def connect(client: httpx.AsyncClient, url: str) -> dict:
                init = await client.post(url, json={
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {
                        "protocolVersion": "2025-06-18",
                        "capabilities": {"roots": {}},
                        "clientInfo": {"name": "agent", "version": "1.0"},
                    },
                })
                await client.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"})
                return init.json()
            """,
            findings=[(7, 19), (14, 33)],
            unsafe_fixed="""
            import httpx

            async def connect(client: httpx.AsyncClient, url: str) -> dict:
                init = await client.post(url, json={
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "server/discover",
                    "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {"roots": {}}, "io.modelcontextprotocol/clientInfo": {"name": "agent", "version": "1.0"}}},
                })
                return init.json()
            """,
            note="hand-rolled: the request becomes `server/discover` with `_meta`; the notification goes",
        ),
        Invalid(
            """
            def rpc(method, params=None, id=None):
                return {"jsonrpc": "2.0", "id": id, "method": method, "params": params}

            async def connect(transport):
                await transport.send(rpc("initialize", {"protocolVersion": "2025-11-25"}, 0))
                await transport.send(rpc("notifications/initialized"))
                await transport.send(rpc("tools/list", id=1))
            """,
            findings=[(5, 30), (6, 30)],
            note="messages built by a helper around their method: reported, not rewritten",
        ),
        Valid(
            """
            from mcp import ClientSession

            async def main(session: ClientSession) -> None:
                await session.discover()
            """
        ),
        Valid(
            """
            import sqlalchemy

            async def setup(db, pool):
                await db.initialize()
                pool.initialize()
                return {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
            """
        ),
        Valid(
            """
            from pygls.server import LanguageServer

            def handshake(send):
                send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"rootUri": None}})
                send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            """
        ),
        Invalid(
            """
            from mcp.client.streamable_http import streamablehttp_client

            from .sessions import create_session


            async def tools(config):
                async with create_session(config) as session:
                    await session.initialize()
                    return await session.list_tools()


            class Connector:
                async def _send_request(self, method, params=None):
                    await self.ws.send(json.dumps({"id": next(self.ids), "method": method, "params": params or {}}))

                async def connect(self):
                    return await self._send_request("initialize")
            """,
            findings=[(8, 23), (17, 41)],
            note="a session from the project's own factory (taken for a ClientSession from its name: reported, not "
            "fixed) and `initialize` handed to a helper that sends the method it is given",
        ),
        Invalid(
            """
            import mcp.types as mt
            from fastmcp.server.middleware import Middleware, MiddlewareContext


            class Setup(Middleware):
                async def on_initialize(self, context: MiddlewareContext[mt.InitializeRequest], call_next):
                    return await call_next(context)


            async def received(responder):
                if isinstance(responder.request.root, mt.InitializeRequest):
                    return await answer(responder)
            """,
            findings=[(6, 15), (11, 43)],
            note="the SDK's typed `InitializeRequest`: a middleware hook on it, a server picking it out",
        ),
        Valid(
            """
            from sqlalchemy.ext.asyncio import AsyncSession


            async def setup(db_session: AsyncSession):
                await db_session.initialize()
            """
        ),
    )

    gathers = (ClientSessions, MethodMentions)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # names entered from `mcp.Client(...)` (it connects when entered and has no initialize()), or from
        # 1.x's in-memory helper (its session comes initialized; MCP806 makes it a Client)
        self.connected: dict[str, str] = {}
        # initialize() calls: node, receiver, and where the call is a statement of its own (its result unused):
        # that statement and whether it is alone in its block
        self.calls: list[tuple[cst.Call, str, tuple[cst.SimpleStatementLine, bool] | None]] = []
        self.withs: list[cst.With] = []  # the enclosing `with` statements
        # `async with <transport> as (read, write): async with ClientSession(read, write) as s:`, by the inner with
        self.connections: dict[cst.With, tuple[cst.With, str]] = {}

    # -- which names are connected already, and how sessions are opened ----------------------------

    def visit_With(self, node: cst.With) -> None:
        sessions = self.context.shared(ClientSessions)
        for item in node.items:
            if isinstance(item.item, cst.Call) and item.asname is not None and isinstance(item.asname.name, cst.Name):
                qualified = self.context.qualified_name(item.item.func)
                if qualified in HIGH_LEVEL_CLIENTS or qualified == MEMORY_HELPER:
                    self.connected[item.asname.name.value] = qualified
            if (
                self.withs and len(node.items) == 1 and item.asname is not None
                and isinstance(item.asname.name, cst.Name) and id(item) in sessions.entered
            ):
                self.connections[node] = (self.withs[-1], item.asname.name.value)
        self.withs.append(node)

    def leave_With(self, original_node: cst.With) -> None:
        self.withs.pop()

    # -- the calls and messages ------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        built = built_message_method(self.context, node)  # rpc("initialize", {...}) through a helper
        # self._send_request("initialize"), send(method="initialize"); types.InitializeRequest(...)
        carried, typed, checked = self.context.shared(CallMentions).of(node)
        if built is None and carried is not None and message_method(node) is None:
            built = carried[1]
        # Reported at the method's literal where the call carries one (a multi-line call's argument
        # sits lines below its start), else at the call (a typed message built, a helper's builder).
        at = carried[0] if carried is not None and built == carried[1] else node
        built = built or typed
        if built == "notifications/initialized" or (built == "initialize" and mcp_evidence(self.context)):
            self.report(at, f"`{built}` is gone in 2026-07-28: there is no handshake",
                        help="Send `server/discover` (or nothing) instead, and `_meta` on every request")
        for kind, method in checked:
            if method == "initialize":  # isinstance(request, InitializeRequest): a server picking out the handshake
                self.report(kind, "`InitializeRequest` is the handshake 2026-07-28 removed: a 2026-07-28 "
                            "client never sends it", help="Answer `server/discover`, and read each request's `_meta`")
        if isinstance(func, cst.Attribute) and func.attr.value == "initialize" and all(arg.star for arg in node.args):
            receiver = dotted_name(func.value)
            if receiver is not None:
                alone = is_statement_of(self.context.statement, node)  # the call is the statement: its result unused
                self.calls.append((node, receiver, (self.context.statement, self.context.alone_in_block) if alone else None))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """`async def on_initialize(self, context: MiddlewareContext[InitializeRequest], ...)`: a hook on the handshake."""
        for param in (*node.params.params, *node.params.kwonly_params):
            annotation = param.annotation.annotation if param.annotation else None
            if annotation is not None and any(typed_message(self.context, n) == "initialize" for n in annotation_classes(annotation)):
                self.report(node.name, f"`{node.name.value}` handles the `initialize` handshake, which 2026-07-28 clients never "
                            "send", help="Move what it sets up to `server/discover` or to each request's `_meta`")
                return

    def visit_Dict(self, node: cst.Dict) -> None:
        method = message_method(node)
        if method == "initialize" and mcp_evidence(self.context):
            self._initialize_request(node)
        elif method == "notifications/initialized":
            self._initialized_notification(node)

    def _initialize_request(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        method_value = entries["method"].value
        params = entries.get("params")
        message = "the `initialize` handshake is gone in 2026-07-28: ask `server/discover` and send `_meta` on every request"
        if not isinstance(method_value, cst.SimpleString) or (params is not None and not isinstance(params.value, cst.Dict)):
            self.report(method_value, message, help="Send `server/discover` with the `_meta` keys instead")
            return
        edits = [replace(method_value, string_literal(method_value, DISCOVER))]
        if params is not None:
            edits.append(replace(params.value, _discover_params(params.value)))
        self.report(method_value, message, fix=NodeFix("Send `server/discover` with `_meta`", Applicability.UNSAFE, tuple(edits)))

    def _initialized_notification(self, node: cst.Dict) -> None:
        message = "`notifications/initialized` is gone in 2026-07-28: there is no handshake to complete"
        statement = self.context.statement
        if statement is not None and len(statement.body) == 1 and _only_sends(statement.body[0], node):
            fix = NodeFix("Remove the notification", Applicability.UNSAFE, (remove_statement(statement, self.context.alone_in_block),))
            self.report(node, message, fix=fix)
        else:
            self.report(node, message, help="Stop sending it")

    def leave_Module(self, original_node: cst.Module) -> None:
        for mention in self.context.shared(MethodMentions).mentions:
            # `("initialize", {...})` steps fed to a sending loop; a message written as JSON text in a test
            if mention.written and (mention.method == "notifications/initialized" or (mention.method == "initialize" and mcp_evidence(self.context))):
                self.report(mention.node, f"`{mention.method}` is gone in 2026-07-28: there is no handshake",
                            help="Send `server/discover` (or nothing) instead, and `_meta` on every request")
        sessions = self.context.shared(ClientSessions)
        for call, receiver, statement in self.calls:
            if receiver in self.connected:
                self._already_connected(call, receiver, statement)
                continue
            if receiver not in sessions.sessions:
                guessed = receiver in sessions.wrapped or _named_like_a_session(receiver)
                if guessed and _client_module(self.context):
                    # No type says so: a session entered from a factory, an attribute set elsewhere.
                    self.report(call.func.attr, "`initialize()` on what looks like an MCP `ClientSession` (from its name) "
                                "performs the handshake 2026-07-28 removed",
                                help="Call `discover()` (mcp 2.x), or connect through `mcp.Client(..., mode=\"auto\")`")
                continue
            # Never safe: discover() has no fallback, so the client loses handshake-era servers; and the
            # client's callbacks are never asked on 2026-07-28, whose requests come back as InputRequiredResult.
            connection = self._connection(call, receiver)
            over_sse = connection is not None and self._transport(connection[0]) == SSE_CLIENT
            fix = None if over_sse else self._client_fix(call, receiver, connection)
            if fix is None and not call.args and not over_sse:
                fix = NodeFix("Call `discover()` (mcp 2.x; handshake-era servers are lost)", Applicability.UNSAFE,
                              (replace(call.func.attr, "discover"),))
            self.report(
                call.func.attr,
                "`ClientSession.initialize()` performs the `initialize` handshake, which 2026-07-28 removed",
                fix=fix,
                # Over HTTP+SSE the transport moves first (MCP201); the next pass makes the session an mcp.Client.
                help="Move to Streamable HTTP (MCP201), then connect through `mcp.Client`" if over_sse
                else "Call `discover()` (mcp 2.x)" if call.args else None,
            )

    def _already_connected(self, call: cst.Call, receiver: str, where: tuple | None) -> None:
        """`await client.initialize()` on an `mcp.Client` (an AttributeError: it connected when entered), or on
        1.x's in-memory session (initialized already, by the helper): the statement goes."""
        if self.connected[receiver] == MEMORY_HELPER:
            message = "the in-memory helper's session is initialized already; as `mcp.Client` (MCP806) it has no `initialize()`"
        else:
            message = "`mcp.Client` connects when entered (discovering, or with the handshake): it has no `initialize()`"
        fix = None
        statement, alone = where or (None, False)
        if statement is not None and len(statement.body) == 1:
            # safe on mcp 2.x, where the call can only fail; otherwise the same rewrite, unsafe
            applicability = Applicability.SAFE if self.context.options.target_sdk == 2 else Applicability.UNSAFE
            fix = NodeFix("Remove the call", applicability, (remove_statement(statement, alone),))
        self.report(call.func.attr, message, fix=fix, help=None if fix else "Drop the call")

    def _connection(self, call: cst.Call, session: str) -> tuple[cst.With, cst.With] | None:
        """The transport's and the session's `async with`, where the handshake opens the session's block."""
        return next(((outer, inner) for inner, (outer, name) in self.connections.items()
                     if name == session and _first_statement_calls(inner, call)), None)

    def _transport(self, outer: cst.With) -> str | None:
        item = outer.items[0].item if len(outer.items) == 1 else None
        return self.context.qualified_name(item.func) if isinstance(item, cst.Call) else None

    def _client_fix(self, call: cst.Call, session: str, found: tuple[cst.With, cst.With] | None) -> NodeFix | None:
        """`async with stdio_client(p) as (r, w):` + `async with ClientSession(r, w, **callbacks) as s:` +
        `await s.initialize()` -> `async with Client(p, **callbacks) as s:`, where the session is used only
        through methods `mcp.Client` has. The Client discovers and falls back to `initialize`, so it talks to
        servers of both eras, and answers a 2026-07-28 server's input requests with the same callbacks."""
        if found is None or call.args:
            return None
        outer, inner = found
        if outer.asynchronous is None or inner.asynchronous is None or len(outer.items) != 1:
            return None
        if not isinstance(outer.body, cst.IndentedBlock) or list(outer.body.body) != [inner]:
            return None
        transport, session_call = outer.items[0], inner.items[0].item
        if not (isinstance(transport.item, cst.Call) and isinstance(session_call, cst.Call) and transport.asname is not None):
            return None
        if self._transport(outer) not in CLIENT_TRANSPORTS:
            return None
        if len(transport.item.args) != 1 or transport.item.args[0].keyword or transport.item.args[0].star:
            return None
        streams = transport.asname.name
        if not isinstance(streams, (cst.Tuple, cst.List)) or not all(isinstance(e.value, cst.Name) for e in streams.elements):
            return None
        stream_names = [element.value.value for element in streams.elements]
        positional, keywords = session_call.args[:2], session_call.args[2:]
        if len(positional) != 2 or [a.value.value if isinstance(a.value, cst.Name) and not a.keyword else None
                                    for a in positional] != stream_names[:2]:
            return None
        if any(arg.star or arg.keyword is None or arg.keyword.value not in CLIENT_KEYWORDS for arg in keywords):
            return None
        body = list(inner.body.body)[1:]
        if not body:
            return None
        uses = _SessionUses({session, *stream_names})
        for statement in body:
            statement.visit(uses)
        if uses.multiline_string or uses.incompatible or uses.uses != len(uses.attributes) or not set(uses.attributes) <= CLIENT_METHODS:
            return None  # the streams used again, the session handed on, or a method Client lacks
        imported = add_imports(self.context, [("mcp", "Client")])
        if imported is None:
            return None
        (client,), import_edits = imported
        target = transport.item.args[0].value
        newline = self.context.module.default_newline
        handshake = inner.body.body[0]

        def text(view: SourceView) -> str:
            arguments = [view.text[view.start(target) : view.end(target)]]
            arguments += [view.text[view.start(arg) : view.end(arg.value)] for arg in keywords]
            outer_indent, inner_indent = view.line_indent(outer), view.line_indent(inner)
            step = inner_indent[len(outer_indent):]
            lines = view.text[view.next_line(handshake) : view.end(outer)].split(newline)  # comments above included
            while lines and not lines[0].strip():
                lines.pop(0)  # no blank line right under the `async with`
            dedented = [line[len(step):] if line.startswith(inner_indent) else line for line in lines]
            header = f"async with {client}({', '.join(arguments)}) as {session}:"
            if len(outer_indent) + len(header) > 100:  # one argument a line, as a formatter would
                listed = "".join(f"{outer_indent}{step}{argument},{newline}" for argument in arguments)
                header = f"async with {client}({newline}{listed}{outer_indent}) as {session}:"
            return header + newline + newline.join(dedented)

        return NodeFix("Connect through `mcp.Client` (it discovers, and falls back to `initialize`)", Applicability.UNSAFE,
                       (replace(outer, text), *import_edits))


def _first_statement_calls(block: cst.With, call: cst.Call) -> bool:
    """Is the block's first statement `await <call>` and nothing else?"""
    if not isinstance(block.body, cst.IndentedBlock) or not block.body.body:
        return False
    first = block.body.body[0]
    if not isinstance(first, cst.SimpleStatementLine) or len(first.body) != 1 or not isinstance(first.body[0], cst.Expr):
        return False
    value = first.body[0].value
    return isinstance(value, cst.Await) and value.expression is call


def _named_like_a_session(receiver: str) -> bool:
    """`session`, `tool_session`, `self._client_session`: a name that says it holds a session."""
    return receiver.rsplit(".", 1)[-1].lower().lstrip("_").endswith("session")


def _client_module(context: FileContext) -> bool:
    """A module that imports the SDK's client side: where a session is an MCP one (a database
    session is not, even in a project that declares mcp)."""
    return context.imports.imports_from("mcp.client", "fastmcp.client") or builds_on_client_session(context)


def _discover_params(params: cst.Dict):
    """`{"_meta": {...}}` from an `initialize` request's params, keeping the values' source text."""
    entries = dict_entries(params)

    def text(view: SourceView) -> str:
        def source(key: str, default: str) -> str:
            element = entries.get(key)
            return view.text[view.start(element.value) : view.end(element.value)] if element else default

        meta = [f'"{META_VERSION}": "{CURRENT_VERSION}"', f'"{META_CAPABILITIES}": {source("capabilities", "{}")}']
        if "clientInfo" in entries:
            meta.append(f'"{META_INFO}": {source("clientInfo", "{}")}')
        return '{"_meta": {' + ", ".join(meta) + "}}"

    return text


def _only_sends(small: cst.BaseSmallStatement, message: cst.Dict) -> bool:
    """Is the statement just a call that sends this message (as an argument, or `json=`)?"""
    if not isinstance(small, cst.Expr):
        return False
    value = small.value.expression if isinstance(small.value, cst.Await) else small.value
    return isinstance(value, cst.Call) and any(arg.value is message for arg in value.args)
