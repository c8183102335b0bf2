"""Facts about the `mcp` SDK that several rules share, checked against mcp 1.30.0 and 2.3.0.

(See ../shared/reference/python-sdk-v1-to-v2.md; each set below was read off the installed wheels
with `inspect.signature`.)
"""

from __future__ import annotations

from mcpmigrate.rule.prefilter import TextPattern

# The 1.x high-level server class under every public spelling, and its 2.x names.
FASTMCP_V1 = frozenset({"mcp.server.fastmcp.FastMCP", "mcp.server.fastmcp.server.FastMCP", "mcp.server.FastMCP"})
MCPSERVER_V2 = frozenset({"mcp.server.mcpserver.MCPServer", "mcp.server.mcpserver.server.MCPServer", "mcp.server.MCPServer"})
SERVER_CLASSES = FASTMCP_V1 | MCPSERVER_V2

# 1.x high-level server names -> 2.x (None: removed). Longest prefix wins (see mcpmigrate.rules._kits.sdk_renames).
FASTMCP_MOVES = {
    "mcp.server.fastmcp": "mcp.server.mcpserver",
    "mcp.server.fastmcp.FastMCP": "mcp.server.mcpserver.MCPServer",
    "mcp.server.fastmcp.server.FastMCP": "mcp.server.mcpserver.server.MCPServer",
    # Imported into `mcp.server.mcpserver.server` but not re-exported there (type-checkers refuse it).
    "mcp.server.fastmcp.server.Context": "mcp.server.mcpserver.Context",
    "mcp.server.FastMCP": "mcp.server.MCPServer",
    "mcp.server.fastmcp.exceptions.FastMCPError": "mcp.server.mcpserver.exceptions.MCPServerError",
    "mcp.server.fastmcp.exceptions.ValidationError": None,
}

# Keyword arguments of the 1.x `FastMCP(...)` constructor that 2.x moved to the transport calls.
# (`event_store` and `retry_interval` could also be passed positionally, 7th and 8th.)
SSE_SETTINGS = frozenset({"host", "port", "sse_path", "message_path", "max_request_body_size", "transport_security"})
STREAMABLE_HTTP_SETTINGS = frozenset(
    {
        "host", "port", "streamable_http_path", "json_response", "stateless_http", "event_store", "retry_interval",
        "max_request_body_size", "session_idle_timeout", "max_sessions", "transport_security",
    }
)
REMOVED_SETTINGS = frozenset({"mount_path"})
TRANSPORT_SETTINGS = SSE_SETTINGS | STREAMABLE_HTTP_SETTINGS | REMOVED_SETTINGS

# What each 2.x MCPServer method accepts of those settings.
RUN_TRANSPORTS = {"stdio": frozenset(), "sse": SSE_SETTINGS, "streamable-http": STREAMABLE_HTTP_SETTINGS}
TRANSPORT_METHODS = {
    "sse_app": SSE_SETTINGS - {"port"},
    "streamable_http_app": STREAMABLE_HTTP_SETTINGS - {"port"},
    "run_sse_async": SSE_SETTINGS,
    "run_streamable_http_async": STREAMABLE_HTTP_SETTINGS,
    "run_stdio_async": frozenset(),
}
# 1.x methods that took `mount_path`, removed in 2.x.
MOUNT_PATH_METHODS = frozenset({"run", "sse_app", "run_sse_async"})

# Text without which no name can resolve to something under `mcp.server` (lowercased): an import of
# `mcp.server...`, `from mcp import ...`, or `import mcp` (also in a list: `import os, mcp as m`).
MCP_SERVER_IMPORT = TextPattern(
    r"mcp\.server\b|\bmcp\s+import\b|\bimport\s+(?:[\w.]+\s*(?:as\s+\w+\s*)?,\s*)*mcp\b", needs="mcp"
)

# The 2.x high-level client under every public spelling; it connects when entered (no `initialize()`).
HIGH_LEVEL_CLIENTS = frozenset({"mcp.Client", "mcp.client.Client", "mcp.client.client.Client"})
# 1.x's in-memory client helper (its session comes initialized); 2.x's `Client(server)` replaces it.
MEMORY_HELPER = "mcp.shared.memory.create_connected_server_and_client_session"
# The paginated list requests of a client session (1.x took `cursor` positionally or `params=`; 2.x's
# `ClientSession` takes `params=`, its `Client` `cursor=`).
LIST_METHODS = frozenset({"list_tools", "list_resources", "list_resource_templates", "list_prompts"})
