"""MCP905 missing-request-meta: every 2026-07-28 request carries the protocol version and capabilities."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, insert_after
from mcpmigrate.rules._kits.handler_results import add_entries, case_methods, dispatched_methods
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import (
    EVIDENCE_TOKENS,
    builds_on_client_session,
    dict_entries,
    mcp_evidence,
    message_method,
    string_value,
)
from mcpmigrate.rules._kits.method_mentions import RPC_HELPER, CallMentions, json_text_method, method_positions
from mcpmigrate.rules._kits.spec import CURRENT_VERSION, META_CAPABILITIES, META_VERSION, SERVER_METHODS
from mcpmigrate.steps import Step

REQUEST_METHODS = SERVER_METHODS | {"server/discover"}
DEFAULTS = {META_VERSION: f'"{META_VERSION}": "{CURRENT_VERSION}"', META_CAPABILITIES: f'"{META_CAPABILITIES}": {{}}'}
HANDSHAKE_FIELDS = frozenset({"capabilities", "protocolVersion"})
STORED = (
    "the client's `{field}` is kept from `initialize`: a 2026-07-28 server reads it from each request's "
    "`_meta` and MUST NOT carry it over from an earlier request"
)
STORED_HELP = (
    f"Read `params[\"_meta\"][\"{META_CAPABILITIES}\"]` (and `{META_VERSION}`) in the handler that needs it; "
    "keep answering `initialize` from it only for older clients"
)
HELP = (
    f"Send `\"_meta\": {{\"{META_VERSION}\": \"2026-07-28\", \"{META_CAPABILITIES}\": {{...}}}}` in `params` "
    "(and `io.modelcontextprotocol/clientInfo`)"
)


class MissingRequestMeta(Rule):
    code = "MCP905"
    name = "missing-request-meta"
    step = Step.META_AND_DISCOVER
    summary = "Hand-rolled MCP requests without `_meta` version and capabilities, and servers that keep them from `initialize`"
    why = (
        "With no `initialize`, a 2026-07-28 server learns who is asking from each request: `params._meta` "
        f"MUST carry `{META_VERSION}` and `{META_CAPABILITIES}` (SEP-2575), and a request without them is "
        "malformed (`-32602`, HTTP 400). A server MUST NOT take them from an earlier request."
    )
    fix_summary = "`_meta` protocol version and client capabilities added to request literals (unsafe)"
    fix_description = (
        "Adds the missing keys, with `\"2026-07-28\"` and no capabilities (`{}`), to the request's `params._meta` "
        "(adding `_meta`, or `params`, where the literal has none). A server that stores the `initialize` "
        "request's `capabilities` or `protocolVersion` (on `self`, in a session store) is reported."
    )
    fix_safety = (
        "Unsafe: `{}` declares no client capabilities, so a server will not ask this client for elicitation "
        "or sampling; declare the ones the client supports."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning",
        "../shared/reference/spec-2026-07-28-details.md section 2.1",
    )
    tokens = (*sorted(REQUEST_METHODS), "initialize")
    context_tokens = EVIDENCE_TOKENS  # the requests' methods are evidence; the stores need it
    examples = (
        Invalid(
            """
            from .harness import rpc


            def test_tools(session):
                listed = rpc(session, "tools/list", {})
                read = rpc(session, "resources/read", {"uri": "kafka://topics"})
                assert listed and read
            """,
            findings=[(5, 27), (6, 25)],
            note="requests sent through a helper, from a file that never names `_meta`",
        ),
        Valid(
            """
            from mcp.types import ListToolsResult


            class Gateway:
                def handled(self, user_id: str) -> None:
                    self._log_mcp(method="tools/list", user_id=user_id, success=True)
                    self._log_mcp(method="initialize", user_id=user_id, success=True)
            """
        ),
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
        Invalid(
            """
            class Server:
                def handle(self, message):
                    params = message.get("params", {})
                    if message["method"] == "initialize":
                        self.client_capabilities = params["capabilities"]
                        SESSIONS[message["id"]]["version"] = params.get("protocolVersion")
                        requested = params["protocolVersion"]  # a local: fine
                        return {"protocolVersion": requested}
                    if message["method"] == "tools/list":
                        return {"tools": []}
            """,
            findings=[(5, 13), (6, 13)],
            note="a server that keeps what the handshake said (reported, not rewritten)",
        ),
        Valid(
            """
            class LanguageServer:
                def handle(self, message):
                    # a Language Server Protocol server: `initialize` is its handshake, not MCP's
                    if message["method"] == "initialize":
                        self.client_capabilities = message["params"]["capabilities"]
            """
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

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.no_meta: bool | None = None  # see _never_sends_meta
        self.definitions: frozenset[str] | None = None  # see _defined

    # -- servers: what `initialize` stored -----------------------------------------------------

    def visit_If(self, node: cst.If) -> None:
        if any(found[0] == "initialize" for found in dispatched_methods(self.context, node.test)):
            self._stored(node.body)

    def visit_Match(self, node: cst.Match) -> None:
        for case in node.cases:
            if any(method == "initialize" for method, _ in case_methods(self.context, case.pattern)):
                self._stored(case.body)

    def _stored(self, body: cst.CSTNode) -> None:
        if not mcp_evidence(self.context):
            return  # Language Server Protocol servers answer `initialize` too
        stores = _HandshakeStores()
        body.visit(stores)
        for target, field in stores.found:
            self.report(target, STORED.format(field=field), help=STORED_HELP)

    # -- clients: requests ----------------------------------------------------------------------

    def _defined(self) -> frozenset[str]:
        """The names of the functions and methods this file defines."""
        if self.definitions is None:
            self.definitions = frozenset(m.group(1) for m in re.finditer(r"def[ \t]+(\w+)", self.context.text))
        return self.definitions

    def _never_sends_meta(self) -> bool:
        """The file names no `_meta` anywhere: no request it builds carries one, wherever its params come from."""
        if self.no_meta is None:
            self.no_meta = "_meta" not in self.context.text and META_VERSION not in self.context.text and mcp_evidence(self.context)
        return self.no_meta

    def visit_Dict(self, node: cst.Dict) -> None:
        method = message_method(node)
        entries = dict_entries(node)
        if method is None and "method" in entries and "jsonrpc" in entries and "id" in entries and _names_a_method(entries["method"].value):
            # a request builder: `{"jsonrpc": "2.0", "id": next_id, "method": method, "params": params}`
            if self._never_sends_meta() and not builds_on_client_session(self.context):
                self.report(node, "the requests built here carry no `_meta` with the protocol version and client capabilities: "
                            "2026-07-28 servers reject them", help=HELP)
            return
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
            if self._never_sends_meta():  # built elsewhere, by code that never names `_meta`
                self.report(node, message, help=HELP)
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


    def visit_Call(self, node: cst.Call) -> None:
        """`MCPRequest(method="tools/list", id=1)`, `JSONRPCRequest(method=..., params={...})`: a typed request;
        `rpc(session, "tools/list", {...})`: a request sent through a helper, from a file that never names `_meta`."""
        carried = self.context.shared(CallMentions).of(node)[0]
        # A helper defined here builds its request here: that builder is the finding, not each call of it.
        callee = last_name(node.func) or ""
        sender = RPC_HELPER.search(callee) is not None and callee not in method_positions(self.context) and callee not in self._defined()
        if carried is not None and sender and carried[1] in REQUEST_METHODS and self._never_sends_meta() and not builds_on_client_session(self.context):
            if not (isinstance(node.func, cst.Name) and node.func.value in ("dict",)):
                self.report(carried[0], f"this `{carried[1]}` request is sent without `_meta` with the protocol version and "
                            "client capabilities: 2026-07-28 servers reject it", help=HELP)
                return
        name = last_name(node.func) or ""
        qualified = self.context.qualified_name(node.func) or ""
        if not name.endswith("Request") or qualified.startswith(("mcp.", "fastmcp.")) or not mcp_evidence(self.context):
            return  # (the SDK's typed requests: its session adds `_meta` when it sends one)
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        method = string_value(keywords.get("method"))
        if method not in REQUEST_METHODS:
            return
        params = keywords.get("params")
        lacking = params is None or (isinstance(params, cst.Dict) and "_meta" not in dict_entries(params)) or (
            not isinstance(params, cst.Dict) and self._never_sends_meta()
        )
        if lacking:
            self.report(node, f"this `{method}` request has no `_meta` with the protocol version and client capabilities: "
                        "2026-07-28 servers reject it", help=HELP)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        """`b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'`: a request written as JSON text."""
        method = json_text_method(node)
        if method in REQUEST_METHODS and "_meta" not in node.value and '"id"' in node.value:
            self.report(node, f"this `{method}` request has no `_meta` with the protocol version and client capabilities: "
                        "2026-07-28 servers reject it", help=HELP)


def _names_a_method(node: cst.BaseExpression) -> bool:
    """`method`, `self.method`, `request.method`: a method handed in, not a literal."""
    return isinstance(node, (cst.Name, cst.Attribute)) and "method" in (last_name(node) or "").lower()


class _HandshakeStores(cst.CSTVisitor):
    """Assignments that keep an `initialize` request's capabilities or version beyond it: to an
    attribute (`self.client_caps = params["capabilities"]`) or into a store (`sessions[sid][...] = ...`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[cst.CSTNode, str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        field = _read_field(node.value)
        if field is None:
            return
        for target in node.targets:
            if isinstance(target.target, (cst.Attribute, cst.Subscript)):
                self.found.append((target.target, field))


def _read_field(value: cst.BaseExpression) -> str | None:
    """`x["capabilities"]`, `x.get("protocolVersion")`: the handshake field read, or None."""
    if isinstance(value, cst.Subscript) and len(value.slice) == 1 and isinstance(value.slice[0].slice, cst.Index):
        key = string_value(value.slice[0].slice.value)
        return key if key in HANDSHAKE_FIELDS else None
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "get" and value.args:
        key = string_value(value.args[0].value)
        return key if key in HANDSHAKE_FIELDS else None
    return None
