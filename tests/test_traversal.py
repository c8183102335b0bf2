"""The engine's read-only traversal calls the same visitors, on the same nodes, in the same order as
LibCST's own `visit_batched` (which copies every node it passes)."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from mcpmigrate.engine.tree import traversal
from mcpmigrate.engine.tree.traversal import StatementIndex, visit_batched
from mcpmigrate.rule.base import Invalid, OwnVisitors, Valid, registered_rules

REPO = Path(__file__).resolve().parent.parent
NODE_TYPES = sorted(
    {name for name in dir(cst) if isinstance(getattr(cst, name), type) and issubclass(getattr(cst, name), cst.CSTNode)}
)
TOKEN_TYPES = {"Comma", "SimpleWhitespace", "ParenthesizedWhitespace", "TrailingWhitespace", "Newline", "Comment", "EmptyLine"}

SYNTAX = '''
import os, sys as system
from . import sibling
from .pkg.mod import (a as b, c)

@decorator(arg)
async def function(x: int, /, y=1, *args: str, z, **kwargs) -> "T":
    """Docstring."""
    global counter
    async with open(x) as (f, g), other:
        async for item in f:
            yield item if item else None
    try:
        pass
    except* ValueError as error:
        raise RuntimeError from error
    finally:
        del x[0], y.attr
    return [i async for i in g if i], {k: v for k, v in kwargs.items()}, {*args}, (lambda q=1: q)(2)

class Klass(Base, metaclass=Meta):
    attribute: list[int] = []

    def method(self):
        match self.attribute:
            case [1, *rest] if rest:
                pass
            case {"key": value, **others}:
                pass
            case Point(x=0, y=0) | None:
                pass
            case _:
                pass
        value = f"{self!r:>{width}} and {self.attribute=}"
        value += "implicit" 'concatenation' + b"by" b'tes'.decode()
        assert (walrus := value), "message"
        while not walrus:
            break
        else:
            continue
        return -value ** 2 @ matrix << 1 if a < b <= c is not d not in e else ...
'''


def _sources() -> list[tuple[str, str]]:
    sources = [("syntax", SYNTAX)]
    for code, rule in registered_rules().items():
        for index, example in enumerate(rule.examples):
            if isinstance(example, (Valid, Invalid)):
                sources.append((f"{code}[{index}]", example.code))
    for path in sorted((REPO / "tests" / "fixtures").rglob("*.py")):
        sources.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for name in ("ast.py", "typing.py", "dataclasses.py", "asyncio/base_events.py"):
        sources.append((name, (stdlib / name).read_text(encoding="utf-8")))
    return sources


def _recorder(names: list[str]) -> tuple[OwnVisitors, list[tuple[str, str, int]]]:
    log: list[tuple[str, str, int]] = []
    methods = {}
    for name in names:
        methods[f"visit_{name}"] = lambda self, node, name=name: log.append(("visit", name, id(node)))
        methods[f"leave_{name}"] = lambda self, node, name=name: log.append(("leave", name, id(node)))
    return type("Recorder", (OwnVisitors,), methods)(), log


@pytest.mark.parametrize("label, text", _sources(), ids=[label for label, _ in _sources()])
def test_same_calls_in_the_same_order_as_libcst(label, text):
    traversal._ORDERS.clear()  # learn the field orders from this source alone
    module = cst.parse_module(text)
    for names in (NODE_TYPES, [name for name in NODE_TYPES if name not in TOKEN_TYPES]):
        theirs, expected = _recorder(names)
        cst.visit_batched(module, [theirs])
        ours, actual = _recorder(names)
        visit_batched(module, [ours])
        assert actual == expected
        recording, recorded = _recorder(names)
        visit_batched(module, [recording], StatementIndex())
        assert recorded == expected


class _Collector(cst.CSTVisitor):
    """Each walked node's innermost statement, found the slow way."""

    def __init__(self) -> None:
        super().__init__()
        self.owner: dict[int, cst.CSTNode | None] = {}
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node).__module__.endswith(("_nodes.op", "_nodes.whitespace")):
            return False  # not walked when no visitor asks for whitespace or punctuation
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.stack.append(node)
        self.owner[id(node)] = self.stack[-1] if self.stack else None
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()


@pytest.mark.parametrize("label, text", _sources()[:1] + _sources()[-4:], ids=[label for label, _ in _sources()[:1] + _sources()[-4:]])
def test_statement_index_names_the_innermost_statement_of_every_node(label, text):
    module = cst.parse_module(text)
    statements = StatementIndex()
    visit_batched(module, [_recorder(["Name"])[0]], statements)
    collector = _Collector()
    module.visit(collector)
    assert statements.owner == collector.owner
    assert list(statements.about) == [node for node in dict.fromkeys(collector.owner.values()) if node is not None]
