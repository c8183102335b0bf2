"""The shapes real code names each construct in, in one table.

A construct (a method sent or handled, a protocol revision, the session header, the resource-not-found
code, the HTTP+SSE transport) reaches code as a literal, a constant, an enum member, a helper's
argument, a `(method, params)` pair, JSON text in a test, a route, a configuration entry. A rule
says which constructs it answers to (`Rule.answers`: `(METHOD_SENT, "ping")`), and
tests/test_shapes.py renders every shape of each for it: the rule must flag the line marked `# <-`,
and stay silent on the shape's look-alike (the same code about something else, or in code that is
not about MCP). So a rule that answers to a method answers to every shape of it, and a new shape
added here is tried on every rule at once.

Templates are Python with `{value}` for the construct's value; `{{` and `}}` are braces. A template
that needs MCP evidence says so itself (the `SPEC` line: a file about MCP), so that its look-alike
can leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass

METHOD_SENT = "method sent"
METHOD_HANDLED = "method handled"
VERSION = "protocol revision"
SESSION_HEADER = "session header"
NOT_FOUND_CODE = "resource-not-found code"
SSE_SERVER = "HTTP+SSE served"
SSE_CLIENT = "HTTP+SSE connected to"
GET_STREAM = "GET event stream"
CONSTRUCTS = (METHOD_SENT, METHOD_HANDLED, VERSION, SESSION_HEADER, NOT_FOUND_CODE, SSE_SERVER, SSE_CLIENT, GET_STREAM)

EVIDENCE = 'SPEC = "https://modelcontextprotocol.io/specification/2025-06-18"\n'  # a file about MCP
MARK = "# <-"  # ends the line the rule must flag


@dataclass(frozen=True)
class Shape:
    construct: str
    name: str
    code: str  # the template; the line to flag ends with MARK
    lookalike: str  # what must stay silent: the shape not about MCP ({value} is the construct's look-alike value)

    def render(self, value: str) -> tuple[str, int]:
        """The code for `value`, and the 1-based line to flag."""
        code = self.code.format(value=value)
        lines = code.splitlines()
        marked = [index + 1 for index, line in enumerate(lines) if line.rstrip().endswith(MARK)]
        if len(marked) != 1:
            raise ValueError(f"shape {self.name!r} marks {len(marked)} lines; it must mark one")
        return code, marked[0]

    def render_lookalike(self, value: str) -> str:
        return self.lookalike.format(value=value)


# What each construct's look-alike value is: a method of another JSON-RPC protocol, a date that is no
# revision, another header, another code, another path.
LOOKALIKE_VALUES = {
    METHOD_SENT: "eth_getBalance", METHOD_HANDLED: "textDocument/didOpen", VERSION: "2024-01-01",
    SESSION_HEADER: "X-Request-Id", NOT_FOUND_CODE: "-32001", SSE_SERVER: "/events", SSE_CLIENT: "/events",
    GET_STREAM: "text/csv",
}


def _shape(construct: str, name: str, code: str, lookalike: str | None = None) -> Shape:
    """A shape whose look-alike is, by default, the same code for the look-alike value."""
    return Shape(construct, name, code, code.replace(f"  {MARK}", "") if lookalike is None else lookalike)


SHAPES: tuple[Shape, ...] = (
    # -- a method sent -------------------------------------------------------------------------
    _shape(METHOD_SENT, "message dict", EVIDENCE + (
        "async def go(transport):\n"
        '    await transport.send({{"jsonrpc": "2.0", "id": 1, "method": "{value}", "params": {{}}}})  # <-\n'
    )),
    _shape(METHOD_SENT, "request verb", EVIDENCE + (
        "async def go(session):\n"
        '    await session.request("{value}", {{}})  # <-\n'
    )),
    _shape(METHOD_SENT, "method keyword", EVIDENCE + (
        "async def go(client):\n"
        '    await client.send(method="{value}", params={{}})  # <-\n'
    )),
    _shape(METHOD_SENT, "helper's method parameter", EVIDENCE + (
        "def mcp_post(http, session_id, method, params):\n"
        '    return http.post("/mcp", json={{"jsonrpc": "2.0", "id": 1, "method": method, "params": params}})\n'
        "\n\n"
        "def go(http):\n"
        '    return mcp_post(http, "abc", "{value}", {{}})  # <-\n'
    )),
    _shape(METHOD_SENT, "helper named for sending", EVIDENCE + (
        "from .client import rpc\n\n\n"
        "def go(session):\n"
        '    return rpc(session, "{value}", params={{}})  # <-\n'
    )),
    _shape(METHOD_SENT, "(method, params) pair", EVIDENCE + (
        "STEPS = [\n"
        '    ("{value}", {{"x": 1}}),  # <-\n'
        "]\n\n\n"
        "async def go(session):\n"
        "    for method, params in STEPS:\n"
        "        await session.request(method, params)\n"
    )),
    _shape(METHOD_SENT, "JSON text", EVIDENCE + (
        "def test_it(client):\n"
        "    client.post(\"/mcp\", content='{{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"{value}\"}}')  # <-\n"
    )),
    _shape(METHOD_SENT, "constant", EVIDENCE + (
        'METHOD = "{value}"\n\n\n'
        "async def go(session):\n"
        "    await session.request(METHOD, {{}})  # <-\n"
    )),
    _shape(METHOD_SENT, "enum member", EVIDENCE + (
        "from enum import Enum\n\n\n"
        "class Method(str, Enum):\n"
        '    THIS = "{value}"\n\n\n'
        "async def go(session):\n"
        "    await session.request(Method.THIS, {{}})  # <-\n"
    )),
    # -- a method handled ----------------------------------------------------------------------
    _shape(METHOD_HANDLED, "if on a method name", EVIDENCE + (
        "def handle(method, params):\n"
        '    if method == "{value}":  # <-\n'
        "        return {{}}\n"
    )),
    _shape(METHOD_HANDLED, "elif on a message's method", EVIDENCE + (
        "def handle(request):\n"
        '    if request["method"] == "tools/call":\n'
        "        return None\n"
        '    elif request["method"] == "{value}":  # <-\n'
        "        return {{}}\n"
    )),
    _shape(METHOD_HANDLED, "membership", EVIDENCE + (
        "def handle(message):\n"
        '    if message.get("method") in ("{value}", "tools/call"):  # <-\n'
        "        return {{}}\n"
    )),
    _shape(METHOD_HANDLED, "match case", EVIDENCE + (
        "def handle(method):\n"
        "    match method:\n"
        '        case "{value}":  # <-\n'
        "            return {{}}\n"
    )),
    _shape(METHOD_HANDLED, "handler table", EVIDENCE + (
        "def on_this(params):\n    return {{}}\n\n\n"
        "def on_call(params):\n    return {{}}\n\n\n"
        "HANDLERS = {{\n"
        '    "{value}": on_this,  # <-\n'
        '    "tools/call": on_call,\n'
        "}}\n"
    )),
    _shape(METHOD_HANDLED, "handlers[method] =", EVIDENCE + (
        "def on_this(params):\n    return {{}}\n\n\n"
        "def register(handlers):\n"
        '    handlers["{value}"] = on_this  # <-\n'
    )),
    _shape(METHOD_HANDLED, "decorator", EVIDENCE + (
        "from .rpc import router\n\n\n"
        '@router.method("{value}")  # <-\n'
        "def on_this(params):\n"
        "    return {{}}\n"
    )),
    _shape(METHOD_HANDLED, "registration call", EVIDENCE + (
        "def on_this(params):\n    return {{}}\n\n\n"
        "def register(router):\n"
        '    router.register("{value}", on_this)  # <-\n'
    )),
    _shape(METHOD_HANDLED, "constant", EVIDENCE + (
        'THIS = "{value}"\n\n\n'
        "def handle(method):\n"
        "    if method == THIS:  # <-\n"
        "        return {{}}\n"
    )),
    _shape(METHOD_HANDLED, "enum member", EVIDENCE + (
        "from enum import Enum\n\n\n"
        "class Method(str, Enum):\n"
        '    THIS = "{value}"\n\n\n'
        "def handle(method):\n"
        "    if method == Method.THIS:  # <-\n"
        "        return {{}}\n"
    )),
    # -- a protocol revision --------------------------------------------------------------------
    _shape(VERSION, "protocolVersion key", EVIDENCE + (
        'PARAMS = {{"protocolVersion": "{value}", "x": 1}}  # <-\n'
    )),
    _shape(VERSION, "*VERSION constant", EVIDENCE + (
        'EXPECTED_VERSION = "{value}"  # <-\n'
    )),
    _shape(VERSION, "parameter default", EVIDENCE + (
        'def connect(url: str, protocol_version: str = "{value}") -> None:  # <-\n'
        "    pass\n"
    )),
    _shape(VERSION, "lookup default", EVIDENCE + (
        "def negotiated(params):\n"
        '    return params.get("protocolVersion", "{value}")  # <-\n'
    )),
    _shape(VERSION, "environment default", EVIDENCE + (
        "import os\n\n"
        'VERSION_IN_USE = os.getenv("MCP_PROTOCOL_VERSION", "{value}")  # <-\n'
    )),
    _shape(VERSION, "supported list", EVIDENCE + (
        'SUPPORTED = ["{value}", "2025-03-26"]  # <-\n'
    )),
    _shape(VERSION, "table keyed by revision", EVIDENCE + (
        'BEHAVIOUR = {{"{value}": "a", "2025-03-26": "b"}}  # <-\n'
    )),
    _shape(VERSION, "comparison", EVIDENCE + (
        "def legacy(request):\n"
        '    return request.headers.get("mcp-protocol-version") == "{value}"  # <-\n'
    )),
    # -- the session header ---------------------------------------------------------------------
    _shape(SESSION_HEADER, "header read", EVIDENCE + (
        "def session_of(request):\n"
        '    return request.headers.get("{value}")  # <-\n'
    )),
    _shape(SESSION_HEADER, "header written through a constant", EVIDENCE + (
        'SESSION_HEADER = "{value}"\n\n\n'
        "def answer(response, sid):\n"
        "    response.headers[SESSION_HEADER] = sid  # <-\n"
    )),
    _shape(SESSION_HEADER, "constant lowered", EVIDENCE + (
        'SESSION_HEADER = "{value}"\n\n\n'
        "def session_of(request):\n"
        "    return request.headers.get(SESSION_HEADER.lower())  # <-\n"
    )),
    _shape(SESSION_HEADER, "CORS list", EVIDENCE + (
        'CORS = {{"Access-Control-Expose-Headers": "{value}, MCP-Protocol-Version"}}  # <-\n'
    )),
    # -- the resource-not-found code ------------------------------------------------------------
    _shape(NOT_FOUND_CODE, "error dict", EVIDENCE + (
        "def missing(uri):\n"
        '    return {{"code": {value}, "message": "Resource not found", "data": {{"uri": uri}}}}  # <-\n'
    )),
    _shape(NOT_FOUND_CODE, "named constant", EVIDENCE + (
        "RESOURCE_NOT_FOUND = {value}  # <-\n"
    )),
    _shape(NOT_FOUND_CODE, "enum member", EVIDENCE + (
        "from enum import IntEnum\n\n\n"
        "class ErrorCode(IntEnum):\n"
        "    RESOURCE_NOT_FOUND = {value}  # <-\n"
    )),
    # -- the HTTP+SSE transport, served ---------------------------------------------------------
    _shape(SSE_SERVER, "route path", EVIDENCE + (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/mcp{value}")  # <-\n'
        "async def stream(request):\n"
        "    return None\n"
    )),
    _shape(SSE_SERVER, "Starlette route", EVIDENCE + (
        "from starlette.routing import Route\n\n\n"
        "def routes(handle_sse):\n"
        '    return [Route("{value}", endpoint=handle_sse)]  # <-\n'
    )),
    _shape(SSE_SERVER, "path comparison", EVIDENCE + (
        "async def app(scope, receive, send):\n"
        "    path = scope[\"path\"]\n"
        '    if path == "{value}":  # <-\n'
        "        return None\n"
    )),
    # -- the HTTP+SSE transport, connected to ---------------------------------------------------
    _shape(SSE_CLIENT, "URL handed to a client", EVIDENCE + (
        "from .client import connect\n\n\n"
        "async def go():\n"
        '    await connect("http://127.0.0.1:8000{value}")  # <-\n'
    )),
    _shape(SSE_CLIENT, "URL in a configuration", EVIDENCE + (
        'SERVERS = {{"weather": {{"url": "http://127.0.0.1:8000{value}"}}}}  # <-\n'
    )),
    _shape(SSE_CLIENT, "URL as an f-string", EVIDENCE + (
        "def url(host, port):\n"
        '    return f"http://{{host}}:{{port}}{value}"  # <-\n'
    )),
    # -- the Streamable HTTP GET stream ({value} is its media type), served, opened or mocked -----
    _shape(GET_STREAM, "GET route answering with the stream", EVIDENCE + (
        "from fastapi import FastAPI\nfrom fastapi.responses import StreamingResponse\n\napp = FastAPI()\n\n\n"
        '@app.get("/mcp")  # <-\n'
        "async def stream(request):\n"
        '    return StreamingResponse(events(), media_type="{value}")\n'
    )),
    _shape(GET_STREAM, "Litestar route declaring the stream", EVIDENCE + (
        "from litestar import get\n\n\n"
        '@get("/mcp", media_type="{value}")  # <-\n'
        "async def stream() -> None:\n"
        "    return None\n"
    )),
    _shape(GET_STREAM, "ASGI dispatcher's GET branch", EVIDENCE + (
        'MEDIA = "{value}"\n\n\n'
        "async def app(scope, receive, send):\n"
        '    method = scope["method"]\n'
        '    if method == "GET":  # <-\n'
        "        await stream(send)\n"
    )),
    _shape(GET_STREAM, "route serving GET beside POST", EVIDENCE + (
        'MEDIA = "{value}"\n\n\n'
        "def routes(endpoint):\n"
        '    return [Route("/mcp", endpoint, methods=["GET", "POST"])]  # <-\n'
    )),
    _shape(GET_STREAM, "client opening the stream", EVIDENCE + (
        "async def listen(client, url):\n"
        '    async with client.stream("GET", url, headers={{"Accept": "{value}"}}) as response:  # <-\n'
        "        return response\n"
    )),
    _shape(GET_STREAM, "mocked GET in a test", EVIDENCE + (
        "import httpx\n\n\n"
        "def test_listen(respx_mock):\n"
        '    respx_mock.get("http://t/mcp").mock(return_value=httpx.Response(200, headers={{"Content-Type": "{value}"}}))  # <-\n'
    )),
)


def shapes_of(construct: str) -> tuple[Shape, ...]:
    return tuple(shape for shape in SHAPES if shape.construct == construct)
