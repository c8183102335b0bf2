"""`node_offsets` must place every node exactly where LibCST's PositionProvider does."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from mcpmigrate.engine.tree.offsets import node_offsets, statement_offsets
from mcpmigrate.engine.tree.traversal import StatementIndex, visit_batched
from mcpmigrate.lines import LineIndex
from tests.conftest import REPO

EDGE_CASES = [
    "", "\n", "x = 1", "x = 1\r\n", "# only a comment", "\r\n\r\n", "if x:\r    y = 1\r", "\x0c\ndef f():\n\treturn (\n 1)\n",
    "if a:\n    x = 1\nelif b:\n    x = 2\n",  # alone, the elif generates as `if b:`, which the text has at "elif"
    "match a:\n  case 1:\n        x = 1\n  case 2:\n    x = 1\n",  # the cases' own indentation
    "def f():\n        return 1\ndef g():\n    return 1\n",  # one line inside another's indentation
]
SOURCES = [*sorted((REPO / "mcpmigrate").rglob("*.py")), *sorted((REPO / "tests").rglob("*.py"))]
SOURCES += sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[::25]


def compare(text: str) -> None:
    module = cst.parse_module(text)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    offsets = node_offsets(module)
    lines = LineIndex(text)
    assert len(offsets) == len(positions)
    for node, where in positions.items():
        if where.end.line > len(lines.starts):
            continue  # LibCST places the final Newline of a file that has none one line past the end
        if isinstance(node, cst.Module):
            continue  # its end depends on how LibCST regenerates the last newline (it drops a lone final \r)
        expected = (lines.offset(where.start.line, where.start.column), lines.offset(where.end.line, where.end.column))
        assert offsets[node] == expected, type(node).__name__


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases(text):
    compare(text)


def parsable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError:
        pytest.skip("LibCST cannot parse it")
    return text


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_real_sources(path):
    compare(parsable(path))


def _indexed(text: str) -> tuple[cst.Module, StatementIndex]:
    module = cst.parse_module(text)
    statements = StatementIndex()
    visit_batched(module, [], statements)
    return module, statements


def statements_agree(text: str) -> None:
    """Each statement placed alone gives its nodes the offsets the whole module gives."""
    module, statements = _indexed(text)
    whole = node_offsets(module)
    for statement in statements.about:
        partial = statement_offsets(module, text, statements, [statement])
        if partial is None:
            continue  # not even the outermost statement around it could be placed for certain
        assert dict(partial.items()).items() <= whole.items()
        assert partial.get(statement) is not None
    # Nodes of a compound statement's own (its header, or what its body does not hold): the header
    # alone places those it holds, the whole statement the others.
    compound = [statement for statement in statements.about if not isinstance(statement, cst.SimpleStatementLine)]
    for statement in compound[:8]:
        for node in [node for node in whole if statements.owner.get(id(node)) is statement]:
            partial = statement_offsets(module, text, statements, [node])
            if partial is not None:
                assert partial.get(node) == whole[node]
                assert dict(partial.items()).items() <= whole.items()
    for step in (2, 7):  # several at once: placed in order, each after the one before
        some = list(statements.about)[::step]
        partial = statement_offsets(module, text, statements, some)
        if partial is not None:
            assert dict(partial.items()).items() <= whole.items()
            assert all(partial.get(statement) is not None for statement in some)


@pytest.mark.parametrize("text", EDGE_CASES)
def test_statement_offsets_edge_cases(text):
    statements_agree(text)


@pytest.mark.parametrize("path", SOURCES[::6], ids=lambda path: path.name)
def test_statement_offsets_real_sources(path):
    statements_agree(parsable(path))


NESTED = """\
import a

class C:
    # about f
    def f(self):
        if a.x:
            return 1
        elif a.y:
            return 2
        return a.z

    def g(self):
        if a.x:
            return 1
