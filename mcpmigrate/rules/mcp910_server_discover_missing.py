"""MCP910 server-discover-missing: every 2026-07-28 server answers `server/discover`."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Valid
from mcpmigrate.rules._kits.handler_results import PARAMETER, RAW, REGISTERED, ResultRule
from mcpmigrate.rules._kits.spec import SERVER_METHODS
from mcpmigrate.steps import Side, Step

HELP = (
    "Answer `server/discover` with `{\"resultType\": \"complete\", \"supportedVersions\": [\"2026-07-28\"], "
    "\"capabilities\": {...}, \"ttlMs\": ..., \"cacheScope\": ..., \"_meta\": {\"io.modelcontextprotocol/serverInfo\": "
    "{\"name\": ..., \"version\": ...}}}`"
)


class ServerDiscoverMissing(ResultRule):
    code = "MCP910"
    name = "server-discover-missing"
    step = Step.META_AND_DISCOVER
    side = Side.SERVER
    summary = "Hand-rolled servers that dispatch MCP methods but have no `server/discover` handler"
    why = (
        "With the handshake gone, `server/discover` is how a client learns a server's versions, capabilities "
        "and identity, and how it tells a 2026-07-28 server from an older one; servers MUST implement it "
        "(SEP-2575). A server that answers `initialize` is MCP102's: this rule covers those that answer "
        "neither."
    )
    fix_summary = "none: hand-rolled servers with no `server/discover` reported"
    fix_description = "None: the capabilities to advertise are the server's own. The first dispatched method is reported."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/server/discover",
        "../shared/reference/spec-2026-07-28-details.md section 2.2",
    )
    tokens = tuple(sorted(SERVER_METHODS))
    examples = (
        Invalid(
            """
            async def dispatch(message: dict) -> dict:
                match message["method"]:
                    case "tools/list":
                        return list_tools()
                    case "tools/call":
                        return await call_tool(message["params"])
                raise LookupError(message["method"])
            """,
            findings=[(3, 14)],
        ),
        Invalid(
            """
            from .prompts import get_prompt, list_prompts

            HANDLERS = {"prompts/list": list_prompts, "prompts/get": get_prompt, "notifications/cancelled": cancel}
            """,
            findings=[(3, 13)],
            note="a handler table, its handlers defined elsewhere",
        ),
        Valid(
            """
            def route(method):
                if method == "server/discover":
                    return discover
                if method in ("tools/list", "tools/call"):
                    return tools
            """
        ),
        Valid(
            """
            def route(method):
                # answers initialize: MCP102 reports it (once)
                if method == "initialize":
                    return initialize
                if method in ("tools/list", "tools/call"):
                    return tools
            """
        ),
        Valid(
            """
            def on_message(message):
                # a client: it handles what servers send it
                if message["method"] == "notifications/tools/list_changed":
                    refresh()
                elif message["method"] == "elicitation/create":
                    answer(message)
            """
        ),
        Valid(
            """
            NAME_FIELDS = {"tools/call": "name", "prompts/get": "name", "resources/read": "uri"}  # data, no handlers

            def test_client_sends_a_call(request):
                assert request.method == "tools/call"  # a test looking at a request answers nothing
                assert request.method != "tools/list"
            """
        ),
        Valid(
            """
            async def traced_send(request):
                # an instrumentation wrapping the SDK's session: the SDK parsed the message
                method = request.root.method
                if method == "tools/call":
                    return await call_with_span(request)
                if method == "tools/list":
                    return await list_with_span(request)
            """
        ),
        Valid(
            """
            def span_attributes(method: str, params) -> dict:
                # a parameter compared, and what comes back is no result of it
                if method == "tools/call":
                    return {"tool_name": params.name}
                elif method == "tools/list":
                    return {}
            """
        ),
        Valid(
            """
            def audit(method):
                # one method looked at is no server
                if method == "tools/call":
                    log("tool called")
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.handled: dict[str, cst.CSTNode] = {}

    def on_dispatch(self, method: str, literal: cst.CSTNode, origin: str, answered: bool) -> None:
        # A server answers what it reads off the wire. A method the SDK already parsed
        # (`request.root.method`: a proxy, an instrumentation) is no hand-rolled server's, and a
        # method handed in as a parameter is one only where the branch returns its result.
        if origin in (RAW, REGISTERED) or (origin == PARAMETER and answered):
            self.handled.setdefault(method, literal)

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)  # handler tables are read there
        answered = [method for method in self.handled if method in SERVER_METHODS]
        if len(answered) < 2 or "server/discover" in self.handled or "initialize" in self.handled:
            return
        shown = ", ".join(f"`{method}`" for method in answered[:3])
        self.report(
            self.handled[answered[0]],
            f"this server answers {shown} but not `server/discover`, which every 2026-07-28 server MUST implement",
            help=HELP,
        )
