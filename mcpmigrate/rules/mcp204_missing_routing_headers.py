"""MCP204 missing-routing-headers: MCP requests POSTed without `Mcp-Method` / `Mcp-Name`."""

from __future__ import annotations

import base64
import json

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import Invalid, NodeFix, SourceView, Valid
from mcpmigrate.rules._kits.http_posts import Post, PostRule, add_headers
from mcpmigrate.rules._kits.jsonrpc import dict_entries, mcp_evidence, string_value
from mcpmigrate.rules._kits.spec import MCP_METHODS, MCP_ONLY_METHODS, REMOVED_METHODS
from mcpmigrate.steps import Side, Step

# Which params field names the request, by method (the Tasks extension adds its task ids).
NAME_FIELDS = {
    "tools/call": "name", "prompts/get": "name", "resources/read": "uri",
    "tasks/get": "taskId", "tasks/update": "taskId", "tasks/cancel": "taskId",
}


def header_value(value: str) -> str:
    """The header form of a value: itself if plain printable ASCII, else the `=?base64?...?=` sentinel."""
    plain = value.isascii() and value.isprintable() and value == value.strip() and not value.startswith("=?base64?")
    return value if plain else "=?base64?" + base64.b64encode(value.encode()).decode("ascii") + "?="


class MissingRoutingHeaders(PostRule):
    code = "MCP204"
    name = "missing-routing-headers"
    step = Step.ROUTING_HEADERS
    side = Side.CLIENT
    summary = "MCP requests POSTed over HTTP without the `Mcp-Method` and `Mcp-Name` headers"
    why = (
        "2026-07-28 Streamable HTTP requires every POST to carry `Mcp-Method` (the JSON-RPC method) and, "
        "for `tools/call`, `prompts/get` and `resources/read`, `Mcp-Name` (`params.name` or `params.uri`), "
        "so gateways can route without parsing bodies. A server checks them against the body and answers "
        "400 with `-32020` HeaderMismatch when they are missing or differ. Values that are not plain ASCII "
        "travel as `=?base64?...?=`."
    )
    fix_summary = "`Mcp-Method` / `Mcp-Name` added to POSTed requests"
    fix_description = (
        "Adds the headers to the call: a new `headers={...}` argument, or entries in front of the existing "
        "`headers` dict (written in the call or assigned just before). `Mcp-Name` gets the encoded value of "
        "the request's `name` / `uri`."
    )
    fix_safety = (
        "Safe when the method and the name are literals (the values are then known exactly). Unsafe when "
        "the name is an expression: the fix repeats its source text in the header, evaluating it twice."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http",
        "../shared/reference/spec-2026-07-28-details.md section 2.6",
    )
    # The method of a request that keeps existing, in a POST call; or a JSON-RPC message built around a
    # method handed in (a client's one sending path names no method).
    tokens = tuple(sorted(method.lower() for method in MCP_METHODS - REMOVED_METHODS)) + ("jsonrpc",)
    context_tokens = ("post",)
    examples = (
        Invalid(
            """
            import httpx

            DISCOVER = "server/discover"


            def send(client: httpx.Client, url: str, method: str, params: dict, request_id: int) -> dict:
                payload = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
                return client.post(url, json=payload, headers={"Authorization": "Bearer t"}).json()
            """,
            findings=[(8, 12)],
            unsafe_fixed="""
            import httpx

            DISCOVER = "server/discover"


            def send(client: httpx.Client, url: str, method: str, params: dict, request_id: int) -> dict:
                payload = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
                return client.post(url, json=payload, headers={"Mcp-Method": method, "Authorization": "Bearer t"}).json()
            """,
            note="a client's one sending path, the method handed in: `Mcp-Method` is that method (`Mcp-Name` is left to you)",
        ),
        Invalid(
            """
            import json

            import aiohttp
            import httpx

            URL = "http://localhost:8000/mcp"


            def rpc(method: str, params: dict | None = None, id: int = 1) -> dict:
                return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}


            async def tools(client: httpx.AsyncClient) -> dict:
                payload = rpc("tools/list")
                return (await client.post(URL, json=payload)).json()


            async def call(session: aiohttp.ClientSession) -> dict:
                async with session.post(URL, data=json.dumps(rpc("tools/call", {"name": "x"}))) as response:
                    return await response.json()


            async def prompts(client: httpx.AsyncClient) -> list[str]:
                async with client.stream("POST", URL, json={"jsonrpc": "2.0", "id": 2, "method": "prompts/list"}) as response:
                    return [line async for line in response.aiter_lines()]
            """,
            findings=[(15, 19), (19, 50), (24, 48)],
            fixed="""
            import json

            import aiohttp
            import httpx

            URL = "http://localhost:8000/mcp"


            def rpc(method: str, params: dict | None = None, id: int = 1) -> dict:
                return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}


            async def tools(client: httpx.AsyncClient) -> dict:
                payload = rpc("tools/list")
                return (await client.post(URL, json=payload, headers={"Mcp-Method": "tools/list"})).json()


            async def call(session: aiohttp.ClientSession) -> dict:
                async with session.post(URL, data=json.dumps(rpc("tools/call", {"name": "x"}))) as response:
                    return await response.json()


            async def prompts(client: httpx.AsyncClient) -> list[str]:
                async with client.stream("POST", URL, json={"jsonrpc": "2.0", "id": 2, "method": "prompts/list"}, headers={"Mcp-Method": "prompts/list"}) as response:
                    return [line async for line in response.aiter_lines()]
            """,
            note="a message built by a helper and assigned above, aiohttp's `data=json.dumps(...)`, and "
            "`client.stream(\"POST\", ...)`; a tool call's name built inside the helper is left to a person",
        ),
        Invalid(
            """
            import httpx

            def call_tool(client: httpx.Client, url: str) -> dict:
                response = client.post(url, json={
                    "jsonrpc": "2.0",
                    "id": 2,
                    "method": "tools/call",
                    "params": {"name": "forecast", "arguments": {"city": "Paris"}},
                })
                return response.json()
            """,
            findings=[(4, 38)],
            fixed="""
            import httpx

            def call_tool(client: httpx.Client, url: str) -> dict:
                response = client.post(url, json={
                    "jsonrpc": "2.0",
                    "id": 2,
                    "method": "tools/call",
                    "params": {"name": "forecast", "arguments": {"city": "Paris"}},
                }, headers={"Mcp-Method": "tools/call", "Mcp-Name": "forecast"})
                return response.json()
            """,
        ),
        Invalid(
            """
            import json
            import requests

            def read(url: str, token: str, uri: str):
                headers = {"Authorization": token}
                message = {"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}}
                requests.post(url, headers=headers, data=json.dumps(message))
                listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
                return requests.post(url, json=listing, headers={"Authorization": token, "Accept": "application/json"})
            """,
            findings=[(7, 5), (9, 12)],
            fixed="""
            import json
            import requests

            def read(url: str, token: str, uri: str):
                headers = {"Authorization": token}
                message = {"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}}
                requests.post(url, headers=headers, data=json.dumps(message))
                listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
                return requests.post(url, json=listing, headers={"Mcp-Method": "tools/list", "Authorization": token, "Accept": "application/json"})
            """,
            unsafe_fixed="""
            import json
            import requests

            def read(url: str, token: str, uri: str):
                headers = {"Mcp-Method": "resources/read", "Mcp-Name": uri, "Authorization": token}
                message = {"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}}
                requests.post(url, headers=headers, data=json.dumps(message))
                listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
                return requests.post(url, json=listing, headers={"Mcp-Method": "tools/list", "Authorization": token, "Accept": "application/json"})
            """,
            note="messages and headers in variables; a name that is not a literal makes the fix unsafe",
        ),
        Invalid(
            """
            import httpx

            async def ask(client: httpx.AsyncClient):
                return await client.post("/mcp", json={"jsonrpc": "2.0", "id": 3, "method": "prompts/get",
                                                       "params": {"name": "résumé"}}, headers={})
            """,
            findings=[(4, 43)],
            fixed="""
            import httpx

            async def ask(client: httpx.AsyncClient):
                return await client.post("/mcp", json={"jsonrpc": "2.0", "id": 3, "method": "prompts/get",
                                                       "params": {"name": "résumé"}}, headers={"Mcp-Method": "prompts/get", "Mcp-Name": "=?base64?csOpc3Vtw6k=?="})
            """,
            note="a name that is not plain ASCII travels Base64-encoded",
        ),
        Invalid(
            """
            import httpx

            def rpc(method: str, params: dict | None = None, id: int = 1) -> dict:
                return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}

            def tools(client: httpx.Client, name: str):
                client.post("/mcp", json=rpc("tools/list"))
                return client.post("/mcp", json=rpc("tools/call", {"name": name}))
            """,
            findings=[(7, 30), (8, 37)],
            fixed="""
            import httpx

            def rpc(method: str, params: dict | None = None, id: int = 1) -> dict:
                return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}

            def tools(client: httpx.Client, name: str):
                client.post("/mcp", json=rpc("tools/list"), headers={"Mcp-Method": "tools/list"})
                return client.post("/mcp", json=rpc("tools/call", {"name": name}))
            """,
            note="a helper that builds the message around its `method` argument; the name it sends is not followed",
        ),
        Invalid(
            """
            from typing import Any

            import httpx
            import msgspec

            DISCOVER = "server/discover"


            def build_request(method: str, params: dict | None, request_id: int) -> bytes:
                message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
                if params is not None:
                    message["params"] = params
                return msgspec.json.encode(message)


            async def send(client: httpx.AsyncClient, url: str, method: str, params: dict | None) -> dict:
                response = await client.post(url, content=build_request(method, params, 1))
                return response.json()
            """,
            findings=[(17, 47)],
            unsafe_fixed="""
            from typing import Any

            import httpx
            import msgspec

            DISCOVER = "server/discover"


            def build_request(method: str, params: dict | None, request_id: int) -> bytes:
                message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
                if params is not None:
                    message["params"] = params
                return msgspec.json.encode(message)


            async def send(client: httpx.AsyncClient, url: str, method: str, params: dict | None) -> dict:
                response = await client.post(url, content=build_request(method, params, 1), headers={"Mcp-Method": method})
                return response.json()
            """,
            note="a client's one sending path through a helper that encodes the message around the method handed in",
        ),
        Valid(
            """
            import httpx

            def call(client: httpx.Client):
                return client.post("/mcp", headers={"Mcp-Method": "tools/call", "Mcp-Name": "x"},
                                   json={"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "x"}})
            """
        ),
        Valid(
            """
            import requests

            def pay(api):
                return requests.post(api, json={"jsonrpc": "2.0", "id": 1, "method": "eth_sendTransaction", "params": []})
            """
        ),
        Valid(
            """
            import requests

            def lsp(url):
                return requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})

            def handshake(url):  # a removed method: MCP101 says to drop it, so no headers are added
                return requests.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"})

            def notify(url, payload):
                return requests.post(url, json=payload)
            """
        ),
    )

    def on_post(self, post: Post) -> None:
        if post.method not in MCP_METHODS or post.method in REMOVED_METHODS:
            return  # a removed method's message goes altogether (MCP101 and the MCP4xx-MCP6xx rules)
        if post.method not in MCP_ONLY_METHODS and not mcp_evidence(self.context):
            return
        self._check(post.call, post.where, post.message, post.method, post.headers)

    def on_any_post(self, call: cst.Call, where: cst.BaseExpression, message: cst.Dict | None, method: cst.BaseExpression, headers_arg: cst.Arg | None) -> None:
        """A client's sending path for every request (the method handed in): it needs `Mcp-Method` set to
        that method (and `Mcp-Name` for the methods that name something)."""
        if not mcp_evidence(self.context):
            return
        headers = self.literal(headers_arg.value) if headers_arg is not None else None
        if headers_arg is not None and headers is None:
            if "mcp-method" in self.context.text.lower():
                return  # headers built elsewhere, by code that knows the header
            self.report(_reported_at(call, where), self._message(["Mcp-Method", "Mcp-Name"]),
                        help="Send `Mcp-Method` (the request's method) and `Mcp-Name` (for `tools/call`, `resources/read`, "
                        "`prompts/get`) on every request")
            return
        if headers is not None and "mcp-method" in {key.lower() for key in dict_entries(headers)}:
            return

        def entries(view: SourceView) -> str:
            return f'"Mcp-Method": {view.text[view.start(method):view.end(method)]}'

        fix = NodeFix("Send `Mcp-Method`", Applicability.UNSAFE, (add_headers(call, headers, entries),))
        self.report(_reported_at(call, where), self._message(["Mcp-Method", "Mcp-Name"]), fix=fix,
                    help="Send `Mcp-Name` too for `tools/call`, `resources/read` and `prompts/get` (the name or URI)")

    def _check(
        self, call: cst.Call, where: cst.BaseExpression, message: cst.Dict | None, method: str, headers_arg: cst.Arg | None
    ) -> None:
        headers = self.literal(headers_arg.value) if headers_arg is not None else None
        if headers_arg is not None and headers is None:
            return  # headers built elsewhere: nothing to say for sure
        present = {key.lower() for key in dict_entries(headers)} if headers is not None else set()
        wanted: list[tuple[str, str | None, cst.BaseExpression | None]] = []  # (header, literal value, expression)
        if "mcp-method" not in present:
            wanted.append(("Mcp-Method", method, None))
        field = NAME_FIELDS.get(method)
        if field and "mcp-name" not in present:
            params = dict_entries(message).get("params") if message is not None else None
            value = dict_entries(params.value).get(field) if params and isinstance(params.value, cst.Dict) else None
            if value is None:
                missing = [header for header, _, _ in wanted] + ["Mcp-Name"]
                self.report(_reported_at(call, where), self._message(missing), help=f"Send {' and '.join(f'`{h}`' for h in missing[:-1])}"
                            f"{' and ' if len(missing) > 1 else ''}`Mcp-Name` with the request's `params.{field}`")
                return
            literal = string_value(value.value)
            wanted.append(("Mcp-Name", literal, None if literal is not None else value.value))
        if not wanted:
            return
        safe = all(expression is None for _, _, expression in wanted)

        def entries(view: SourceView) -> str:
            parts = []
            for header, literal, expression in wanted:
                text = json.dumps(header_value(literal), ensure_ascii=False) if literal is not None else view.text[view.start(expression):view.end(expression)]
                parts.append(f'"{header}": {text}')
            return ", ".join(parts)

        edit = add_headers(call, headers, entries)
        applicability = Applicability.SAFE if safe else Applicability.UNSAFE
        fix = NodeFix(f"Send {', '.join(f'`{h}`' for h, _, _ in wanted)}", applicability, (edit,))
        self.report(_reported_at(call, where), self._message([header for header, _, _ in wanted]), fix=fix)

    @staticmethod
    def _message(missing: list[str]) -> str:
        names = " and ".join(f"`{name}`" for name in missing)
        return f"this MCP request is POSTed without {names}: 2026-07-28 servers reject it (400, `-32020` HeaderMismatch)"


def _reported_at(call: cst.Call, where: cst.BaseExpression) -> cst.CSTNode:
    """The message where the POST spells it out (a literal, a helper's call), else the POST itself: a
    name (`json=payload`) says nothing a reader looks for."""
    return call if isinstance(where, cst.Name) else where
