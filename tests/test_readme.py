"""The README's commands are what CI and a new user run; keep them true."""

from __future__ import annotations

import re

from mcpmigrate.rule.base import registered_rules
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.DOTALL)


def test_ci_runs_exactly_the_readme_test_command():
    ci_command = (REPO / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci_command in [line.strip() for block in _shell_blocks() for line in block.splitlines()]
    assert "pytest" in ci_command


def test_readme_lists_every_rule():
    for code, rule in registered_rules().items():
        assert f"| {code} | {rule.name} |" in README
