"""MCP903 list-changed-outside-listen: change notifications travel on a `subscriptions/listen` stream."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Valid
from mcpmigrate.rules._kits.method_mentions import SEND, MethodMentionRule, typed_tokens
from mcpmigrate.steps import Side, Step

CHANGE_NOTIFICATIONS = frozenset(
    {
        "notifications/tools/list_changed", "notifications/prompts/list_changed",
        "notifications/resources/list_changed", "notifications/resources/updated",
    }
)
MESSAGE = "`{method}` is sent outside a `subscriptions/listen` stream: 2026-07-28 clients only hear it on one"
HELP = (
    "Send change notifications on the SSE response of the client's `subscriptions/listen` request, only the "
    "kinds it opted in to, each with `_meta` `io.modelcontextprotocol/subscriptionId`; there is no GET stream "
    "and no session to push them on (resource subscriptions themselves: MCP603)"
)


# The 1.x server session's own senders of those notifications, and the 2.x Context calls that reach
# 2026-07-28 clients through the subscription bus (checked against mcp 1.26.0 and 2.3.0).
SDK_SENDERS = {
    "send_tool_list_changed": "ctx.notify_tools_changed()",
    "send_prompt_list_changed": "ctx.notify_prompts_changed()",
    "send_resource_list_changed": "ctx.notify_resources_changed()",
    "send_resource_updated": "ctx.notify_resource_updated(uri)",
}


class ListChangedOutsideListen(MethodMentionRule):
    code = "MCP903"
    name = "list-changed-outside-listen"
    step = Step.MULTI_ROUND_TRIP
    side = Side.SERVER
    summary = "List-changed or resource-updated notifications sent with no `subscriptions/listen` (hand-rolled, or the 1.x session's senders)"
    why = (
        "2026-07-28 removed the GET stream and sessions, the two places a server used to push "
        "`notifications/tools/list_changed`, `.../prompts/list_changed`, `.../resources/list_changed` and "
        "`notifications/resources/updated` (SEP-2575). A client now opens a `subscriptions/listen` POST whose "
        "SSE response carries only the notifications it asked for, tagged with its subscription id; "
        "anywhere else they reach nobody."
    )
    fix_summary = "none: change notifications sent with no `subscriptions/listen` reported"
    fix_description = (
        "None: serving `subscriptions/listen` is new code. Each notification sent in a file that never "
        "mentions `subscriptions/listen` is reported, and each `session.send_tool_list_changed()` (and its "
        "siblings) of the SDK, whose 2026-07-28 connections drop them: mcp 2.x's `ctx.notify_tools_changed()` "
        "and siblings reach those clients (call both while handshake-era clients remain)."
    )
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md section 2.7",
    )
    methods = CHANGE_NOTIFICATIONS
    tokens = (*sorted(CHANGE_NOTIFICATIONS), *typed_tokens(methods), *SDK_SENDERS)
    examples = (
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("files")


            @mcp.tool()
            async def save(path: str, ctx: Context) -> str:
                await ctx.session.send_resource_updated(f"file://{path}")
                await ctx.session.send_tool_list_changed()
                await ctx.session.send_resource_list_changed()
                return "ok"
            """,
            findings=[(8, 11), (9, 11), (10, 11)],
            note="the SDK's session senders: dropped on 2026-07-28 connections",
        ),
        Invalid(
            """
            import json

            async def reload_tools(streams):
                note = {"jsonrpc": "2.0", "method": "notifications/tools/list_changed"}
                for stream in streams:
                    await stream.send(f"data: {json.dumps(note)}\\n\\n")

            def resource_changed(uri):
                return {"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": uri}}
            """,
            findings=[(4, 41), (9, 41)],
        ),
        Valid(
            """
            async def listen(request, send):
                if request["method"] == "subscriptions/listen":
                    sub = request["id"]
                    await send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed",
                                "params": {"_meta": {"io.modelcontextprotocol/subscriptionId": sub}}})
            """
        ),
        Valid(
            """
            def on_message(message):
                # a client handling the notification it receives
                if message["method"] == "notifications/tools/list_changed":
                    refresh()
            """
        ),
        Valid(
            """
            EVENTS = ["notifications/tools/list_changed", "user/login"]  # not a message
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.listens = "subscriptions/listen" in context.text

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        if role == SEND and not self.listens:
            self.report(literal, MESSAGE.format(method=method), help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in SDK_SENDERS and self.context.imports.imports_from("mcp", "fastmcp"):
            self.report(
                node,
                f"`{func.attr.value}()` is dropped on 2026-07-28 connections: there is no session to push it on",
                help=f"Also call `{SDK_SENDERS[func.attr.value]}` (mcp 2.x), which reaches clients listening on `subscriptions/listen`",
            )
