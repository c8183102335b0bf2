"""MCP201 sse-client: clients on the deprecated HTTP+SSE transport (2024-11-05)."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, replace
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rule.project import looked_through
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, mcp_evidence, string_shape, string_value
from mcpmigrate.rules._kits.sdk_renames import RenameRule
from mcpmigrate.rules._kits import shapes
from mcpmigrate.steps import Side, Step

SSE_CLIENT = "mcp.client.sse.sse_client"
SSE_TRANSPORT = "fastmcp.client.transports.SSETransport"
FASTMCP_CLIENTS = frozenset({"fastmcp.Client", "fastmcp.client.Client", "fastmcp.client.client.Client"})
SSE_URL = re.compile(r"/sse/?$")
SSE_OPENERS = looked_through(frozenset({SSE_CLIENT, SSE_TRANSPORT}))  # also through the project's wrappers
# A project function that can also open these chooses a transport: calling it is no SSE connection as such.
OTHER_TRANSPORTS = looked_through(frozenset(
    {
        "mcp.client.streamable_http.streamablehttp_client", "mcp.client.streamable_http.streamable_http_client",
        "mcp.client.stdio.stdio_client", "mcp.client.websocket.websocket_client", "mcp.stdio_client",
        "fastmcp.client.transports.StreamableHttpTransport", "fastmcp.client.transports.StdioTransport",
    }
))
# What the Streamable HTTP replacements take besides the URL.
KEPT = {SSE_CLIENT: frozenset({"url"}), SSE_TRANSPORT: frozenset({"url", "headers", "auth", "httpx_client_factory", "verify"})}


# Calls that declare a route (a server's path), not connect to a URL.
# Calls that open an HTTP request as a stream, the method given as an argument.
GET_OPENERS = frozenset({"stream", "aconnect_sse", "connect_sse", "build_request"})


def _absolute_sse_url(node: cst.BaseExpression) -> bool:
    """`"http://host:8000/sse"`, `f"http://{host}:{port}/sse"`: an absolute URL whose path ends in `/sse`."""
    url = string_shape(node)
    return url is not None and "://" in url and bool(SSE_URL.search(url))


def _mcp_url(url: str) -> str:
    return SSE_URL.sub(lambda match: "/mcp" + ("/" if match.group(0).endswith("/") else ""), url)


class SseClient(RenameRule):
    code = "MCP201"
    name = "sse-client"
    step = Step.MULTI_ROUND_TRIP
    side = Side.CLIENT
    summary = "Clients on the HTTP+SSE transport (2024-11-05), deprecated in favour of Streamable HTTP"
    severity = Severity.WARNING
    why = (
        "2026-07-28 keeps the 2024-11-05 HTTP+SSE transport only as a deprecated fallback, with removal "
        "scheduled: its long-lived GET stream carried server-to-client requests, which 2026-07-28 replaced "
        "with Multi Round-Trip Requests on ordinary POSTs. Servers moving to 2026-07-28 serve Streamable "
        "HTTP at one endpoint (usually `/mcp`). FastMCP's `Client` picks SSE for any URL ending in `/sse`."
    )
    fix_summary = "`sse_client` / `SSETransport` / `/sse` URLs -> Streamable HTTP (display-only)"
    fix_description = (
        "`sse_client(url)` becomes `streamable_http_client(url)` (import included) and FastMCP's "
        "`SSETransport(url)` becomes `StreamableHttpTransport(url)`; a literal URL ending in `/sse` ends "
        "in `/mcp` instead, for these and for FastMCP's `Client(url)`."
    )
    fix_safety = (
        "Display-only: HTTP+SSE still works (deprecated, with no runtime warning in mcp 2.x), so `--fix` "
        "leaves it; name the rule to apply the move (`--fix-only MCP201`, or `extend-fixable`). Review it then: "
        "the server must serve Streamable HTTP at the new URL, and `/mcp` is only the usual "
        "path. `sse_client`'s `headers`, `timeout`, `sse_read_timeout`, `auth` and `on_session_created` have "
        "no place in `streamable_http_client` (they go into an `httpx2.AsyncClient`), so such calls are left "
        "to you, and so is every use of that name."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/transports",
        "../shared/reference/spec-2026-07-28-details.md sections 4 and 5",
    )
    moves = {
        SSE_CLIENT: "mcp.client.streamable_http.streamable_http_client",
        SSE_TRANSPORT: "fastmcp.client.transports.StreamableHttpTransport",
        # (its home module: `from fastmcp.client.transports.sse import SSETransport`)
        "fastmcp.client.transports.sse.SSETransport": "fastmcp.client.transports.StreamableHttpTransport",
    }
    # SSE still works on mcp 2.x (no runtime deprecation) and `streamable_http_client` exists in mcp 1.26
    # too: the move is display-only, on any target.
    uses_target_sdk = False
    answers = ((shapes.SSE_CLIENT, "/sse"),)
    tokens = ("sse_client", "ssetransport", "/sse", "event-stream", "aconnect_sse", "httpx_sse")
    context_tokens = EVIDENCE_TOKENS  # SDK names, and hand-rolled routes and URLs in files about MCP
    examples = (
        Invalid(
            """
            from mcp import ClientSession
            from mcp.client.sse import sse_client

            async def main() -> None:
                async with sse_client("http://127.0.0.1:8000/sse") as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.list_tools()
            """,
            findings=[(2, 28), (5, 16), (5, 27)],
            display_fixed="""
            from mcp import ClientSession
            from mcp.client.streamable_http import streamable_http_client

            async def main() -> None:
                async with streamable_http_client("http://127.0.0.1:8000/mcp") as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.list_tools()
            """,
        ),
        Invalid(
            """
            from fastmcp import Client
            from fastmcp.client.transports import SSETransport

            remote = Client(SSETransport("https://example.com/sse/", headers={"X-Key": "k"}))
            inferred = Client("https://example.com/sse")
            """,
            findings=[(2, 39), (4, 17), (4, 30), (5, 19)],
            display_fixed="""
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport

            remote = Client(StreamableHttpTransport("https://example.com/mcp/", headers={"X-Key": "k"}))
            inferred = Client("https://example.com/mcp")
            """,
            note="FastMCP: the transport class, and a URL that makes `Client` pick SSE",
        ),
        Invalid(
            """
            from mcp.client.sse import sse_client

            async def main(url, token, **options):
                async with sse_client(url, headers={"Authorization": token}, sse_read_timeout=60, **options) as (read, write):
                    pass
            """,
            findings=[(1, 28), (4, 16), (4, 32), (4, 66), (4, 87)],
            note="settings Streamable HTTP takes elsewhere: reported, nothing rewritten",
        ),
        Valid(
            """
            from mcp.client.streamable_http import streamable_http_client

            async def main():
                async with streamable_http_client("http://127.0.0.1:8000/mcp") as (read, write):
                    pass
            """
        ),
        Valid(
            """
            import httpx
            from sseclient import SSEClient

            def ticker():
                for event in SSEClient("https://stream.example.com/sse"):
                    yield event.data
            """
        ),
        Valid(
            """
            from fastmcp import Client

            async def local(server):
                async with Client(server) as client:
                    return await client.list_tools()
            """
        ),
    )

    def rename_message(self, old: str, new: str, qualified: str | None = None) -> str:
        return f"`{old}` uses the deprecated HTTP+SSE transport: use Streamable HTTP (`{new}`)"

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.context.qualified_name(node.func)
        self._get_stream(node)
        if qualified is None:
            return
        project = self.context.options.project
        if project.uses(qualified, SSE_OPENERS) and not project.uses(qualified, OTHER_TRANSPORTS):
            # the project's own wrapper (`run_sse_client(url)`, `SseConnectionManager(url)`) in another module
            self.report(node.func, f"`{self.context.code_for(node.func)}` (this project's) opens the deprecated HTTP+SSE transport",
                        help="Connect over Streamable HTTP in it (`streamable_http_client`), or call its Streamable HTTP sibling")
            return
        binding = node.func.value if isinstance(node.func, cst.Name) else None
        if qualified in KEPT:
            for index, arg in enumerate(node.args):
                keyword = arg.keyword.value if arg.keyword else ("url" if index == 0 and not arg.star else None)
                if keyword not in KEPT[qualified]:
                    shown = keyword or (arg.star + self.context.code_for(arg.value) if arg.star else f"positional argument {index + 1}")
                    self.defer(binding, arg, f"`{shown}` has no place in the Streamable HTTP client",
                               help="Pass headers, timeouts and auth through an `httpx2.AsyncClient` (`http_client=`)")
            self._url(node, binding)
        elif qualified in FASTMCP_CLIENTS:
            self._url(node, None)

    @property
    def fix_applicability(self) -> Applicability:
        return Applicability.DISPLAY_ONLY

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.urls: set[int] = set()  # `/sse` URL literals reported (a client's own, with its fix, first)
        self.event_streams: bool | None = None  # see _reads_event_streams

    def _sse_url(self, node: cst.BaseExpression) -> None:
        """An absolute URL ending in `/sse`, anywhere in a file about MCP: handed to a client or a proxy
        (`FastMCP.as_proxy("http://host/sse")`), a command line default, a configuration entry. Routes
        are the server's side (MCP202), and take paths, not absolute URLs."""
        if id(node) not in self.urls and _absolute_sse_url(node) and mcp_evidence(self.context):
            self.urls.add(id(node))
            self.report(node, "a URL ending in `/sse` points at the deprecated HTTP+SSE endpoint",
                        help="Connect to the server's Streamable HTTP endpoint (usually `/mcp`)")

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._sse_url(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self._sse_url(node)

    def _get_stream(self, node: cst.Call) -> None:
        """`client.stream("GET", url)`, `aconnect_sse(client, "GET", url)`, `client.build_request("GET", ...)`
        in a file about MCP that reads event streams: the client opens the standalone GET stream."""
        name = last_name(node.func)
        if name not in GET_OPENERS or not node.args or not self._reads_event_streams():
            return
        verb = next((arg.value for arg in node.args if arg.keyword is None and string_value(arg.value) == "GET"), None)
        if verb is not None:
            self.report(verb, "a GET that opens an event stream: 2026-07-28 has no GET stream (and HTTP+SSE is deprecated)",
                        help="POST each request and read its response; listen for changes with `subscriptions/listen`")

    def _reads_event_streams(self) -> bool:
        if self.event_streams is None:
            text = self.context.text
            self.event_streams = mcp_evidence(self.context) and ("event-stream" in text or "aconnect_sse" in text or "httpx_sse" in text)
        return self.event_streams

    def _url(self, call: cst.Call, binding: str | None) -> None:
        if not call.args:
            return
        first = call.args[0]
        if first.star or (first.keyword is not None and first.keyword.value != "url"):
            return
        literal = first.value
        url = string_value(literal)
        if url is None or not SSE_URL.search(url) or not isinstance(literal, cst.SimpleString):
            return
        fix = NodeFix("End the URL in `/mcp`", Applicability.DISPLAY_ONLY, (replace(literal, string_literal(literal, _mcp_url(url))),))
        self.urls.add(id(literal))
        self.defer(binding, literal, "a URL ending in `/sse` points at the deprecated HTTP+SSE endpoint", fix)
