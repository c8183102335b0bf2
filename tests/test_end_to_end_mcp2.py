"""Slow, end to end: a project written for mcp 1.x, fixed, then type-checked and run against mcp 2.3.0.

After `check --fix --unsafe-fixes`, every error mypy finds against the real 2.x SDK must sit on a
line that mcpmigrate still reports (work for a human), and the project's own in-process test, now on
`mcp.Client`, must pass.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.mcp2 import require_mcp2

FIXTURE = REPO / "tests" / "fixtures" / "sdk1_project"


def mypy_errors(project: Path) -> set[tuple[str, int]]:
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--hide-error-context", "--no-error-summary",
         "--cache-dir", os.devnull, "notes"],
        cwd=project, capture_output=True, text=True, timeout=600,
    )
    return {
        (match.group(1), int(match.group(2)))
        for match in re.finditer(r"^(\S+?\.py):(\d+): error:", completed.stdout, re.MULTILINE)
    }


@pytest.mark.slow
def test_fixed_project_type_checks_and_runs_against_mcp2(run, tmp_path):
    require_mcp2()
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    before = mypy_errors(project)
    assert len(before) >= 10  # the 1.x project really is broken against 2.x

    run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=project)
    remaining = run("check", "--output-format", "concise", ".", cwd=project)
    findings = {
        (line.split(":")[0], int(line.split(":")[1]), line.split(" ")[1]) for line in remaining.out.splitlines() if line.strip()
    }
    # The low-level decorator handler goes through the 1.x adapter: only MCP808's note that it is there.
    assert findings == {("notes/lowlevel.py", 8, "MCP808")}
    reported = {(path, line) for path, line, _ in findings}
    after = mypy_errors(project)
    assert after <= reported, f"mypy errors on lines mcpmigrate no longer reports: {sorted(after - reported)}"

    test_run = subprocess.run(
        [sys.executable, "-c", "import asyncio, notes.test_notes as t; asyncio.run(t.test_read_note()); print('passed')"],
        cwd=project, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(project)},
    )
    assert test_run.stdout.strip() == "passed", test_run.stderr
