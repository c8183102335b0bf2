"""The engine on its own: positions, suppression, fix application, rollback and rule isolation."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.engine import checker as engine
from mcpmigrate.findings import Applicability, Edit, Finding, Fix, FixPolicy, Location, Severity
from mcpmigrate.rule.base import Gatherer, NodeFix, Rule, RuleOptions, registered_rules, replace

MCP801 = registered_rules()["MCP801"]
TARGET_2 = RuleOptions(target_sdk=2)


class CrashingRule(Rule, register=False):
    code = "MCP998"
    name = "crashes"
    summary = why = fix_description = fix_safety = "test"

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "boom":
            raise ValueError("kaboom")
        self.report(node, "seen")


class BreakingFixRule(Rule, register=False):
    """A buggy rule whose 'fix' produces invalid code: the engine must refuse it."""

    code = "MCP997"
    name = "breaks-code"
    summary = why = fix_description = fix_safety = "test"

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "target":
            self.report(node, "bad fix", fix=NodeFix("break it", Applicability.SAFE, (replace(node, "(("),)))


def test_positions_are_one_based_and_count_characters():
    text = "s = 'é€'; from mcp import McpError\n"
    (finding,) = engine.check(text, "x.py", [MCP801]).findings
    assert (finding.location, finding.end_location) == (Location(1, 27), Location(1, 35))
    assert text[26:34] == "McpError"


def test_crlf_and_cr_line_endings_survive_a_fix():
    for newline in ("\r\n", "\r"):
        text = f"from mcp import McpError{newline}{newline}def f():{newline}    raise McpError(e){newline}"
        fixed = engine.fix(text, "x.py", [MCP801], options=TARGET_2)
        assert fixed.text == (
            f"from mcp import MCPError{newline}{newline}def f():{newline}    raise MCPError.from_error_data(e){newline}"
        )
        (first, second) = engine.check(text, "x.py", [MCP801]).findings
        assert second.location == Location(4, 11)


def test_missing_final_newline_tabs_and_form_feed_are_kept():
    text = "\x0c\nfrom mcp import McpError\nif True:\n\traise McpError(e)  # tab-indented"
    fixed = engine.fix(text, "x.py", [MCP801], options=TARGET_2)
    assert fixed.text == "\x0c\nfrom mcp import MCPError\nif True:\n\traise MCPError.from_error_data(e)  # tab-indented"


def test_noqa_with_code_bare_and_file_level():
    text = "from mcp import McpError  # noqa: MCP801\nfrom mcp import McpError  # NOQA\nfrom mcp import McpError  # noqa: MCP301\n"
    rows = [f.location.row for f in engine.check(text, "x.py", [MCP801]).findings]
    assert rows == [3]
    text_with_list = "from mcp import McpError  # noqa: MCP301, MCP801\n"
    assert engine.check(text_with_list, "x.py", [MCP801]).findings == ()
    assert engine.check("# mcpmigrate: noqa\n" + text, "x.py", [MCP801]).findings == ()
    assert engine.check("# mcpmigrate: noqa: MCP801\n" + text, "x.py", [MCP801]).findings == ()
    kept = engine.check("# mcpmigrate: noqa: MCP301\n" + text, "x.py", [MCP801]).findings
    assert [f.location.row for f in kept] == [4]


def test_suppressed_findings_are_not_fixed():
    text = "from mcp import McpError  # noqa: MCP801\nimport mcp\nmcp.McpError\n"
    assert engine.fix(text, "x.py", [MCP801], options=TARGET_2).text == "from mcp import McpError  # noqa: MCP801\nimport mcp\nmcp.MCPError\n"


def test_a_crashing_rule_is_reported_and_the_others_still_run():
    result = engine.check("from mcp import McpError\nboom = 1\n", "x.py", [CrashingRule, MCP801])
    assert [f.code for f in result.findings] == ["MCP801"]
    (problem,) = result.problems
    assert problem.internal and "MCP998" in problem.message and "kaboom" in problem.message
    assert problem.path == "x.py"


def test_a_fix_that_breaks_the_syntax_is_refused_and_the_other_fixes_still_apply():
    text = "from mcp import McpError\ntarget = 1\n"
    fixed = engine.fix(text, "x.py", [BreakingFixRule, MCP801], options=TARGET_2)
    assert fixed.text == "from mcp import MCPError\ntarget = 1\n"
    assert [f.code for f in fixed.fixed] == ["MCP801"]
    assert [f.code for f in fixed.remaining] == ["MCP997"]
    (problem,) = fixed.problems
    assert problem.internal and "MCP997" in problem.message and "does not parse" in problem.message


def test_unparsable_source_gives_one_problem_and_no_fix():
    text = "from mcp import McpError\ndef f(:\n    pass\n"
    result = engine.fix(text, "bad.py", [MCP801], options=TARGET_2)
    assert result.text == text and result.remaining == ()
    (problem,) = result.problems
    assert not problem.internal and problem.location == Location(2, 7)
    assert problem.message == "cannot parse: invalid syntax"


def _finding(start: int, end: int, content: str, code: str = "MCP801") -> Finding:
    edit = Edit(start, end, content, Location(1, start + 1), Location(1, end + 1))
    return Finding(code, "n", Severity.ERROR, "m", "x.py", Location(1, 1), Location(1, 1),
                   Fix("f", Applicability.SAFE, (edit,)))


def test_apply_fixes_skips_overlaps_and_keeps_identical_edits_once():
    text = "abcdefghij"
    new, applied = engine.apply_fixes(text, [_finding(0, 3, "X"), _finding(2, 5, "Y"), _finding(6, 7, "Z"), _finding(6, 7, "Z")])
    assert new == "Xdef" + "Z" + "hij"
    assert len(applied) == 3  # the overlapping one waits for the next pass


def test_two_insertions_at_one_point_are_not_both_applied():
    new, applied = engine.apply_fixes("abc", [_finding(1, 1, "X"), _finding(1, 1, "Y")])
    assert new == "aXbc" and len(applied) == 1


def test_fix_converges_across_passes():
    # Nested constructor calls: the outer and inner rewrites overlap, so they take two passes.
    text = "from mcp import McpError\nraise McpError(ErrorData(code=1, message=str(McpError(x))))\n"
    fixed = engine.fix(text, "x.py", [MCP801], options=TARGET_2)
    assert "McpError" not in fixed.text
    assert engine.fix(fixed.text, "x.py", [MCP801], options=TARGET_2).text == fixed.text


def test_fastmcp_mcperror_is_named_as_fastmcps():
    text = "from fastmcp.exceptions import McpError\nfrom mcp.types import ErrorData\n\nraise McpError(ErrorData(code=1, message='x'))\n"
    rules = list(registered_rules().values())
    messages = [finding.message for finding in engine.check(text, "x.py", rules).findings if finding.code == "MCP801"]
    assert messages == ["FastMCP 4's `McpError` is `mcp.MCPError`: it takes `code, message, data`, not an `ErrorData`"]


def test_a_rename_rule_visits_only_names_imported_from_around_its_moves():
    from mcpmigrate.rules.mcp806_removed_helpers import RemovedHelpers

    touched = {name: RemovedHelpers.touches(name) for name in (
        "mcp", "mcp.types", "mcp.types.Content", "mcp.types.Content.model_validate",
        "mcp.types.LATEST_PROTOCOL_VERSION",  # watched, not moved
        "mcp.types.Tool", "mcp.types.TextContent", "os.path", ".types",
    )}
    assert [name for name, yes in touched.items() if yes] == [
        "mcp", "mcp.types", "mcp.types.Content", "mcp.types.Content.model_validate", "mcp.types.LATEST_PROTOCOL_VERSION",
    ]


class HalfRenameRule(Rule, register=False):
    """A buggy rename: the import gets the new name, a use of it does not."""

    code = "MCP995"
    name = "half-rename"
    summary = why = fix_description = fix_safety = "test"

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if isinstance(node.name, cst.Name) and node.name.value == "McpError":
            self.report(node.name, "renamed", fix=NodeFix("rename", Applicability.SAFE, (replace(node.name, "MCPError"),)))


def test_a_fix_that_leaves_a_name_unbound_is_refused_and_named():
    text = "from mcp import McpError\n\ndef fail(e):\n    raise McpError(e)\n"
    result = engine.fix(text, "x.py", [HalfRenameRule])
    assert result.text == text
    (problem,) = result.problems
    assert problem.internal
    assert "the fix for MCP995 produced code that uses `McpError`, which nothing binds; it was not applied" in problem.message
    # Names unbound before the fix (a typo, a name from `globals()`) are not the fix's doing.
    unused = "from mcp import McpError\n\nprint(undefined_cause)\n"
    fixed = engine.fix(unused, "x.py", [HalfRenameRule])
    assert (fixed.text, fixed.problems) == ("from mcp import MCPError\n\nprint(undefined_cause)\n", ())


def test_unbound_names_counts_every_way_python_binds_a_name():
    source = (
        "import os.path\nfrom a import b as c\nx = 1\nfor i in range(3): pass\nwith open(x) as f: pass\n"
        "try:\n    pass\nexcept E as err:\n    pass\ndef g(p, *a, k=1, **kw):\n    global G\n    return [q for q in p]\n"
        "class K: pass\nmatch x:\n    case {'a': m, **rest}: pass\n    case [n, *others]: pass\n"
        "print(os, c, i, f, err, g, K, G, m, rest, n, others, missing, __file__, len)\n"
    )
    assert engine.unbound_names(source) == {"E", "missing"}
    assert engine.unbound_names("from m import *\nprint(anything)\n") is None
    assert engine.unbound_names("def broken(:\n") is None


def test_a_rule_s_fixes_land_in_one_pass_so_a_renamed_import_keeps_its_uses():
    """MCP301's edit inside `McpError(ErrorData(code=-32002))` overlaps MCP801's reshape of the call:
    MCP801 must then wait whole (its import rename too), not rename the import and lose the use."""
    rules = [registered_rules()["MCP301"], MCP801]
    text = (
        "from mcp import McpError\nfrom mcp.types import ErrorData\n\n\ndef read(uri):\n"
        '    raise McpError(ErrorData(code=-32002, message="Resource not found"))\n'
    )
    fixed = engine.fix(text, "x.py", rules, policy=FixPolicy(unsafe=True), options=TARGET_2)
    assert fixed.problems == ()
    assert fixed.text == (
        "from mcp import MCPError\nfrom mcp.types import INVALID_PARAMS\n\n\ndef read(uri):\n"
        '    raise MCPError(code=INVALID_PARAMS, message="Resource not found", data={"uri": uri})\n'
    )
    assert engine.unbound_names(fixed.text) == frozenset()


class CallCounter(Gatherer):
    """A gatherer for the tests below: counts calls, and how many times it was made."""

    made = 0

    def __init__(self, context) -> None:
        super().__init__(context)
        type(self).made += 1
        self.calls: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(self.context.code_for(node.func))


class FirstCallRule(Rule, register=False):
    code = "MCP995"
    name = "first-call"
    summary = why = fix_description = fix_safety = "test"
    gathers = (CallCounter,)

    def visit_Call(self, node: cst.Call) -> None:
        # The gatherer ran ahead of the rule on this very node.
        if self.context.shared(CallCounter).calls == [self.context.code_for(node.func)]:
            self.report(node, "first call")


class CallCountRule(Rule, register=False):
    code = "MCP994"
    name = "call-count"
    summary = why = fix_description = fix_safety = "test"
    gathers = (CallCounter,)

    def leave_Module(self, original_node: cst.Module) -> None:
        calls = self.context.shared(CallCounter).calls
        self.report(original_node.body[0], f"{len(calls)} calls: {', '.join(calls)}")


def test_a_gatherer_runs_once_per_file_ahead_of_the_rules_that_name_it():
    CallCounter.made = 0
    result = engine.check("f(1)\ng(h(2))\n", "x.py", [FirstCallRule, CallCountRule])
    assert sorted((f.code, f.message) for f in result.findings) == [
        ("MCP994", "3 calls: f, g, h"), ("MCP995", "first call"),
    ]
    assert CallCounter.made == 1


def test_a_gatherer_still_serves_a_rule_run_alone_after_another_crashed():
    result = engine.check("f(1)\nboom = 1\n", "x.py", [CrashingRule, CallCountRule])
    (problem,) = result.problems
    assert "MCP998" in problem.message  # the crash is named, and the other rule ran alone with its gatherer
    assert [(f.code, f.message) for f in result.findings] == [("MCP994", "1 calls: f")]


def test_a_checked_tree_is_freed_without_the_cyclic_collector():
    """Checking runs without the cyclic collector (runner.process): a reference cycle through a rule's
    or a kit's facts would keep every node of the tree alive until the collector ran (it once held
    2.4 million nodes of the SDK's source)."""
    import gc
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    texts = [(fixtures / name).read_text() for name in ("kitchen_project/server.py", "handrolled_http/server.py", "callbacks_client/client.py")]
    rules = list(registered_rules().values())
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for text in texts:
            assert engine.check(text, "x.py", rules).findings  # the rules and their kits ran
            assert engine.fix(text, "x.py", rules, policy=FixPolicy(unsafe=True)).fixed
        gc.collect()
        left = [type(item).__name__ for item in gc.garbage if isinstance(item, cst.CSTNode)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []
