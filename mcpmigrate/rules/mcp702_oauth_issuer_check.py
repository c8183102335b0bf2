"""MCP702 oauth-issuer-check: authorization callbacks that do not validate `iss` (RFC 9207)."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Rule, Valid
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, mcp_evidence, string_value
from mcpmigrate.steps import Side, Step

PROVIDERS = frozenset({"mcp.client.auth.OAuthClientProvider", "mcp.client.auth.oauth2.OAuthClientProvider"})
MESSAGE = "the authorization callback takes `code` and `state` but not `iss`: 2026-07-28 clients MUST check the issuer"
HELP = (
    "Read `iss` from the redirect and compare it exactly with the issuer recorded from the server's metadata "
    "before redeeming the code (reject a missing `iss` when the metadata says it is supported); with mcp 2.x, "
    "return `AuthorizationCodeResult(code=..., state=..., iss=...)` and the SDK checks it"
)


class _Reads:
    """What one function's own body reads: `x["code"]`, `x.get("state")`, and whether it names `iss`."""

    def __init__(self) -> None:
        self.reads: dict[str, cst.CSTNode] = {}
        self.mentions_iss = False


def _an_error(node: cst.BaseExpression) -> bool:
    """`reply["error"]`, `error`, `exc.data`: what holds an error's `code`, not a callback's query."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return string_value(node.slice[0].slice.value) in ("error", "err")
    name = (last_name(node) or "").lower() if isinstance(node, (cst.Name, cst.Attribute)) else ""
    return "err" in name or "exc" in name


class OAuthIssuerCheck(Rule):
    code = "MCP702"
    name = "oauth-issuer-check"
    step = Step.OAUTH
    side = Side.CLIENT
    summary = "OAuth authorization callbacks that read `code` and `state` without validating `iss` (RFC 9207)"
    why = (
        "2026-07-28 requires clients to validate the `iss` parameter of the authorization response against "
        "the issuer they recorded from the authorization server's metadata, before redeeming the code "
        "(SEP-2468, RFC 9207): it stops mix-up attacks between authorization servers. The mcp 1.x SDK's "
        "`callback_handler` returned `(code, state)`; mcp 2.x expects an `AuthorizationCodeResult` with `iss`."
    )
    fix_summary = "none: callbacks that do not validate `iss` reported"
    fix_description = "None: reading `iss` from wherever the redirect arrives is for a human. Each callback is reported."
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization",
        "https://www.rfc-editor.org/rfc/rfc9207",
    )
    tokens = ("state",)
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Valid(
            """
            import mcp


            def test_delete(client, auth):
                deleted = client.call("delete", headers=auth)
                if "error" in deleted:
                    assert deleted["error"]["code"] in (-32002, -32001)
                else:
                    assert deleted["result"]["state"] == "deleted"
            """
        ),
        Invalid(
            """
            from urllib.parse import parse_qs, urlparse

            from mcp.client.auth import OAuthClientProvider

            async def wait_for_callback() -> tuple[str, str | None]:
                url = await receive_redirect()
                query = parse_qs(urlparse(url).query)
                return query["code"][0], query.get("state", [None])[0]

            provider = OAuthClientProvider("https://mcp.example.com", metadata, storage, callback_handler=wait_for_callback)
            """,
            findings=[(8, 12)],
        ),
        Invalid(
            """
            from starlette.requests import Request
            from mcp.client.streamable_http import streamable_http_client

            async def oauth_callback(request: Request):
                code = request.query_params["code"]
                state = request.query_params.get("state")
                return await exchange(code, state)
            """,
            findings=[(5, 12)],
            note="a hand-rolled callback route in an MCP client",
        ),
        Valid(
            """
            from mcp.shared.auth import AuthorizationCodeResult

            async def wait_for_callback() -> AuthorizationCodeResult:
                params = await receive_redirect()
                return AuthorizationCodeResult(code=params["code"], state=params.get("state"), iss=params.get("iss"))
            """
        ),
        Valid(
            """
            from flask import request

            def github_login():
                code = request.args.get("code")
                state = request.args.get("state")
                return exchange(code, state)
            """
        ),
        Valid(
            """
            import mcp

            def parse(query: dict) -> tuple:
                if query.get("iss") != EXPECTED_ISSUER:
                    raise ValueError("issuer mismatch")
                return query["code"], query["state"]
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.evidence = mcp_evidence(context)
        self.functions: list[_Reads] = []  # one per enclosing function, read in the one traversal

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.evidence:
            self.functions.append(_Reads())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if not self.evidence:
            return
        function = self.functions.pop()
        if "code" in function.reads and "state" in function.reads and not function.mentions_iss:
            self.report(function.reads["code"], MESSAGE, help=HELP)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self.functions and string_value(node) in ("iss", "issuer"):
            self.functions[-1].mentions_iss = True

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self.functions and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            key = string_value(node.slice[0].slice.value)
            if key in ("code", "state") and not _an_error(node.value):
                self.functions[-1].reads.setdefault(key, node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.functions and isinstance(func, cst.Attribute) and func.attr.value in ("get", "getlist", "getone") and node.args:
            key = string_value(node.args[0].value)
            if key in ("code", "state") and not _an_error(func.value):
                self.functions[-1].reads.setdefault(key, node)
