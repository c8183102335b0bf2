"""Parsing without LibCST's per-node check must give the very tree LibCST gives, and leave the check on."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from mcpmigrate.parsing import parse_module
from tests.conftest import REPO

SOURCES = [*sorted((REPO / "mcpmigrate").rglob("*.py"))[::3], *sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[::20]]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_the_same_tree_as_libcst(path):
    text = path.read_text(encoding="utf-8")
    try:
        expected = cst.parse_module(text)
    except cst.ParserSyntaxError:
        pytest.skip("LibCST cannot parse it")
    module = parse_module(text)
    assert module.deep_equals(expected)
    assert module.code == text


def test_nodes_built_afterwards_are_still_checked():
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("not whitespace")


def test_a_syntax_error_leaves_the_check_on():
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def (:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("x")
