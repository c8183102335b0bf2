"""The LibCST contract: mcpmigrate's engine uses LibCST's private API (engine/tree/), so pyproject.toml
bounds LibCST on both sides, and the engine, traversal, offsets, parsing and rule-example tests run
here against the lowest version it allows (CI's own environment has the newest)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv

import pytest

from tests.conftest import REPO

ENGINE_TESTS = [
    "tests/test_engine.py", "tests/test_traversal.py", "tests/test_offsets.py", "tests/test_parsing.py",
    "tests/test_rule_examples.py", "tests/test_rule_api.py",
]


def libcst_bounds() -> tuple[str, str]:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'"libcst>=([\d.]+),<([\d.]+)"', text)
    assert match, "pyproject.toml must bound libcst on both sides: libcst>=LOW,<HIGH"
    return match.group(1), match.group(2)


def test_the_installed_libcst_is_within_the_bounds():
    from importlib.metadata import version as installed_version

    low, high = libcst_bounds()
    version = tuple(int(part) for part in re.findall(r"\d+", installed_version("libcst"))[:2])
    assert tuple(int(p) for p in low.split(".")) <= version < tuple(int(p) for p in high.split("."))


@pytest.mark.slow
def test_the_engine_passes_its_tests_on_the_lowest_supported_libcst(tmp_path):
    low, _ = libcst_bounds()
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", f"libcst=={low}", "typer>=0.12,<0.29", "rich>=13.7", "pytest>=8", "hypothesis>=6.100",
         *(["tomli>=2.0"] if sys.version_info < (3, 11) else [])],
        check=True, timeout=600,
    )
    installed = subprocess.run([python, "-c", "from importlib.metadata import version; print(version('libcst'))"], capture_output=True, text=True, check=True)
    assert installed.stdout.strip() in (low, f"{low}.0")
    # The source tree itself, not an installed copy: the tests import mcpmigrate and tests from REPO.
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", *ENGINE_TESTS],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
