"""rules/CODE.md and the README's rules table are generated from the rule modules; the checked-in
copies must match them."""

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


def test_readme_rules_table_is_up_to_date():
    from mcpmigrate.docs import rules_table, with_rules_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_rules_table(readme) == readme, "run `python -m mcpmigrate.docs` to regenerate the README's rules table"
    assert len(rules_table().splitlines()) == len(registered_rules()) + 2


def test_the_table_is_replaced_between_its_markers_only():
    import pytest

    from mcpmigrate.docs import TABLE_END, TABLE_START, rules_table, with_rules_table

    readme = f"intro\n{TABLE_START}\n| stale |\n{TABLE_END}\noutro\n"
    assert with_rules_table(readme) == f"intro\n{TABLE_START}\n{rules_table()}\n{TABLE_END}\noutro\n"
    with pytest.raises(ValueError, match="markers"):
        with_rules_table("no markers here\n")
