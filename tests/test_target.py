"""Which mcp SDK a project targets, from its declared dependency or `target-sdk`."""

from __future__ import annotations

import pytest

from mcpmigrate.run.target import TargetResolver, detect, sdk_of_specifier
from tests.conftest import LEGACY, write


@pytest.mark.parametrize(
    "specifier, sdk",
    [
        (">=2", 2), (">=2.3.0,<3", 2), ("==2.3.0", 2), ("~=2.1", 2), ("==2.*", 2),
        ("<2", 1), (">=1.26,<2", 1), ("==1.26.0", 1), ("~=1.26", 1), ("==1.*", 1), ("<=1.30", 1), ("<=1.99.9", 1),
        ("", None), (">=1.20", None), (">1.99", None), ("<=2.0", None), (">=1.2,!=2.0.0", None), (">=2,<2", None),
    ],
)
def test_specifiers(specifier, sdk):
    assert sdk_of_specifier(specifier) == sdk


def test_pep621_optional_groups_and_requirements(tmp_path):
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['httpx', 'mcp[cli] >= 2.3 ; python_version >= \"3.10\"']\n")
    target = detect(tmp_path / "src")
    assert (target.sdk, target.source) == (2, "pyproject.toml: mcp>=2.3")
    write(tmp_path, "requirements-dev.txt", "-r requirements.txt\n# mcp==1.0\nmcp==1.26.0\nmcp-proxy==9\n")
    mixed = detect(tmp_path)
    assert mixed.sdk is None and "requirements-dev.txt: mcp==1.26.0" in mixed.source


def test_poetry_caret_and_dependency_groups(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.poetry.dependencies]\npython='^3.11'\nmcp = '^1.26'\n")
    assert detect(tmp_path).sdk == 1
    write(tmp_path, "pyproject.toml", "[tool.poetry.dependencies]\nmcp = {version = '^2.0', extras = ['cli']}\n")
    assert detect(tmp_path).sdk == 2
    write(tmp_path, "pyproject.toml", "[dependency-groups]\ndev = ['mcp>=2', {include-group = 'x'}]\n")
    assert detect(tmp_path).sdk == 2


def test_no_declaration_is_unknown_and_the_nearest_project_decides(tmp_path):
    write(tmp_path, "pyproject.toml", "[project]\nname='outer'\ndependencies=['mcp>=2']\n")
    write(tmp_path, "inner/pyproject.toml", "[project]\nname='inner'\n")
    assert detect(tmp_path / "inner").sdk is None
    assert detect(tmp_path / "other").sdk == 2


def test_configured_target_wins():
    assert TargetResolver().for_folder(__import__("pathlib").Path("/"), 2, None).sdk == 2


def test_cli_reports_the_target_and_config_overrides_it(run, tmp_path):
    write(tmp_path, "server.py", LEGACY)
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['mcp>=1.2,<2']\n")
    result = run("check", "--fix", cwd=tmp_path)
    assert result.code == 1
    assert 'Target SDK: mcp 1 (pyproject.toml: mcp>=1.2,<2); fixes that need mcp 2.x stay unsafe' in result.err
    assert "2 more fixable with `--unsafe-fixes`." in result.err
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['mcp>=1.2,<2']\n[tool.mcpmigrate]\ntarget-sdk = '2'\n")
    result = run("check", "--fix", cwd=tmp_path)
    assert result.code == 0
    assert f"Target SDK: mcp 2 (target-sdk in {tmp_path / 'pyproject.toml'})." in result.err
    write(tmp_path, "pyproject.toml", "[tool.mcpmigrate]\ntarget-sdk = 3\n")
    bad = run("check", cwd=tmp_path)
    assert bad.code == 2 and '`target-sdk` in [tool.mcpmigrate] must be "1" or "2", not 3' in bad.err


def test_fastmcp_4_implies_mcp_2_and_fastmcp_2_or_3_mcp_1(tmp_path):
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['fastmcp>=4.1']\n")
    assert (detect(tmp_path).sdk, detect(tmp_path).source) == (2, "pyproject.toml: fastmcp>=4.1")
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['fastmcp>=2.14,<4']\n")
    assert detect(tmp_path).sdk == 1
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['fastmcp>=4', 'mcp>=2.3']\n")
    assert detect(tmp_path).sdk == 2
    write(tmp_path, "pyproject.toml", "[project]\nname='x'\ndependencies=['fastmcp>=3']\n")
    assert detect(tmp_path).sdk is None


def test_a_project_that_declares_mcp_makes_its_files_mcp_evidence(run, tmp_path):
    """A module that imports neither mcp nor FastMCP (a command line choosing the transport for the
    project's own server) is about MCP when its project declares mcp; the same text elsewhere says nothing."""
    cli = 'import argparse\n\nfrom .server import mcp\n\nparser = argparse.ArgumentParser()\nparser.add_argument("--transport", choices=["stdio", "sse"])\nmcp.run()\n'
    write(tmp_path, "server/pyproject.toml", "[project]\nname='s'\ndependencies=['fastmcp>=2.10,<3']\n")
    write(tmp_path, "server/main.py", cli)
    write(tmp_path, "other/main.py", cli)
    done = run("check", "--no-cache", "--output-format", "concise", "server", "other", cwd=tmp_path)
    assert [line.split(" ", 2)[:2] for line in done.out.splitlines() if "MCP" in line] == [["server/main.py:6:54:", "MCP202"]]
    assert detect(tmp_path / "server").requires_mcp and not detect(tmp_path / "other").requires_mcp
