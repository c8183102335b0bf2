from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.imports import ImportMap


def resolve(source: str, expression: str) -> str | None:
    imports = ImportMap.of_module(cst.parse_module(source))
    return imports.qualified_name(cst.parse_expression(expression))


def test_aliases_and_attribute_chains_resolve_alike():
    assert resolve("from mcp import ClientSession as CS", "CS") == "mcp.ClientSession"
    assert resolve("import mcp", "mcp.ClientSession") == "mcp.ClientSession"
    assert resolve("import mcp.client.session as s", "s.ClientSession") == "mcp.client.session.ClientSession"
    assert resolve("import mcp.shared.exceptions", "mcp.shared.exceptions.McpError") == "mcp.shared.exceptions.McpError"
    assert resolve("from mcp import types", "types.ErrorData") == "mcp.types.ErrorData"


def test_imports_under_if_try_and_else_count_but_not_inside_functions():
    source = "try:\n    from mcp import McpError\nexcept ImportError:\n    McpError = None\nif X:\n    pass\nelse:\n    import mcp as m\n"
    assert resolve(source, "McpError") == "mcp.McpError"
    assert resolve(source, "m.types") == "mcp.types"
    assert resolve("def f():\n    from mcp import McpError\n", "McpError") is None


def test_unknown_relative_and_star_imports_do_not_resolve():
    assert resolve("import os", "McpError") is None
    assert resolve("from mcp import *", "McpError") is None
    assert resolve("from mcp import McpError\nfrom .errors import McpError", "McpError") == ".errors.McpError"


def test_imports_from_reports_packages_and_submodules():
    imports = ImportMap.of_module(cst.parse_module("from mcp.server.fastmcp import FastMCP\nimport httpx\n"))
    assert imports.imports_from("mcp") and imports.imports_from("httpx")
    assert not imports.imports_from("fastmcp") and not imports.imports_from("mc")
