"""MCP701 oauth-client-registration: client registration without `application_type`."""

from __future__ import annotations

from urllib.parse import urlsplit

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, insert_before
from mcpmigrate.rules._kits.jsonrpc import dict_entries, mcp_evidence, string_value
from mcpmigrate.steps import Side, Step

METADATA = frozenset({"mcp.shared.auth.OAuthClientMetadata", "mcp.shared.auth.OAuthClientInformationFull"})
REGISTRATION_KEYS = frozenset({"client_name", "grant_types", "token_endpoint_auth_method", "response_types"})
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
MESSAGE = "client registration without `application_type`: 2026-07-28 clients MUST declare it"


def application_type(uris: list[str]) -> str | None:
    """`native` for loopback or custom-scheme redirects, `web` for remote ones, None if mixed or unknown."""
    kinds = set()
    for uri in uris:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https"):
            kinds.add("native")
        elif (parts.hostname or "") in LOOPBACK:
            kinds.add("native")
        else:
            kinds.add("web")
    return kinds.pop() if len(kinds) == 1 else None


class OAuthClientRegistration(Rule):
    code = "MCP701"
    name = "oauth-client-registration"
    step = Step.OAUTH
    side = Side.CLIENT
    summary = "OAuth client registration metadata without `application_type` (SEP-837)"
    why = (
        "2026-07-28 clients MUST send an appropriate `application_type` in Dynamic Client Registration. "
        "Without it, OpenID Connect servers assume `\"web\"` and reject the loopback and custom-scheme "
        "redirects that desktop and CLI clients use. (The mcp 2.x SDK's `OAuthClientMetadata` defaults to "
        "`\"native\"`, which is wrong for a client hosted on the web.) Registration itself is deprecated in "
        "favour of Client ID Metadata Documents where the server supports them."
    )
    fix_summary = '`"application_type"` added to registration payloads (unsafe)'
    fix_description = (
        "Adds `\"application_type\"` to a registration payload, `\"native\"` when every redirect URI is a "
        "loopback or custom-scheme one, `\"web\"` when every one is remote. An SDK `OAuthClientMetadata` "
        "whose redirect URIs are all remote is reported, since mcp 2.x would register it as native."
    )
    fix_safety = "Unsafe: the authorization server may reject the type; clients MUST be ready to retry with another."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization",
        "../shared/reference/spec-2026-07-28-details.md section 6",
    )
    tokens = ("redirect_uris",)
    examples = (
        Valid(
            """
            from mcp.client.auth import OAuthClientProvider
            from mcp.shared.auth import OAuthClientMetadata

            metadata = {
                "client_name": "Simple Auth Client",
                "redirect_uris": ["http://localhost:3030/callback"],
                "grant_types": ["authorization_code", "refresh_token"],
            }
            provider = OAuthClientProvider(server_url=url, client_metadata=OAuthClientMetadata.model_validate(metadata))
            """
        ),
        Invalid(
            """
            import httpx
            from mcp import ClientSession

            async def register(client: httpx.AsyncClient, endpoint: str) -> dict:
                metadata = {
                    "client_name": "Notes CLI",
                    "redirect_uris": ["http://127.0.0.1:8765/callback"],
                    "grant_types": ["authorization_code", "refresh_token"],
                }
                return (await client.post(endpoint, json=metadata)).json()
            """,
            findings=[(5, 16)],
            unsafe_fixed="""
            import httpx
            from mcp import ClientSession

            async def register(client: httpx.AsyncClient, endpoint: str) -> dict:
                metadata = {
                    "application_type": "native", "client_name": "Notes CLI",
                    "redirect_uris": ["http://127.0.0.1:8765/callback"],
                    "grant_types": ["authorization_code", "refresh_token"],
                }
                return (await client.post(endpoint, json=metadata)).json()
            """,
        ),
        Invalid(
            """
            from mcp.shared.auth import OAuthClientMetadata

            metadata = OAuthClientMetadata(
                client_name="Notes web app",
                redirect_uris=["https://notes.example.com/oauth/callback"],
            )
            """,
            findings=[(3, 12)],
            note="the SDK would default to `native`, wrong for a web app",
        ),
        Valid(
            """
            from mcp.shared.auth import OAuthClientMetadata

            metadata = OAuthClientMetadata(client_name="cli", redirect_uris=["http://localhost:3000/callback"])
            """
        ),
        Valid(
            """
            import requests

            def register_github_app(endpoint):
                return requests.post(endpoint, json={"client_name": "bot", "redirect_uris": ["https://bot.example.com/cb"]})
            """
        ),
        Valid(
            """
            import mcp

            REGISTRATION = {
                "application_type": "web",
                "client_name": "dashboard",
                "redirect_uris": ["https://dash.example.com/callback"],
            }
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.payloads: list[tuple[cst.Dict, str | None]] = []  # registration dicts, and the name each is bound to
        self.sdk_metadata: set[str] = set()  # names handed to OAuthClientMetadata(**x) / .model_validate(x)
        self.bound: tuple[cst.Dict, str] | None = None  # the dict of the assignment being visited, and its name

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Dict) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.bound = (node.value, node.targets[0].target.value)

    def visit_Dict(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        redirects = entries.get("redirect_uris")
        if redirects is None or "application_type" in entries or not (REGISTRATION_KEYS & entries.keys()):
            return
        if not mcp_evidence(self.context):
            return
        self.payloads.append((node, self.bound[1] if self.bound and self.bound[0] is node else None))

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, name in self.payloads:
            self._payload(node, name in self.sdk_metadata)

    def _payload(self, node: cst.Dict, sdk_model: bool) -> None:
        uris = _literal_list(dict_entries(node)["redirect_uris"].value)
        kind = application_type(uris) if uris else None
        if sdk_model and kind != "web":
            return  # it becomes the SDK's OAuthClientMetadata, whose mcp 2.x default (`native`) is right here
        first = node.elements[0]
        fix = NodeFix(f'Declare `"application_type": "{kind}"`', Applicability.UNSAFE,
                      (insert_before(first, f'"application_type": "{kind}", '),)) if kind else None
        self.report(node, MESSAGE, fix=fix, help=None if fix else 'Add `"application_type": "native"` (desktop, CLI, loopback redirects) or `"web"`')

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "model_validate" and self.context.qualified_name(func.value) in METADATA:
            self.sdk_metadata.update(arg.value.value for arg in node.args if isinstance(arg.value, cst.Name))
            return
        if self.context.qualified_name(func) not in METADATA:
            return
        self.sdk_metadata.update(arg.value.value for arg in node.args if arg.star == "**" and isinstance(arg.value, cst.Name))
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        if "application_type" in keywords:
            return
        uris = _literal_list(keywords.get("redirect_uris"))
        if uris and application_type(uris) == "web":
            self.report(node, MESSAGE + " (mcp 2.x would send `native`)", help='Pass `application_type="web"`')


def _literal_list(node: cst.BaseExpression | None) -> list[str]:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return []
    values = [string_value(element.value) for element in node.elements]
    return [value for value in values if value is not None] if None not in values else []
