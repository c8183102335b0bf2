"""MCP403 server-roots: a server that asks its client for its roots mid-request."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.server_requests import RESOLVER_MODULE, ResolverParts, ServerRequestRule
from mcpmigrate.steps import Side, Step


class ServerRoots(ServerRequestRule):
    code = "MCP403"
    name = "server-roots"
    step = Step.MULTI_ROUND_TRIP
    side = Side.SERVER
    summary = "Servers that request `roots/list` from their client (`list_roots()`)"
    why = (
        "On 2026-07-28 a server cannot send requests to its client (mcp 2.x raises NoBackChannelError; "
        "FastMCP 4 removed `ctx.list_roots`). Roots are also deprecated (SEP-2577): pass the directories a "
        "tool may use as tool parameters, resource URIs or server configuration."
    )
    fix_summary = "`ctx.session.list_roots()` in a tool -> a `Resolve` parameter (unsafe); other roots requests reported"
    fix_description = (
        "For `roots = await ctx.session.list_roots()` at the top level of an `@mcp.tool()`: the request moves "
        "into a resolver, `async def roots_<tool>() -> ListRoots: return ListRoots()`, and the tool receives "
        "`roots: Annotated[ListRootsResult, Resolve(roots_<tool>)]`, which the mcp 2.x SDK fills on either "
        "protocol era. Roots are deprecated all the same: taking the paths as tool parameters or "
        "configuration is the lasting answer. Other requests are reported."
    )
    fix_safety = "Unsafe: the roots are asked for before the tool body runs, every time, and roots stay deprecated."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/deprecated",
        "../shared/reference/python-sdk-v1-to-v2.md section 6",
    )
    context_methods = frozenset({"list_roots"})
    session_methods = frozenset({"list_roots"})
    wire_method = "roots/list"
    request_kind = "roots"
    help_text = (
        "Take the directories as tool parameters or server configuration; or, while roots last, "
        "`Annotated[ListRootsResult, Resolve(fn)]` with `fn` returning `ListRoots()` (mcp 2.x)"
    )
    tokens = ("roots",)
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("files")

            @mcp.tool()
            async def workspace(ctx: Context) -> list[str]:
                roots = await ctx.session.list_roots()
                return [str(root.uri) for root in roots.roots]
            """,
            findings=[(7, 19)],
            unsafe_fixed="""
            from typing import Annotated

            from mcp.server.fastmcp import Context, FastMCP
            from mcp.server.mcpserver import ListRoots, Resolve
            from mcp.types import ListRootsResult

            mcp = FastMCP("files")

            async def roots_workspace() -> ListRoots:
                return ListRoots()


            @mcp.tool()
            async def workspace(ctx: Context, roots: Annotated[ListRootsResult, Resolve(roots_workspace)]) -> list[str]:
                return [str(root.uri) for root in roots.roots]
            """,
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server
            from mcp.server.session import ServerSession

            server = Server("files")

            async def folders(session: ServerSession):
                return await session.list_roots()

            async def current():
                return await server.request_context.session.list_roots()
            """,
            findings=[(7, 18), (10, 18)],
            note="a ServerSession parameter, and the low-level `request_context`",
        ),
        Valid(
            """
            from pathlib import Path
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("files")

            @mcp.tool()
            def workspace(root: str) -> list[str]:
                return [p.name for p in Path(root).iterdir()]
            """
        ),
        Valid(
            """
            from mcp import ClientSession
            from mcp.types import ListRootsResult

            async def list_roots(context) -> ListRootsResult:
                return ListRootsResult(roots=[])

            def client(read, write):
                return ClientSession(read, write, list_roots_callback=list_roots)
            """
        ),
        Valid(
            """
            import anytree

            def leaves(tree):
                return tree.list_roots()
            """
        ),
    )

    def resolver_parts(self, call: cst.Call) -> ResolverParts | None:
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "list_roots" or call.args:
            return None
        return ResolverParts(
            prefix="roots",
            uses=(),
            imports=((RESOLVER_MODULE, "ListRoots"), ("mcp.types", "ListRootsResult")),
            marker_type=lambda view, names: names[0],
            marker=lambda view, names: f"{names[0]}()",
            result_type=lambda view, names: names[1],
        )
