"""MCP802 fastmcp-moved: `mcp.server.fastmcp` is `mcp.server.mcpserver`, `FastMCP` is `MCPServer`."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, insert_before, replace, replace_between
from mcpmigrate.rule.edits import positionals_as_keywords
from mcpmigrate.rule.syntax import is_super_init
from mcpmigrate.rules._kits.sdk import FASTMCP_MOVES, FASTMCP_V1, MCP_SERVER_IMPORT, SERVER_CLASSES
from mcpmigrate.rules._kits.sdk_renames import RenameRule
from mcpmigrate.steps import Side, Step

CONTEXT = frozenset({"mcp.server.fastmcp.Context", "mcp.server.fastmcp.server.Context"})
SERVER_SESSION = frozenset({"mcp.server.session.ServerSession", "mcp.server.ServerSession"})
# FastMCP(name, instructions, website_url, icons, auth_server_provider, token_verifier, event_store,
# retry_interval) in 1.x; MCPServer's second positional parameter is `title`.
V1_POSITIONAL = (
    "name", "instructions", "website_url", "icons", "auth_server_provider", "token_verifier", "event_store", "retry_interval",
)
V2_POSITIONAL = (
    "name", "title", "description", "instructions", "website_url", "icons", "version", "auth_server_provider", "token_verifier",
)

POSITIONAL = (
    "`MCPServer`'s positional parameters are `name, title, description, instructions, ...`: "
    "this argument would silently become the `{new}`; pass it as `{keyword}=`"
)


class FastMCPMoved(RenameRule):
    code = "MCP802"
    name = "fastmcp-moved"
    step = Step.SDK_2
    side = Side.SERVER
    summary = "`mcp.server.fastmcp` is `mcp.server.mcpserver` in mcp 2.x, and `FastMCP` is `MCPServer`"
    why = (
        "mcp 2.x renamed the high-level server: `mcp.server.fastmcp` raises ModuleNotFoundError, `FastMCP` "
        "is `MCPServer`, `FastMCPError` is `MCPServerError` and `ctx.fastmcp` is `ctx.mcp_server`. "
        "`MCPServer`'s positional parameters also changed to `name, title, description, instructions, ...`, "
        "so `FastMCP(\"name\", \"Instructions...\")` renamed as it stands would quietly make the instructions "
        "the server's title. `Context` lost its first type parameter (`Context[ServerSession, L]` is "
        "`Context[L]`)."
    )
    fix_summary = "`mcp.server.fastmcp` -> `mcp.server.mcpserver`, `FastMCP` -> `MCPServer`, positional arguments to keywords"
    fix_description = (
        "Rewrites the import paths (`mcp.server.fastmcp[.x]` to `mcp.server.mcpserver[.x]`), the names "
        "(`FastMCP`, `FastMCPError`) and their uses, turns positional constructor arguments after the name "
        "into keywords (`instructions=`, `website_url=`, ...), renames `ctx.fastmcp` on parameters "
        "annotated `Context`, and drops `ServerSession` from `Context[...]`. `ValidationError` from "
        "`mcp.server.fastmcp.exceptions` no longer exists: that use is reported for a human."
    )
    fix_safety = (
        "Safe when the project requires mcp>=2 (or sets `target-sdk = \"2\"`), unsafe otherwise: the new "
        "names only exist in 2.x. Each rewrite keeps behaviour under 2.x. A constructor call with `*args` "
        "cannot be mapped to keywords, so that name is left for a human and none of its uses are renamed. "
        "`from fastmcp import FastMCP` (the standalone FastMCP package) is a different library and is not "
        "touched."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1b",
    )
    rename_note = "the old name no longer imports"
    moves = FASTMCP_MOVES
    notes = {
        "mcp.server.fastmcp.exceptions.ValidationError": (
            "raise `MCPServerError` (or `ToolError` inside a tool) from `mcp.server.mcpserver.exceptions`"
        ),
    }
    tokens = ("fastmcp", "mcpserver")  # `_mcp_server` is flagged on a 2.x `MCPServer` too
    context_tokens = (MCP_SERVER_IMPORT,)
    examples = (
        Invalid(
            """
            from mcp.server.fastmcp.server import Context
            from mcp.server.fastmcp.server import Context as Ctx, FastMCP, Settings
            from mcp.server.mcpserver.server import Context as Done


            def tool(ctx: Context, other: Ctx, done: Done) -> None: ...
            """,
            findings=[(1, 39), (2, 6), (2, 39), (2, 55), (3, 41)],
            fixed="""
            from mcp.server.mcpserver import Context
            from mcp.server.mcpserver.server import MCPServer, Settings
            from mcp.server.mcpserver import Context as Ctx
            from mcp.server.mcpserver import Context as Done


            def tool(ctx: Context, other: Ctx, done: Done) -> None: ...
            """,
            note="`Context` is imported into `mcp.server.mcpserver.server`, not exported there (type-checkers "
            "refuse it): it comes from `mcp.server.mcpserver`, also where an earlier fix left it",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("weather", "Forecasts for any city.")

            @mcp.tool()
            async def forecast(city: str, ctx: Context) -> str:
                return ctx.fastmcp.name
            """,
            findings=[(1, 6), (1, 41), (3, 7), (3, 26), (7, 12)],
            fixed="""
            from mcp.server.mcpserver import Context, MCPServer

            mcp = MCPServer("weather", instructions="Forecasts for any city.")

            @mcp.tool()
            async def forecast(city: str, ctx: Context) -> str:
                return ctx.mcp_server.name
            """,
        ),
        Invalid(
            """
            import mcp.server.fastmcp as fm
            from mcp.server.fastmcp.exceptions import FastMCPError, ToolError
            from mcp.server.session import ServerSession

            server = fm.FastMCP(
                "files",
                "Read and write files.",  # shown to the model
                "https://example.com",
            )

            def check(ctx: fm.Context[ServerSession, None]) -> None:
                try:
                    ctx.fastmcp.remove_tool("x")
                except (FastMCPError, ToolError):
                    pass
            """,
            findings=[(1, 8), (2, 6), (2, 43), (5, 10), (7, 5), (8, 5), (11, 27), (13, 9), (14, 13)],
            fixed="""
            import mcp.server.mcpserver as fm
            from mcp.server.mcpserver.exceptions import MCPServerError, ToolError

            server = fm.MCPServer(
                "files",
                instructions="Read and write files.",  # shown to the model
                website_url="https://example.com",
            )

            def check(ctx: fm.Context[None]) -> None:
                try:
                    ctx.mcp_server.remove_tool("x")
                except (MCPServerError, ToolError):
                    pass
            """,
            note="module aliases, submodules, `FastMCPError`, keyword conversion and `Context[...]`",
        ),
        Invalid(
            """
            import mcp.server.fastmcp
            from mcp.server import FastMCP as Server

            a = mcp.server.fastmcp.FastMCP("a")
            b = Server("b", instructions="Be brief.")
            """,
            findings=[(1, 8), (2, 24), (4, 5)],
            fixed="""
            import mcp.server.mcpserver
            from mcp.server import MCPServer as Server

            a = mcp.server.mcpserver.MCPServer("a")
            b = Server("b", instructions="Be brief.")
            """,
            note="attribute chains through `import mcp.server.fastmcp`; an alias keeps its local name",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP
            from mcp.server.fastmcp.exceptions import ValidationError

            def build(*args):
                return FastMCP(*args)
            """,
            findings=[(1, 6), (1, 32), (2, 6), (2, 43), (5, 12), (5, 20)],
            fixed="""
            from mcp.server.mcpserver import FastMCP
            from mcp.server.mcpserver.exceptions import ValidationError

            def build(*args):
                return FastMCP(*args)
            """,
            note=(
                "positional `*args` cannot be mapped to keywords, so `FastMCP` is left for a human (and stays "
                "reported, module moved or not); `ValidationError` has no 2.x equivalent"
            ),
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            def lowlevel(mcp: FastMCP):
                return mcp._mcp_server
            """,
            findings=[(1, 6), (1, 32), (3, 19), (4, 16)],
            fixed="""
            from mcp.server.mcpserver import MCPServer

            def lowlevel(mcp: MCPServer):
                return mcp._mcp_server
            """,
            unsafe_fixed="""
            from mcp.server.mcpserver import MCPServer

            def lowlevel(mcp: MCPServer):
                return mcp._lowlevel_server
            """,
            note="a private attribute, renamed only with `--unsafe-fixes`",
        ),
        Invalid(
            """
            from mcp.server.mcpserver import MCPServer

            mcp = MCPServer("notes")

            @mcp.tool()
            async def whoami() -> str:
                return mcp.get_context().client_id or "anonymous"
            """,
            findings=[(7, 16)],
            note="the server's `get_context()`, removed with no replacement on the server",
        ),
        Valid(
            """
            from mcp.server.mcpserver import Context, MCPServer

            mcp = MCPServer("weather", instructions="Forecasts.")

            @mcp.tool()
            async def forecast(ctx: Context) -> str:
                return ctx.mcp_server.name
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from mcp.server.mcpserver import Context

            def lowlevel(server: FastMCP):
                return server._mcp_server  # the standalone FastMCP's own attribute
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("standalone FastMCP 2 is another package", "x")

            async def tool(ctx: Context) -> str:
                return ctx.fastmcp.name
            """
        ),
        Valid(
            """
            class FastMCP:
                def __init__(self, name, instructions): ...

            server = FastMCP("our own class", "same name")

            def info(ctx):
                return ctx.fastmcp
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.context_params: list[set[str]] = [set()]  # per function scope: parameters annotated Context
        self.sdk_servers: set[str] = set()  # names holding the SDK's FastMCP / MCPServer
        self.server_subclass: list[bool] = []

    # -- FastMCP(...) positional arguments -------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.server_subclass.append(any(self._is_fastmcp(base.value) for base in node.bases))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.server_subclass.pop()

    def _is_fastmcp(self, node: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(node)
        return qualified is not None and self.changed(node) and self.table().canonical(qualified) in FASTMCP_V1

    def visit_Call(self, node: cst.Call) -> None:
        binding = None
        if self._is_fastmcp(node.func):
            binding = node.func.value if isinstance(node.func, cst.Name) else None
        elif not (self.server_subclass and self.server_subclass[-1] and is_super_init(node)):
            return
        pairs, star = positionals_as_keywords(node, V1_POSITIONAL)
        if star is not None:
            self.defer(binding, star, "positional `*args` cannot be mapped to `MCPServer`'s parameters",
                       help="Pass the constructor's arguments by keyword")
            return
        for arg, keyword in pairs:
            new = V2_POSITIONAL[V1_POSITIONAL.index(keyword)]
            fix = NodeFix(f"Pass it as `{keyword}=`", self.fix_applicability, (insert_before(arg, f"{keyword}="),))
            self.defer(binding, arg, POSITIONAL.format(new=new, keyword=keyword), fix)

    # -- ctx.fastmcp and Context[ServerSession, ...] --------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = set()
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.annotation is not None and self._is_context(param.annotation.annotation):
                names.add(param.name.value)
        self.context_params.append(names)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.context_params.pop()

    def _is_context(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Subscript):
            node = node.value
        qualified = self.context.qualified_name(node)
        return qualified is not None and self.table().canonical(qualified) in CONTEXT

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if not self._is_context(node.value) or len(node.slice) not in (2, 3):
            return
        first = node.slice[0].slice
        if not isinstance(first, cst.Index) or self.context.qualified_name(first.value) not in SERVER_SESSION:
            return
        edit = replace_between(node.slice[0], "start", node.slice[1], "start", "")
        self.defer(None, first.value, "`Context` takes no session type in mcp 2.x: `Context[ServerSession, L]` is `Context[L]`",
                   NodeFix("Remove `ServerSession`", self.fix_applicability, (edit,)))

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self._is_sdk_server(node.value.func):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.sdk_servers.add(target.target.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is not None and self._is_sdk_server(node.annotation.annotation):
            self.sdk_servers.add(node.name.value)

    def _is_sdk_server(self, node: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(node)
        return qualified is not None and (qualified in SERVER_CLASSES or self.table().canonical(qualified) in SERVER_CLASSES)

    def _holds_sdk_server(self, node: cst.BaseExpression) -> bool:
        """A name bound to the SDK's server here, or imported from the project module that makes one
        (`from app import mcp`)."""
        if not isinstance(node, cst.Name):
            return False
        if node.value in self.sdk_servers:
            return True
        made_from = self.context.options.project.instance_of(self.context.qualified_name(node))
        return any(sdk_class in SERVER_CLASSES or self.table().canonical(sdk_class) in SERVER_CLASSES for sdk_class in made_from)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "get_context" and self._holds_sdk_server(node.value):
            self.defer(
                None, node.attr, "`FastMCP.get_context()` is gone in mcp 2.x",
                help="Take the context as a tool parameter instead: `async def tool(..., ctx: Context)` "
                "(`from mcp.server.mcpserver import Context`); it is filled in for every call",
            )
        # Only on the SDK's server: FastMCP (the standalone package) has its own `_mcp_server`.
        if node.attr.value == "_mcp_server" and self._holds_sdk_server(node.value):
            fix = NodeFix("Rename to `_lowlevel_server`", Applicability.UNSAFE, (replace(node.attr, "_lowlevel_server"),))
            self.defer(
                None, node.attr, "`FastMCP._mcp_server` is `MCPServer._lowlevel_server` in mcp 2.x (a private attribute)", fix,
                help="Rename to `_lowlevel_server`; `mcp.Client(server)` takes the `MCPServer` itself, and the "
                "low-level server's decorators are gone (see MCP805)",
            )
        if (
            node.attr.value == "fastmcp"
            and isinstance(node.value, cst.Name)
            and node.value.value in self.context_params[-1]
        ):
            self.claim(node)
            self.defer(None, node, "`ctx.fastmcp` is `ctx.mcp_server` in mcp 2.x",
                       NodeFix("Rename to `mcp_server`", self.fix_applicability, (replace(node.attr, "mcp_server"),)))
            return
        super().visit_Attribute(node)
