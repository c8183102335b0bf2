from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from mcpmigrate.cli import main

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    out: str
    err: str


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.fixture
def run(capsys, monkeypatch):
    """Call `main(argv)` in a folder, as a user's shell would, and capture what it prints."""

    def invoke(*argv: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Run:
        monkeypatch.chdir(cwd)
        monkeypatch.delenv("MCPMIGRATE_OUTPUT_FORMAT", raising=False)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke


def write(root: Path, relative: str, text: str, *, newline: str = "\n", encoding: str = "utf-8") -> Path:
    """Write a dedented source file; `newline` replaces every `\\n`."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    content = textwrap.dedent(text).lstrip("\n").replace("\n", newline)
    path.write_bytes(content.encode(encoding))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project that requires mcp>=2, with no [tool.mcpmigrate] table (no configuration applies)."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    return tmp_path


PYPROJECT = "[project]\nname = 'demo'\ndependencies = ['mcp>=2.3']\n"

LEGACY = """
from mcp import McpError
from mcp.types import ErrorData

def fail():
    raise McpError(ErrorData(code=-32602, message="missing"))
"""

LEGACY_FIXED = """
from mcp import MCPError

def fail():
    raise MCPError(code=-32602, message="missing")
"""

os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture(scope="session")
def sdk_sources(tmp_path_factory):
    """The .py files of the mcp 1.26.0 source distribution (SDK, tests, examples), from PyPI."""
    folder = tmp_path_factory.mktemp("sdk")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "mcp==1.26.0", "-d", str(folder)],
        check=True, capture_output=True, timeout=600,
    )
    with tarfile.open(next(folder.glob("mcp-*.tar.gz"))) as archive:
        archive.extractall(folder, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    paths = sorted(folder.rglob("*.py"))
    assert len(paths) > 300
    return paths
