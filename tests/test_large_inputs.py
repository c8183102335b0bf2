"""Slow: whole trees and very large files, run as a user would (a subprocess, the real command)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import REPO

ERROR_LINE = re.compile(r"^\S.*?: error: .+$")


def mcpmigrate(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mcpmigrate", *args], cwd=cwd, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
    )


def apply_unified_diff(diff: str, root: Path) -> dict[Path, str]:
    """Apply `--diff` output (a/ b/ paths relative to `root`) to copies in memory, hunk by hunk,
    each consuming exactly the line counts its header declares."""
    results: dict[Path, str] = {}
    lines = diff.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        if not lines[index].startswith("--- a/"):
            index += 1
            continue
        path = root / lines[index][len("--- a/") :].rstrip("\r\n")
        index += 2  # --- and +++
        original = path.read_text(encoding="utf-8").splitlines(keepends=True)
        result: list[str] = []
        cursor = 0
        while index < len(lines) and lines[index].startswith("@@"):
            header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@", lines[index])
            start, old_count = int(header.group(1)), int(header.group(2) or 1)
            new_count = int(header.group(3) or 1)
            start = start - 1 if old_count else start
            result.extend(original[cursor:start])
            cursor = start
            index += 1
            while old_count or new_count:
                line = lines[index]
                if line[0] in " -":
                    cursor += 1
                    old_count -= 1
                if line[0] in " +":
                    result.append(line[1:])
                    new_count -= 1
                index += 1
                if index < len(lines) and lines[index].startswith("\\"):  # "\ No newline at end of file"
                    if line[0] in " +":
                        result[-1] = result[-1].rstrip("\r\n")
                    index += 1
        result.extend(original[cursor:])
        results[path] = "".join(result)
    return results


@pytest.mark.slow
def test_the_whole_standard_library_runs_clean(tmp_path):
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    completed = mcpmigrate("check", "--fix", "--diff", "--unsafe-fixes", str(stdlib), cwd=tmp_path)
    assert completed.returncode in (0, 1, 2)
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr
    problems = [line for line in completed.stderr.splitlines() if ": error: " in line]
    assert all(ERROR_LINE.match(line) for line in problems)
    # The standard library has no MCP code: nothing to rewrite, only Python 2 and bad-syntax test data to name.
    assert completed.stdout == ""
    assert all("test" in line or "lib2to3" in line for line in problems)


@pytest.mark.slow
def test_diffs_apply_parse_and_equal_what_fix_writes(tmp_path):
    project = tmp_path / "project"
    for name in ("handrolled", "sdk_client", "sdk1_project", "mrtr_project", "stateless_wire"):
        shutil.copytree(REPO / "tests" / "fixtures" / name, project / name)
    shutil.copytree(REPO / "examples", project / "examples")
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\ntarget-sdk = "2"\n')
    diff = mcpmigrate("check", "--diff", "--unsafe-fixes", ".", cwd=project)
    assert "Traceback" not in diff.stderr
    patched = apply_unified_diff(diff.stdout, project)
    assert len(patched) >= 10
    for path, text in patched.items():
        ast.parse(text, str(path))
    mcpmigrate("check", "--fix", "--unsafe-fixes", ".", cwd=project)
    for path, text in patched.items():
        assert path.read_text(encoding="utf-8") == text, path


@pytest.mark.slow
def test_a_five_megabyte_file(tmp_path):
    snippet = (
        "from mcp import McpError\nfrom mcp.types import ErrorData\n\n"
        "def fail_{n}():\n    raise McpError(ErrorData(code=-32002, message='missing'))\n\n"
    )
    blocks, size, n = [], 0, 0
    while size < 5_000_000:
        block = snippet.format(n=n) if n % 1000 == 0 else f"def helper_{n}(a, b):\n    return [a * {n} + b, 'xxxxxxxxxx']\n\n"
        blocks.append(block)
        size += len(block)
        n += 1
    (tmp_path / "huge.py").write_text("".join(blocks))
    (tmp_path / "pyproject.toml").write_text('[tool.mcpmigrate]\ntarget-sdk = "2"\n')
    completed = mcpmigrate("check", "--output-format", "concise", "huge.py", cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    snippets = (n + 999) // 1000
    assert completed.stdout.count(" MCP801 ") == 2 * snippets  # the import and the constructor, per snippet
    assert completed.stdout.count(" MCP301 ") == snippets


@pytest.mark.slow
def test_twenty_thousand_small_files(tmp_path):
    for i in range(20_000):
        folder = tmp_path / f"pkg{i // 500}"
        folder.mkdir(exist_ok=True)
        (folder / f"m{i}.py").write_text("from mcp import McpError\n" if i % 1000 == 0 else f"X_{i} = {i}\n")
    (tmp_path / "pyproject.toml").write_text('[tool.mcpmigrate]\ntarget-sdk = "2"\n')
    completed = mcpmigrate("check", "--output-format", "concise", ".", cwd=tmp_path)
    assert completed.returncode == 1
    assert len(completed.stdout.splitlines()) == 20
    assert "Found 20 findings in 20 files." in completed.stderr
