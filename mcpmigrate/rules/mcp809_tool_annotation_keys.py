"""MCP809 tool-annotation-keys: tool annotations the spec does not define, which mcp 2.x drops."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import Invalid, NodeFix, Rule, Valid, replace
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rules._kits.jsonrpc import dict_entries, string_value
from mcpmigrate.steps import Step

# The spec's ToolAnnotations (wire names), and the snake_case parameters mcp 2.3.0 also accepts for them.
SPEC_KEYS = ("title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")
KNOWN_KEYS = frozenset({*SPEC_KEYS, "read_only_hint", "destructive_hint", "idempotent_hint", "open_world_hint"})
# Keys whose spec name is certain: the hint without its `Hint`.
SPEC_NAMES = {"readOnly": "readOnlyHint", "destructive": "destructiveHint", "idempotent": "idempotentHint", "openWorld": "openWorldHint"}
ANNOTATION_CLASSES = frozenset({"mcp.types.ToolAnnotations", "mcp_types.ToolAnnotations"})
TOOL_CLASSES = frozenset({"mcp.types.Tool", "mcp_types.Tool"})
# Server methods that take a tool's `annotations=` (`@mcp.tool(...)`, `mcp.add_tool(fn, ...)`).
TOOL_METHODS = frozenset({"tool", "add_tool"})
MESSAGE = "`{key}` is not a tool annotation of the spec: mcp 1.x sent it as written, mcp 2.x drops it without a word"
HELP = f"The spec's annotations are {', '.join(f'`{key}`' for key in SPEC_KEYS)}; other data about a tool goes in its `meta`"


class ToolAnnotationKeys(Rule):
    code = "MCP809"
    name = "tool-annotation-keys"
    step = Step.SDK_2
    summary = "Tool annotations the spec does not define (`annotations={\"readOnly\": True}`), which mcp 2.x drops"
    why = (
        "mcp 1.x's `ToolAnnotations` allowed extra fields, so `Tool(..., annotations={\"readOnly\": True})` put "
        "`readOnly` on the wire. mcp 2.x's `ToolAnnotations` ignores unknown fields: the key is dropped "
        "without an error or a warning (checked on mcp 2.3.0 with `-W error`), and a client never learns "
        "the tool is read-only. Clients only ever read the spec's names (`readOnlyHint`, ...)."
    )
    fix_summary = "`readOnly` -> `readOnlyHint` (and `destructive`, `idempotent`, `openWorld`); other keys reported"
    fix_description = (
        "A key (in an `annotations={...}` dict of `Tool(...)`, `@mcp.tool(...)` or `add_tool(...)`) or a "
        "`ToolAnnotations(...)` keyword that is the spec's hint without its `Hint` (`readOnly`, "
        "`destructive`, `idempotent`, `openWorld`) is renamed to the spec's name. Other unknown keys are "
        "reported: move what they say into the tool's `meta`, or drop them."
    )
    fix_safety = (
        "Safe: the spec's name is certain, both SDKs accept it, and it sends the hint clients read. Where the "
        "spec's name is already given beside it, nothing is renamed (the two may disagree)."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/server/tools",
        "../shared/reference/python-sdk-v1-to-v2.md section 1d",
    )
    tokens = ("annotations",)
    context_tokens = ("mcp",)
    examples = (
        Invalid(
            """
            from mcp.server.mcpserver import MCPServer
            from mcp.types import Tool, ToolAnnotations

            mcp = MCPServer("files")
            LISTING = Tool(name="ls", input_schema={"type": "object"}, annotations={"readOnly": True, 'openWorld': False})


            @mcp.tool(annotations=ToolAnnotations(destructive=True, title="Delete"))
            def delete(path: str) -> str:
                return path
            """,
            findings=[(5, 73), (5, 91), (8, 39)],
            fixed="""
            from mcp.server.mcpserver import MCPServer
            from mcp.types import Tool, ToolAnnotations

            mcp = MCPServer("files")
            LISTING = Tool(name="ls", input_schema={"type": "object"}, annotations={"readOnlyHint": True, 'openWorldHint': False})


            @mcp.tool(annotations=ToolAnnotations(destructiveHint=True, title="Delete"))
            def delete(path: str) -> str:
                return path
            """,
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("files")


            @mcp.tool(annotations={"readOnly": True, "readOnlyHint": False, "cost": "low"})
            def size(path: str) -> int:
                return len(path)
            """,
            findings=[(6, 24), (6, 65)],
            note="`readOnly` beside `readOnlyHint`, which may disagree, and a key with no spec name: for a person",
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer
            from mcp.types import ToolAnnotations

            mcp = MCPServer("files")


            @mcp.tool(annotations=ToolAnnotations(read_only_hint=True, openWorldHint=False))
            def size(path: str) -> int:
                return len(path)
            """
        ),
        Valid(
            """
            import mcp
            from dataclasses import dataclass, field

            @dataclass
            class Column:
                annotations: dict = field(default_factory=lambda: {"readOnly": True})

            def tool(annotations=None):
                return annotations

            plot = dict(annotations={"readOnly": True})
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.context.qualified_name(node.func) if isinstance(node.func, (cst.Name, cst.Attribute)) else None
        if qualified in ANNOTATION_CLASSES:
            self._keywords(node)
        elif qualified in TOOL_CLASSES or self._server_tool_method(node.func, qualified):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "annotations" and isinstance(arg.value, cst.Dict):
                    self._dict(arg.value)

    def _server_tool_method(self, func: cst.BaseExpression, qualified: str | None) -> bool:
        """`<server>.tool(...)` / `.add_tool(...)` in a file that imports an MCP SDK (a bare `tool(...)`
        is not, nor a method the imports name as another library's)."""
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in TOOL_METHODS
            and (qualified is None or qualified.startswith(("mcp.", "fastmcp.")))
            and self.context.imports.imports_from("mcp", "fastmcp")
        )

    def _keywords(self, call: cst.Call) -> None:
        given = {arg.keyword.value for arg in call.args if arg.keyword is not None}
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value not in KNOWN_KEYS:
                key = arg.keyword.value
                self._report(arg.keyword, key, given, lambda name: replace(arg.keyword, name))

    def _dict(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        for key, element in entries.items():
            if key not in KNOWN_KEYS:
                literal = element.key
                edit = (lambda name: replace(literal, string_literal(literal, name))) if isinstance(literal, cst.SimpleString) else None
                self._report(literal, key, entries.keys(), edit)

    def _report(self, node: cst.CSTNode, key: str, given, edit) -> None:
        spec_name = SPEC_NAMES.get(key)
        if spec_name is None:
            self.report(node, MESSAGE.format(key=key), help=HELP)
        elif spec_name in given or edit is None:
            self.report(node, MESSAGE.format(key=key) + f"; the spec's name is `{spec_name}`", help=f"Keep one of `{key}` and `{spec_name}`, as `{spec_name}`")
        else:
            fix = NodeFix(f"Rename to `{spec_name}`", Applicability.SAFE, (edit(spec_name),))
            self.report(node, MESSAGE.format(key=key) + f"; the spec's name is `{spec_name}`", fix=fix)
