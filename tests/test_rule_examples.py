"""Every rule's own examples are its tests: exact findings, exact fixes, parseable and converged output."""

from __future__ import annotations

import ast

import pytest

from mcpmigrate.engine import checker as engine
from mcpmigrate.findings import FixPolicy
from mcpmigrate.rule.base import Invalid, RuleOptions, SuppressionRule, Valid, registered_rules

RULES = registered_rules()
# Examples show the project as it is once it requires mcp>=2; see test_fixes_need_the_mcp2_target.
TARGET_2 = RuleOptions(target_sdk=2)
CASES = [
    pytest.param(rule, example, id=f"{code}-{index}-{'invalid' if isinstance(example, Invalid) else 'valid'}")
    for code, rule in RULES.items()
    for index, example in enumerate(rule.examples)
]


def test_every_rule_has_flagged_and_silent_examples():
    for code, rule in RULES.items():
        assert any(isinstance(e, Invalid) for e in rule.examples), code
        assert any(isinstance(e, Valid) for e in rule.examples), code
        for attribute in ("name", "summary", "why", "fix_description", "fix_safety"):
            assert getattr(rule, attribute).strip(), f"{code} has no {attribute}"


def options_of(example) -> RuleOptions:
    return example.options or TARGET_2


def rules_for(rule) -> list:
    """The rules an example runs with: itself, or, for a rule about suppressions (which judges what
    the others found), every rule, as a default run has them."""
    return list(RULES.values()) if issubclass(rule, SuppressionRule) else [rule]


@pytest.mark.parametrize("rule, example", CASES)
def test_example(rule, example):
    options, rules = options_of(example), rules_for(rule)
    result = engine.check(example.code, "example.py", rules, options)
    assert result.problems == ()
    positions = [(f.location.row, f.location.column) for f in result.findings if f.code == rule.code]
    if isinstance(example, Valid):
        assert positions == []
        return
    assert positions == example.findings
    assert {f.code for f in result.findings} == {rule.code}  # the example shows this rule alone
    policies = (
        (FixPolicy(), example.after_safe),
        (FixPolicy(unsafe=True), example.after_unsafe),
        (FixPolicy(unsafe=True, named=frozenset({rule.code})), example.after_display),  # `--fix-only CODE`
    )
    for policy, expected in policies:
        fixed = engine.fix(example.code, "example.py", rules, policy=policy, options=options)
        assert fixed.problems == ()
        assert fixed.text == expected
        ast.parse(fixed.text)  # the output parses
        again = engine.fix(fixed.text, "example.py", rules, policy=policy, options=options)
        assert again.text == fixed.text  # a second --fix changes nothing
        assert again.fixed == ()


@pytest.mark.parametrize("rule, example", [c for c in CASES if isinstance(c.values[1], Invalid)])
def test_example_findings_are_suppressible(rule, example):
    lines = example.code.splitlines(keepends=True)
    for row, _ in example.findings:
        line = lines[row - 1]
        lines[row - 1] = line.rstrip("\n") + f"  # noqa: {rule.code}\n"
    suppressed = engine.check("".join(lines), "example.py", rules_for(rule), options_of(example))
    # a finding spanning lines with a noqa on neither end may remain; all reported ones start elsewhere
    assert all(f.location.row not in {r for r, _ in example.findings} for f in suppressed.findings)


@pytest.mark.parametrize("rule, example", [c for c in CASES if isinstance(c.values[1], Invalid) and c.values[0].uses_target_sdk])
def test_fixes_need_the_mcp2_target(rule, example):
    """Unless the project targets mcp 2.x, a rule that depends on it offers the same rewrite as unsafe."""
    for unknown in (RuleOptions(target_sdk=None), RuleOptions(target_sdk=1)):
        safe = engine.fix(example.code, "example.py", [rule], options=unknown)
        assert safe.text == example.code
        unsafe = engine.fix(example.code, "example.py", [rule], policy=FixPolicy(unsafe=True), options=unknown)
        assert unsafe.text == example.after_unsafe
