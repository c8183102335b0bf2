"""MCP804 streamable-http-client: `streamablehttp_client` is gone; the transport yields `(read, write)`."""

from __future__ import annotations

from collections import Counter

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, replace_between
from mcpmigrate.rules._kits.sdk_renames import RenameRule
from mcpmigrate.steps import Side, Step

MODULE = "mcp.client.streamable_http"
CLIENTS = frozenset({f"{MODULE}.streamablehttp_client", f"{MODULE}.streamable_http_client", "mcp.client.streamablehttp_client"})
# What streamable_http_client(url, *, http_client=None, terminate_on_close=True, max_sse_event_size=...) takes
# (mcp 2.3.0's signature).
KEPT_KEYWORDS = frozenset({"url", "http_client", "terminate_on_close", "max_sse_event_size"})
HTTPX_SETTINGS = ("headers", "timeout", "sse_read_timeout", "auth", "httpx_client_factory")

TWO_TUPLE = "the streamable HTTP transport yields `(read, write)` in mcp 2.x: there is no session-id callback"


class StreamableHttpClient(RenameRule):
    code = "MCP804"
    name = "streamable-http-client"
    step = Step.SDK_2
    side = Side.CLIENT
    summary = "`streamablehttp_client` is `streamable_http_client` in mcp 2.x, yielding `(read, write)` and taking an `httpx2` client"
    why = (
        "mcp 2.x removed `streamablehttp_client` (ImportError) and `GetSessionIdCallback`. Its replacement "
        "`streamable_http_client(url, *, http_client=None, terminate_on_close=True)` yields a 2-tuple: a "
        "2026-07-28 connection has no protocol session, so there is no `get_session_id`. Unpacking three "
        "values fails at run time, and `headers`, `timeout`, `sse_read_timeout`, `auth` and "
        "`httpx_client_factory` now belong to the `httpx2.AsyncClient` you pass as `http_client`."
    )
    fix_summary = "`streamablehttp_client` -> `streamable_http_client`, `(read, write)`"
    fix_description = (
        "Renames the import and uses, and drops the unused third name from `as (read, write, _)` or "
        "`read, write, _ = await stack.enter_async_context(...)`. Calls that pass HTTP settings, and code "
        "that reads the session id, are reported with the exact replacement to write."
    )
    fix_safety = (
        "Safe when the project targets mcp 2.x and the call passes only `url` and `terminate_on_close`, and "
        "the third name is `_` or never used; unsafe for an older target. With HTTP settings the fix needs "
        "an `httpx2.AsyncClient` that you enter yourself (and `httpx.Auth` objects become `httpx2` ones), "
        "so it is left to you; so is any use of the session id."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1a",
    )
    rename_note = "the old name no longer imports"
    moves = {
        f"{MODULE}.streamablehttp_client": f"{MODULE}.streamable_http_client",
        f"{MODULE}.GetSessionIdCallback": None,
        f"{MODULE}.MCP_PROTOCOL_VERSION": f"{MODULE}.MCP_PROTOCOL_VERSION_HEADER",
    }
    notes = {f"{MODULE}.GetSessionIdCallback": "2026-07-28 connections have no session id"}
    tokens = ("streamablehttp_client", "streamable_http_client", "getsessionidcallback", "mcp_protocol_version")
    context_tokens = ("mcp",)  # only SDK names (mcp, FastMCP) are looked at
    examples = (
        Invalid(
            """
            from mcp import ClientSession
            from mcp.client.streamable_http import streamablehttp_client

            async def main(url: str) -> None:
                async with streamablehttp_client(url, terminate_on_close=False) as (read, write, _):
                    async with ClientSession(read, write) as session:
                        await session.list_tools()
            """,
            findings=[(2, 40), (5, 16), (5, 86)],
            fixed="""
            from mcp import ClientSession
            from mcp.client.streamable_http import streamable_http_client

            async def main(url: str) -> None:
                async with streamable_http_client(url, terminate_on_close=False) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.list_tools()
            """,
        ),
        Invalid(
            """
            from contextlib import AsyncExitStack
            import mcp.client.streamable_http as transport

            async def connect(stack: AsyncExitStack):
                read, write, session_id = await stack.enter_async_context(
                    transport.streamable_http_client("http://127.0.0.1:8000/mcp")
                )
                return read, write
            """,
            findings=[(5, 18)],
            fixed="""
            from contextlib import AsyncExitStack
            import mcp.client.streamable_http as transport

            async def connect(stack: AsyncExitStack):
                read, write = await stack.enter_async_context(
                    transport.streamable_http_client("http://127.0.0.1:8000/mcp")
                )
                return read, write
            """,
            note="1.x's own `streamable_http_client` yielded three values too; an unused third name goes",
        ),
        Invalid(
            """
            from mcp.client.streamable_http import streamablehttp_client

            async def main(url, token):
                async with streamablehttp_client(url, headers={"Authorization": token}, timeout=60) as (r, w, get_id):
                    print(get_id())
            """,
            findings=[(1, 40), (4, 16), (4, 43), (4, 77), (4, 99)],
            note=(
                "HTTP settings and a used session id need a human, so the name is not renamed either: "
                "the help shows what to write"
            ),
        ),
        Invalid(
            """
            from contextlib import AsyncExitStack
            from mcp.client.streamable_http import streamablehttp_client

            async def connect(stack: AsyncExitStack, url):
                transport = await stack.enter_async_context(streamablehttp_client(url))
                read, write, _ = transport
                return read, write
            """,
            findings=[(2, 40), (5, 49), (6, 18)],
            fixed="""
            from contextlib import AsyncExitStack
            from mcp.client.streamable_http import streamable_http_client

            async def connect(stack: AsyncExitStack, url):
                transport = await stack.enter_async_context(streamable_http_client(url))
                read, write = transport
                return read, write
            """,
            note="the transport held in a name and unpacked later",
        ),
        Valid(
            """
            from mcp.client.streamable_http import streamable_http_client

            async def main(url):
                async with streamable_http_client(url) as (read, write):
                    pass
            """
        ),
        Invalid(
            """
            import httpx
            from mcp.client.streamable_http import streamable_http_client

            async def main(url, auth):
                async with httpx.AsyncClient(auth=auth) as http:
                    async with streamable_http_client(url, http_client=http) as (read, write):
                        pass
            """,
            findings=[(6, 48)],
            note="mcp 1.x's `http_client` was an httpx client",
        ),
        Valid(
            """
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            async def main(url, auth):
                async with httpx2.AsyncClient(auth=auth, follow_redirects=True) as http:
                    async with streamable_http_client(url, http_client=http, max_sse_event_size=2**20) as (read, write):
                        pass
            """
        ),
        Valid(
            """
            from mylib.transport import streamablehttp_client

            async def main(url):
                async with streamablehttp_client(url) as (read, write, session_id):
                    print(session_id)
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.names = Counter()  # how often each name is mentioned, to tell whether the third one is used
        self.sites: list[tuple[cst.Call, cst.Tuple]] = []
        self.transports: dict[str, cst.Call] = {}  # names holding what the transport yields, by its call

    def _is_client(self, node: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(node)
        return qualified is not None and self.table().canonical(qualified) in CLIENTS

    def visit_Name(self, node: cst.Name) -> None:
        self.names[node.value] += 1

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if isinstance(item.item, cst.Call) and item.asname is not None and isinstance(item.asname.name, cst.Tuple):
                self._site(item.item, item.asname.name)

    def visit_Assign(self, node: cst.Assign) -> None:
        # read, write, _ = await stack.enter_async_context(streamablehttp_client(url)), or the same in
        # two steps: transport = await stack.enter_async_context(...); read, write, _ = transport
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        value = node.value.expression if isinstance(node.value, cst.Await) else node.value
        entered = _entered(value)
        if isinstance(target, cst.Tuple):
            call = self.transports.get(value.value) if isinstance(value, cst.Name) else entered
            if call is not None:
                self._site(call, target)
        elif isinstance(target, cst.Name) and entered is not None and self._is_client(entered.func):
            self.transports[target.value] = entered

    def visit_Call(self, node: cst.Call) -> None:
        if not self._is_client(node.func):
            return
        binding = node.func.value if isinstance(node.func, cst.Name) else None
        for index, arg in enumerate(node.args):
            keyword = arg.keyword.value if arg.keyword else None
            if keyword == "http_client" and self._httpx_era():
                self.defer(
                    binding,
                    arg,
                    "`http_client` takes an `httpx2.AsyncClient` in mcp 2.x, which moved from httpx to httpx2",
                    help="Build it with `httpx2.AsyncClient(...)` (same arguments; `httpx.Auth` objects become `httpx2` ones)",
                )
                continue
            if keyword in KEPT_KEYWORDS or (keyword is None and index == 0 and not arg.star):
                continue
            shown = keyword or (arg.star + self.context.code_for(arg.value) if arg.star else f"positional argument {index + 1}")
            self.defer(
                binding,
                arg,
                f"`{shown}` is not a parameter of `streamable_http_client` in mcp 2.x",
                help=(
                    "Build the HTTP client yourself: `async with httpx2.AsyncClient(headers=..., "
                    "timeout=httpx2.Timeout(30, read=300), auth=..., follow_redirects=True) as http, "
                    "streamable_http_client(url, http_client=http) as (read, write):`"
                ),
            )

    def _httpx_era(self) -> bool:
        """The file builds its HTTP clients with httpx, which mcp 2.x replaced by httpx2."""
        imports = self.context.imports
        return imports.imports_from("httpx") and not imports.imports_from("httpx2")

    def _site(self, call: cst.Call, target: cst.Tuple) -> None:
        if self._is_client(call.func) and len(target.elements) == 3:
            self.sites.append((call, target))

    def leave_Module(self, original_node: cst.Module) -> None:
        for call, target in self.sites:
            binding = call.func.value if isinstance(call.func, cst.Name) else None
            third = target.elements[2].value
            # Mentioned once (its own binding) or `_`: nothing reads it.
            unused = isinstance(third, cst.Name) and (third.value == "_" or self.names[third.value] <= 1)
            if unused:
                edit = replace_between(target.elements[1], "end", target.elements[2], "end", "")
                self.defer(binding, third, TWO_TUPLE, NodeFix("Unpack `(read, write)`", self.fix_applicability, (edit,)))
            else:
                self.defer(binding, third, TWO_TUPLE, help="Drop the session id: 2026-07-28 has no protocol sessions (keep state in server-minted handles)")
        super().leave_Module(original_node)


def _entered(value: cst.BaseExpression) -> cst.Call | None:
    """The call in `stack.enter_async_context(call(...))`, else None."""
    if (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and value.func.attr.value == "enter_async_context"
        and len(value.args) == 1
        and isinstance(value.args[0].value, cst.Call)
    ):
        return value.args[0].value
    return None
