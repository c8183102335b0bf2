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

_RELEVANT = {
    Step.HANDSHAKE: ("initialize", "session", "clientsession"),
    # With the SDK, steps 2 and 3 are the SDK's job (mcp 2.x does both): they apply, and are done by step 9.
    Step.META_AND_DISCOVER: (
        "protocolversion", "protocol_version", "server/discover", "jsonrpc", "clientsession", "fastmcp", "mcpserver", "lowlevel",
    ),
    Step.ROUTING_HEADERS: ("httpx", "requests", "aiohttp", "streamable"),
    Step.MULTI_ROUND_TRIP: ("sse", "elicit", "create_message", "list_roots", "event-stream"),
    Step.TASKS: ("tasks/", "task"),
    Step.ERROR_CODES: ("32002", "32602", "invalid_params", "mcperror", "errordata"),
    Step.OAUTH: ("oauth", "redirect_uri", "authorization_code"),
    Step.DEPRECATIONS: ("ctx.info", "ctx.debug", "ctx.warning", "ctx.error", "ctx.log", "ping", "subscribe", "roots", "sampling"),
    Step.SDK_2: ("import mcp", "from mcp", "fastmcp"),
    Step.SUPPRESSIONS: ("noqa: mcp", "mcpmigrate: noqa"),
}


class Side(enum.Enum):
    """Which code a rule's findings are in: migrate servers first (mcp 2.x serves clients of both
    eras), then clients (a 2026-07-28 client cannot talk to a server that only speaks the handshake)."""

    SERVER = "server"
    CLIENT = "client"
    BOTH = "both"

    @property
    def order(self) -> int:
        return {Side.SERVER: 0, Side.BOTH: 1, Side.CLIENT: 2}[self]
