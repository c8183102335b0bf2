"""MCP603 removed-notifications: notifications and subscriptions 2026-07-28 removed."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Valid
from mcpmigrate.rules._kits.client_sessions import ClientSessions
from mcpmigrate.rules._kits.jsonrpc import dict_entries, mcp_evidence
from mcpmigrate.rules._kits.method_mentions import MethodMentionRule, typed_tokens
from mcpmigrate.rules._kits.shapes import METHOD_HANDLED, METHOD_SENT
from mcpmigrate.steps import Step

REPLACEMENTS = {
    "notifications/roots/list_changed": "roots come with each request's input requests now (and Roots is deprecated): send nothing",
    "notifications/elicitation/complete": "the client retries the original request; correlate through `requestState`",
    "resources/subscribe": "open a `subscriptions/listen` stream with `notifications.resourceSubscriptions: [uri]`",
    "resources/unsubscribe": "close the `subscriptions/listen` stream (or open one without that URI)",
}
CALLS = {
    "send_roots_list_changed": "notifications/roots/list_changed",
    "send_elicit_complete": "notifications/elicitation/complete",
    "subscribe_resource": "resources/subscribe",
    "unsubscribe_resource": "resources/unsubscribe",
}


class RemovedNotifications(MethodMentionRule):
    code = "MCP603"
    gathers = (*MethodMentionRule.gathers, ClientSessions)
    name = "removed-notifications"
    step = Step.DEPRECATIONS
    summary = "`notifications/roots/list_changed`, `notifications/elicitation/complete`, `elicitationId` and resource subscriptions"
    why = (
        "2026-07-28 removed `notifications/roots/list_changed` (roots travel in Multi Round-Trip input "
        "requests), `notifications/elicitation/complete` and the `elicitationId` of URL elicitation (the "
        "client retries the original request instead), and `resources/subscribe` / `resources/unsubscribe` "
        "(a client opts in to change notifications on one `subscriptions/listen` stream)."
    )
    fix_summary = "none: roots/elicitation-complete notifications, `elicitationId`, resource subscriptions reported"
    fix_description = "None: each use is reported with its replacement."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md sections 1 and 2.7",
    )
    methods = frozenset(REPLACEMENTS)
    answers = ((METHOD_SENT, "notifications/roots/list_changed"), (METHOD_HANDLED, "notifications/roots/list_changed"), (METHOD_SENT, "notifications/elicitation/complete"))
    tokens = ("roots/list_changed", "elicitation/complete", "resources/subscribe", "resources/unsubscribe", "send_roots_list_changed", "send_elicit_complete", "subscribe_resource", "unsubscribe_resource", "elicitationid", "send_progress_notification", *typed_tokens(methods))
    examples = (
        Invalid(
            """
            from mcp import ClientSession


            async def relay(remote: ClientSession, token, progress):
                await remote.send_progress_notification(token, progress)
            """,
            findings=[(5, 11)],
            note="a client's own progress notifications (on requests servers no longer send it)",
        ),
        Invalid(
            """
            from contextlib import AsyncExitStack

            from mcp import ClientSession


            class Relay:
                async def open(self, stack: AsyncExitStack, read, write):
                    self.remote = await stack.enter_async_context(ClientSession(read, write))

                async def forward(self, token, progress):
                    await self.remote.send_progress_notification(token, progress)
            """,
            findings=[(11, 15)],
            note="a session whose type is not written down: entered on an exit stack, kept on `self`",
        ),
        Valid(
            """
            from mcp.server.session import ServerSession


            async def report(session: ServerSession, token):
                await session.send_progress_notification(token, 0.5)  # a server's progress on the request in flight stays
            """
        ),
        Invalid(
            """
            from mcp import types


            async def subscribe(req: types.SubscribeRequest) -> None:
                await remote.subscribe_resource(req.params.uri)
            """,
            findings=[(4, 26), (5, 11)],
            note="a handler of the SDK's typed `SubscribeRequest`",
        ),
        Invalid(
            """
            from mcp import ClientSession

            async def watch(session: ClientSession, uri: str) -> None:
                await session.subscribe_resource(uri)
                await session.send_roots_list_changed()
                await session.unsubscribe_resource(uri)
            """,
            findings=[(4, 11), (5, 11), (6, 11)],
        ),
        Invalid(
            """
            def url_elicitation(elicitation_id: str) -> dict:
                return {"mode": "url", "url": "https://example.com/pay", "elicitationId": elicitation_id}

            def handle(message: dict):
                if message["method"] == "resources/subscribe":
                    return {}
                return {"jsonrpc": "2.0", "method": "notifications/elicitation/complete", "params": {}}
            """,
            findings=[(2, 62), (5, 29), (7, 41)],
            note="hand-rolled: `elicitationId`, a subscribe handler and a completion notification",
        ),
        Valid(
            """
            import mcp

            async def listen(client, uri):
                async with client.listen(resource_subscriptions=[uri]) as stream:
                    async for change in stream:
                        print(change)
            """
        ),
        Valid(
            """
            import paho.mqtt.client as mqtt

            def subscribe(client: mqtt.Client):
                client.subscribe_resource = None
                return client.subscribe("resources/subscribe")
            """
        ),
        Valid(
            """
            def form(elicitation_id):
                return {"elicitationId": elicitation_id, "kind": "survey"}
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.evidence = mcp_evidence(context)

    def _report(self, node: cst.CSTNode, method: str) -> None:
        self.report(node, f"`{method}` is gone in 2026-07-28", help=_help(method))

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        self._report(literal, method)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in CALLS and self.context.imports.imports_from("mcp", "fastmcp"):
            self._report(node, CALLS[func.attr.value])
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value == "send_progress_notification"
            and self.context.shared(ClientSessions).holds_session(func.value)
        ):
            # A client reported progress on the server's requests to it; 2026-07-28 has none.
            self.report(node, "a client's `notifications/progress` is gone in 2026-07-28: servers no longer send it requests",
                        help="Send nothing: input requests travel inside the client's own request (Multi Round-Trip)")

    def visit_Dict(self, node: cst.Dict) -> None:
        element = dict_entries(node).get("elicitationId")
        # `elicitationId` belongs to URL-mode elicitation: an MCP file, or a dict that says `"mode": "url"`.
        if element is not None and (self.evidence or "mode" in dict_entries(node)):
            self.report(element.key, "`elicitationId` is gone in 2026-07-28", help=_help("notifications/elicitation/complete"))


def _help(method: str) -> str:
    text = REPLACEMENTS[method]
    return text[0].upper() + text[1:]
