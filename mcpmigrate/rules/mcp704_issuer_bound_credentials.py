"""MCP704 issuer-bound-credentials: stored client credentials are keyed by the authorization server's issuer."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Rule, Valid
from mcpmigrate.rules._kits.handler_results import subscript_key
from mcpmigrate.rules._kits.jsonrpc import dict_entries, mcp_evidence
from mcpmigrate.steps import Side, Step

CREDENTIAL_KEYS = frozenset({"client_id", "client_secret"})
# What a key names when it names the server rather than the authorization server.
SERVER_WORDS = ("url", "server", "resource", "host", "endpoint")
MESSAGE = "client credentials are stored under the server's address, not the authorization server's issuer"
HELP = (
    "Key stored client credentials by the authorization server's `issuer` (from its metadata), never reuse "
    "them with another one, and register again when the protected resource names a new authorization server"
)


def _names_server(code: str) -> bool:
    """Whether a key's source names the server (`server_url`) and not the issuer."""
    text = code.lower()
    return any(word in text for word in SERVER_WORDS) and "iss" not in text


class IssuerBoundCredentials(Rule):
    code = "MCP704"
    name = "issuer-bound-credentials"
    step = Step.OAUTH
    side = Side.CLIENT
    summary = "OAuth client credentials stored under a key that does not name the issuer"
    why = (
        "2026-07-28 binds client credentials to the authorization server that issued them (SEP-2352): a "
        "client MUST key persisted or pre-registered credentials by that server's `issuer` and MUST NOT "
        "reuse them with another one. An MCP server can move to a new authorization server (its protected "
        "resource metadata says which); credentials found under the MCP server's URL would then go to the "
        "wrong one."
    )
    fix_summary = "none: client credentials stored under the server's address instead of the issuer reported"
    fix_description = "None: where credentials live is the application's. Each store keyed by a server address is reported."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization/client-registration",
        "../shared/reference/spec-2026-07-28-details.md section 6",
    )
    tokens = ("client_id", "client_info")
    context_tokens = ("mcp", "oauth")
    examples = (
        Invalid(
            """
            import json
            from mcp.client.auth import TokenStorage

            class FileStorage(TokenStorage):
                def __init__(self, server_url: str, path: str) -> None:
                    self.server_url, self.path, self.data = server_url, path, {}

                async def set_client_info(self, client_info) -> None:
                    self.data[self.server_url] = client_info.model_dump()
                    json.dump(self.data, open(self.path, "w"))

            def remember(store: dict, server_url: str, registered: dict) -> None:
                store[server_url] = {"client_id": registered["client_id"], "client_secret": registered["client_secret"]}
            """,
            findings=[(9, 9), (13, 5)],
        ),
        Valid(
            """
            from mcp.client.auth import TokenStorage

            class FileStorage(TokenStorage):
                async def set_client_info(self, client_info) -> None:
                    self.data[self.issuer] = client_info.model_dump()  # keyed by the issuer

                async def set_tokens(self, tokens) -> None:
                    self.data[self.server_url + "#tokens"] = tokens  # tokens, not client credentials
            """
        ),
        Valid(
            """
            from mcp.client.auth import TokenStorage

            class MemoryStorage(TokenStorage):
                async def set_client_info(self, client_info) -> None:
                    self.client_info = client_info  # one provider, one authorization server, in memory
            """
        ),
        Valid(
            """
            # A payments SDK's own client ids: no OAuth for MCP here.
            def remember(store, server_url, client_id):
                store[server_url] = {"client_id": client_id}
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.in_set_client_info: list[bool] = [False]
        self.evidence = mcp_evidence(context)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.in_set_client_info.append(node.name.value == "set_client_info")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.in_set_client_info.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self.evidence:
            return
        credentials = isinstance(node.value, cst.Dict) and CREDENTIAL_KEYS & dict_entries(node.value).keys()
        for target in node.targets:
            key = subscript_key(target.target)
            if key is not None and _names_server(self.context.code_for(key)) and (self.in_set_client_info[-1] or credentials):
                self.report(target.target, MESSAGE, help=HELP)
