"""MCP905 missing-request-meta: every 2026-07-28 request carries the protocol version and capabilities."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.jsonrpc import META_CAPABILITIES, META_VERSION, SERVER_METHODS, dict_entries, message_method
from mcpmigrate.results import add_entries
from mcpmigrate.rule import Invalid, NodeFix, Rule, Valid, insert_after

REQUEST_METHODS = SERVER_METHODS | {"server/discover"}
DEFAULTS = {META_VERSION: f'"{META_VERSION}": "2026-07-28"', META_CAPABILITIES: f'"{META_CAPABILITIES}": {{}}'}
HELP = (
    f"Send `\"_meta\": {{\"{META_VERSION}\": \"2026-07-28\", \"{META_CAPABILITIES}\": {{...}}}}` in `params` "
    "(and `io.modelcontextprotocol/clientInfo`)"
)


class MissingRequestMeta(Rule):
    code = "MCP905"
    name = "missing-request-meta"
    summary = "Hand-rolled MCP requests without `_meta` protocol version and client capabilities"
    why = (
        "With no `initialize`, a 2026-07-28 server learns who is asking from each request: `params._meta` "
        f"MUST carry `{META_VERSION}` and `{META_CAPABILITIES}` (SEP-2575), and a request without them is "
        "malformed (`-32602`, HTTP 400). A server MUST NOT take them from an earlier request."
    )
    fix_description = (
        "Adds the missing keys, with `\"2026-07-28\"` and no capabilities (`{}`), to the request's `params._meta` "
        "(adding `_meta`, or `params`, where the literal has none)."
    )
    fix_safety = (
        "Unsafe: `{}` declares no client capabilities, so a server will not ask this client for elicitation "
        "or sampling; declare the ones the client supports."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning",
        "../shared/reference/spec-2026-07-28-details.md section 2.1",
    )
    tokens = tuple(sorted(REQUEST_METHODS))
    examples = (
        Invalid(
            """
            import httpx

            def call(client: httpx.Client, city: str):
                request = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "forecast", "arguments": {"city": city}}}
                return client.post("/mcp", json=request)

            def listing():
                return {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
            """,
            findings=[(4, 15), (8, 12)],
            unsafe_fixed="""
            import httpx

            def call(client: httpx.Client, city: str):
                request = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}, "name": "forecast", "arguments": {"city": city}}}
                return client.post("/mcp", json=request)

            def listing():
                return {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}
            """,
        ),
        Invalid(
            """
            DISCOVER = {
                "jsonrpc": "2.0",
                "id": 0,
                "method": "server/discover",
                "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}},
            }
            """,
            findings=[(1, 12)],
            unsafe_fixed="""
            DISCOVER = {
                "jsonrpc": "2.0",
                "id": 0,
                "method": "server/discover",
                "params": {"_meta": {"io.modelcontextprotocol/clientCapabilities": {}, "io.modelcontextprotocol/protocolVersion": "2026-07-28"}},
            }
            """,
            note="a `_meta` with one of the two keys gets the other",
        ),
        Valid(
            """
            META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}

            def call(name):
                return {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": name, "_meta": META}}
            """
        ),
        Valid(
            """
            def notify():
                # a notification is no request; a response has no method
                return [{"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}},
                        {"jsonrpc": "2.0", "id": 1, "result": {"tools": []}}]
            """
        ),
        Valid(
            """
            def lsp():
                return {"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}

            def legacy():
                return {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}  # MCP101's
            """
        ),
    )

    def visit_Dict(self, node: cst.Dict) -> None:
        method = message_method(node)
        entries = dict_entries(node)
        if method not in REQUEST_METHODS or "id" not in entries:
            return
        message = f"this `{method}` request has no `_meta` with the protocol version and client capabilities: 2026-07-28 servers reject it"
        params = entries.get("params")
        if params is None:
            meta = "{" + ", ".join(DEFAULTS.values()) + "}"
            last = node.elements[-1]
            edit = insert_after(last.value, f', "params": {{"_meta": {meta}}}')
            self.report(node, message, fix=NodeFix("Add `params._meta`", Applicability.UNSAFE, (edit,)))
            return
        if not isinstance(params.value, cst.Dict) or any(isinstance(e, cst.StarredDictElement) for e in params.value.elements):
            return  # built elsewhere: nothing to say for sure
        meta = dict_entries(params.value).get("_meta")
        if meta is None:
            text = '"_meta": {' + ", ".join(DEFAULTS.values()) + "}"
            edit = add_entries(self.context, params.value, [text])
        elif isinstance(meta.value, cst.Dict) and not any(isinstance(e, cst.StarredDictElement) for e in meta.value.elements):
            missing = [key for key in DEFAULTS if key not in dict_entries(meta.value)]
            if not missing:
                return
            edit = add_entries(self.context, meta.value, [DEFAULTS[key] for key in missing])
        else:
            return  # `_meta` built elsewhere
        self.report(node, message, fix=NodeFix("Add the `_meta` keys", Applicability.UNSAFE, (edit,)))
