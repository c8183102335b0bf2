"""The bundled legacy example: what a new user sees first."""

from __future__ import annotations

import shutil

from tests.conftest import REPO

EXPECTED = [
    "examples/legacy_weather/client.py:18:24: MCP801",
    "examples/legacy_weather/server.py:7:35: MCP801",
    "examples/legacy_weather/server.py:15:24: MCP801",
    "examples/legacy_weather/server.py:19:9: MCP801",
    "examples/legacy_weather/server.py:36:15: MCP801",
]


def test_the_example_shows_findings_and_exits_1(run):
    result = run("check", "--output-format", "concise", "examples/", cwd=REPO)
    assert result.code == 1
    assert [" ".join(line.split(" ")[:2]) for line in result.out.splitlines()] == EXPECTED


def test_fix_then_check_leaves_only_what_needs_a_human(run, tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    (tmp_path / "pyproject.toml").write_text("[tool.mcpmigrate]\n")
    fixed = run("check", "--fix", "examples", cwd=tmp_path)
    assert fixed.code == 0
    assert run("check", "examples", cwd=tmp_path).code == 0
    assert "MCPError(code=-32002" in (tmp_path / "examples/legacy_weather/server.py").read_text()
