"""MCP909 tools-order: `tools/list` SHOULD list tools in a deterministic order."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, replace_between
from mcpmigrate.rules._kits.handler_results import Dispatches, ResultRule
from mcpmigrate.rules._kits.jsonrpc import dict_entries
from mcpmigrate.steps import Side, Step

UNORDERED_CALLS = frozenset({"set", "frozenset"})
MESSAGE = "this `tools/list` result lists tools in a set's order, which changes from run to run"
SORT = 'sorted(..., key=lambda tool: tool["name"])'


class ToolsOrder(ResultRule):
    code = "MCP909"
    name = "tools-order"
    step = Step.META_AND_DISCOVER
    side = Side.SERVER
    summary = "`tools/list` results built by iterating a set"
    why = (
        "Without sessions, clients and gateways cache `tools/list` results and compare them to notice "
        "change; 2026-07-28 says the list SHOULD come in a deterministic order. A set's iteration order "
        "depends on string hashing, which differs between processes, so the same tools come back shuffled."
    )
    fix_summary = "`tools/list` built from a set -> `sorted(..., key=name)` (info)"
    fix_description = f"Wraps the list comprehension in `{SORT}`."
    fix_safety = (
        "Safe for a comprehension of tool dicts (each has a `name`); other shapes, such as `list(tools)`, are "
        "only reported."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md section 2.8",
    )
    severity = Severity.INFO
    result_methods = frozenset({"tools/list"})
    shaped_results = False
    gathers = (Dispatches,)
    tokens = ("tools/list",)
    examples = (
        Invalid(
            """
            ENABLED = {"search", "fetch"}

            def handle(method, rid):
                if method == "tools/list":
                    tools = [{"name": name, "inputSchema": {"type": "object"}} for name in ENABLED]
                    return {"jsonrpc": "2.0", "id": rid, "result": {"tools": [describe(name) for name in set(REGISTRY)]}}
            """,
            findings=[(6, 66)],
            fixed="""
            ENABLED = {"search", "fetch"}

            def handle(method, rid):
                if method == "tools/list":
                    tools = [{"name": name, "inputSchema": {"type": "object"}} for name in ENABLED]
                    return {"jsonrpc": "2.0", "id": rid, "result": {"tools": sorted([describe(name) for name in set(REGISTRY)], key=lambda tool: tool["name"])}}
            """,
            note="only what the result holds is checked: `tools` above is another list",
        ),
        Invalid(
            """
            ENABLED = {"search", "fetch"}

            def list_tools(params):
                return {"resultType": "complete", "tools": list(ENABLED)}

            HANDLERS = {"tools/list": list_tools, "tools/call": call_tool}
            """,
            findings=[(4, 48)],
            note="a set named at module level, listed as it is: reported, not rewritten",
        ),
        Valid(
            """
            TOOLS = {"search": {"name": "search"}, "fetch": {"name": "fetch"}}

            def handle(method, rid):
                if method == "tools/list":
                    return {"jsonrpc": "2.0", "id": rid, "result": {"tools": [tool for tool in TOOLS.values()]}}
            """
        ),
        Valid(
            """
            def handle(method, rid, names):
                if method == "tools/list":
                    return {"jsonrpc": "2.0", "id": rid, "result": {"tools": sorted([{"name": n} for n in set(names)], key=lambda t: t["name"])}}
            """
        ),
        Valid(
            """
            def inventory(kind):
                # not an MCP dispatch
                if kind == "tools/list":
                    return {"tools": [t for t in {"hammer", "saw"}]}
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.sets: set[str] = set()  # module-level names assigned a set

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._unordered(node.value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.sets.add(target.target.value)

    def _unordered(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, (cst.Set, cst.SetComp)):
            return True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in UNORDERED_CALLS:
            return True
        return isinstance(node, cst.Name) and node.value in self.sets

    def on_result(self, method: str, result: cst.Dict) -> None:
        tools = dict_entries(result).get("tools")
        if tools is None:
            return
        value = tools.value
        if isinstance(value, (cst.ListComp, cst.GeneratorExp)) and value.for_in.inner_for_in is None and self._unordered(value.for_in.iter):
            edits = (
                replace_between(value, "start", value, "start", "sorted("),
                replace_between(value, "end", value, "end", ', key=lambda tool: tool["name"])'),
            )
            self.report(value, MESSAGE, fix=NodeFix(f"Wrap it in `{SORT}`", Applicability.SAFE, edits))
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in ("list", "tuple"):
            if value.args and self._unordered(value.args[0].value):
                self.report(value, MESSAGE, help=f"Return `{SORT}`")
