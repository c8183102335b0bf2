"""MCP907 http-cancel-notification: over Streamable HTTP, a request is cancelled by closing its stream."""

from __future__ import annotations

from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.http_posts import Post, PostRule
from mcpmigrate.rules._kits.jsonrpc import mcp_evidence
from mcpmigrate.steps import Side, Step

MESSAGE = (
    "`notifications/cancelled` is not sent over Streamable HTTP in 2026-07-28: closing the request's "
    "response stream is the cancellation"
)
HELP = (
    "Close the response of the request you want to stop (leave the `async with client.stream(...)` block, "
    "or call `response.aclose()`); stdio keeps the notification"
)


class HttpCancelNotification(PostRule):
    code = "MCP907"
    name = "http-cancel-notification"
    step = Step.ROUTING_HEADERS
    side = Side.CLIENT
    summary = "Streamable HTTP clients that POST `notifications/cancelled`"
    why = (
        "Each 2026-07-28 request has its own response stream, and the transport page makes closing that "
        "stream the way to cancel it: a server is not required to match a `notifications/cancelled` POST "
        "to a request running on another connection, and with no sessions it often cannot. "
        "(`notifications/cancelled` stays on stdio; Tasks are cancelled with `tasks/cancel`.)"
    )
    fix_summary = "none: `notifications/cancelled` POSTed over HTTP reported"
    fix_description = "None: where the response stream is held differs from client to client. Each POST is reported."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http",
        "../shared/reference/spec-2026-07-28-details.md section 1",
    )
    tokens = ("notifications/cancelled",)
    context_tokens = ("post",)
    examples = (
        Invalid(
            """
            import httpx

            async def cancel(client: httpx.AsyncClient, url: str, request_id: int) -> None:
                note = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": request_id}}
                await client.post(url, json=note, headers={"Mcp-Method": "notifications/cancelled"})
            """,
            findings=[(5, 33)],
        ),
        Valid(
            """
            import json
            import sys

            import mcp

            def cancel(request_id):
                # stdio keeps the notification
                sys.stdout.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": request_id}}) + "\\n")
            """
        ),
        Valid(
            """
            import requests

            def cancel_order(url, order_id):
                # another protocol's "cancelled" notification
                requests.post(url, json={"jsonrpc": "2.0", "method": "order/cancelled", "params": {"id": order_id}})
            """
        ),
        Valid(
            """
            import requests

            def lsp_cancel(url, request_id):
                # no MCP evidence: LSP and others have cancellation notifications of their own
                requests.post(url, json={"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": request_id}})
            """
        ),
    )

    def on_post(self, post: Post) -> None:
        if post.method == "notifications/cancelled" and mcp_evidence(self.context):
            self.report(post.where, MESSAGE, help=HELP)
