"""scripts/unused_imports.py on a small tree of our own: fixes add no unused import (issue 27, item 9)."""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_fixes_leave_no_new_unused_import_and_every_file_compiles(tmp_path):
    if find_spec("pyflakes") is None:
        pytest.skip("pyflakes is not installed: `pip install -e '.[test]'` installs it")
    completed = subprocess.run(
        [sys.executable, "scripts/unused_imports.py", str(REPO / "tests" / "fixtures" / "unused_imports"), "--keep", str(tmp_path / "fixed"), "--enforce"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout == "unused imports before: 1\nunused imports after:  1\nfixed files that do not compile: 0\n"
    client = (tmp_path / "fixed" / "client.py").read_text()
    assert "import asyncio\nimport json\n\nfrom mcp import Client, StdioServerParameters, types\nfrom mcp.client import ClientRequestContext\n" in client
    server = (tmp_path / "fixed" / "server.py").read_text()
    assert "import logging\nimport os\n\nfrom mcp.server.mcpserver import Context, MCPServer\n" in server
