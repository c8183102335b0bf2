"""Every rule x every shape of each construct it answers to (mcpmigrate.rules._kits.shapes): the rule
flags the marked line, and stays silent on the shape's look-alike. Generated from the one table, so a
shape added there is tried on every rule that answers to its construct.

A pair this build does not handle yet is listed in GAPS with why; it is run as a strict xfail, so the
day it is handled the test says to take it off the list."""

from __future__ import annotations

import pytest

from mcpmigrate.engine import checker as engine
from mcpmigrate.rule.base import RuleOptions, registered_rules
from mcpmigrate.rules._kits.shapes import (
    CONSTRUCTS,
    EVIDENCE,
    LOOKALIKE_VALUES,
    METHOD_HANDLED,
    METHOD_SENT,
    SHAPES,
    shapes_of,
)
from mcpmigrate.rules._kits.spec import MCP_ONLY_METHODS

RULES = registered_rules()
OPTIONS = RuleOptions(target_sdk=2)
# Names another protocol uses too (LSP's `initialize`, DAP's and others' `ping`): without MCP evidence,
# even their real shapes must stay silent.
SHARED_VALUES = frozenset({"initialize", "ping"})

# (rule, shape, value) pairs not handled yet, and why. Strict xfails: handled, they fail until removed.
GAPS: dict[tuple[str, str, str], str] = {}

CASES = [
    pytest.param(
        code, shape, value,
        id=f"{code}-{shape.name}-{value}",
        marks=[pytest.mark.xfail(strict=True, reason=GAPS[code, shape.name, value])] if (code, shape.name, value) in GAPS else [],
    )
    for code, rule in sorted(RULES.items())
    for construct, value in rule.answers
    for shape in shapes_of(construct)
]


def findings_of(code: str, text: str) -> list[int]:
    result = engine.check(text, "example.py", [RULES[code]], OPTIONS)
    assert result.problems == ()
    return [finding.location.row for finding in result.findings if finding.code == code]


def test_every_construct_has_shapes_and_every_answer_names_one():
    for construct in CONSTRUCTS:
        assert shapes_of(construct), construct
    for code, rule in RULES.items():
        for construct, _ in rule.answers:
            assert construct in CONSTRUCTS, (code, construct)
    assert {construct for rule in RULES.values() for construct, _ in rule.answers} == set(CONSTRUCTS)


def test_every_gap_names_a_case():
    names = {(code, shape.name, value) for code, rule in RULES.items() for construct, value in rule.answers for shape in shapes_of(construct)}
    assert set(GAPS) <= names


@pytest.mark.parametrize("code, shape, value", CASES)
def test_the_rule_flags_the_shape(code, shape, value):
    text, line = shape.render(value)
    assert line in findings_of(code, text), text


@pytest.mark.parametrize("code, shape, value", [pytest.param(*case.values, id=case.id) for case in CASES])
def test_the_shapes_look_alike_stays_silent(code, shape, value):
    lookalike = shape.render_lookalike(LOOKALIKE_VALUES[shape.construct])
    assert findings_of(code, lookalike) == [], lookalike
    # Another protocol's own `initialize` or `ping`, in code that is not about MCP.
    plain = shape.render_lookalike(value).replace(EVIDENCE, "")
    if value in SHARED_VALUES and shape.construct in (METHOD_SENT, METHOD_HANDLED) and not any(
        f'"{method}"' in plain for method in MCP_ONLY_METHODS
    ):
        assert findings_of(code, plain) == [], plain


def test_shapes_render_one_marked_line():
    for shape in SHAPES:
        shape.render("x")
