"""MCP202 sse-server: servers on the deprecated HTTP+SSE transport (2024-11-05)."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, replace
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, mcp_evidence, string_shape, string_value
from mcpmigrate.rules._kits.sdk import SERVER_CLASSES
from mcpmigrate.rules._kits.shapes import SSE_SERVER
from mcpmigrate.steps import Side, Step

SSE_TRANSPORT = frozenset({"mcp.server.sse.SseServerTransport"})
FASTMCP_SERVERS = frozenset({"fastmcp.FastMCP", "fastmcp.server.FastMCP", "fastmcp.server.server.FastMCP"})
# method -> (SDK replacement, FastMCP replacement)
APP_METHODS = {"sse_app": ("streamable_http_app", "http_app"), "run_sse_async": ("run_streamable_http_async", "run_http_async")}
CHOICE_HELP = (
    "Offer Streamable HTTP instead (`\"streamable-http\"`, FastMCP: `\"http\"`); keep `\"sse\"` only as long as "
    "clients still need it, and plan its removal"
)
# Calls whose `choices` (or first argument) list a command line option's values.
CHOICE_CALLS = frozenset({"add_argument", "Choice", "option"})
TRANSPORT_HELP = (
    "Serve Streamable HTTP: `server.streamable_http_app()` (mcp 2.x, low-level `Server` too), or a "
    "`StreamableHTTPSessionManager(app=server)` whose `handle_request` is mounted at `/mcp` and whose "
    "`run()` the app's lifespan enters"
)


def _sse_path(node: cst.BaseExpression) -> bool:
    """A route's path that ends in `/sse` (`"/sse"`, `f"{base}/sse"`), or a name for it (`sse_path`)."""
    if isinstance(node, (cst.Name, cst.Attribute)):
        name = (last_name(node) or "").lower()
        return name.startswith("sse_") and ("path" in name or "route" in name or "endpoint" in name)
    text = string_shape(node)
    return text is not None and "://" not in text and text.rstrip("/").endswith("/sse")


