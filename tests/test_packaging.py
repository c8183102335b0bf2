"""Slow: build the package, install it into a fresh virtual environment, run it as a user would."""

from __future__ import annotations

import os
import subprocess
import venv

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_installed_command_checks_the_bundled_example(tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    binary = environment / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([binary / "pip", "install", "-q", str(REPO)], check=True, timeout=600)
    version = subprocess.run([binary / "mcpmigrate", "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("mcpmigrate ")
    result = subprocess.run(
        [binary / "mcpmigrate", "check", "--output-format", "concise", "examples/"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "examples/legacy_weather/server.py:7:35: MCP801" in result.stdout
    rules = subprocess.run([binary / "mcpmigrate", "rules"], capture_output=True, text=True, check=True)
    assert "MCP801" in rules.stdout
    module = subprocess.run([binary / "python", "-m", "mcpmigrate", "rule", "MCP801"], capture_output=True, text=True)
    assert module.returncode == 0 and module.stdout.startswith("# MCP801")
