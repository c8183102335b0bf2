"""The steps of a move to MCP 2026-07-28, in the order the checklist lists them, and the sides of a
connection the code of a rule's findings is on (servers move first: on mcp 2.x they serve both eras).

Each rule names the step its findings belong to (`Rule.step`), so a new rule cannot drop out of the
checklist; the checklist (`mcpmigrate.checklist`) is built from those declarations. Plain data: the
rule API, the run's cache and the checklist all import it, and it imports nothing of ours.
"""

from __future__ import annotations

import enum


class Step(enum.IntEnum):
    HANDSHAKE = 1
    META_AND_DISCOVER = 2
    ROUTING_HEADERS = 3
    MULTI_ROUND_TRIP = 4
    TASKS = 5
    ERROR_CODES = 6
    OAUTH = 7
    DEPRECATIONS = 8
    SDK_2 = 9
    SUPPRESSIONS = 10

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def relevant(self) -> tuple[str, ...]:
        """Lowercase text that shows the step applies to a codebase even when nothing is left to change."""
        return _RELEVANT[self]


_TITLES = {
    Step.HANDSHAKE: "Remove session initialization (handshake, session ids)",
    Step.META_AND_DISCOVER: "Carry protocol version and capabilities in `_meta`; answer `server/discover`",
    Step.ROUTING_HEADERS: "Send `Mcp-Method` / `Mcp-Name` on every Streamable HTTP request",
    Step.MULTI_ROUND_TRIP: "Replace SSE streams and server-to-client requests with Multi Round-Trip Requests",
    Step.TASKS: "Move Tasks to the extension's polling lifecycle",
    Step.ERROR_CODES: "Update error handling: `-32002` becomes `-32602`",
    Step.OAUTH: "Audit OAuth / OIDC client registration and issuer checks",
    Step.DEPRECATIONS: "Plan the deprecations: Roots, Sampling, Logging, ping and removed notifications",
    Step.SDK_2: "Move to the `mcp` 2.x SDK API",
    Step.SUPPRESSIONS: "Review the suppressions: each `noqa` suppresses something and says why",
}

# What a codebase's *code* (names, imports, string literals; never comments or docstrings) holds that
# shows the step applies to it, even when nothing is left to change. Tokens are lowercase substrings.
_RELEVANT = {
    # (`mcp.client`: mcp 2.x's `Client`, imported `from mcp import Client`, and the client modules)
    Step.HANDSHAKE: (
        "initialize", "clientsession", "mcp.client", "session_id", "mcp-session-id", "fastmcp", "mcpserver", "lowlevel", "jsonrpc",
    ),
    Step.META_AND_DISCOVER: (
        "protocolversion", "protocol_version", "server/discover", "jsonrpc", "clientsession", "mcp.client", "fastmcp",
        "mcpserver", "lowlevel",
    ),
    # Streamable HTTP only: a stdio-only project has nothing this step is about (see HTTP_TRANSPORT_WORDS).
    Step.ROUTING_HEADERS: ("streamable", "mcp-method", "http_app", "sse_app"),
    Step.MULTI_ROUND_TRIP: ("sse", "elicit", "create_message", "list_roots", "event-stream", "event_stream"),
    # MCP's tasks, not asyncio's: their methods and the SDK's task types
    Step.TASKS: ("tasks/", "createtaskresult", "taskmetadata", "gettaskresult", "tasksupport", "task_support", "experimental.tasks"),
    Step.ERROR_CODES: ("32002", "32602", "invalid_params", "mcperror", "errordata"),
    Step.OAUTH: ("oauth", "redirect_uri", "authorization_code"),
    Step.DEPRECATIONS: ("ctx.info", "ctx.debug", "ctx.warning", "ctx.error", "ctx.log", "ping", "subscribe", "roots", "sampling"),
    Step.SDK_2: (),  # the code imports mcp or FastMCP (read from its imports, not its text)
    Step.SUPPRESSIONS: ("noqa: mcp", "mcpmigrate: noqa"),
}

# String literals that choose an HTTP transport (`mcp.run(transport="streamable-http")`): the step of
# the routing headers applies. With the HTTP libraries, so does a hand-rolled JSON-RPC client's POST.
HTTP_TRANSPORT_WORDS = frozenset({"http", "streamable-http", "streamable_http", "sse"})
HTTP_LIBRARIES = ("httpx", "requests", "aiohttp", "urllib")

# What the 2026-07-28 form of a step looks like in code: seeing it is what makes the step "done" where
# nothing else could tell (the SDK's steps, which no rule reports on SDK code).
_NEW_FORMS = {
    Step.HANDSHAKE: ("server/discover",),
    Step.META_AND_DISCOVER: ("io.modelcontextprotocol/protocolversion", "io.modelcontextprotocol/clientcapabilities", "server/discover"),
    Step.ROUTING_HEADERS: ("mcp-method",),
    Step.MULTI_ROUND_TRIP: ("inputrequiredresult", "inputrequests", "requeststate", "subscriptions/listen"),
    # names only mcp 2.x has: code written against it
    Step.SDK_2: ("mcpserver", "mcperror", "streamable_http_client", "clientrequestcontext"),
}

# Deprecated features that still work (for twelve months), so no rule reports every use of them: code
# that still has them has the deprecations step to plan, not done. (Names of code, lowercase.)
STILL_DEPRECATED = {
    "sampling": ("sampling_callback", "create_message", "createmessagerequest", "createmessageresult", "sampling"),
    "roots": ("list_roots_callback", "list_roots", "listrootsresult", "listroots", "send_roots_list_changed"),
    "logging": ("logging_callback", "send_log_message", "loggingmessagenotification", "set_logging_level", "setlevelrequest"),
}

# The steps the mcp 2.x SDK carries out for code built on it (its sessions send `_meta` and the
# headers, its client answers input requests through the callbacks): with the SDK they are done by
# moving to mcp 2.x (step SDK_2), and no rule can see them missing in SDK code.
SDK_PROVIDED = frozenset({Step.HANDSHAKE, Step.META_AND_DISCOVER, Step.ROUTING_HEADERS, Step.MULTI_ROUND_TRIP})


def relevant_tokens(step: Step) -> tuple[str, ...]:
    return _RELEVANT[step]


def new_form_tokens(step: Step) -> tuple[str, ...]:
    return _NEW_FORMS.get(step, ())


class Side(enum.Enum):
    """Which code a rule's findings are in: migrate servers first (mcp 2.x serves clients of both
    eras), then clients (a 2026-07-28 client cannot talk to a server that only speaks the handshake)."""

    SERVER = "server"
    CLIENT = "client"
    BOTH = "both"

    @property
    def order(self) -> int:
        return {Side.SERVER: 0, Side.BOTH: 1, Side.CLIENT: 2}[self]