class SseServer(Rule):
    code = "MCP202"
    name = "sse-server"
    step = Step.MULTI_ROUND_TRIP
    side = Side.SERVER
    summary = "Servers on the HTTP+SSE transport (2024-11-05), deprecated in favour of Streamable HTTP"
    severity = Severity.WARNING
    why = (
        "The HTTP+SSE transport (a GET `/sse` stream plus POSTs to `/messages/`) is deprecated in "
        "2026-07-28, with removal scheduled. Its stream existed to carry server-to-client requests, which "
        "2026-07-28 replaced by Multi Round-Trip Requests; new clients speak Streamable HTTP, one POST "
        "endpoint (usually `/mcp`)."
    )
    fix_summary = '`transport="sse"`, `sse_app()` -> Streamable HTTP (display-only); `SseServerTransport` reported'
    fix_description = (
        "`run(transport=\"sse\")` becomes `run(transport=\"streamable-http\")` (FastMCP: `\"http\"`), "
        "`sse_app()` becomes `streamable_http_app()` (FastMCP: `http_app()`), `run_sse_async()` becomes "
        "`run_streamable_http_async()`. `SseServerTransport` and the routes wired to its `connect_sse` "
        "and `handle_post_message` are reported with the replacement to build."
    )
    fix_safety = (
        "Display-only: `transport=\"sse\"` still works (deprecated, with no runtime warning in mcp 2.x), so "
        "`--fix` leaves it; name the rule to apply the move (`--fix-only MCP202`, or `extend-fixable`). Review "
        "it then: the endpoint moves from `/sse` + `/messages/` to `/mcp`, so clients and proxies "
        "must move with it. Calls with SSE-specific arguments (`sse_path`, `message_path`) are left to you."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/transports",
        "../shared/reference/python-sdk-v1-to-v2.md section 1c",
    )
    answers = ((SSE_SERVER, "/sse"),)
    tokens = ("sseservertransport", "\"sse\"", "'sse'", "sse_app", "run_sse_async", "connect_sse", "handle_post_message", ".sse", "/sse", "sse_")
    context_tokens = EVIDENCE_TOKENS  # SDK names, and hand-rolled routes and URLs in files about MCP
    examples = (
        Invalid(
            """
            from fastapi import APIRouter, Request
            from mcp.server.sse import SseServerTransport


            def register(router: APIRouter, transport: SseServerTransport, path: str) -> None:
                @router.post(f"{path}/messages/")
                async def messages(request: Request):
                    return await transport.handle_post_message(request.scope, request.receive, request._send)
            """,
            findings=[(6, 6)],
            note="the POST route that takes the SSE transport's messages",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")
            app = mcp.sse_app()

            if __name__ == "__main__":
                mcp.run(transport="sse")
            """,
            findings=[(4, 7), (7, 23)],
            display_fixed="""
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")
            app = mcp.streamable_http_app()

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server
            from mcp.server.sse import SseServerTransport
            from starlette.applications import Starlette
            from starlette.routing import Mount, Route

            server = Server("files")
            sse = SseServerTransport("/messages/")

            async def handle_sse(request):
                async with sse.connect_sse(request.scope, request.receive, request._send) as streams:
                    await server.run(streams[0], streams[1], server.create_initialization_options())

            app = Starlette(routes=[Route("/sse", endpoint=handle_sse), Mount("/messages/", app=sse.handle_post_message)])
            """,
            findings=[(7, 7), (10, 16), (13, 31), (13, 85)],
            note="the low-level SSE wiring: reported with what to build instead",
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            server = FastMCP("notes")
            server.run("sse", port=9000)
            """,
            findings=[(4, 12)],
            display_fixed="""
            from fastmcp import FastMCP

            server = FastMCP("notes")
            server.run("http", port=9000)
            """,
            note="FastMCP (standalone) calls its Streamable HTTP transport `\"http\"`",
        ),
        Invalid(
            """
            import argparse
            from enum import Enum

            from mcp.server.fastmcp import FastMCP

            class TransportType(str, Enum):
                STDIO = "stdio"
                SSE = "sse"

            parser = argparse.ArgumentParser()
            parser.add_argument("--transport", choices=["stdio", "sse", "streamable-http"], default="stdio")

            def serve(mcp: FastMCP, transport: str = "sse") -> None:
                if transport in (TransportType.SSE.value, "streamable-http"):
                    mcp.run(transport=transport)
            """,
            findings=[(8, 11), (11, 54), (13, 42), (14, 22)],
            note="the transport offered as a value: an enum member, a command line choice, a default",
        ),
        Invalid(
            """
            from fastapi import APIRouter, Request
            from mcp.server.sse import SseServerTransport

            class RouterSseTransport(SseServerTransport):
                pass

            router = APIRouter()
            transport = RouterSseTransport("/mcp/messages/")

            @router.get("/mcp")
            async def connect(request: Request):
                async with transport.connect_sse(request.scope, request.receive, request._send) as streams:
                    await serve(streams)
            """,
            findings=[(4, 26), (8, 13), (10, 2), (12, 16)],
            note="a subclass of the SDK's transport, and the GET route that opens its stream",
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")
            mcp.run(transport="streamable-http")
            """
        ),
        Valid(
            """
            import argparse

            from mcp.server.fastmcp import FastMCP

            parser = argparse.ArgumentParser()
            parser.add_argument("--format", choices=["json", "sse", "text"])  # an output format, no transport
            parser.add_argument("--transport", choices=["stdio", "streamable-http"], default="stdio")
            """
        ),
        Valid(
            """
            import uvicorn
            from sse_starlette.sse import EventSourceResponse

            def feed(request):
                return EventSourceResponse(prices())

            uvicorn.run("app:app", port=8000)
            """
        ),
        Valid(
            """
            class Worker:
                def run(self, transport: str) -> None: ...

            Worker().run(transport="sse")
            worker = Worker()
            worker.run("sse")
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.servers: dict[str, bool] = {}  # dotted name -> is a standalone FastMCP server
        self.transports: set[str] = set()  # names assigned an SseServerTransport
        self.subclasses: set[str] = set()  # the module's subclasses of SseServerTransport
        self.enum_classes: list[bool] = []  # per enclosing class: is it named like a transport enum?
        self.functions: list[list] = []  # per enclosing function: [its node, whether it calls connect_sse]
        self.sse_routes: set[int] = set()  # `@app.get("/sse")` decorators reported
        self.app_methods: set[int] = set()  # `sse_app` / `run_sse_async` attributes reported with their call
        # The module works with the SDK's SSE transport: imports it, or a subclass of it from the project.
        self.sse_module = any(target in SSE_TRANSPORT for target in context.imports.bindings.values()) or any(
            SSE_TRANSPORT.intersection(found) for _, found in context.options.project.bases
        )

    def _is_transport_class(self, func: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(func)
        return (
            qualified in SSE_TRANSPORT
            or (isinstance(func, cst.Name) and func.value in self.subclasses)
            or self.context.options.project.derives_from(qualified, SSE_TRANSPORT)  # a subclass in another module
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.enum_classes.append("transport" in node.name.value.lower())
        for base in node.bases:
            if self.context.qualified_name(base.value) in SSE_TRANSPORT:
                self.subclasses.add(node.name.value)
                self.report(base.value, f"`{node.name.value}` extends `SseServerTransport`, the deprecated HTTP+SSE transport",
                            help=TRANSPORT_HELP)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.enum_classes.pop()

    def _offer(self, literal: cst.BaseExpression) -> None:
        if string_value(literal) == "sse" and mcp_evidence(self.context):
            self.report(literal, "`\"sse\"` offers the deprecated HTTP+SSE transport", help=CHOICE_HELP)

    def _offered_choices(self, node: cst.Call) -> None:
        """`add_argument("--transport", choices=[..., "sse"], default="sse")`, `click.Choice([..., "sse"])`."""
        name = last_name(node.func)
        if name not in CHOICE_CALLS:
            return
        flags = [string_value(arg.value) or "" for arg in node.args if arg.keyword is None]
        about_transport = any("transport" in flag for flag in flags)
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            listed = keyword == "choices" or (name == "Choice" and keyword is None)
            if listed and (about_transport or name == "Choice") and isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
                for element in arg.value.elements:
                    self._offer(element.value)
            elif keyword == "default" and about_transport:
                self._offer(arg.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None and "transport" in node.name.value:
            self._offer(node.default)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, cst.Name) and "transport" in node.target.value.lower():
            self._offer(node.value)

    def _server_kind(self, value: cst.BaseExpression | None) -> bool | None:
        """None: not a high-level server; True: FastMCP (standalone); False: the SDK's."""
        if not isinstance(value, cst.Call):
            return None
        qualified = self.context.qualified_name(value.func)
        if qualified in FASTMCP_SERVERS:
            return True
        return False if qualified in SERVER_CLASSES else None

    def visit_Assign(self, node: cst.Assign) -> None:
        kind = self._server_kind(node.value)
        is_transport = isinstance(node.value, cst.Call) and self._is_transport_class(node.value.func)
        if self.enum_classes and self.enum_classes[-1] and len(node.targets) == 1:
            target = node.targets[0].target
            if isinstance(target, cst.Name) and target.value.upper() == "SSE":  # class TransportType(Enum): SSE = "sse"
                self._offer(node.value)
        for target in node.targets:
            name = dotted_name(target.target)
            if name is None:
                continue
            if kind is not None:
                self.servers[name] = kind
            if is_transport:
                self.transports.add(name)

    def _transport_keyword(self, node: cst.Call) -> None:
        """`create_server(transport="sse")`, `mcp.http_app(transport="sse")`: any call choosing the transport
        by keyword, in a file about MCP (a known server's `run` is rewritten instead, see `_run`)."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "run" and dotted_name(func.value) in self.servers:
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "transport":
                self._offer(arg.value)

    def visit_Dict(self, node: cst.Dict) -> None:
        """`{"transport": "sse"}`, `{"type": "sse", "url": ...}`: the transport chosen in a configuration."""
        for element in node.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) in ("transport", "transport_type"):
                self._offer(element.value)
            elif isinstance(element, cst.DictElement) and string_value(element.key) == "type" and any(
                isinstance(other, cst.DictElement) and string_value(other.key) == "url" for other in node.elements
            ):
                self._offer(element.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        self._transport_keyword(node)
        if self._is_transport_class(func):
            self.report(node, "`SseServerTransport` serves the deprecated HTTP+SSE transport", help=TRANSPORT_HELP)
            return
        self._offered_choices(node)
        if isinstance(func, cst.Attribute) and func.attr.value == "connect_sse" and self.functions:
            self.functions[-1][1] = True
        if isinstance(func, cst.Attribute) and func.attr.value == "connect_sse" and len(node.args) == 3:
            receiver = dotted_name(func.value)
            if receiver not in self.transports and mcp_evidence(self.context):
                # `transport.connect_sse(scope, receive, send)`: the SDK transport's own signature,
                # on a receiver this module did not build (a parameter, an attribute).
                self.report(func, "`connect_sse` belongs to the deprecated HTTP+SSE transport", help=TRANSPORT_HELP)
            return
        if not isinstance(func, cst.Attribute):
            return
        receiver = dotted_name(func.value)
        if receiver not in self.servers:
            # a server another module of the project makes (`from app.tools import mcp`)
            made_from = self.context.options.project.instance_of(self.context.qualified_name(func.value))
            kind = True if made_from & FASTMCP_SERVERS else False if made_from & SERVER_CLASSES else None
            if kind is None or receiver is None:
                return
            self.servers[receiver] = kind
        standalone = self.servers[receiver]
        method = func.attr.value
        if method == "run":
            self._run(node, standalone)
        elif method in APP_METHODS:
            self.app_methods.add(id(func))
            new = APP_METHODS[method][1 if standalone else 0]
            fix = NodeFix(f"Use `{new}()`", Applicability.DISPLAY_ONLY, (replace(func.attr, new),)) if not node.args else None
            self.report(node, f"`{method}()` serves the deprecated HTTP+SSE transport", fix=fix,
                        help=None if fix else f"Use `{new}(...)`; its arguments differ")

    def _run(self, node: cst.Call, standalone: bool) -> None:
        for index, arg in enumerate(node.args):
            positional = arg.keyword is None and index == 0 and not arg.star
            if (positional or (arg.keyword is not None and arg.keyword.value == "transport")) and string_value(arg.value) == "sse":
                literal = arg.value
                new = "http" if standalone else "streamable-http"
                fix = NodeFix(f'Use transport "{new}"', Applicability.DISPLAY_ONLY, (replace(literal, string_literal(literal, new)),))
                self.report(literal, "`transport=\"sse\"` is the deprecated HTTP+SSE transport", fix=fix)

    def leave_Call(self, original_node: cst.Call) -> None:
        """`Route("/sse", endpoint=...)`, `config.add_route("sse", "/mcp/sse")`: the stream's route, in a
        module that serves the SSE transport or is about MCP."""
        name = last_name(original_node.func)
        if name in ("Route", "add_route", "add_api_route", "add_url_rule") and original_node.args and self._serves_sse():
            path = next((arg.value for arg in original_node.args if _sse_path(arg.value)), None)
            if path is not None:
                self.report(path, "this route serves the deprecated HTTP+SSE stream", help=TRANSPORT_HELP)

    def _serves_sse(self) -> bool:
        return bool(self.sse_module or self.transports) or mcp_evidence(self.context)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """`elif path == "/sse":` in a hand-rolled ASGI or WSGI app about MCP."""
        if len(node.comparisons) != 1 or not isinstance(node.comparisons[0].operator, cst.Equal):
            return
        for literal, other in ((node.comparisons[0].comparator, node.left), (node.left, node.comparisons[0].comparator)):
            if isinstance(literal, cst.SimpleString) and _sse_path(literal) and "path" in (last_name(other) or "").lower():
                if self._serves_sse():
                    self.report(literal, "this route serves the deprecated HTTP+SSE stream", help=TRANSPORT_HELP)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        """`@router.post(f"{path}/messages/")` beside an SSE transport: its message endpoint; `@app.get("/sse")`,
        `@app.get(sse_path)` in a module about MCP: its stream."""
        call = node.decorator
        if (
            isinstance(call, cst.Call) and call.args and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in ("get", "route", "api_route") and _sse_path(call.args[0].value) and self._serves_sse()
        ):
            self.report(call, "this route opens the deprecated HTTP+SSE stream", help=TRANSPORT_HELP)
            self.sse_routes.add(id(call))
            return
        if not (self.sse_module or self.transports) or not isinstance(call, cst.Call) or not call.args:
            return
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "post":
            path = call.args[0].value
            text = self.context.code_for(path).strip("\"'")
            if isinstance(path, (cst.SimpleString, cst.FormattedString)) and text.rstrip("/\"'").endswith("/messages"):
                self.report(call, "this route takes the deprecated HTTP+SSE transport's messages", help=TRANSPORT_HELP)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in APP_METHODS and id(node) not in self.app_methods and mcp_evidence(self.context):
            # `app.mount("/mcp", mcp.sse_app)`, `uvicorn.run(server.sse_app())`, `await server.run_sse_async()`
            # on a server this module did not build: both names are the MCP SDK's and FastMCP's alone.
            new = " / ".join(f"`{name}`" for name in APP_METHODS[node.attr.value])
            self.report(node, f"`{node.attr.value}` serves the deprecated HTTP+SSE transport", help=f"Use {new} (mcp SDK / FastMCP)")
        elif node.attr.value in ("connect_sse", "handle_post_message") and dotted_name(node.value) in self.transports:
            self.report(node, f"`{node.attr.value}` belongs to the deprecated HTTP+SSE transport", help=TRANSPORT_HELP)
        elif node.attr.value == "SSE" and self._names_transport_enum(node.value) and mcp_evidence(self.context):
            self.report(node, "`" + self.context.code_for(node) + "` selects the deprecated HTTP+SSE transport", help=CHOICE_HELP)

    def _names_transport_enum(self, node: cst.BaseExpression) -> bool:
        return "transport" in (last_name(node) or "").lower()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append([node, False])  # does its body open the SSE stream?

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        """`@router.get(path)` over a function that opens the SSE stream: the stream's route."""
        node, opens_stream = self.functions.pop()
        if not opens_stream:
            return
        for decorator in node.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in ("get", "route", "api_route"):
                if id(call) not in self.sse_routes:
                    self.report(call, "this route opens the deprecated HTTP+SSE stream", help=TRANSPORT_HELP)
