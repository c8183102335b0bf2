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
        "client.py:21:33: MCP101", "client.py:23:22: MCP204", "client.py:23:59: MCP103", "client.py:24:43: MCP204",
        "server.py:11:27: MCP104", "server.py:16:8: MCP203", "server.py:17:74: MCP103",
        "server.py:20:18: MCP102", "server.py:21:22: MCP103", "server.py:22:9: MCP105", "server.py:24:94: MCP103",
    ],
    "sdk_client": ["agent.py:11:19: MCP101", "agent.py:22:28: MCP101", "agent.py:25:60: MCP201", "agent.py:25:75: MCP201"],
    "mrtr_project": [
        "client.py:9:11: MCP602", "client.py:10:11: MCP603", "client.py:11:19: MCP501", "client.py:16:38: MCP301",
        "client.py:20:49: MCP701", "client.py:20:49: MCP703", "client.py:25:12: MCP702", "server.py:5:6: MCP802", "server.py:5:41: MCP802",
        "server.py:6:35: MCP801", "server.py:9:7: MCP802", "server.py:10:13: MCP301", "server.py:19:18: MCP401",
        "server.py:20:11: MCP601", "server.py:26:19: MCP403", "server.py:27:19: MCP402", "server.py:35:11: MCP801",
    ],
    "stateless_wire": [
        "client.py:5:52: MCP104", "client.py:9:15: MCP905", "client.py:21:19: MCP904", "client.py:25:36: MCP204",
        "client.py:25:36: MCP907", "client.py:29:123: MCP908", "server.py:16:12: MCP901", "server.py:16:12: MCP902",
        "server.py:29:18: MCP910", "server.py:30:69: MCP901", "server.py:30:69: MCP902", "server.py:30:79: MCP909",
        "server.py:33:71: MCP601", "server.py:33:71: MCP906", "server.py:37:23: MCP901", "server.py:46:67: MCP903",
    ],
    "lowlevel_project": [
        "server.py:10:35: MCP801", "server.py:14:34: MCP805", "server.py:17:2: MCP805", "server.py:23:13: MCP807",
        "server.py:25:62: MCP807", "server.py:29:13: MCP807", "server.py:30:13: MCP807", "server.py:35:2: MCP805",
        "server.py:44:2: MCP805", "server.py:49:2: MCP805", "server.py:52:15: MCP801", "server.py:52:45: MCP301",
        "server.py:56:2: MCP805", "server.py:61:2: MCP805", "server.py:68:2: MCP805",
    ],
    "lookalikes": [],
    # the end-to-end projects (tests/test_end_to_end_projects.py runs them fixed)
    "kitchen_project": [
        "server.py:7:6: MCP802", "server.py:7:41: MCP802", "server.py:8:35: MCP801", "server.py:11:7: MCP802",
        "server.py:32:11: MCP601", "server.py:46:19: MCP401", "server.py:47:22: MCP401", "server.py:56:19: MCP402",
        "server.py:66:19: MCP403", "server.py:74:15: MCP801", "server.py:74:39: MCP301",
    ],
    "callbacks_client": [
        "client.py:12:32: MCP806", "client.py:18:14: MCP806", "client.py:25:29: MCP806", "client.py:29:30: MCP806",
        "client.py:43:47: MCP806", "client.py:46:27: MCP101",
    ],
    "sse_project": [
        "client.py:7:28: MCP201", "client.py:12:16: MCP201", "client.py:14:27: MCP101", "server.py:5:6: MCP802",
        "server.py:5:32: MCP802", "server.py:7:7: MCP802", "server.py:7:24: MCP803", "server.py:17:23: MCP202",
    ],
    "handrolled_http": [
        "client.py:14:23: MCP101", "client.py:15:43: MCP104", "client.py:17:20: MCP103", "client.py:17:55: MCP103",
        "client.py:18:37: MCP101", "client.py:19:16: MCP905", "client.py:20:26: MCP204", "server.py:12:20: MCP104",
        "server.py:24:18: MCP102", "server.py:25:22: MCP103", "server.py:29:26: MCP103", "server.py:31:18: MCP102",
        "server.py:34:35: MCP901", "server.py:34:35: MCP902", "server.py:37:35: MCP901",
    ],
}
# The first two fixtures are about the MCP1xx/MCP2xx rules; the others are checked with every rule.
SELECT = {"handrolled": "MCP1,MCP2", "sdk_client": "MCP1,MCP2"}


def findings(run, folder, select: str) -> list[str]:
    result = run("check", "--output-format", "concise", "--select", select, ".", cwd=folder)
    return [" ".join(line.split(" ")[:2]) for line in result.out.splitlines()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(run, name):
    assert findings(run, FIXTURES / name, SELECT.get(name, "ALL")) == EXPECTED[name]


@pytest.mark.parametrize("name", ["handrolled", "sdk_client", "sdk1_project", "mrtr_project", "stateless_wire", "lowlevel_project",
                                  "kitchen_project", "callbacks_client", "sse_project", "handrolled_http"])
def test_fixture_fixes_parse_and_converge(run, tmp_path, name):
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=project)
    after = {path: path.read_text() for path in project.rglob("*.py")}
    for path, text in after.items():
        ast.parse(text, str(path))
    run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=project)
    assert {path: path.read_text() for path in project.rglob("*.py")} == after  # a second --fix changes nothing
