"""The protocol's own tables, in one place: revisions, methods, `_meta` keys, headers and error codes
of MCP up to 2025-11-25 and of 2026-07-28 (see ../shared/reference/spec-2026-07-28*.md). Rules and
kits read these; none of them spells a method set, a revision or a header name of its own.
"""

from __future__ import annotations

# The stateless revision, and the handshake-era revisions before it.
CURRENT_VERSION = "2026-07-28"
LEGACY_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")

# Methods of the MCP revisions up to 2025-11-25 and of 2026-07-28.
MCP_METHODS = frozenset(
    {
        "initialize", "notifications/initialized", "ping", "server/discover",
        "tools/list", "tools/call", "resources/list", "resources/read", "resources/templates/list",
        "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete",
        "logging/setLevel", "sampling/createMessage", "elicitation/create", "roots/list",
        "tasks/get", "tasks/list", "tasks/result", "tasks/cancel", "tasks/update", "subscriptions/listen",
        "notifications/cancelled", "notifications/progress", "notifications/message",
        "notifications/resources/updated", "notifications/resources/list_changed",
        "notifications/tools/list_changed", "notifications/prompts/list_changed",
        "notifications/roots/list_changed", "notifications/elicitation/complete",
    }
)
# The SDK's typed requests and notifications (`mcp.types`, 1.x and 2.x) and the method each carries.
TYPED_MESSAGES = {
    "InitializeRequest": "initialize", "InitializedNotification": "notifications/initialized", "PingRequest": "ping",
    "SetLevelRequest": "logging/setLevel", "LoggingMessageNotification": "notifications/message",
    "SubscribeRequest": "resources/subscribe", "UnsubscribeRequest": "resources/unsubscribe",
    "CreateMessageRequest": "sampling/createMessage", "ElicitRequest": "elicitation/create", "ListRootsRequest": "roots/list",
    "RootsListChangedNotification": "notifications/roots/list_changed",
    "ElicitCompleteNotification": "notifications/elicitation/complete", "ListTasksRequest": "tasks/list",
    "GetTaskPayloadRequest": "tasks/result", "ResourceUpdatedNotification": "notifications/resources/updated",
    "ResourceListChangedNotification": "notifications/resources/list_changed",
    "ToolListChangedNotification": "notifications/tools/list_changed",
    "PromptListChangedNotification": "notifications/prompts/list_changed",
}
# Methods 2026-07-28 removed: nothing should be added to messages that have to go.
REMOVED_METHODS = frozenset(
    {
        "initialize", "notifications/initialized", "ping", "logging/setLevel", "resources/subscribe",
        "resources/unsubscribe", "tasks/list", "tasks/result", "notifications/roots/list_changed",
        "notifications/elicitation/complete",
    }
)
# What 2026-07-28 clients ask servers (besides `server/discover`): a client handles notifications and
# the server-to-client requests instead.
SERVER_METHODS = frozenset(
    {
        "tools/list", "tools/call", "resources/list", "resources/read", "resources/templates/list",
        "prompts/list", "prompts/get", "completion/complete", "subscriptions/listen",
        "tasks/get", "tasks/update", "tasks/cancel",
    }
)
# Methods no other common JSON-RPC protocol uses: seeing one is evidence of MCP.
MCP_ONLY_METHODS = MCP_METHODS - {"initialize", "ping", "notifications/cancelled", "notifications/progress"}

# Requests whose results a 2026-07-28 server sends (the removed ones and the Tasks extension's aside).
RESULT_METHODS = frozenset(
    {
        "server/discover", "tools/list", "tools/call", "resources/list", "resources/read",
        "resources/templates/list", "prompts/list", "prompts/get", "completion/complete",
    }
)
# The members one of which every result of a method carries (up to 2025-11-25 and in 2026-07-28): a dict without
# it is something else (span attributes, a summary) even where the method is known.
RESULT_MEMBERS = {
    "server/discover": frozenset({"supportedVersions"}), "tools/list": frozenset({"tools"}),
    "tools/call": frozenset({"content", "structuredContent", "isError"}), "resources/list": frozenset({"resources"}),
    "resources/read": frozenset({"contents"}), "resources/templates/list": frozenset({"resourceTemplates"}),
    "prompts/list": frozenset({"prompts"}), "prompts/get": frozenset({"messages"}),
    "completion/complete": frozenset({"completion"}),
}
# Results that must say how long they may be cached (SEP-2549).
CACHEABLE_METHODS = frozenset(
    {"server/discover", "tools/list", "prompts/list", "resources/list", "resources/read", "resources/templates/list"}
)

# The `_meta` keys every 2026-07-28 request carries (SEP-2575).
META_VERSION = "io.modelcontextprotocol/protocolVersion"
META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities"
META_INFO = "io.modelcontextprotocol/clientInfo"
LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel"

# HTTP headers (as the specification spells them; HTTP compares them case-insensitively).
SESSION_ID_HEADER = "Mcp-Session-Id"
PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version"
METHOD_HEADER = "Mcp-Method"
NAME_HEADER = "Mcp-Name"

# Error codes: resource-not-found was -32002 up to 2025-11-25 and is Invalid Params from 2026-07-28.
LEGACY_RESOURCE_NOT_FOUND = -32002
INVALID_PARAMS = -32602
