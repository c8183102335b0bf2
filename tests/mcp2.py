"""The real mcp 2.x SDK in the test environment (the `test` extra pins it), for the slow tests."""

from __future__ import annotations

from importlib import metadata

import pytest

MCP2_VERSION = "2.3.0"


def require_mcp2() -> None:
    try:
        installed = metadata.version("mcp")
    except metadata.PackageNotFoundError:
        pytest.skip("mcp is not installed: `pip install -e '.[test]'` installs mcp 2.3.0")
    if installed != MCP2_VERSION:
        pytest.skip(f"these checks are pinned to mcp {MCP2_VERSION}, found {installed}")
