"""Slow: the real pre-commit runs this repository's hooks (`pre-commit try-repo`) in a fresh git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import LEGACY, LEGACY_FIXED, REPO, write


def git(*args: str, cwd) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_hooks_fail_on_legacy_pass_on_clean_and_fix(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    write(project, "pyproject.toml", "[project]\nname='p'\ndependencies=['mcp>=2.3']\n")
    legacy = write(project, "legacy.py", LEGACY)
    clean = write(project, "clean.py", "from mcp import MCPError\n")
    git("add", ".", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}

    def hook(name: str, *files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), name, "--files", *files],
            cwd=project, capture_output=True, text=True, env=env, timeout=900,
        )

    failing = hook("mcpmigrate-check", "legacy.py")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "MCP801" in failing.stdout
    passing = hook("mcpmigrate-check", "clean.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    fixing = hook("mcpmigrate-fix", "legacy.py")
    assert fixing.returncode == 1  # pre-commit fails a hook that modified files
    assert legacy.read_text() == write(tmp_path, "want.py", LEGACY_FIXED).read_text()
    assert clean.read_text() == "from mcp import MCPError\n"