"""


def _statement(module: cst.Module, source: str, text: str) -> cst.CSTNode:
    """The statement whose own code (without its leading lines) starts with `source`."""
    whole = node_offsets(module)
    found = [node for node, (start, _) in whole.items() if type(node).__name__ in ("SimpleStatementLine", "If", "FunctionDef") and text.startswith(source, start)]
    return found[0]


def test_only_the_innermost_statement_is_generated():
    module, statements = _indexed(NESTED)
    inner = _statement(module, "return a.z", NESTED)
    partial = statement_offsets(module, NESTED, statements, [inner])
    assert partial.get(inner) == node_offsets(module)[inner]
    assert not any(isinstance(node, (cst.FunctionDef, cst.ClassDef)) for node, _ in partial.items())  # the line alone


@pytest.mark.parametrize(
    ("source", "placed_by"),
    [
        ("return 1", "if a.x"),  # the line occurs twice (f and g): the `if` around it, with its elif, once
        ("if a.x", "if a.x"),
        ("return 2", "return 2"),
    ],
)
def test_a_statement_whose_code_is_not_unique_is_placed_by_the_one_around_it(source, placed_by):
    module, statements = _indexed(NESTED)
    node = _statement(module, source, NESTED)
    partial = statement_offsets(module, NESTED, statements, [node])
    whole = node_offsets(module)
    assert partial.get(node) == whole[node]
    assert partial.get(_statement(module, placed_by, NESTED)) == whole[_statement(module, placed_by, NESTED)]


DECORATED = """\
import a

# about f
@a.decorator(1)
async def f(x: a.T) -> a.R:
    return x

with a.open() as h:
    pass
"""


def test_a_header_is_generated_without_its_body():
    module, statements = _indexed(DECORATED)
    function, with_ = module.body[1], module.body[2]
    whole = node_offsets(module)
    asked = [function.decorators[0].decorator, function.params.params[0].annotation, function.returns, with_.items[0]]
    partial = statement_offsets(module, DECORATED, statements, asked)
    assert [partial.get(node) for node in asked] == [whole[node] for node in asked]
    placed = dict(partial.items())
    assert function.body not in placed and function.body.body[0] not in placed and with_.body not in placed
    assert function not in placed  # its range ends with the body


@pytest.mark.parametrize("asked", ["statement", "body"])
def test_a_statement_asked_for_beyond_its_header_is_generated_whole(asked):
    module, statements = _indexed(DECORATED)
    function = module.body[1]
    node = function if asked == "statement" else function.body
    partial = statement_offsets(module, DECORATED, statements, [node, function.decorators[0]])
    whole = node_offsets(module)
    assert partial.get(node) == whole[node]
    assert partial.get(function.body.body[0]) == whole[function.body.body[0]]


def test_an_elif_is_placed_by_its_if():
    text = "if a:\n    x = 1\nelif b:\n    x = 2\n"
    module, statements = _indexed(text)
    elif_ = module.body[0].orelse
    partial = statement_offsets(module, text, statements, [elif_.test])
    assert partial.get(elif_.test) == node_offsets(module)[elif_.test]
    # Alone the elif generates as `if b:`, which is not in the text: its if is generated, up to `b`.
    assert partial.get(module.body[0].test) == node_offsets(module)[module.body[0].test]


def test_several_statements_at_once_in_order():
    text = "import a\n\n# about f\ndef f():\n    return 1\n\nx = f()\n"
    module, statements = _indexed(text)
    partial = statement_offsets(module, text, statements, [module.body[1], module.body[2]])
    assert partial.get(module.body[1]) == (text.index("def"), text.index("return 1") + len("return 1"))
    assert partial.get(module.body[2]) == (text.index("x ="), len(text) - 1)
    assert partial.get(module.body[0]) is None


@pytest.mark.parametrize(
    "text",
    [
        "f()\nf()\n",  # the same code twice at the top level: which one it is cannot be told
        "x = 1\ny = 2",  # no final newline: the module drops the one the statement generates
        # ...and the last line's code, with the newline it generates, is elsewhere in the text
        "def f():\n    return x\ndef g():\n    return x",
    ],
)
def test_statements_that_cannot_be_placed_for_certain(text):
    module, statements = _indexed(text)
    last = list(statements.about)[-1]
    assert statement_offsets(module, text, statements, [last]) is None


def test_a_node_outside_every_statement_means_the_whole_module():
    text = "# a comment the module holds\n\nx = 1\n"
    module, statements = _indexed(text)
    assert statement_offsets(module, text, statements, [module]) is None
