"""Whole fixture projects (written by us): exact findings, silent look-alikes, and fixes that converge."""

from __future__ import annotations

import ast
import shutil

import pytest

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"

EXPECTED = {
    "handrolled": [
        "client.py:16:19: MCP101", "client.py:17:39: MCP104", "client.py:19:31: MCP103", "client.py:20:16: MCP103",
        "client.py:21:33: MCP101", "client.py:23:44: MCP204", "client.py:23:59: MCP103", "client.py:24:43: MCP204",
        "server.py:11:27: MCP104", "server.py:17:16: MCP203", "server.py:17:74: MCP103", "server.py:20:18: MCP102",
        "server.py:24:94: MCP103",
    ],
    "sdk_client": ["agent.py:11:19: MCP101", "agent.py:22:28: MCP101", "agent.py:25:60: MCP201"],
    "lookalikes": [],
}


def findings(run, folder) -> list[str]:
    result = run("check", "--output-format", "concise", "--select", "MCP1,MCP2", ".", cwd=folder)
    return [" ".join(line.split(" ")[:2]) for line in result.out.splitlines()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(run, name):
    assert findings(run, FIXTURES / name) == EXPECTED[name]


@pytest.mark.parametrize("name", ["handrolled", "sdk_client", "sdk1_project"])
def test_fixture_fixes_parse_and_converge(run, tmp_path, name):
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=project)
    after = {path: path.read_text() for path in project.rglob("*.py")}
    for path, text in after.items():
        ast.parse(text, str(path))
    run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=project)
    assert {path: path.read_text() for path in project.rglob("*.py")} == after  # a second --fix changes nothing
