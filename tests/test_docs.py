"""rules/CODE.md is generated from the rule modules; the checked-in copies must match them."""

from __future__ import annotations

from mcpmigrate.docs import render_markdown
from mcpmigrate.rule.base import registered_rules
from tests.conftest import REPO


def test_rule_docs_are_up_to_date():
    folder = REPO / "rules"
    rules = registered_rules()
    stale = [code for code, rule in rules.items() if not (folder / f"{code}.md").is_file()
             or (folder / f"{code}.md").read_text(encoding="utf-8") != render_markdown(rule)]
    assert stale == [], f"run `python -m mcpmigrate.docs` to regenerate rules/ for {stale}"
    orphans = sorted(p.stem for p in folder.glob("*.md") if p.stem not in rules)
    assert orphans == [], f"rules/ documents rules that do not exist: {orphans}"
