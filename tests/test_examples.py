"""The bundled legacy example: what a new user sees first."""

from __future__ import annotations

import shutil

from tests.conftest import REPO

EXPECTED = [
    "examples/legacy_weather/client.py:7:40: MCP804",
    "examples/legacy_weather/client.py:11:16: MCP804",
    "examples/legacy_weather/client.py:11:84: MCP804",
    "examples/legacy_weather/client.py:13:27: MCP101",
    "examples/legacy_weather/client.py:14:30: MCP103",
    "examples/legacy_weather/client.py:18:20: MCP801",
    "examples/legacy_weather/client.py:19:40: MCP301",
    "examples/legacy_weather/server.py:6:6: MCP802",
    "examples/legacy_weather/server.py:6:41: MCP802",
    "examples/legacy_weather/server.py:7:35: MCP801",
    "examples/legacy_weather/server.py:10:7: MCP802",
    "examples/legacy_weather/server.py:10:26: MCP802",
    "examples/legacy_weather/server.py:10:62: MCP803",
    "examples/legacy_weather/server.py:15:24: MCP801",
    "examples/legacy_weather/server.py:19:9: MCP801",
    "examples/legacy_weather/server.py:25:11: MCP601",
    "examples/legacy_weather/server.py:36:15: MCP801",
    "examples/legacy_weather/server.py:36:39: MCP301",
]
# What `--fix` cannot do even once the project requires mcp 2: the client reads its session id,
# which 2026-07-28 does not have; `discover()` instead of `initialize()` loses handshake-era servers,
# and accepting both not-found codes and moving `ctx.info` to `logging` are unsafe rewrites.
NEEDS_A_HUMAN = [
    "examples/legacy_weather/client.py:7:40: MCP804",
    "examples/legacy_weather/client.py:11:16: MCP804",
    "examples/legacy_weather/client.py:11:84: MCP804",
    "examples/legacy_weather/client.py:13:27: MCP101",
    "examples/legacy_weather/client.py:14:30: MCP103",
    "examples/legacy_weather/client.py:19:40: MCP301",
    "examples/legacy_weather/server.py:25:11: MCP601",
]


def test_the_example_shows_findings_and_exits_1(run):
    result = run("check", "--output-format", "concise", "examples/", cwd=REPO)
    assert result.code == 1
    assert [" ".join(line.split(" ")[:2]) for line in result.out.splitlines()] == EXPECTED
    # It still requires mcp 1.x: only the server's -32002 is safe to rewrite now (the code is right on
    # either SDK); the 2.x renames are offered as unsafe, and the summary says why.
    assert [line.split(" ")[1] for line in result.out.splitlines() if "[*]" in line] == ["MCP301"]
    assert "[*] 1 fixable with `mcpmigrate check --fix`." in result.err
    assert "12 more fixable with `--fix --unsafe-fixes`." in result.err
    # `ctx.info(...)` still works on mcp 2.x: its fix is shown, applied only when MCP601 is named.
    assert "1 display-only fix (MCP601): apply with `--fix-only MCP601`." in result.err
    assert "Target SDK: mcp 1 (pyproject.toml: mcp>=1.26,<2)" in result.err


def test_fix_then_check_leaves_only_what_needs_a_human(run, tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    server = tmp_path / "examples/legacy_weather/server.py"
    (tmp_path / "examples/legacy_weather/pyproject.toml").write_text("[project]\nname='w'\ndependencies=['mcp>=2.3']\n")
    fixed = run("check", "--fix", "--output-format", "concise", "examples", cwd=tmp_path)
    assert fixed.code == 1
    assert [" ".join(line.split(" ")[:2]) for line in fixed.out.splitlines()] == NEEDS_A_HUMAN
    assert f"Fixed {len(EXPECTED) - len(NEEDS_A_HUMAN)} findings ({len(NEEDS_A_HUMAN)} remaining)." in fixed.err
    assert "MCPError(code=INVALID_PARAMS" in server.read_text()
    assert 'mcp = MCPServer("weather", instructions="Forecasts and alerts for a city.")' in server.read_text()
