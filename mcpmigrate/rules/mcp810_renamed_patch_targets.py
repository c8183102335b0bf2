"""MCP810 renamed-patch-targets: `patch("...")` strings that name an SDK symbol mcp 2.x renamed."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, replace
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import string_value
from mcpmigrate.rules._kits.sdk_renames import REMOVED, NameTable, RenameRule
from mcpmigrate.steps import Step

# Calls that take an import path as a string: unittest.mock's `patch("a.b.C")` (also as `mock.patch`,
# `mocker.patch`, a decorator) and pytest's `monkeypatch.setattr("a.b.C", value)`.
PATCHERS = frozenset({"patch", "setattr"})
MESSAGE = "`{target}` names `{old}`, which mcp 2.x {what}: the patch fails when the test runs"
UNSURE = (
    "`{target}` looks like a project module's `{old}`, which mcp 2.x renamed to `{new}`: after the fix that "
    "module binds `{new}`"
)


class RenamedPatchTargets(Rule):
    code = "MCP810"
    name = "renamed-patch-targets"
    step = Step.SDK_2
    summary = "`patch(\"...\")` and `monkeypatch.setattr(\"...\", ...)` targets naming SDK symbols that mcp 2.x renamed"
    why = (
        "A test names what it patches in a string, which no import rewrite reaches: after `FastMCP` becomes "
        "`MCPServer`, `patch(\"mcp.server.fastmcp.FastMCP\")` or `patch(\"server.FastMCP\")` raises "
        "`ModuleNotFoundError` or `AttributeError` when the test runs, and the suite fails although every "
        "import was fixed."
    )
    fix_summary = "the SDK path in the string renamed as its imports are (a project module's name: unsafe)"
    fix_description = (
        "Rewrites the SDK part of the string by the same table the rename rules use "
        "(`mcp.server.fastmcp.FastMCP` -> `mcp.server.mcpserver.MCPServer`, also after a project prefix: "
        "`app.mcp.server.fastmcp.Context`); a project module's renamed name (`server.FastMCP`) becomes its new "
        "name (`server.MCPServer`), which is what the module binds once its own imports are fixed. A name mcp 2.x "
        "removed is reported without a fix."
    )
    fix_safety = (
        "A string that is an SDK path is rewritten safely when the project targets mcp 2.x, as the imports are. "
        "A string that reaches the SDK through a project module, or names a project module's attribute, is "
        "unsafe: that module's imports decide what the path resolves to."
    )
    references = ("https://docs.python.org/3/library/unittest.mock.html#where-to-patch",)
    tokens = ("patch", "setattr")
    context_tokens = ("mcp",)
    uses_target_sdk = True
    examples = (
        Invalid(
            """
            from unittest.mock import patch

            from mcp.server.fastmcp import FastMCP


            @patch("mcp.server.fastmcp.FastMCP")
            def test_builds_the_server(server_class):
                assert server_class is not FastMCP


            def test_context(mocker):
                mocker.patch("app.mcp.server.fastmcp.Context")
                mocker.patch("mcp.McpError", new=RuntimeError)
            """,
            findings=[(6, 8), (12, 18), (13, 18)],
            fixed="""
            from unittest.mock import patch

            from mcp.server.fastmcp import FastMCP


            @patch("mcp.server.mcpserver.MCPServer")
            def test_builds_the_server(server_class):
                assert server_class is not FastMCP


            def test_context(mocker):
                mocker.patch("app.mcp.server.fastmcp.Context")
                mocker.patch("mcp.MCPError", new=RuntimeError)
            """,
            unsafe_fixed="""
            from unittest.mock import patch

            from mcp.server.fastmcp import FastMCP


            @patch("mcp.server.mcpserver.MCPServer")
            def test_builds_the_server(server_class):
                assert server_class is not FastMCP


            def test_context(mocker):
                mocker.patch("app.mcp.server.mcpserver.Context")
                mocker.patch("mcp.MCPError", new=RuntimeError)
            """,
            note="(MCP802 renames the import; this rule the strings)",
        ),
        Invalid(
            """
            import mcp


            def test_server(monkeypatch):
                monkeypatch.setattr("server.FastMCP", object)
            """,
            findings=[(5, 25)],
            unsafe_fixed="""
            import mcp


            def test_server(monkeypatch):
                monkeypatch.setattr("server.MCPServer", object)
            """,
            note="a project module's name for the SDK class: unsafe, that module's own imports decide",
        ),
        Valid(
            """
            from unittest.mock import patch

            import mcp


            @patch("mcp.server.mcpserver.MCPServer")
            @patch("app.services.FastCache")
            def test_modern(server_class, cache):
                monkeypatch.setattr(settings, "FastMCP", 1)
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.table = _table()

    def visit_Call(self, node: cst.Call) -> None:
        if last_name(node.func) not in PATCHERS or not isinstance(node.func, cst.Attribute) and last_name(node.func) != "patch":
            return
        argument = next((arg.value for arg in node.args if arg.keyword is None), None)
        argument = next((arg.value for arg in node.args if arg.keyword and arg.keyword.value == "target"), argument)
        target = string_value(argument)
        if not isinstance(argument, cst.SimpleString) or target is None or "." not in target:
            return
        parts = target.split(".")
        if "mcp" in parts:
            self._sdk_path(argument, target, parts, parts.index("mcp"))
        else:
            self._project_name(argument, target, parts)

    def _sdk_path(self, argument: cst.SimpleString, target: str, parts: list[str], at: int) -> None:
        old = ".".join(parts[at:])
        new = self.table.map(old)
        if new is REMOVED:
            self.report(argument, MESSAGE.format(target=target, old=old, what="removed"))
            return
        if new == old:
            return
        prefix = ".".join(parts[:at])
        rewritten = f"{prefix}.{new}" if prefix else new
        safe = not prefix and self.context.options.target_sdk == 2
        fix = NodeFix(f"Patch `{rewritten}`", Applicability.SAFE if safe else Applicability.UNSAFE,
                      (replace(argument, _quoted(argument, rewritten)),))
        self.report(argument, MESSAGE.format(target=target, old=old, what=f"renamed to `{new}`"), fix=fix)

    def _project_name(self, argument: cst.SimpleString, target: str, parts: list[str]) -> None:
        new_name = _renamed_names().get(parts[-1])
        if new_name is None:
            return
        rewritten = ".".join([*parts[:-1], new_name])
        fix = NodeFix(f"Patch `{rewritten}`", Applicability.UNSAFE, (replace(argument, _quoted(argument, rewritten)),))
        self.report(argument, UNSURE.format(target=target, old=parts[-1], new=new_name), fix=fix)


