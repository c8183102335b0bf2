"""`node_offsets` must place every node exactly where LibCST's PositionProvider does."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from mcpmigrate.lines import LineIndex
from mcpmigrate.offsets import node_offsets
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
