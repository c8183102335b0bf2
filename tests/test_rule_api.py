"""The rule API on its own: which visitors a rule may declare, per-file shared facts, and the helpers
rules build fixes and matches from (edits, import insertion, argument removal, JSON-RPC readers),
each applied through the engine as a rule would apply it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst
import pytest

from mcpmigrate.engine import checker as engine
from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, NodeEdit, NodeFix, Rule, unsupported_visitor
from mcpmigrate.rule.edits import (
    add_imports,
    append_arguments,
    positionals_as_keywords,
    remove_arguments,
    remove_statement,
    string_literal,
)
from mcpmigrate.rules._kits.jsonrpc import (
    built_message_method,
    dict_entries,
    is_method_expression,
    mcp_evidence,
    message_method,
    returned_parameters,
    string_value,
)
from mcpmigrate.steps import Step


def probe_findings(source: str, edits_for: Callable[[FileContext, cst.Call], Sequence[NodeEdit] | None]) -> tuple:
    """The findings, with the edits `edits_for` makes for each call to `target(...)` as their fixes."""

    class Probe(Rule, register=False):
        code = "MCP000"
        name = "probe"
        step = Step.SDK_2

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "target":
                edits = edits_for(self.context, node)
                if edits is not None:
                    self.report(node, "probe", fix=NodeFix("probe", Applicability.SAFE, tuple(edits)))

    return engine.check(source, "probe.py", [Probe], prefilter=False).findings


def fixed(source: str, edits_for: Callable[[FileContext, cst.Call], Sequence[NodeEdit] | None]) -> str:
    """`source` after the edits `edits_for` makes for each call to `target(...)`, applied once."""
    text, _ = engine.apply_fixes(source, probe_findings(source, edits_for))
    compile(text, "probe.py", "exec")  # every helper keeps the code valid
    return text


# Visitors the traversal calls, and the rest.


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("visit_Call_func", "attribute visitors are not supported by the traversal; use `visit_Call` and read `node.func` there"),
        ("leave_Arg_keyword", "attribute visitors are not supported by the traversal; use `leave_Arg` and read `node.keyword` there"),
        ("visit_Cal", "`Cal` is not a LibCST node type, so the traversal would never call it"),
        ("on_visit", "the traversal calls no `on_visit`; write `visit_<Node>` / `leave_<Node>` methods for the node types you need"),
    ],
)
def test_a_visitor_the_traversal_does_not_call_is_rejected_when_the_class_is_defined(name, problem):
    assert unsupported_visitor(name) == problem
    with pytest.raises(TypeError) as raised:
        type("Bad", (Rule,), {name: lambda self, node: None}, register=False)
    assert str(raised.value) == f"Bad.{name}: {problem}"


def test_node_visitors_and_other_methods_are_accepted():
    for name in ("visit_Call", "leave_FunctionDef", "visit_SimpleStatementLine", "visit", "leave", "visitor_state", "on_method"):
        assert unsupported_visitor(name) is None


# Shared per-file facts.


def test_shared_facts_are_gathered_once_per_file_and_typed_by_their_gatherer():
    calls: list[str] = []

    def count_names(context: FileContext) -> int:
        calls.append(context.path)
        return context.text.count("name")

    module = cst.parse_module("name = other_name\n")
    context = FileContext("a.py", module)
    assert context.shared(count_names) == 2 and context.shared(count_names) == 2
    assert calls == ["a.py"]
    assert FileContext("b.py", module).shared(count_names) == 2 and calls == ["a.py", "b.py"]


# Edits.


def test_remove_arguments_keeps_commas_and_layout_valid():
    def drop(*indices: int):
        return lambda context, call: remove_arguments(call, set(indices))

    assert fixed("target(a, b, c)\n", drop(1)) == "target(a, c)\n"
    assert fixed("target(a, b, c)\n", drop(0, 1)) == "target(c)\n"
    assert fixed("target(a, b, c)\n", drop(2)) == "target(a, b)\n"
    assert fixed("target(a, b, c,)\n", drop(1, 2)) == "target(a,)\n"
    assert fixed("target(a, b)\n", drop(0, 1)) == "target()\n"
    assert fixed("target(\n    a,\n    b,  # keep me\n    c,\n)\n", drop(0)) == "target(\n    b,  # keep me\n    c,\n)\n"


def test_append_arguments_after_the_last_or_into_empty_parentheses():
    add = lambda context, call: [append_arguments(call, lambda view: "timeout=5")]  # noqa: E731
    assert fixed("target(a, b=1)\n", add) == "target(a, b=1, timeout=5)\n"
    assert fixed("target()\n", add) == "target(timeout=5)\n"


def test_remove_statement_leaves_pass_when_it_was_alone_in_its_block():
    def remove(context: FileContext, call: cst.Call):
        return [remove_statement(context.statement, context.alone_in_block)]

    assert fixed("def f():\n    target()\n", remove) == "def f():\n    pass\n"
    assert fixed("def f():\n    x = 1\n    target()\n    return x\n", remove) == "def f():\n    x = 1\n    return x\n"


def test_positionals_as_keywords_stops_at_star_args():
    call = cst.parse_expression("Server('n', 'v', 'i', *rest, x=1)")
    assert isinstance(call, cst.Call)
    pairs, star = positionals_as_keywords(call, ("name", "version", "instructions"))
    assert [(cst.Module([]).code_for_node(arg.value), name) for arg, name in pairs] == [("'v'", "version"), ("'i'", "instructions")]
    assert star is call.args[3]


def test_string_literal_keeps_quotes_and_prefix():
    for literal, value, expected in [('"a"', "b", '"b"'), ("'a'", "it's", "'it\\'s'"), ('rb"a"', "b", 'rb"b"'), ('f"a"', "b", '"b"')]:
        node = cst.parse_expression(literal)
        assert isinstance(node, cst.SimpleString) or literal.startswith("f")
        if isinstance(node, cst.SimpleString):
            assert string_literal(node, value) == expected


# Import insertion.


def test_add_imports_reuses_existing_imports_and_groups_new_ones_by_module():
    def use(*wanted: tuple[str, str]):
        def edits(context: FileContext, call: cst.Call):
            found = add_imports(context, list(wanted))
            assert found is not None
            names, import_edits = found
            return [*import_edits, NodeEdit(call.func, "start", call.func, "end", "+".join(names))]

        return edits

    source = '"""Doc."""\nimport os\nfrom mcp import types\n\ntarget()\n'
    assert fixed(source, use(("mcp.types", "Tool"), ("mcp", "MCPError"), ("mcp.server", "Server"))) == (
        '"""Doc."""\nimport os\nfrom mcp import MCPError, types\nfrom mcp.server import Server\n\n'
        "types.Tool+MCPError+Server()\n"
    )
    assert fixed("from mcp import MCPError as E\ntarget()\n", use(("mcp", "MCPError"))) == "from mcp import MCPError as E\nE()\n"
    assert fixed('"""Only a docstring."""\ntarget()\n', use(("mcp", "X"))) == '"""Only a docstring."""\n\nfrom mcp import X\n\nX()\n'
    assert fixed("target()", use(("mcp", "X"))) == "from mcp import X\n\nX()"


def test_an_import_edit_says_what_it_imports_and_its_own_text_imports_it_alone():
    """`--fix` files the imports (tests/test_fix_imports.py); an editor applying the edit alone gets the line."""
    source = '"""Doc."""\nimport os\nfrom mcp import types\n\ntarget()\n'
    (finding,) = probe_findings(source, lambda context, call: add_imports(context, [("mcp", "MCPError"), ("mcp.server", "Server")])[1])
    (edit,) = finding.fix.edits
    assert edit.imports == (("mcp", "MCPError"), ("mcp.server", "Server"))
    assert (source[: edit.start] + edit.content + source[edit.end :]) == (
        '"""Doc."""\nimport os\nfrom mcp import types\nfrom mcp import MCPError\nfrom mcp.server import Server\n\ntarget()\n'
    )


def test_add_imports_refuses_a_name_bound_to_something_else():
    module = cst.parse_module("from other import MCPError\n")
    assert add_imports(FileContext("a.py", module), [("mcp", "MCPError")]) is None


# JSON-RPC readers.


def expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def test_string_value_reads_plain_concatenated_and_ascii_bytes_literals_only():
    assert string_value(expression('"tools/list"')) == "tools/list"
    assert string_value(expression("'''ping'''")) == "ping"
    assert string_value(expression('"tools/" "list"')) == "tools/list"
    assert string_value(expression('"a\\tb"')) == "a\tb"
    assert string_value(expression('f"tools/{x}"')) is None
    assert string_value(expression("b'mcp-session-id'")) == "mcp-session-id"  # ASGI header names are bytes
    assert string_value(expression("b'\\xff'")) is None
    assert string_value(expression("method")) is None
    # raw and `u` literals are read without literal_eval, to the same value
    for literal in ('r"a\\b"', "R'''x\\y'''", 'u"ping"', 'U""', "r'a\\''", "'''two\nlines'''", "rb'x'"):
        assert string_value(expression(literal)) == expression(literal).evaluated_value or literal == "rb'x'", literal
    assert string_value(expression("rb'x'")) == "x"


def test_message_method_needs_a_json_rpc_shape():
    assert message_method(expression('{"jsonrpc": "2.0", "id": 1, "method": "initialize"}')) == "initialize"
    assert message_method(expression('{"method": "initialize", "params": {}}')) == "initialize"
    assert message_method(expression('dict(jsonrpc="2.0", method="ping", id=1)')) == "ping"
    assert message_method(expression('{"method": "initialize"}')) is None  # a bare dict is no message
    assert message_method(expression('{"jsonrpc": "2.0", "id": 1, "method": name}')) is None


def test_dict_entries_and_method_expressions():
    entries = dict_entries(expression('{"a": 1, b: 2, **rest, "c": 3}'))  # type: ignore[arg-type]
    assert sorted(entries) == ["a", "c"]
    for code in ("method", "msg.method", 'request["method"]', 'data.get("method")', "rpc_method"):
        assert is_method_expression(expression(code)), code
    for code in ("name", 'request["id"]', 'data.get("id")', "msg.kind"):
        assert not is_method_expression(expression(code)), code


def test_helpers_that_build_messages_are_found_and_their_method_read():
    module = cst.parse_module(
        "def rpc(client, method, params=None):\n"
        '    return {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}\n'
        "def other(x):\n"
        '    return {"method": x}\n'
    )
    context = FileContext("a.py", module)
    assert returned_parameters(context, "method", frozenset({"jsonrpc", "id", "params"})) == {"rpc": (1, "method")}
    assert returned_parameters(context, "method") == {"rpc": (1, "method"), "other": (0, "x")}
    assert built_message_method(context, expression('rpc(c, "tools/list")')) == "tools/list"
    assert built_message_method(context, expression('rpc(c, method="ping")')) == "ping"
    assert built_message_method(context, expression('other("ping")')) is None


def test_mcp_evidence_is_mcp_s_own_not_a_shared_word():
    def evidence(source: str) -> bool:
        return mcp_evidence(FileContext("a.py", cst.parse_module(source)))

    assert evidence("import mcp\n")
    assert evidence('HEADER = "Mcp-Session-Id"\n')
    assert evidence('if method == "tools/list": pass\n')
    assert not evidence('if method == "initialize": pass\n')  # LSP's too
    assert not evidence('if method == "ping": pass\n')
