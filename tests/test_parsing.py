"""Parsing with unchecked node constructors must give the very tree LibCST gives, and leave the
constructors as they were."""

from __future__ import annotations

import dataclasses
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from mcpmigrate.engine.tree import parsing
from mcpmigrate.engine.tree.parsing import _unchecked_init, parse_module
from tests.conftest import REPO

SOURCES = [*sorted((REPO / "mcpmigrate").rglob("*.py"))[::3], *sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[::20]]


@pytest.fixture
def unchecked_inits(monkeypatch):
    """From the first parse on, not only after a few."""
    monkeypatch.setattr(parsing, "UNCHECKED_INITS_AFTER", 0)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_the_same_tree_as_libcst(path, unchecked_inits):
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


def test_the_first_parses_of_a_process_build_no_constructors(monkeypatch):
    monkeypatch.setattr(parsing, "_parsed", 0)
    monkeypatch.setattr(parsing, "_SWAPS", None)
    text = SOURCES[0].read_text(encoding="utf-8")
    for _ in range(parsing.UNCHECKED_INITS_AFTER):
        assert parse_module(text).deep_equals(cst.parse_module(text))
    assert parsing._SWAPS is None
    parse_module("x = 1\n")
    assert parsing._SWAPS is not None


def test_the_classes_get_their_own_constructors_back(unchecked_inits):
    before = {cls: cls.__dict__["__init__"] for cls in (cst.Name, cst.Module, cst.SimpleWhitespace, cst.Call)}
    parse_module("f(x)\n")
    assert {cls: cls.__dict__["__init__"] for cls in before} == before
    assert cst.Name("x").value == "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_module("x\n").body[0].body[0].value.value = "y"


def test_an_unchecked_constructor_takes_the_same_arguments_and_defaults():
    init = _unchecked_init(cst.Arg)
    first, second = object.__new__(cst.Arg), object.__new__(cst.Arg)
    init(first, cst.Name("x"))
    init(second, value=cst.Name("y"), keyword=cst.Name("k"))
    assert first.deep_equals(cst.Arg(cst.Name("x")))
    assert second.deep_equals(cst.Arg(value=cst.Name("y"), keyword=cst.Name("k")))
    assert first.whitespace_after_arg is not second.whitespace_after_arg  # a factory's default is new each time


@pytest.mark.slow
def test_the_same_tree_as_libcst_on_the_sdk_source(sdk_sources, unchecked_inits):
    for path in sdk_sources:
        text = path.read_text(encoding="utf-8")
        assert parse_module(text).deep_equals(cst.parse_module(text)), path


def test_a_syntax_error_leaves_the_check_on(unchecked_inits):
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def (:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("x")
