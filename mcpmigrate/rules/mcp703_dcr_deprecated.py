"""MCP703 dcr-deprecated: Dynamic Client Registration gives way to Client ID Metadata Documents."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Severity
from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.http_posts import PostRule
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, dict_entries, mcp_evidence
from mcpmigrate.steps import Side, Step

PROVIDERS = frozenset({"mcp.client.auth.OAuthClientProvider", "mcp.client.auth.oauth2.OAuthClientProvider"})
# The SDK's authorization server provider (1.x and 2.x): a subclass that implements `register_client`
# serves Dynamic Client Registration.
SERVER_PROVIDERS = frozenset({"mcp.server.auth.provider.OAuthAuthorizationServerProvider"})
SERVER_HELP = (
    "Keep registration for clients that still need it, and accept Client ID Metadata Documents: a "
    "`client_id` that is an https URL is fetched and validated instead of registered (advertise "
    "`client_id_metadata_document_supported: true` in the authorization server metadata)"
)
# Keys of RFC 7591 client metadata besides `redirect_uris`.
METADATA_KEYS = frozenset({"client_name", "grant_types", "response_types", "token_endpoint_auth_method", "application_type"})
MESSAGE = "Dynamic Client Registration is deprecated in 2026-07-28: prefer a Client ID Metadata Document"
SDK_HELP = (
    "Pass `client_metadata_url=\"https://your.app/oauth/client.json\"` (an https URL serving the client's "
    "metadata, `client_id` equal to that URL): servers that support CIMD then use it, others still register"
)
HAND_HELP = (
    "Use an https URL that serves the client's metadata as the `client_id` where the authorization server "
    "advertises `client_id_metadata_document_supported`; keep registration only as the fallback"
)


class DcrDeprecated(PostRule):
    code = "MCP703"
    name = "dcr-deprecated"
    step = Step.OAUTH
    side = Side.BOTH  # clients that register, and authorization servers that serve registration
    summary = "OAuth clients that register with Dynamic Client Registration only, and servers that serve it"
    why = (
        "2026-07-28 deprecates Dynamic Client Registration (RFC 7591) for MCP clients: a Client ID Metadata "
        "Document, an https URL that serves the client's metadata and is its `client_id`, identifies the "
        "client to every authorization server without registering, and is tried first (pre-registered, "
        "then CIMD, then DCR). Registration still works where a server offers nothing else."
    )
    fix_summary = (
        "none: Dynamic Client Registration (`OAuthClientProvider` without `client_metadata_url`, registration"
        " POSTs) reported (warning)"
    )
    fix_description = "None: the metadata document must be published first. Each registration is reported."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization/client-registration",
        "../shared/reference/spec-2026-07-28-details.md section 6",
    )
    severity = Severity.WARNING
    tokens = ("oauthclientprovider", "redirect_uris", "register_client")
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from mcp.server.auth.provider import OAuthAuthorizationServerProvider
            from mcp.shared.auth import OAuthClientInformationFull


            class Provider(OAuthAuthorizationServerProvider):
                async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
                    return self.clients.get(client_id)

                async def register_client(self, client_info: OAuthClientInformationFull) -> None:
                    self.clients[client_info.client_id] = client_info
            """,
            findings=[(9, 15)],
            note="the server side: an authorization server provider that registers clients",
        ),
        Invalid(
            """
            from mcp.client.auth import OAuthClientProvider
            from mcp.shared.auth import OAuthClientMetadata

            provider = OAuthClientProvider(
                server_url="https://api.example.com/mcp",
                client_metadata=OAuthClientMetadata(client_name="cli", redirect_uris=["http://localhost:3030/callback"]),
                storage=storage,
            )
            """,
            findings=[(4, 12)],
        ),
        Invalid(
            """
            import httpx

            import mcp

            async def register(client: httpx.AsyncClient, endpoint: str) -> dict:
                response = await client.post(endpoint, json={"client_name": "cli", "redirect_uris": ["http://127.0.0.1:8765/cb"]})
                return response.json()
            """,
            findings=[(6, 49)],
            note="a hand-rolled registration request",
        ),
        Invalid(
            """
            import httpx

            import mcp

            async def register(endpoint: str, scope: str | None) -> dict:
                payload = {"client_name": "cli", "redirect_uris": ["http://127.0.0.1:8765/cb"], "application_type": "native"}
                if scope:
                    payload["scope"] = scope
                async with httpx.AsyncClient() as client:
                    response = await client.post(endpoint, json=payload, headers={"Content-Type": "application/json"})
                return response.json()
            """,
            findings=[(10, 26)],
            note="the payload built above the POST",
        ),
        Valid(
            """
            from mcp.client.auth import OAuthClientProvider

            provider = OAuthClientProvider(
                server_url="https://api.example.com/mcp",
                client_metadata=metadata,
                storage=storage,
                client_metadata_url="https://cli.example.com/oauth/client.json",
            )
            """
        ),
        Valid(
            """
            import requests

            def register_web_app(url):
                # Dynamic Client Registration for a web app's own login: nothing to do with MCP
                requests.post(url, json={"client_name": "shop", "redirect_uris": ["https://shop.example.com/cb"]})
            """
        ),
        Valid(
            """
            import requests

            def save_settings(url):
                # a web app's own settings form, not client registration
                requests.post(url, json={"redirect_uris": "keep", "theme": "dark"})
            """
        ),
        Valid(
            """
            CLIENT_METADATA = {"client_id": "https://cli.example.com/oauth/client.json", "client_name": "cli",
                               "redirect_uris": ["http://localhost:3030/callback"]}  # a CIMD document: served, not POSTed
            """
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """`class Provider(OAuthAuthorizationServerProvider): async def register_client(...)`: a server's DCR."""
        bases = {self.context.qualified_name(base.value) for base in node.bases}
        if not (bases & SERVER_PROVIDERS or any(self.context.options.project.derives_from(b, SERVER_PROVIDERS) for b in bases)):
            return
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        for statement in body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == "register_client":
                self.report(statement.name, "this authorization server serves Dynamic Client Registration, which 2026-07-28 "
                            "deprecates for MCP clients", help=SERVER_HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.context.qualified_name(func) in PROVIDERS:
            keywords = {arg.keyword.value for arg in node.args if arg.keyword is not None}
            positional = sum(1 for arg in node.args if arg.keyword is None)
            # client_metadata_url is the sixth parameter (in 1.x and 2.x alike)
            if "client_metadata_url" not in keywords and not any(arg.star for arg in node.args) and positional < 6:
                self.report(node, MESSAGE, help=SDK_HELP)
            return
        posted = self.posted_body(node)  # json={...}, or json=payload built above in the function
        if posted is None or posted[1] is None or not mcp_evidence(self.context):
            return  # registering an OAuth client is no MCP matter elsewhere
        where, payload, _ = posted
        keys = dict_entries(payload).keys()
        if "redirect_uris" in keys and METADATA_KEYS & keys:
            # at the payload written in the call, else at the POST (the payload may be built far above)
            self.report(where if where is payload else node, MESSAGE, help=HAND_HELP)
