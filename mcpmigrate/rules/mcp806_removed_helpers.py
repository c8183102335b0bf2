"""MCP806 removed-helpers: 1.x helpers, types and constants that mcp 2.x removed or changed."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, insert_after, insert_before, replace, replace_between
from mcpmigrate.rule.edits import add_import
from mcpmigrate.rule.prefilter import word
from mcpmigrate.rules._kits.jsonrpc import CLIENT_SESSIONS, string_value
from mcpmigrate.rules._kits.method_mentions import annotation_classes
from mcpmigrate.rules._kits.sdk import HIGH_LEVEL_CLIENTS, LIST_METHODS, MEMORY_HELPER
from mcpmigrate.rules._kits.sdk_renames import RenameRule
from mcpmigrate.steps import Step

REQUEST_CONTEXT = "mcp.shared.context.RequestContext"
# Where 1.x code imports it from: its home, and the client session and low-level server modules that
# re-export it (none of them has it in mcp 2.3.0).
REQUEST_CONTEXT_MODULES = frozenset({"mcp.shared.context", "mcp.client.session", "mcp.server.lowlevel.server"})
REQUEST_CONTEXTS = frozenset(f"{module}.RequestContext" for module in REQUEST_CONTEXT_MODULES)
ANY_URL = frozenset({"pydantic.AnyUrl", "pydantic.networks.AnyUrl"})
# 1.x RootModel wrappers that are plain unions in mcp 2.x, with the TypeAdapter that validates them
# (all in `mcp.types`, checked against mcp 2.3.0).
ROOT_UNIONS = {
    "JSONRPCMessage": "jsonrpc_message_adapter",
    "ClientRequest": "client_request_adapter",
    "ServerRequest": "server_request_adapter",
    "ClientNotification": "client_notification_adapter",
    "ServerNotification": "server_notification_adapter",
    "ClientResult": "client_result_adapter",
    "ServerResult": "server_result_adapter",
}
ROOT_UNION_NAMES = {f"{module}.{name}": name for module in ("mcp.types", "mcp") for name in ROOT_UNIONS}
VALIDATORS = {"model_validate": "validate_python", "model_validate_json": "validate_json"}
# What took `read_timeout_seconds` as a `timedelta` in 1.x (besides the `ClientSession` constructor).
TIMEOUT_METHODS = frozenset({"call_tool", "send_request"})
# Where a call takes its read timeout positionally: ClientSession(read, write, timeout),
# call_tool(name, arguments, timeout), send_request(request, result_type, timeout).
TIMEOUT_POSITIONS = {"ClientSession": 2, "call_tool": 2, "send_request": 2}
LATEST = frozenset({"mcp.types.LATEST_PROTOCOL_VERSION"})


class RemovedHelpers(RenameRule):
    code = "MCP806"
    name = "removed-helpers"
    step = Step.SDK_2
    summary = "Helpers, types and constants of mcp 1.x that 2.x removed or changed"
    why = (
        "mcp 2.x removed `ClientSession.get_server_capabilities()` (now the `server_capabilities` property), "
        "the `cursor=` keyword of `ClientSession.list_*` (they take `params=PaginatedRequestParams(...)`), "
        "`mcp.shared.memory.create_connected_server_and_client_session` (the in-process `mcp.Client(server)` "
        "replaces it), pydantic `AnyUrl` values for `uri` (it is a `str` now), `mcp.shared.version`, and the types `Content`, `ResourceReference` and `Cursor`. "
        "`LATEST_PROTOCOL_VERSION` is now `\"2026-07-28\"`, which has no `initialize` handshake: code that "
        "sends or compares it as the handshake version silently changes meaning."
    )
    fix_summary = "`get_server_capabilities()`, `cursor=`, `Content`, `ResourceReference`, in-process `Client`"
    fix_description = (
        "`session.get_server_capabilities()` becomes `session.server_capabilities`; `list_*(cursor=c)` becomes "
        "`list_*(params=PaginatedRequestParams(cursor=c))` (importing it from `mcp.types` if needed); "
        "`Content` becomes `ContentBlock` and `ResourceReference` becomes `ResourceTemplateReference`; "
        "`create_connected_server_and_client_session(server)` becomes `Client(server)`; `uri=AnyUrl(x)` and "
        "`read_resource(AnyUrl(x))` take `str(AnyUrl(x))`; client callbacks typed "
        "`RequestContext[ClientSession, X]` (from the removed `mcp.shared.context`, or `mcp.client.session`), "
        "or annotated with a bare `RequestContext` in a client's module, take `ClientRequestContext` "
        "from `mcp.client`. `mcp.shared.version`, `Cursor`, other uses of `RequestContext` and uses of "
        "`LATEST_PROTOCOL_VERSION` are reported for a human."
    )
    fix_safety = (
        "Safe when the project targets mcp 2.x, unsafe otherwise, except `Client(server)`, which is always "
        "unsafe: a `Client` negotiates 2026-07-28, connects on entering `async with`, and its methods differ "
        "from a `ClientSession`'s (tests that exercise server-to-client requests need `mode=\"legacy\"`)."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md sections 1a and 1d",
    )
    moves = {
        "mcp.types.Content": "mcp.types.ContentBlock",
        "mcp.types.ResourceReference": "mcp.types.ResourceTemplateReference",
        "mcp.types.Cursor": None,
        "mcp.shared.version": None,
        MEMORY_HELPER: "mcp.Client",
        # Removed outright (checked against mcp 2.3.0: the modules do not import, the names do not exist).
        "mcp.client.websocket": None,
        "mcp.server.websocket": None,
        "mcp.shared.progress": None,
        "mcp.shared.session": None,
        "mcp.types.RequestParams.Meta": None,
        **{f"mcp.types.{side}{kind}Type": None for side in ("Client", "Server") for kind in ("Request", "Notification", "Result")},
    }
    notes = {
        "mcp.types.Cursor": "it was `str`",
        "mcp.shared.version": (
            "use `mcp.types.version`: `HANDSHAKE_PROTOCOL_VERSIONS` and `LATEST_HANDSHAKE_VERSION` for the "
            "`initialize` era, `MODERN_PROTOCOL_VERSIONS` for 2026-07-28"
        ),
        MEMORY_HELPER: "a `Client` connects on `async with`, negotiates 2026-07-28 and has its own methods",
        "mcp.client.websocket": "the WebSocket transport is gone: connect over Streamable HTTP (`streamable_http_client`)",
        "mcp.server.websocket": "the WebSocket transport is gone: serve Streamable HTTP (`streamable_http_app()`)",
        "mcp.types.RequestParams.Meta": (
            "`_meta` is the `RequestParamsMeta` TypedDict (`mcp.types`): build a dict, read `meta.get(\"progress_token\")`"
        ),
        "mcp.shared.session": (
            "`BaseSession`, `RequestResponder` and the session's type variables are gone (`ProgressFnT` is "
            "`mcp.shared.dispatcher.ProgressFnT`); a request handler gets its context as its first argument, a "
            "client's message handler gets the message itself"
        ),
        "mcp.shared.progress": (
            "report progress with `await ctx.report_progress(progress, total, message)`, which takes the "
            "absolute value, not a delta"
        ),
        **{
            f"mcp.types.{side}{kind}Type": f"`mcp.types.{side}{kind}` is the plain union in mcp 2.x"
            for side in ("Client", "Server") for kind in ("Request", "Notification", "Result")
        },
    }
    unsafe = frozenset({MEMORY_HELPER})
    watched = LATEST | REQUEST_CONTEXTS  # see _use
    rename_note = "the old name no longer imports"
    tokens = (
        "requestcontext", "anyurl", "get_server_capabilities", "cursor", "latest_protocol_version", word("content"),
        "resourcereference", word("version"), "create_connected_server_and_client_session",
        "websocket", "read_timeout_seconds", "timedelta", "requestparams.meta", ".root", "jsonrpcmessage", "clientrequest", "serverrequest", "clientnotification",
        "servernotification", "clientresult", "serverresult", "shared.progress", "shared.session", "shared import progress", "requesttype", "notificationtype", "resulttype",
    )
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
            from datetime import timedelta

            from mcp import ClientSession, types
            from pydantic import AnyUrl


            async def connect(read, write, seconds: float | None):
                timeout = timedelta(seconds=seconds) if seconds else None
                async with ClientSession(read, write, timeout) as session:
                    return session


            async def call(session: ClientSession, name: str, args: dict, limit: timedelta | None, uri: AnyUrl):
                await session.read_resource(uri)
                return await session.call_tool(name, args, limit)


            def kind(message) -> str:
                if isinstance(message, types.ServerNotification):
                    return type(message.root).__name__
                return ""
            """,
            findings=[(9, 43), (14, 33), (15, 48), (20, 29)],
            fixed="""
            from datetime import timedelta

            from mcp import ClientSession, types
            from pydantic import AnyUrl


            async def connect(read, write, seconds: float | None):
                timeout = timedelta(seconds=seconds) if seconds else None
                async with ClientSession(read, write, timeout) as session:
                    return session


            async def call(session: ClientSession, name: str, args: dict, limit: timedelta | None, uri: AnyUrl):
                await session.read_resource(str(uri))
                return await session.call_tool(name, args, limit)


            def kind(message) -> str:
                if isinstance(message, types.ServerNotification):
                    return type(message).__name__
                return ""
            """,
            note="a `timedelta` timeout handed on positionally or through a name (reported: it may be None), an "
            "`AnyUrl` parameter, and `.root` of a message narrowed to a 1.x union",
        ),
        Invalid(
            """
            from mcp import ClientSession, types

            async def tools(session: ClientSession, cursor: str | None) -> list[types.Content]:
                caps = session.get_server_capabilities()
                page = await session.list_tools(cursor=cursor)
                return []
            """,
            findings=[(3, 69), (4, 12), (5, 37)],
            fixed="""
            from mcp import ClientSession, types

            async def tools(session: ClientSession, cursor: str | None) -> list[types.ContentBlock]:
                caps = session.server_capabilities
                page = await session.list_tools(params=types.PaginatedRequestParams(cursor=cursor))
                return []
            """,
        ),
        Invalid(
            """
            \"\"\"Pagination helper.\"\"\"
            from mcp.client.session import ClientSession

            async def all_prompts(session: ClientSession, start):
                return await session.list_prompts(
                    cursor=start,
                )
            """,
            findings=[(6, 9)],
            fixed="""
            \"\"\"Pagination helper.\"\"\"
            from mcp.client.session import ClientSession
            from mcp.types import PaginatedRequestParams

            async def all_prompts(session: ClientSession, start):
                return await session.list_prompts(
                    params=PaginatedRequestParams(cursor=start),
                )
            """,
            note="`PaginatedRequestParams` is imported, in sorted order among the imports, when nothing provides it",
        ),
        Invalid(
            """
            from datetime import timedelta

            from mcp import ClientSession

            async def run(read, write):
                async with ClientSession(read, write, read_timeout_seconds=timedelta(seconds=30)) as session:
                    return await session.call_tool("slow", {}, read_timeout_seconds=timedelta(minutes=5))
            """,
            findings=[(6, 64), (7, 73)],
            fixed="""
            from datetime import timedelta

            from mcp import ClientSession

            async def run(read, write):
                async with ClientSession(read, write, read_timeout_seconds=timedelta(seconds=30).total_seconds()) as session:
                    return await session.call_tool("slow", {}, read_timeout_seconds=timedelta(minutes=5).total_seconds())
            """,
            note="timeouts are float seconds in 2.x",
        ),
        Invalid(
            """
            import mcp.types as types
            from mcp.shared.message import SessionMessage

            def log_message(text: str) -> SessionMessage:
                note = types.ServerNotification(types.LoggingMessageNotification(
                    params=types.LoggingMessageNotificationParams(level="info", data=text),
                ))
                return SessionMessage(types.JSONRPCMessage.model_validate({"jsonrpc": "2.0", "method": "ping", "id": 1}))
            """,
            findings=[(5, 12), (8, 27)],
            fixed="""
            import mcp.types as types
            from mcp.shared.message import SessionMessage

            def log_message(text: str) -> SessionMessage:
                note = types.LoggingMessageNotification(
                    params=types.LoggingMessageNotificationParams(level="info", data=text),
                )
                return SessionMessage(types.jsonrpc_message_adapter.validate_python({"jsonrpc": "2.0", "method": "ping", "id": 1}))
            """,
            note="1.x's RootModel wrappers are plain unions in 2.x: unwrap, or validate with the union's TypeAdapter",
        ),
        Invalid(
            """
            import mcp.types as types
            from mcp.shared.message import SessionMessage

            def method_of(item: SessionMessage) -> str | None:
                if isinstance(item.message.root, types.JSONRPCRequest):
                    return item.message.root.method
                return None

            def on_notification(note: types.ServerNotification) -> None:
                match note.root:
                    case types.ProgressNotification():
                        pass
            """,
            findings=[(5, 32), (6, 29), (10, 16)],
            fixed="""
            import mcp.types as types
            from mcp.shared.message import SessionMessage

            def method_of(item: SessionMessage) -> str | None:
                if isinstance(item.message, types.JSONRPCRequest):
                    return item.message.method
                return None

            def on_notification(note: types.ServerNotification) -> None:
                match note:
                    case types.ProgressNotification():
                        pass
            """,
            note="`.root` of a message wrapper: the value is the message itself in 2.x",
        ),
        Valid(
            """
            from pathlib import Path

            class Tree:
                root = None

            def anchor(path: Path, tree: Tree, message) -> str:
                return path.root or str(tree.root) or str(message.root)
            """
        ),
        Invalid(
            """
            from mcp.client.websocket import websocket_client
            from mcp.shared.progress import progress
            from mcp.types import ClientRequestType, ServerNotificationType
            import mcp.types as types

            def handles(request: ClientRequestType) -> bool:
                return True

            META = types.RequestParams.Meta(progressToken="t1")
            """,
            findings=[(1, 6), (2, 6), (3, 23), (3, 42), (6, 22), (9, 8)],
            note="modules and union aliases mcp 2.x removed: reported with what to use instead",
        ),
        Invalid(
            """
            from mcp.shared.memory import create_connected_server_and_client_session

            async def test_tools(server):
                async with create_connected_server_and_client_session(server._mcp_server) as session:
                    assert (await session.list_tools()).tools
            """,
            findings=[(1, 31), (4, 16), (4, 59)],
            unsafe_fixed="""
            from mcp import Client

            async def test_tools(server):
                async with Client(server) as session:
                    assert (await session.list_tools()).tools
            """,
            note="a FastMCP server of unknown origin (a fixture), passed as its low-level `_mcp_server`",
        ),
        Invalid(
            """
            from mcp.shared.memory import create_connected_server_and_client_session
            from mcp.types import LATEST_PROTOCOL_VERSION, ResourceReference

            async def test_server(server):
                async with create_connected_server_and_client_session(server) as session:
                    assert session.protocol_version == LATEST_PROTOCOL_VERSION
            """,
            findings=[(1, 31), (2, 48), (5, 16), (6, 44)],
            fixed="""
            from mcp.shared.memory import create_connected_server_and_client_session
            from mcp.types import LATEST_PROTOCOL_VERSION, ResourceTemplateReference

            async def test_server(server):
                async with create_connected_server_and_client_session(server) as session:
                    assert session.protocol_version == LATEST_PROTOCOL_VERSION
            """,
            unsafe_fixed="""
            from mcp import Client
            from mcp.types import LATEST_PROTOCOL_VERSION, ResourceTemplateReference

            async def test_server(server):
                async with Client(server) as session:
                    assert session.protocol_version == LATEST_PROTOCOL_VERSION
            """,
            note="the in-process helper becomes `Client`, an unsafe fix; `LATEST_PROTOCOL_VERSION` needs a human",
        ),
        Invalid(
            """
            from mcp.shared.version import SUPPORTED_PROTOCOL_VERSIONS
            from mcp.types import Cursor
            """,
            findings=[(1, 6), (2, 23)],
            note="removed with no rename: reported with what to use instead",
        ),
        Invalid(
            """
            from typing import Any

            from mcp import ClientSession, types
            from mcp.shared.context import RequestContext

            async def on_sample(context: RequestContext[ClientSession, Any], params: types.CreateMessageRequestParams):
                return None
            """,
            findings=[(4, 32), (6, 30)],
            fixed="""
            from mcp import types
            from mcp.client import ClientRequestContext

            async def on_sample(context: ClientRequestContext, params: types.CreateMessageRequestParams):
                return None
            """,
            note="a client callback's context type; it has no type parameters in 2.x",
        ),
        Invalid(
            """
            from mcp.client.session import ClientSession, RequestContext

            async def on_list_roots(context: RequestContext["ClientSession", None]):
                return None
            """,
            findings=[(1, 47), (3, 34)],
            fixed="""
            from mcp.client import ClientRequestContext

            async def on_list_roots(context: ClientRequestContext):
                return None
            """,
            note="the documented form, imported from the client session module",
        ),
        Invalid(
            """
            from mcp import types
            from mcp.client.session import RequestContext


            async def on_sampling(context: RequestContext, params: types.CreateMessageRequestParams):
                return None
            """,
            findings=[(2, 32), (5, 32)],
            fixed="""
            from mcp import types
            from mcp.client import ClientRequestContext


            async def on_sampling(context: ClientRequestContext, params: types.CreateMessageRequestParams):
                return None
            """,
            note="a bare `RequestContext` annotation, taken from the client session module: a client callback's",
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server
            from mcp.shared.context import RequestContext

            def handler(ctx: RequestContext) -> None:
                assert isinstance(ctx, RequestContext)
            """,
            findings=[(2, 32), (4, 18), (5, 28)],
            note="a bare `RequestContext` in a server's module, and outside an annotation: for a human",
        ),
        Invalid(
            """
            from mcp.server.session import ServerSession
            from mcp.shared.context import RequestContext

            def handler(ctx: RequestContext[ServerSession, None]) -> None: ...
            """,
            findings=[(2, 32), (4, 18)],
            note="on the server side the context is `ServerRequestContext`, with other type parameters: for a human",
        ),
        Invalid(
            """
            from pydantic import AnyUrl
            import mcp.types as types

            RESOURCE = types.Resource(name="readme", uri=AnyUrl("file:///docs/readme.md"))

            async def read(session, path: str):
                return await session.read_resource(AnyUrl(f"file:///docs/{path}"))
            """,
            findings=[(4, 46), (7, 40)],
            fixed="""
            from pydantic import AnyUrl
            import mcp.types as types

            RESOURCE = types.Resource(name="readme", uri=str(AnyUrl("file:///docs/readme.md")))

            async def read(session, path: str):
                return await session.read_resource(str(AnyUrl(f"file:///docs/{path}")))
            """,
            note="`str(...)` keeps the URL exactly as `AnyUrl` normalised it (`http://host` gains its `/`)",
        ),
        Valid(
            """
            from mcp import Client, types

            async def tools(client: Client) -> list[types.ContentBlock]:
                result = await client.list_tools(cursor=None)
                return client.server_capabilities and []
            """
        ),
        Valid(
            """
            from mcp.client import Client

            async def names(target) -> list[str]:
                async with Client(target, mode="auto") as client:
                    page = await client.list_resources(cursor=None)
                    return [resource.name for resource in page.resources]
            """
        ),
        Valid(
            """
            from pydantic import AnyUrl, BaseModel
            import mcp.types as types

            class Link(BaseModel):
                uri: AnyUrl

            LINK = Link(uri=AnyUrl("https://example.com"))
            RESOURCE = types.Resource(name="readme", uri="file:///docs/readme.md")
            """
        ),
        Valid(
            """
            import boto3

            def pages(client, token):
                client.get_server_capabilities()
                return client.list_tools(cursor=token)
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # Names annotated with a 1.x RootModel union (`message: JSONRPCMessage`), whose `.root` is gone.
        self.wrapped: set[str] = set()
        # `SessionMessage.message` held a `JSONRPCMessage`: `x.message.root` where the file uses the SDK's messages.
        self.session_messages = any(
            target.startswith(("mcp.shared.message", "mcp.types")) for target in self.context.imports.bindings.values()
        )
        self.timedeltas: set[str] = set()  # names bound to a `timedelta` (assigned one, or annotated so)
        self.any_urls: set[str] = set()  # parameters annotated `AnyUrl`
        self.root_checks: set[int] = set()  # `x.root` nodes handed to isinstance() with an mcp.types class
        self.context_import: tuple[cst.ImportFrom, cst.ImportAlias] | None = None
        # (node, is a client callback's context: `RequestContext[ClientSession, X]`; None: a bare
        # `RequestContext` annotation, a client's if the file is on the client side)
        self.context_uses: list[tuple[cst.CSTNode, bool | None]] = []
        self.annotations = 0  # how many annotations the traversal is inside

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        super().visit_ImportFrom(node)
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        if self.context.code_for(node.module) in REQUEST_CONTEXT_MODULES:
            for alias in node.names:
                if isinstance(alias.name, cst.Name) and alias.name.value == "RequestContext":
                    self.context_import = (node, alias)

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is None:
            return
        annotation = node.annotation.annotation
        if self.context.qualified_name(annotation) in ROOT_UNION_NAMES:
            self.wrapped.add(node.name.value)
        named = {self.context.qualified_name(n) for n in annotation_classes(annotation)}
        if "datetime.timedelta" in named:
            self.timedeltas.add(node.name.value)
        if named & ANY_URL:
            self.any_urls.add(node.name.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        for target in node.targets:
            if not isinstance(target.target, cst.Name):
                continue
            name = target.target.value
            if self._is_timedelta(value):
                self.timedeltas.add(name)
            # message = JSONRPCMessage.model_validate_json(body): a RootModel in 1.x
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value in VALIDATORS
                and self.context.qualified_name(value.func.value) in ROOT_UNION_NAMES
            ):
                self.wrapped.add(name)

    def _is_timedelta(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.IfExp):  # timedelta(...) if x else None
            return self._is_timedelta(value.body) or self._is_timedelta(value.orelse)
        if isinstance(value, cst.Name):
            return value.value in self.timedeltas
        return isinstance(value, cst.Call) and self.context.qualified_name(value.func) == "datetime.timedelta"

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and self.context.qualified_name(node.annotation.annotation) in ROOT_UNION_NAMES:
            self.wrapped.add(node.target.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "root" and (self._wrapped(node.value) or id(node) in self.root_checks):
            fix = NodeFix("Drop `.root`", self.fix_applicability, (replace_between(node.value, "end", node, "end", ""),))
            self.defer(None, node.attr, "`.root` is gone in mcp 2.x: the message unions are no RootModels, the value is the message itself", fix)
        super().visit_Attribute(node)

    def _wrapped(self, node: cst.BaseExpression) -> bool:
        """`message` annotated with a RootModel union, or `session_message.message` in a file on the SDK's messages."""
        if isinstance(node, cst.Name):
            return node.value in self.wrapped
        return isinstance(node, cst.Attribute) and node.attr.value == "message" and self.session_messages

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self.context.qualified_name(node.value) not in REQUEST_CONTEXTS:
            return
        self.claim(node.value)
        first = node.slice[0].slice if node.slice else None
        # `RequestContext[ClientSession, X]`, or the documented `RequestContext["ClientSession", X]`.
        client = isinstance(first, cst.Index) and (
            self.context.qualified_name(first.value) in CLIENT_SESSIONS or string_value(first.value) == "ClientSession"
        )
        self.context_uses.append((node, client))

    def _import_edits(self) -> tuple | None:
        """How the import of `RequestContext` becomes one of `ClientRequestContext`: the statement
        rewritten where it imports nothing else; else the name taken out of it and imported on a line
        of its own (not for an alias: its uses keep the alias)."""
        if self.context_import is None:
            return None
        statement, alias = self.context_import
        names = list(statement.names) if not isinstance(statement.names, cst.ImportStar) else []
        if len(names) == 1:
            return (replace(statement.module, "mcp.client"), replace(alias.name, "ClientRequestContext"))
        if alias.asname is not None:
            return None
        index = next(position for position, other in enumerate(names) if other is alias)
        if index:
            removal = replace_between(names[index - 1], "end", alias, "end", "")
        else:
            removal = replace_between(alias, "start", names[1], "start", "")
        added = add_import(self.context, "mcp.client", "ClientRequestContext")
        if added is None or added[0] != "ClientRequestContext":
            return None
        return (removal, *added[1])

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self.annotations += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self.annotations -= 1

    def _client_side(self) -> bool:
        """Is a bare `RequestContext` annotation a client callback's? Where the file took it from the
        client session module, or works with the client and not the server."""
        if self.context_import is not None and self.context.code_for(self.context_import[0].module) == "mcp.client.session":
            return True
        return self.context.imports.imports_from("mcp.client") and not self.context.imports.imports_from("mcp.server")

    def _request_context(self) -> None:
        if self.context_import is not None:
            origin = self.context.code_for(self.context_import[0].module)
        else:
            origin = next(((self.context.qualified_name(node) or "").rpartition(".")[0] for node, _ in self.context_uses
                           if not isinstance(node, cst.Subscript)), "") or REQUEST_CONTEXT.rpartition(".")[0]
        message = f"`{origin}.RequestContext` is gone in mcp 2.x"
        help = "Client callbacks take `mcp.client.ClientRequestContext`; server handlers `mcp.server.ServerRequestContext[L, R]`"
        edits = self._import_edits()
        client_side = self._client_side()
        self.context_uses = [(node, client_side if client is None else client) for node, client in self.context_uses]
        fixable = edits is not None and bool(self.context_uses) and all(client for _, client in self.context_uses)
        if self.context_import is not None:
            statement, alias = self.context_import
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
            fix = NodeFix("Import `ClientRequestContext` from `mcp.client`", self.fix_applicability, edits) if fixable else None
            self.defer(None, alias.name, message, fix, None if fixable else help)
            new_name = local or "ClientRequestContext"
        for node, _ in self.context_uses:
            fix = NodeFix(f"Use `{new_name}`", self.fix_applicability, (replace(node, new_name),)) if fixable else None
            dropped = "; a client callback's context has no type parameters" if fixable and isinstance(node, cst.Subscript) else ""
            self.defer(None, node, message + dropped, fix, None if fixable else help)

    def leave_Module(self, original_node: cst.Module) -> None:
        self._request_context()
        super().leave_Module(original_node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.context.qualified_name(func)
        if isinstance(func, cst.Name) and func.value == "isinstance" and len(node.args) == 2:
            self._narrowed(node.args[0].value, node.args[1].value)
        if qualified is not None and qualified.startswith("mcp.types."):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "uri":
                    self._any_url(arg.value, f"`{qualified.rsplit('.', 1)[1]}.uri`")
        if qualified is not None and self.table().canonical(qualified) == MEMORY_HELPER:
            self._in_process_server(node)
        if qualified in CLIENT_SESSIONS or (isinstance(func, cst.Attribute) and func.attr.value in TIMEOUT_METHODS):
            self._timeout(node)
        elif qualified in HIGH_LEVEL_CLIENTS:  # mcp.Client(..., read_timeout_seconds=...), as MCP101 builds it
            self._timeout(node, keyword_only=True)
        if qualified in ROOT_UNION_NAMES:
            self._unwrap(node, ROOT_UNION_NAMES[qualified])
        elif isinstance(func, cst.Attribute) and func.attr.value in VALIDATORS:
            union = ROOT_UNION_NAMES.get(self.context.qualified_name(func.value) or "")
            if union is not None:
                self._validate(node, func, union)
        if not isinstance(func, cst.Attribute) or not self.context.imports.imports_from("mcp"):
            return
        method = func.attr.value
        if method == "read_resource" and node.args and node.args[0].keyword is None and not node.args[0].star:
            self._any_url(node.args[0].value, "`read_resource()`'s URI")
            uri = node.args[0].value
            if isinstance(uri, cst.Name) and uri.value in self.any_urls:
                self.defer(None, uri, "`read_resource()` takes a `str` URI in mcp 2.x, not a pydantic `AnyUrl`",
                           NodeFix("Wrap it in `str(...)`", self.fix_applicability, (insert_before(uri, "str("), insert_after(uri, ")"))))
        if method == "get_server_capabilities" and not node.args:
            fix = NodeFix("Read `.server_capabilities`", self.fix_applicability,
                          (replace_between(func.attr, "start", node, "end", "server_capabilities"),))
            self.defer(None, node, "`get_server_capabilities()` is the `server_capabilities` property in mcp 2.x", fix)
        elif method in LIST_METHODS and not any(target in HIGH_LEVEL_CLIENTS for target in self.context.imports.bindings.values()):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "cursor":
                    self._cursor(node, arg)

    def _narrowed(self, subject: cst.BaseExpression, kinds: cst.BaseExpression) -> None:
        """`isinstance(message, ServerNotification)`: `message.root` follows; `isinstance(message.root,
        types.PingRequest)`: that `.root` is the 1.x RootModel's."""
        named = [self.context.qualified_name(e.value) for e in kinds.elements] if isinstance(kinds, cst.Tuple) else [
            self.context.qualified_name(kinds)
        ]
        if isinstance(subject, cst.Name) and any(n in ROOT_UNION_NAMES for n in named):
            self.wrapped.add(subject.value)
        elif isinstance(subject, cst.Attribute) and subject.attr.value == "root" and any(
            n is not None and n.startswith("mcp.types.") for n in named
        ):
            self.root_checks.add(id(subject))

    def _unwrap(self, call: cst.Call, union: str) -> None:
        """`ServerNotification(LoggingMessageNotification(...))`: in 2.x the union is no model to wrap in."""
        if len(call.args) == 1 and call.args[0].keyword is not None and call.args[0].keyword.value == "root":
            self.defer(None, call.func, f"`{union}(root=...)` is gone in mcp 2.x: `{union}` is a plain union, not a model: "
                       "pass the message itself", help="Pass the message itself")
            return
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return
        inner = call.args[0].value
        edits = (replace_between(call, "start", inner, "start", ""), replace_between(inner, "end", call, "end", ""))
        self.defer(None, call.func, f"`{union}` is a plain union in mcp 2.x, not a model: pass the message itself",
                   NodeFix("Pass the message itself", self.fix_applicability, edits))

    def _validate(self, call: cst.Call, func: cst.Attribute, union: str) -> None:
        """`JSONRPCMessage.model_validate(raw)` -> `jsonrpc_message_adapter.validate_python(raw)`."""
        adapter, method = ROOT_UNIONS[union], VALIDATORS[func.attr.value]
        found = add_import(self.context, "mcp.types", adapter)
        fix = None
        if found is not None:
            local, imports = found
            edits = (*imports, replace(func, f"{local}.{method}"))
            fix = NodeFix(f"Use `{adapter}.{method}(...)`", self.fix_applicability, edits)
        self.defer(None, func, f"`{union}.{func.attr.value}()` is gone in mcp 2.x: `{union}` is a plain union, validated by `mcp.types.{adapter}`",
                   fix, None if fix else f"Use `mcp.types.{adapter}.{method}(...)`")

    def _timeout(self, call: cst.Call, keyword_only: bool = False) -> None:
        """`read_timeout_seconds=timedelta(...)` (or positionally, or a name holding one): mcp 2.x takes
        plain float seconds."""
        callee = call.func.attr.value if isinstance(call.func, cst.Attribute) else "ClientSession"
        position = None if keyword_only else TIMEOUT_POSITIONS.get(callee)
        for index, arg in enumerate(call.args):
            value = arg.value
            named = arg.keyword is not None and arg.keyword.value == "read_timeout_seconds"
            positional = arg.keyword is None and not arg.star and index == position
            if not (named or positional) or not self._is_timedelta(value):
                continue
            message = "the read timeout is a `float` of seconds in mcp 2.x, not a `timedelta`"
            if isinstance(value, cst.Call):
                fix = NodeFix("Pass `.total_seconds()`", self.fix_applicability, (insert_after(value, ".total_seconds()"),))
                self.defer(None, value, message, fix)
            else:  # a name, or `timedelta(...) if x else None`: it may be None
                self.defer(None, value, message, help="Pass the seconds as a `float` (`.total_seconds()` of the `timedelta`)")

    def _in_process_server(self, call: cst.Call) -> None:
        """`create_connected_server_and_client_session(server._mcp_server)`: the in-process `Client`
        takes the FastMCP (MCPServer) itself, and a 2.x `MCPServer` has no `_mcp_server`."""
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return
        server = call.args[0].value
        if isinstance(server, cst.Attribute) and server.attr.value == "_mcp_server":
            binding = call.func.value if isinstance(call.func, cst.Name) else None
            owner = self.context.code_for(server.value)
            fix = NodeFix(f"Pass `{owner}` itself", self.applicability_for(MEMORY_HELPER), (replace(server, owner),))
            self.defer(binding, server, "`Client(...)` takes the `MCPServer` itself in mcp 2.x, which has no `_mcp_server`", fix)

    def _any_url(self, value: cst.BaseExpression, what: str) -> None:
        """`AnyUrl(x)` where mcp 2.x wants a `str`: `str(AnyUrl(x))` keeps the normalised URL exactly."""
        if isinstance(value, cst.Call) and self.context.qualified_name(value.func) in ANY_URL:
            edits = (
                replace_between(value, "start", value, "start", "str("),
                replace_between(value, "end", value, "end", ")"),
            )
            self.defer(None, value, f"{what} is a `str` in mcp 2.x, not a pydantic `AnyUrl`",
                       NodeFix("Wrap it in `str(...)`", self.fix_applicability, edits))

    def _cursor(self, call: cst.Call, arg: cst.Arg) -> None:
        message = f"`{call.func.attr.value}()` takes `params=PaginatedRequestParams(cursor=...)` in mcp 2.x, not `cursor=`"
        imported = add_import(self.context, "mcp.types", "PaginatedRequestParams")
        if imported is None:
            self.defer(None, arg, message, help="Pass `params=mcp.types.PaginatedRequestParams(cursor=...)`")
            return
        local, edits = imported
        edits = [
            replace(arg.keyword, "params"),
            replace_between(arg.value, "start", arg.value, "start", f"{local}(cursor="),
            replace_between(arg.value, "end", arg.value, "end", ")"),
            *edits,
        ]
        self.defer(None, arg, message, NodeFix("Wrap it in `PaginatedRequestParams`", self.fix_applicability, tuple(edits)))

    def _use(self, outer: cst.BaseExpression) -> None:
        if self.context.qualified_name(outer) in REQUEST_CONTEXTS:
            # A bare `RequestContext` (its subscripted uses are claimed by visit_Subscript): an annotation
            # may be a client callback's; anything else is for a human.
            self.claim(outer)
            self.context_uses.append((outer, None if self.annotations else False))
        elif not self._latest(outer):
            super()._use(outer)

    def _latest(self, node: cst.BaseExpression) -> bool:
        if id(node) in self.handled or self.context.qualified_name(node) not in LATEST:
            return False
        self.claim(node)
        self.defer(
            None,
            node,
            "`LATEST_PROTOCOL_VERSION` is \"2026-07-28\" in mcp 2.x, a version with no `initialize` handshake",
            help=(
                "Where this means the version negotiated by `initialize`, use `LATEST_HANDSHAKE_VERSION` from "
                "`mcp.types.version`; where it means the newest version, keep it"
            ),
        )
        return True
