"""`node_offsets` must place every node exactly where LibCST's PositionProvider does."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from mcpmigrate.lines import LineIndex
from mcpmigrate.offsets import node_offsets, statement_offsets
from tests.conftest import REPO

EDGE_CASES = ["", "\n", "x = 1", "x = 1\r\n", "# only a comment", "\r\n\r\n", "if x:\r    y = 1\r", "\x0c\ndef f():\n\treturn (\n 1)\n"]
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


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_real_sources(path):
    text = path.read_text(encoding="utf-8")
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError:
        pytest.skip("LibCST cannot parse it")
    compare(text)


def statements_agree(text: str) -> None:
    """Each top-level statement placed alone gives its nodes the offsets the whole module gives."""
    module = cst.parse_module(text)
    whole = node_offsets(module)
    for index in range(len(module.body)):
        partial = statement_offsets(module, text, [index])
        if partial is None:
            continue  # its code occurs twice, or the file ends without a newline: not placed
        assert partial.items() <= whole.items()
        assert module.body[index] in partial


@pytest.mark.parametrize("text", EDGE_CASES)
def test_statement_offsets_edge_cases(text):
    statements_agree(text)


@pytest.mark.parametrize("path", SOURCES[::4], ids=lambda path: path.name)
def test_statement_offsets_real_sources(path):
    text = path.read_text(encoding="utf-8")
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError:
        pytest.skip("LibCST cannot parse it")
    statements_agree(text)


def test_several_statements_at_once_in_order():
    text = "import a\n\n# about f\ndef f():\n    return 1\n\nx = f()\n"
    module = cst.parse_module(text)
    partial = statement_offsets(module, text, [1, 2])
    assert partial[module.body[1]] == (text.index("def"), text.index("return 1") + len("return 1"))
    assert partial[module.body[2]] == (text.index("x ="), len(text) - 1)
    assert module.body[0] not in partial


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("f()\nf()\n", 1),  # the same code twice: which one it is cannot be told from the text
        ("f()\nf()\n", 0),
        ("x = 1\ny = 2", 1),  # no final newline: the module drops the one the statement generates
    ],
)
def test_statements_that_cannot_be_placed_for_certain(text, index):
    module = cst.parse_module(text)
    assert statement_offsets(module, text, [index]) is None
