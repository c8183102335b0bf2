"""MCP904 protocol-version-header: a Streamable HTTP POST names its `_meta` version in a header too."""

from __future__ import annotations

import json

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import Invalid, NodeFix, Valid, replace
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rules._kits.http_posts import Post, PostRule, add_headers
from mcpmigrate.rules._kits.jsonrpc import dict_entries, string_value
from mcpmigrate.rules._kits.spec import META_VERSION, PROTOCOL_VERSION_HEADER
from mcpmigrate.steps import Side, Step

HEADER = PROTOCOL_VERSION_HEADER


def meta_version(message: cst.Dict) -> cst.BaseExpression | None:
    """The `params._meta` protocol version expression of a message literal, or None."""
    params = dict_entries(message).get("params")
    if params is None or not isinstance(params.value, cst.Dict):
        return None
    meta = dict_entries(params.value).get("_meta")
    if meta is None or not isinstance(meta.value, cst.Dict):
        return None
    version = dict_entries(meta.value).get(META_VERSION)
    return version.value if version is not None else None


class ProtocolVersionHeader(PostRule):
    code = "MCP904"
    name = "protocol-version-header"
    step = Step.ROUTING_HEADERS
    side = Side.CLIENT
    summary = "Hand-rolled HTTP clients whose `MCP-Protocol-Version` header is missing or differs from `_meta`"
    why = (
        "Every 2026-07-28 Streamable HTTP POST MUST carry `MCP-Protocol-Version`, equal to the request's "
        f"`_meta` `{META_VERSION}` (SEP-2243): gateways route on the header without reading the body, and a "
        "server answers a missing or different one with HTTP 400 and `-32020` HeaderMismatch."
    )
    fix_summary = "`MCP-Protocol-Version` added from the `_meta` version (a differing one: unsafe)"
    fix_description = (
        "Adds the header with the `_meta` version to the call's `headers=` dict (or adds `headers=`); a header "
        "with another literal value gets the `_meta` one."
    )
    fix_safety = (
        "Safe when both are literals and the header is missing: the value is the one the body already states. "
        "Changing a header that differs is unsafe (which of the two the code meant is a guess); a version "
        "given by an expression is only reported."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http",
        "../shared/reference/spec-2026-07-28-details.md section 2.6",
    )
    tokens = ("io.modelcontextprotocol/protocolversion",)
    context_tokens = ("post",)
    examples = (
        Invalid(
            """
            import httpx

            def call(client: httpx.Client):
                body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}}
                client.post("/mcp", json=body, headers={"Mcp-Method": "tools/list"})
                client.post("/mcp", json=body)
                client.post("/mcp", json=body, headers={"mcp-protocol-version": "2025-11-25", "Mcp-Method": "tools/list"})
            """,
            findings=[(5, 5), (6, 5), (7, 5)],
            fixed="""
            import httpx

            def call(client: httpx.Client):
                body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}}
                client.post("/mcp", json=body, headers={"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"})
                client.post("/mcp", json=body, headers={"MCP-Protocol-Version": "2026-07-28"})
                client.post("/mcp", json=body, headers={"mcp-protocol-version": "2025-11-25", "Mcp-Method": "tools/list"})
            """,
            unsafe_fixed="""
            import httpx

            def call(client: httpx.Client):
                body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}}
                client.post("/mcp", json=body, headers={"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"})
                client.post("/mcp", json=body, headers={"MCP-Protocol-Version": "2026-07-28"})
                client.post("/mcp", json=body, headers={"mcp-protocol-version": "2026-07-28", "Mcp-Method": "tools/list"})
            """,
        ),
        Valid(
            """
            import requests

            def call(url):
                body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}
                return requests.post(url, json=body, headers={"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"})
            """
        ),
        Valid(
            """
            import requests

            def call(url, headers):
                body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}}
                requests.post(url, json=body, headers=headers)  # headers built elsewhere
                requests.get(url, params={"io.modelcontextprotocol/protocolVersion": "x"})  # no POST
            """
        ),
        Valid(
            """
            import sys, json

            def stdio(body):
                # stdio has no headers
                sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}}))
            """
        ),
    )

    def on_post(self, post: Post) -> None:
        if post.message is None:
            return
        version = meta_version(post.message)
        if version is None:
            return  # no version in `_meta`: MCP905
        if post.headers is not None and self.literal(post.headers.value) is None:
            return  # headers built elsewhere
        headers = self.literal(post.headers.value) if post.headers is not None else None
        present = {key.lower(): element for key, element in dict_entries(headers).items()} if headers is not None else {}
        literal = string_value(version)
        header = present.get(HEADER.lower())
        if header is None:
            message = f"this MCP request is POSTed without `{HEADER}`: 2026-07-28 servers reject it (400, `-32020` HeaderMismatch)"
            if literal is None:
                self.report(post.call, message, help=f"Send `{HEADER}` with the request's `_meta` version")
                return
            edit = add_headers(post.call, headers, lambda view: f'"{HEADER}": {json.dumps(literal)}')
            self.report(post.call, message, fix=NodeFix(f"Send `{HEADER}: {literal}`", Applicability.SAFE, (edit,)))
            return
        sent = string_value(header.value)
        if sent is None or literal is None or sent == literal:
            return
        message = f"`{HEADER}: {sent}` differs from the `_meta` version `{literal}`: 2026-07-28 servers reject it (400, `-32020`)"
        if isinstance(header.value, cst.SimpleString):
            fix = NodeFix(f"Send `{literal}`", Applicability.UNSAFE, (replace(header.value, string_literal(header.value, literal)),))
            self.report(post.call, message, fix=fix)
        else:
            self.report(post.call, message, help="Send the same version in the header and in `_meta`")
