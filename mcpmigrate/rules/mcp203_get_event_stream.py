"""MCP203 get-event-stream: hand-rolled MCP endpoints that answer GET with an event stream, and resumability."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Rule, Valid
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, dict_entries, mcp_evidence, string_value
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
STREAM_MESSAGE = "a GET on the MCP endpoint answered with an event stream: 2026-07-28 has no GET stream"
STREAM_HELP = (
    "Answer GET with 405 Method Not Allowed; results travel on the POST response, change notifications "
    "on a `subscriptions/listen` POST stream, and server-to-client requests become Multi Round-Trip "
    "Requests (MCP4xx)"
)
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
    tokens = ("event-stream", "event_stream", "last-event-id", "last_event_id", "eventsourceresponse", "sse_response", "eventstore")
    context_tokens = EVIDENCE_TOKENS
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
        delegated = isinstance(route, (cst.Comparison, cst.Name)) and self._streams_in_module()
        if route is not None and (streams or delegated):
            self.report(route, STREAM_MESSAGE, help=STREAM_HELP)

    def _streams_in_module(self) -> bool:
        if self.module_streams is None:
            self.module_streams = self.active and EVENT_STREAM in self.context.text.lower()
        return self.module_streams

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # if request.method == "GET": (a Starlette or aiohttp endpoint that serves several methods)
        if self.handlers and len(node.comparisons) == 1 and isinstance(node.comparisons[0].operator, cst.Equal):
            sides = (node.left, node.comparisons[0].comparator)
            if any(string_value(side) == "GET" for side in sides) and any(
                isinstance(side, cst.Attribute) and side.attr.value == "method" for side in sides
            ) and self.handlers[-1][0] is None:
                self.handlers[-1][0] = node

    def visit_Call(self, node: cst.Call) -> None:
        if not self.active:
            return
        if self.handlers and self.handlers[-1][0] is not None and self._event_stream(node):
            self.handlers[-1][1] = True

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


def _is_get_route(decorator: cst.BaseExpression) -> bool:
    """`@app.get(...)`, `@router.get(...)`, `@routes.get(...)`, `@app.route(..., methods=["GET"])`."""
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