def _quoted(argument: cst.SimpleString, text: str) -> str:
    quote = argument.quote
    return f"{argument.prefix}{quote}{text}{quote}"


_TABLE: list[NameTable] = []
_NAMES: list[dict[str, str]] = []


def _rename_rules() -> list[type[RenameRule]]:
    from mcpmigrate.rule.base import registered_rules

    return [rule for rule in registered_rules().values() if issubclass(rule, RenameRule)]


def _table() -> NameTable:
    """Every rename rule's moves in one table: the strings follow the imports."""
    if not _TABLE:
        moves: dict[str, str | None] = {}
        for rule in _rename_rules():
            moves.update(rule.moves)
        _TABLE.append(NameTable(moves))
    return _TABLE[0]


def _renamed_names() -> dict[str, str]:
    """SDK names whose own name changed (`FastMCP` -> `MCPServer`, `McpError` -> `MCPError`), where only
    one new name is possible and the old one says MCP: a project module's attribute of that name is the
    SDK's, renamed by the same fix."""
    if not _NAMES:
        found: dict[str, set[str]] = {}
        for old, new in _table().moves.items():
            if new is None:
                continue
            before, after = old.rsplit(".", 1)[-1], new.rsplit(".", 1)[-1]
            if before != after and "mcp" in before.lower():
                found.setdefault(before, set()).add(after)
        _NAMES.append({before: next(iter(after)) for before, after in found.items() if len(after) == 1})
    return _NAMES[0]
