"""MCP803 server-transport-kwargs: transport settings leave the server constructor in mcp 2.x."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, SourceView, Valid
from mcpmigrate.rule.edits import append_arguments, remove_arguments, remove_statement
from mcpmigrate.rules._kits.sdk import (
    FASTMCP_MOVES,
    MCP_SERVER_IMPORT,
    MOUNT_PATH_METHODS,
    REMOVED_SETTINGS,
    RUN_TRANSPORTS,
    SERVER_CLASSES,
    TRANSPORT_METHODS,
    TRANSPORT_SETTINGS,
)
from mcpmigrate.rules._kits.sdk_renames import NameTable
from mcpmigrate.steps import Side, Step

SITE_METHODS = frozenset({"run", *TRANSPORT_METHODS})


@dataclass
class _Server:
    call: cst.Call
    module_level: bool
    variable: str | None


@dataclass
class _Site:
    call: cst.Call
    method: str
    accepts: frozenset[str] | None  # None: the transport is not a literal


@dataclass
class _SettingsWrite:
    value: cst.BaseExpression
    statement: cst.SimpleStatementLine
    alone_in_block: bool


@dataclass
class _Module:
    servers: list[_Server] = field(default_factory=list)
    sites: dict[str, list[_Site]] = field(default_factory=dict)
    assignments: dict[str, int] = field(default_factory=dict)
    settings_reads: list[tuple[str, cst.Attribute]] = field(default_factory=list)  # (server variable, node)
    # `server.settings.port = 9000` as a statement of its own at module level: what can move.
    settings_writes: dict[int, _SettingsWrite] = field(default_factory=dict)  # by id of the Attribute


def _names(settings: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in settings)


class ServerTransportKwargs(Rule):
    code = "MCP803"
    name = "server-transport-kwargs"
    step = Step.SDK_2
    side = Side.SERVER
    summary = "Transport settings (`host`, `port`, `stateless_http`, ...) are arguments of `run()` in mcp 2.x, not of the server"
    why = (
        "mcp 2.x serves both protocol eras from one server object, and the transport settings moved from "
        "the `FastMCP(...)` constructor to the call that starts a transport: `run(transport=..., host=..., "
        "port=...)`, `streamable_http_app(...)`, `sse_app(...)`, `run_*_async(...)`. `MCPServer(port=8000)` "
        "raises TypeError, `server.settings` no longer has these fields, and `mount_path` was removed (mount "
        "the ASGI app instead; it relies on `root_path`)."
    )
    fix_summary = "transport settings moved from the constructor to `run()` / `*_app()`"
    fix_description = (
        "Moves the settings from the constructor to the `run(...)` (or `*_app(...)`, `run_*_async(...)`) "
        "call of the same server in the same module, keeping each value's source text; `run()` with no "
        "transport is stdio, which takes none of them. A module-level `server.settings.<setting> = value` "
        "moves the same way, to the start calls that take it. Other reads and writes of `server.settings.<setting>` and "
        "servers whose start call is elsewhere are reported for a human."
    )
    fix_safety = (
        "Safe when the project targets mcp 2.x, the server is created at module level, and exactly one "
        "start call in the module takes every setting. Unsafe when a setting is dropped because no start "
        "call in the module uses it (as for `port` with `streamable_http_app()`, where it never had an "
        "effect, unless another module starts the server), when there are several start calls, or for "
        "`mount_path`. No fix when the start call is in another module or its transport is not a literal."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1b",
    )
    uses_target_sdk = True
    tokens = ("fastmcp", "mcpserver")  # the constructor of the server it moves settings from
    context_tokens = (MCP_SERVER_IMPORT,)
    examples = (
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather", port=8001, stateless_http=True)

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
            findings=[(3, 26)],
            fixed="""
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http", port=8001, stateless_http=True)
            """,
        ),
        Invalid(
            """
            import os
            from mcp.server.mcpserver import MCPServer

            server = MCPServer(
                "files",
                host="0.0.0.0",
                port=int(os.environ.get("PORT", "8000")),
                json_response=True,
            )

            app = server.streamable_http_app()
            """,
            findings=[(6, 5)],
            unsafe_fixed="""
            from mcp.server.mcpserver import MCPServer

            server = MCPServer(
                "files",
            )

            app = server.streamable_http_app(host="0.0.0.0", json_response=True)
            """,
            note="`port` means nothing to an ASGI app, so it is dropped: unsafe, in case another module starts this server",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes", sse_path="/events", mount_path="/mcp")
            mcp.settings.port = 9000

            def main(argv: list[str]) -> None:
                mcp.run(transport="sse", mount_path="/mcp")
            """,
            findings=[(3, 24), (4, 1), (7, 30)],
            fixed="""
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes", sse_path="/events", mount_path="/mcp")

            def main(argv: list[str]) -> None:
                mcp.run(transport="sse", mount_path="/mcp", port=9000)
            """,
            unsafe_fixed="""
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            def main(argv: list[str]) -> None:
                mcp.run(transport="sse", sse_path="/events", port=9000)
            """,
            note="`mount_path` was removed (unsafe); the module-level write to `settings.port` moves to the one start call",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")
            mcp.settings.port = 9000

            def main(transport: str) -> None:
                print(mcp.settings.port)
                mcp.run(transport=transport)
            """,
            findings=[(4, 1), (7, 11)],
            note="a transport chosen at run time, and a read: both for a human",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            server = FastMCP("remote", host="0.0.0.0", port=8080)
            """,
            findings=[(3, 28)],
            note="no start call in this module: the settings must move by hand to wherever the server starts",
        ),
        Invalid(
            """
            import sys
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("x", port=8080)
            mcp.run(transport=sys.argv[1])
            """,
            findings=[(4, 20)],
            note="a transport chosen at run time: which settings it takes is not known",
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer

            mcp = MCPServer("weather", instructions="Forecasts.")
            mcp.run(transport="streamable-http", port=8001)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from uvicorn import Config

            mcp = FastMCP("standalone FastMCP has its own API", port=8000)
            config = Config(app=None, host="0.0.0.0", port=8000)
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.module = _Module()
        self.depth = 0
        self.table = NameTable(FASTMCP_MOVES)

    @property
    def fix_applicability(self) -> Applicability:
        return Applicability.SAFE if self.context.options.target_sdk == 2 else Applicability.UNSAFE

    def _is_server_class(self, node: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(node)
        return qualified is not None and (qualified in SERVER_CLASSES or self.table.map(qualified) in SERVER_CLASSES)

    # -- collecting ------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.depth -= 1

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.module.assignments[target.value] = self.module.assignments.get(target.value, 0) + 1
            if isinstance(value, cst.Call) and self._is_server_class(value.func):
                self.module.servers.append(_Server(value, self.depth == 0, target.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value if len(node.targets) == 1 else None)
        statement = self.context.statement
        if (
            self.depth == 0
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Attribute)
            and statement is not None
            and len(statement.body) == 1
            and statement.body[0] is node
        ):
            self.module.settings_writes[id(node.targets[0].target)] = _SettingsWrite(node.value, statement, self.context.alone_in_block)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assigned(node.target, node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self._is_server_class(func) and not any(server.call is node for server in self.module.servers):
            self.module.servers.append(_Server(node, self.depth == 0, None))
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in SITE_METHODS:
            self.module.sites.setdefault(func.value.value, []).append(_Site(node, func.attr.value, _accepts(node)))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        # server.settings.port: the 2.x Settings model has no transport fields.
        inner = node.value
        if (
            node.attr.value in TRANSPORT_SETTINGS
            and isinstance(inner, cst.Attribute)
            and inner.attr.value == "settings"
            and isinstance(inner.value, cst.Name)
        ):
            self.module.settings_reads.append((inner.value.value, node))

    # -- deciding --------------------------------------------------------------------------------

    def leave_Module(self, original_node: cst.Module) -> None:
        server_names = {server.variable for server in self.module.servers if server.variable}
        for server in self.module.servers:
            self._server(server)
        for variable, node in self.module.settings_reads:
            if variable in server_names:
                setting = node.attr.value
                message = f"`{variable}.settings.{setting}` no longer exists in mcp 2.x: the server's settings have no transport fields"
                fix = self._settings_write_fix(variable, node)
                if fix is None:
                    self.report(node, message, help=f"Pass `{setting}=` to `{variable}.run(...)` (or the `*_app(...)` call) instead")
                else:
                    self.report(node, message, fix=fix)
        for variable in server_names:
            for site in self.module.sites.get(variable, []):
                self._mount_path(site)

    def _settings_write_fix(self, variable: str, node: cst.Attribute) -> NodeFix | None:
        """`mcp.settings.port = 9000` at module level moves to the start calls of a server assigned
        once here, when every one of them has a known transport and one takes the setting."""
        write = self.module.settings_writes.get(id(node))
        sites = self.module.sites.get(variable, []) if self.module.assignments.get(variable) == 1 else []
        setting = node.attr.value
        if write is None or not sites or any(site.accepts is None for site in sites):
            return None
        taking = [site for site in sites if setting in site.accepts]
        if not taking or any(arg.keyword is not None and arg.keyword.value == setting for site in taking for arg in site.call.args):
            return None
        value = write.value
        edits = [remove_statement(write.statement, write.alone_in_block)]
        edits += [append_arguments(site.call, lambda view: f"{setting}={view.text[view.start(value):view.end(value)]}") for site in taking]
        safe = len(taking) == len(sites) == 1
        target = " and ".join(f"`{variable}.{site.method}(...)`" for site in taking)
        return NodeFix(f"Pass `{setting}=` to {target} instead", self.fix_applicability if safe else Applicability.UNSAFE, tuple(edits))

    def _server(self, server: _Server) -> None:
        args = list(server.call.args)
        moving = [i for i, arg in enumerate(args) if arg.keyword is not None and arg.keyword.value in TRANSPORT_SETTINGS]
        if not moving:
            return
        settings = [args[i].keyword.value for i in moving]
        first = args[moving[0]]
        message = f"{_names(settings)} {'is not an argument' if len(settings) == 1 else 'are not arguments'} of the server constructor in mcp 2.x"
        variable = server.variable
        sites = self.module.sites.get(variable, []) if variable and self.module.assignments.get(variable) == 1 else []
        if not sites:
            where = f"`{variable}.run(...)`" if variable else "the server's `run(...)`"
            self.report(first, message, help=f"Move them to {where} (or `streamable_http_app(...)` / `sse_app(...)`) where this server starts")
            return
        if any(site.accepts is None for site in sites):
            self.report(first, message, help="Move them to the `run(...)` call; its transport is chosen at run time, so which ones it takes is for you to decide")
            return
        destinations = {i: [site for site in sites if args[i].keyword.value in site.accepts] for i in moving}
        dropped = [args[i].keyword.value for i in moving if not destinations[i]]
        edits = list(remove_arguments(server.call, set(moving)))
        for site in sites:
            carried = [i for i in moving if site in destinations[i]]
            if carried:
                edits.append(append_arguments(site.call, _argument_text([args[i] for i in carried])))
        safe = len(sites) == 1 and not dropped and server.module_level
        applicability = self.fix_applicability if safe else Applicability.UNSAFE
        target = " and ".join(f"`{variable}.{site.method}(...)`" for site in sites)
        title = f"Move them to {target}" + (f", dropping {_names(dropped)} (no start call here uses them)" if dropped else "")
        self.report(first, message, fix=NodeFix(title, applicability, tuple(edits)))

    def _mount_path(self, site: _Site) -> None:
        if site.method not in MOUNT_PATH_METHODS:
            return
        for index, arg in enumerate(site.call.args):
            if arg.keyword is not None and arg.keyword.value in REMOVED_SETTINGS:
                edits = tuple(remove_arguments(site.call, {index}))
                self.report(
                    arg,
                    f"`{site.method}()` takes no `mount_path` in mcp 2.x",
                    fix=NodeFix("Remove `mount_path` (mount the ASGI app under a path instead)", Applicability.UNSAFE, edits),
                )


def _argument_text(arguments: list[cst.Arg]):
    """`name=value, ...` with each value's original source text."""

    def text(view: SourceView) -> str:
        return ", ".join(f"{arg.keyword.value}={view.text[view.start(arg.value):view.end(arg.value)]}" for arg in arguments)

    return text


def _accepts(call: cst.Call) -> frozenset[str] | None:
    """The transport settings a start call takes, or None when its transport is not a literal."""
    func = call.func
    assert isinstance(func, cst.Attribute)
    if func.attr.value != "run":
        return TRANSPORT_METHODS[func.attr.value]
    transport: cst.BaseExpression | None = None
    for index, arg in enumerate(call.args):
        if (arg.keyword is None and index == 0 and not arg.star) or (arg.keyword is not None and arg.keyword.value == "transport"):
            transport = arg.value
    if transport is None:
        return RUN_TRANSPORTS["stdio"]
    if isinstance(transport, cst.SimpleString) and transport.evaluated_value in RUN_TRANSPORTS:
        return RUN_TRANSPORTS[transport.evaluated_value]
    return None
