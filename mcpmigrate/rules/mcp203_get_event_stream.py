"""MCP203 get-event-stream: hand-rolled MCP endpoints that answer GET with an event stream, and resumability."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Rule, Valid
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, dict_entries, mcp_evidence, string_value
from mcpmigrate.rules._kits.shapes import GET_STREAM
from mcpmigrate.steps import Step

EVENT_STREAM = "text/event-stream"
EVENT_SOURCE_RESPONSES = frozenset(
    {"sse_starlette.EventSourceResponse", "sse_starlette.sse.EventSourceResponse", "aiohttp_sse.sse_response"}
)
MEDIA_KEYWORDS = frozenset({"media_type", "mimetype", "content_type"})
LAST_EVENT_ID = "last-event-id"
SDK_RESUMABILITY = frozenset(
    {
        "mcp.server.streamable_http.EventStore",
        "mcp.server.streamable_http.LAST_EVENT_ID_HEADER",
        "mcp.client.streamable_http.LAST_EVENT_ID",
    }
)
GET_DECORATORS = frozenset({"get"})
# calls that take the HTTP method first: httpx's `client.stream("GET", url)`, `client.request("GET", url)`
METHOD_FIRST_CALLS = frozenset({"stream", "request", "build_request", "aconnect_sse", "connect_sse"})
# route declarations that list their methods: Starlette's `Route(...)`, `app.add_route(...)`, FastAPI's
# `add_api_route`, Flask's and Quart's `@app.route(...)`
ROUTE_CALLS = frozenset({"Route", "add_route", "add_api_route", "route", "api_route", "custom_route"})
# the name of a request's HTTP method where an ASGI app or a dispatcher reads it itself
METHOD_NAMES = frozenset({"method", "http_method", "request_method"})
STREAM_MESSAGE = "a GET on the MCP endpoint answered with an event stream: 2026-07-28 has no GET stream"
STREAM_HELP = (
    "Answer GET with 405 Method Not Allowed; results travel on the POST response, change notifications "
    "on a `subscriptions/listen` POST stream, and server-to-client requests become Multi Round-Trip "
    "Requests (MCP4xx)"
)
CLIENT_MESSAGE = "a GET event stream opened on the MCP endpoint: 2026-07-28 has no GET stream (servers answer 405)"
CLIENT_HELP = (
    "Drop the GET stream: each result comes on its own POST's response; for change notifications send a "
    "`subscriptions/listen` POST; server-to-client requests come back as `InputRequiredResult`"
)
MOCK_MESSAGE = "a mocked GET on the MCP endpoint answers with an event stream: 2026-07-28 has no GET stream"
MOCK_HELP = "A 2026-07-28 server answers GET with 405: mock that, or drop the GET route from the test"
RESUME_MESSAGE = "SSE resumability (`Last-Event-ID`, event stores) is gone in 2026-07-28"
RESUME_HELP = "A broken response stream loses its request: the client re-sends it with a new id"


class GetEventStream(Rule):
    code = "MCP203"
    name = "get-event-stream"
    step = Step.MULTI_ROUND_TRIP
    summary = "Hand-rolled MCP endpoints that answer GET with `text/event-stream`, and `Last-Event-ID` resumability"
    why = (
        "2026-07-28 removed the long-lived GET stream of Streamable HTTP: the endpoint accepts only POST "
        "(a modern-only server answers GET and DELETE with 405), each response stream belongs to one "
        "request and carries no server-to-client requests, and there is no resumability: `Last-Event-ID` "
        "and SSE event ids are ignored, so a broken stream means re-sending the request."
    )
    fix_summary = "none: GET event streams and `Last-Event-ID` resumability reported"
    fix_description = (
        "None: the stream's job moves elsewhere. Each event-stream response in a GET handler (by decorator, "
        "or by a `request.method == \"GET\"` test), each `Last-Event-ID` use and each `EventStore` is "
        "reported with where that job goes."
    )
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http",
        "../shared/reference/spec-2026-07-28-details.md sections 1, 2.7 and 5",
    )
    tokens = ("event-stream", "event_stream", '"data:', "last-event-id", "last_event_id", "eventsourceresponse", "sse_response", "eventstore")
    context_tokens = EVIDENCE_TOKENS
    answers = ((GET_STREAM, EVENT_STREAM),)
    examples = (
        Invalid(
            """
            from fastapi import FastAPI, Request
            from fastapi.responses import StreamingResponse

            app = FastAPI()

            @app.get("/mcp")
            async def stream(request: Request):
                last = request.headers.get("Last-Event-ID")
                return StreamingResponse(events(after=last), media_type="text/event-stream")

            @app.post("/mcp")
            async def rpc(request: Request):
                body = await request.json()
                if body["method"] == "tools/list":
                    return {"tools": []}
            """,
            findings=[(6, 2), (8, 32)],
        ),
        Invalid(
            """
            from sse_starlette.sse import EventSourceResponse
            from mcp.server.streamable_http import EventStore

            class MemoryStore(EventStore):
                pass

            async def endpoint(request):
                if request.method == "GET":
                    return EventSourceResponse(notifications())
                return await handle_post(request)
            """,
            findings=[(4, 19), (8, 8)],
            note="a Starlette endpoint that branches on the method; an SDK event store",
        ),
        Invalid(
            """
            import mcp.types as types
            from starlette.responses import Response, StreamingResponse

            EVENT_STREAM = "text/event-stream"


            class Transport:
                async def handle(self, request):
                    if request.method == "GET":
                        return await self._standalone_stream(request)
                    if request.method == "POST":
                        return await self._post(request)
                    return Response(status_code=405)

                async def _standalone_stream(self, request):
                    return StreamingResponse(self._events(), media_type=EVENT_STREAM)
            """,
            findings=[(9, 12)],
            note="the GET branch of an MCP endpoint whose stream a helper builds",
        ),
        Invalid(
            """
            import httpx
            import respx
            from mcp.client.streamable_http import streamablehttp_client

            URL = "http://test/mcp"

            async def test_listen(respx_mock: respx.MockRouter):
                respx_mock.get(URL).mock(
                    return_value=httpx.Response(200, headers={"Content-Type": "text/event-stream"})
                )
                respx_mock.post(URL).mock(return_value=httpx.Response(200, json={"jsonrpc": "2.0", "id": 1, "result": {}}))
            """,
            findings=[(8, 5)],
            note="a test's mocked GET stream (respx)",
        ),
        Invalid(
            """
            import httpx

            async def listen(client: httpx.AsyncClient, url: str, session_id: str):
                headers = {"Mcp-Session-Id": session_id, "Accept": "text/event-stream"}
                async with client.stream("GET", url, headers={**headers, "Accept": "text/event-stream"}) as response:
                    async for line in response.aiter_lines():
                        yield line
            """,
            findings=[(5, 16)],
            note="a client opening the GET stream",
        ),
        Invalid(
            """
            from starlette.routing import Route
            from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

            async def handle_mcp(scope, receive, send):
                await manager.handle_request(scope, receive, send)

            async def dispatch(scope, receive, send):
                method = scope["method"]
                if method == "POST":
                    await post(scope, receive, send)
                elif method == "GET":
                    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})

            routes = [Route("/mcp", handle_mcp, methods=["GET", "POST"]), Route("/health", health, methods=["GET"])]
            """,
            findings=[(11, 10), (14, 11)],
            note="an ASGI dispatcher's GET branch; a route serving GET next to POST",
        ),
        Valid(
            """
            import httpx
            import respx
            from mcp.client.streamable_http import streamablehttp_client

            async def test_405(respx_mock: respx.MockRouter):
                respx_mock.get("http://test/mcp").mock(return_value=httpx.Response(405))
                async with httpx.AsyncClient() as client:
                    async with client.stream("GET", "http://test/files/report.csv") as response:
                        await response.aread()
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("x")


            async def health(request):
                if request.method == "GET":
                    return {"ok": True}
            """
        ),
        Valid(
            """
            from fastapi import FastAPI
            from fastapi.responses import StreamingResponse

            app = FastAPI()

            @app.get("/prices")
            async def prices():
                return StreamingResponse(ticks(), media_type="text/event-stream")
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from starlette.responses import Response

            mcp = FastMCP("x")

            @mcp.custom_route("/mcp", methods=["GET"])
            async def no_stream(request):
                return Response(status_code=405)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from fastapi.responses import StreamingResponse

            def export(request):
                return StreamingResponse(rows(), media_type="text/csv")
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.active = mcp_evidence(context)
        # per enclosing function: where it is a GET handler (its GET decorator, `def do_GET`, or its
        # `request.method == "GET"` test; None: no GET handler), and whether it answers with an event stream
        self.handlers: list[list] = []
        self.module_streams: bool | None = None  # see _streams_in_module

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        route = next((decorator.decorator for decorator in node.decorators if _is_get_route(decorator.decorator)), None)
        if route is None and node.name.value == "do_GET":  # http.server's BaseHTTPRequestHandler
            route = node.name
        self.handlers.append([route, False])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        # Reported where the GET route is declared, once, however many streams it opens: that is the
        # line that has to go (answer 405), and where a reader looks for the endpoint. An endpoint that
        # serves several methods (`if request.method == "GET":`) or `do_GET`, in a module about MCP that
        # answers with event streams, opens the stream even where a helper builds the response.
        route, streams = self.handlers.pop()
        if isinstance(route, cst.Call) and self.active and self._event_stream(route):
            streams = True  # Litestar's `@get("/", media_type="text/event-stream")`
        # a route that serves GET next to POST (`methods=["GET", "POST"]`) is the Streamable HTTP endpoint
        serves_both = isinstance(route, cst.Call) and _serves_get_and_post(route)
        delegated = (isinstance(route, (cst.Comparison, cst.Name)) or serves_both) and self._streams_in_module()
        if route is not None and (streams or delegated):
            self.report(route, STREAM_MESSAGE, help=STREAM_HELP)

    def _streams_in_module(self) -> bool:
        if self.module_streams is None:
            text = self.context.text.lower()
            # it answers with event streams, or parses them (`line.startswith("data:")`)
            self.module_streams = self.active and (EVENT_STREAM in text or '"data:' in text)
        return self.module_streams

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # if request.method == "GET": (a Starlette or aiohttp endpoint that serves several methods)
        if self.handlers and len(node.comparisons) == 1 and isinstance(node.comparisons[0].operator, cst.Equal):
            sides = (node.left, node.comparisons[0].comparator)
            if any(string_value(side) == "GET" for side in sides) and any(
                last_name(side) in METHOD_NAMES and isinstance(side, (cst.Attribute, cst.Name)) for side in sides
            ) and self.handlers[-1][0] is None:
                self.handlers[-1][0] = node

    def visit_Call(self, node: cst.Call) -> None:
        if not self.active:
            return
        if self.handlers and self.handlers[-1][0] is node:
            return  # the handler's own route decorator: reported, or not, where the handler ends
        if self.handlers and self.handlers[-1][0] is not None and self._event_stream(node):
            self.handlers[-1][1] = True
        name = last_name(node.func)
        if name in ROUTE_CALLS and _serves_get_and_post(node) and self._streams_in_module():
            self.report(node, STREAM_MESSAGE, help=STREAM_HELP)  # Route("/mcp", endpoint, methods=["GET", "POST"])
        elif self._mocked_get_stream(node):
            self.report(node.func.value if name in ("mock", "respond") else node, MOCK_MESSAGE, help=MOCK_HELP)
        elif self._opens_get_stream(node, name):
            self.report(node, CLIENT_MESSAGE, help=CLIENT_HELP)

    def _opens_get_stream(self, node: cst.Call, name: str | None) -> bool:
        """A client's GET that asks for an event stream: `client.stream("GET", url, headers={"Accept":
        "text/event-stream"})`, `urllib.request.Request(url, headers=..., method="GET")`, or a streamed GET
        in a module that reads event streams."""
        method = None
        if name in METHOD_FIRST_CALLS:
            positional = [arg.value for arg in node.args if arg.keyword is None]
            first = positional[1] if name in ("aconnect_sse", "connect_sse") and len(positional) > 1 else (positional or [None])[0]
            method = string_value(first)
        method = next((string_value(arg.value) for arg in node.args if arg.keyword and arg.keyword.value == "method"), method)
        if name == "get" and any(arg.keyword and arg.keyword.value == "headers" for arg in node.args):
            method = "GET"
        if (method or "").upper() != "GET":
            return False
        if EVENT_STREAM in self.context.code_for(node).lower():
            return True
        return name == "stream" and self._streams_in_module()

    def _mocked_get_stream(self, node: cst.Call) -> bool:
        """respx's `mock.get(URL).mock(return_value=httpx.Response(200, headers={"Content-Type":
        "text/event-stream"}))` or `.respond(...)`, pytest-httpx's `add_response(method="GET", headers=...)`."""
        func = node.func
        if not isinstance(func, cst.Attribute):
            return False
        if func.attr.value in ("mock", "respond"):
            route = func.value
            if not (isinstance(route, cst.Call) and last_name(route.func) == "get"):
                return False
            if func.attr.value == "respond":
                return self._event_stream(node)
            answer = next((arg.value for arg in node.args if arg.keyword and arg.keyword.value == "return_value"), None)
            return isinstance(answer, cst.Call) and self._event_stream(answer)
        if func.attr.value == "add_response":
            method = next((string_value(arg.value) for arg in node.args if arg.keyword and arg.keyword.value == "method"), None)
            return (method or "").upper() == "GET" and self._event_stream(node)
        return False

    def _event_stream(self, node: cst.Call) -> bool:
        if self.context.qualified_name(node.func) in EVENT_SOURCE_RESPONSES:
            return True
        positional = [string_value(arg.value) for arg in node.args if arg.keyword is None]
        if len(positional) == 2 and (positional[0] or "").lower() == "content-type" and (positional[1] or "").startswith(EVENT_STREAM):
            return True  # `self.send_header("Content-Type", "text/event-stream")`
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword else None
            if keyword in MEDIA_KEYWORDS and string_value(arg.value) == EVENT_STREAM:
                return True
            if keyword == "headers" and isinstance(arg.value, cst.Dict):
                content_type = {k.lower(): e for k, e in dict_entries(arg.value).items()}.get("content-type")
                if content_type is not None and (string_value(content_type.value) or "").startswith(EVENT_STREAM):
                    return True
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self.active and (string_value(node) or "").lower() == LAST_EVENT_ID:
            self.report(node, RESUME_MESSAGE, help=RESUME_HELP)

    def visit_Name(self, node: cst.Name) -> None:
        self._sdk(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._sdk(node)

    def _sdk(self, node: cst.BaseExpression) -> None:
        if self.context.qualified_name(node) in SDK_RESUMABILITY:
            self.report(node, RESUME_MESSAGE, help=RESUME_HELP + "; an event store only serves `initialize`-era sessions")


def _route_methods(call: cst.Call) -> set[str]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "methods" and isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
            return {(string_value(element.value) or "").upper() for element in arg.value.elements}
    return set()


def _serves_get_and_post(call: cst.Call) -> bool:
    """GET next to POST, and nothing an MCP endpoint never serves: a catch-all proxy route with PUT or
    PATCH forwards whatever comes."""
    methods = _route_methods(call)
    return {"GET", "POST"} <= methods <= {"GET", "POST", "DELETE", "OPTIONS", "HEAD"}


def _is_get_route(decorator: cst.BaseExpression) -> bool:
    """`@app.get(...)`, `@router.get(...)`, `@routes.get(...)`, Litestar's `@get(...)`,
    `@app.route(..., methods=["GET"])`."""
    if isinstance(decorator, cst.Call) and isinstance(decorator.func, cst.Name) and decorator.func.value == "get":
        return True
    if not isinstance(decorator, cst.Call) or not isinstance(decorator.func, cst.Attribute):
        return False
    method = decorator.func.attr.value
    if method in GET_DECORATORS:
        return True
    if method in ("route", "api_route", "custom_route"):
        for arg in decorator.args:
            if arg.keyword is not None and arg.keyword.value == "methods" and isinstance(arg.value, (cst.List, cst.Tuple)):
                return any(string_value(element.value) == "GET" for element in arg.value.elements)
    return False

