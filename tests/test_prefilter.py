"""The pre-filter (rules' tokens) must never lose a finding, and must spare files that cannot match."""

from __future__ import annotations

import libcst as cst
import pytest

from mcpmigrate.engine import checker as engine
from mcpmigrate.findings import FixPolicy
from mcpmigrate.rule.base import Invalid, RuleOptions, registered_rules, rules_that_may_match
from mcpmigrate.rule.prefilter import TokenScan, all_gated
from tests.conftest import REPO

RULES = list(registered_rules().values())
TARGET_2 = RuleOptions(target_sdk=2)
EVERY_FIX = FixPolicy(unsafe=True, named=frozenset(registered_rules()))  # display-only ones too
SOURCES = sorted(
    [*(REPO / "tests" / "fixtures").rglob("*.py"), *(REPO / "examples").rglob("*.py")], key=str
)


def _key(result):
    return [(f.code, f.location, f.end_location, f.fix) for f in result.findings], result.problems


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_examples_find_the_same_with_and_without_the_prefilter(rule):
    for example in rule.examples:
        options = example.options or TARGET_2
        fast = engine.check(example.code, "x.py", RULES, options, prefilter=True)
        full = engine.check(example.code, "x.py", RULES, options, prefilter=False)
        assert _key(fast) == _key(full)
        if isinstance(example, Invalid):
            assert engine.fix(example.code, "x.py", RULES, policy=EVERY_FIX, options=options, prefilter=True).text == (
                engine.fix(example.code, "x.py", RULES, policy=EVERY_FIX, options=options, prefilter=False).text
            )


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(REPO)))
def test_fixtures_find_the_same_with_and_without_the_prefilter(path):
    text = path.read_text(encoding="utf-8")
    assert _key(engine.check(text, "x.py", RULES, TARGET_2, prefilter=True)) == _key(
        engine.check(text, "x.py", RULES, TARGET_2, prefilter=False)
    )


def test_a_file_no_rule_can_match_is_not_parsed_at_all(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a file without any rule's tokens should not be parsed")

    monkeypatch.setattr(cst, "parse_module", refuse)
    monkeypatch.setattr("builtins.compile", refuse)
    assert engine.check("import os\nprint(os.sep)\n", "x.py", RULES) == engine.CheckResult(())
    assert engine.check("def broken(:\n", "x.py", RULES) == engine.CheckResult(())


def test_a_file_a_rule_could_match_still_gets_its_syntax_error_named():
    (problem,) = engine.check("from mcp import McpError\ndef broken(:\n", "x.py", RULES).problems
    assert problem.message == "cannot parse: invalid syntax" and problem.location.row == 2


def test_a_rule_with_context_tokens_needs_one_of_each():
    (ping,) = [rule for rule in RULES if rule.code == "MCP602"]
    assert ping.may_match("import mcp\nawait session.send_ping()")
    assert not ping.may_match("await session.send_ping()")  # no MCP evidence
    assert not ping.may_match("import mcp\nawait session.initialize()")  # nothing about ping


def test_every_rule_declares_tokens():
    assert [rule.code for rule in RULES if not rule.tokens] == []
    for rule in RULES:
        for token in (*rule.tokens, *rule.context_tokens):
            text = token if isinstance(token, str) else token.pattern
            assert text == text.lower(), (rule.code, text)  # they are matched against the lowered text


def test_common_words_alone_make_no_file_a_candidate():
    # Most of a large tree says these; without MCP evidence no rule may ask for a parse (a rule with
    # a common word as token and no context tokens made the standard library five times slower).
    text = (
        "def initialize(self, state, task, roots, context, version, content, server, cursor, client_id):\n"
        "    self.ping(); requests.post(url, data=state); logging.info('error warning debug')\n"
        "    return {'code': 1, 'state': 2, 'resources/': 3, 'tools/': 4, 'notifications/': 5}\n"
    )
    assert [rule.code for rule in RULES if rule.may_match(text.lower())] == []


def _texts_with_every_token():
    """Every example and fixture, and each token of each rule alone and beside each other token of
    its rule, so each side of each rule is both present and missing somewhere."""
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    texts += [example.code for rule in RULES for example in rule.examples]
    for rule in RULES:
        for side in rule.token_sides():
            for token in side:
                word = token if isinstance(token, str) else token.needs
                texts += [word, f"import mcp\n{word}", *(f"{word} {other}" for other in rule.tokens if isinstance(other, str))]
    return texts


@pytest.mark.parametrize("rules", [RULES, RULES[::3], RULES[1::2]], ids=["all", "a third", "half"])
def test_the_search_for_the_whole_set_selects_what_each_rule_selects(rules):
    for text in _texts_with_every_token():
        lowered = text.lower()
        assert rules_that_may_match(rules, TokenScan.of(text)) == [rule for rule in rules if rule.may_match(lowered)], text


def test_a_rule_asks_first_for_its_rarer_side():
    # `post` is in a tenth of the standard library, an MCP method name in next to none of it.
    (headers,) = [rule for rule in RULES if rule.code == "MCP204"]
    first, second = headers.token_sides()
    assert all_gated(first) and second == ("post",)
    assert rules_that_may_match([headers], TokenScan.of("requests.post(url, json=body)")) == []
    assert rules_that_may_match([headers], TokenScan.of('requests.post(url, json={"method": "tools/list"})')) == [headers]


@pytest.fixture(scope="module")
def sdk_checked(sdk_sources):
    """Each SDK file's text and its findings as a run gives them (pre-filter, positions from statements)."""
    checked = []
    for path in sdk_sources:
        text = path.read_text(encoding="utf-8")
        checked.append((path, text, _key(engine.check(text, "x.py", RULES, TARGET_2))))
    return checked


@pytest.mark.slow
def test_no_finding_is_lost_on_the_sdk_source(sdk_checked):
    """Every file of the SDK's source distribution gives the same findings with and without the
    pre-filter."""
    for path, text, fast in sdk_checked:
        full = engine.check(text, "x.py", RULES, TARGET_2, prefilter=False)
        assert fast[0] == _key(full)[0], path


@pytest.mark.slow
def test_positions_from_statements_are_those_from_the_whole_module_on_the_sdk_source(sdk_checked, monkeypatch):
    """Findings and fix edits placed by generating only the statements that hold them are where
    generating the whole module places them, on every file of the SDK's source distribution."""
    monkeypatch.setattr(engine, "statement_offsets", lambda *args: None)
    assert sum(len(findings) for _, _, (findings, _) in sdk_checked) > 300
    for path, text, placed in sdk_checked:
        assert placed == _key(engine.check(text, "x.py", RULES, TARGET_2)), path
