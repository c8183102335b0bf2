"""The imports a fix leaves (issue 27, item 9): an import the fix made unused is removed, a new name
joins an existing `from module import ...`, a new module import goes into its isort section; checked
against LibCST's own `AddImportsVisitor` and `RemoveImportsVisitor` where those say the same."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from mcpmigrate.engine import checker as engine
from mcpmigrate.engine.imports import file_imports, remove_unused_imports
from mcpmigrate.findings import Applicability, Edit, Finding, Fix, FixPolicy, Location, Severity
from mcpmigrate.rule.base import RuleOptions, registered_rules

RULES = list(registered_rules().values())
TARGET_2 = RuleOptions(target_sdk=2)


def source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def fixed(text: str, path: str = "app.py") -> str:
    """`--fix --unsafe-fixes` with every rule named (display-only fixes too); a second run must change nothing."""
    policy = FixPolicy(unsafe=True, named=frozenset(rule.code for rule in RULES))
    result = engine.fix(text, path, RULES, policy=policy, options=TARGET_2)
    assert result.problems == ()
    assert engine.fix(result.text, path, RULES, policy=policy, options=TARGET_2).text == result.text
    return result.text


def libcst_removes(text: str, names: list[tuple[str, str | None, str | None]]) -> str:
    wrapper = cst.MetadataWrapper(cst.parse_module(text))
    context = CodemodContext(wrapper=wrapper)
    for module, name, alias in names:
        RemoveImportsVisitor.remove_unused_import(context, module, name, alias)
    return wrapper.visit(RemoveImportsVisitor(context)).code


def libcst_adds(text: str, wanted: list[tuple[str, str | None]]) -> str:
    return AddImportsVisitor(CodemodContext(), [_item(module, name) for module, name in wanted]).transform_module(cst.parse_module(text)).code


def _item(module: str, name: str | None):
    from libcst.codemod.visitors import ImportItem

    return ImportItem(module, name)


# An import the fix made unused is removed ------------------------------------------------------


def test_a_client_rewrite_removes_the_session_and_transport_imports_it_no_longer_uses():
    text = source(
        """
        import asyncio
        from typing import Any

        from mcp import ClientSession, StdioServerParameters, types
        from mcp.client.stdio import stdio_client
        from mcp.shared.context import RequestContext


        async def on_sample(context: RequestContext[ClientSession, Any], params: types.CreateMessageRequestParams):
            return None


        async def main(params: StdioServerParameters):
            async with stdio_client(params) as (read, write):
                async with ClientSession(read, write, sampling_callback=on_sample) as session:
                    await session.initialize()
                    return await session.list_tools()
        """
    )
    assert fixed(text) == source(
        """
        import asyncio

        from mcp import Client, StdioServerParameters, types
        from mcp.client import ClientRequestContext


        async def on_sample(context: ClientRequestContext, params: types.CreateMessageRequestParams):
            return None


        async def main(params: StdioServerParameters):
            async with Client(params, sampling_callback=on_sample) as session:
                return await session.list_tools()
        """
    )


CLIENT = source(
    """
    from mcp import ClientSession
    from mcp.client.stdio import stdio_client
    {extra}

    async def main(params):
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await session.list_tools()
    """
)


@pytest.mark.parametrize(
    "extra",
    ['__all__ = ["main", "ClientSession"]', 'Factory = "type[ClientSession]"', "def make(read, write):\n    return ClientSession(read, write)"],
    ids=["listed-in-__all__", "in-a-string-annotation", "used-elsewhere"],
)
def test_an_import_still_used_anywhere_stays(extra):
    assert fixed(CLIENT.format(extra=extra)).startswith(f"from mcp import Client, ClientSession\n{extra}\n\nasync def main(params):\n")


def test_nothing_is_removed_from_an_init_module():
    after = fixed(CLIENT.format(extra=""), path="pkg/__init__.py")
    assert after.startswith("from mcp import Client, ClientSession\nfrom mcp.client.stdio import stdio_client\n\n\nasync def main(params):\n")
    assert fixed(CLIENT.format(extra="")).startswith("from mcp import Client\n\n\nasync def main(params):\n")


def test_an_import_unused_before_the_fix_is_not_ours_to_remove():
    before = "from mcp import ClientSession, types\nfrom os import path\n\nx = ClientSession\n"
    after = "from mcp import ClientSession, types\nfrom os import path\n\nx = 1\n"
    assert remove_unused_imports(before, after, "app.py") == "from mcp import types\nfrom os import path\n\nx = 1\n"


REMOVALS = [
    # (before, after the pass's edits, what LibCST is asked to remove)
    (
        "from mcp import ClientSession, types\n\nx = ClientSession(types)\n",
        "from mcp import ClientSession, types\n\nx = types\n",
        [("mcp", "ClientSession", None)],
    ),
    (
        "import os\nfrom mcp.client.stdio import stdio_client\nfrom mcp import Client\n\nx = stdio_client\n",
        "import os\nfrom mcp.client.stdio import stdio_client\nfrom mcp import Client\n\nx = Client\n",
        [("mcp.client.stdio", "stdio_client", None)],
    ),
    (
        "from mcp.types import (\n    ErrorData,\n    TextContent,\n)\n\nx = ErrorData, TextContent\n",
        "from mcp.types import (\n    ErrorData,\n    TextContent,\n)\n\nx = TextContent\n",
        [("mcp.types", "ErrorData", None)],
    ),
    (
        "import mcp.types as t\nfrom mcp import types\n\nx = t.A, types.B\n",
        "import mcp.types as t\nfrom mcp import types\n\nx = types.B\n",
        [("mcp.types", None, "t")],
    ),
    (
        'from mcp import ClientSession\n\n__all__ = ["ClientSession"]\nx = ClientSession\n',
        'from mcp import ClientSession\n\n__all__ = ["ClientSession"]\nx = 1\n',
        [("mcp", "ClientSession", None)],
    ),
    (
        'from mcp import ClientSession\n\nx: ClientSession\ny: "ClientSession"\n',
        'from mcp import ClientSession\n\nx: int\ny: "ClientSession"\n',
        [("mcp", "ClientSession", None)],
    ),
]


@pytest.mark.parametrize("before, after, names", REMOVALS)
def test_removal_is_what_libcst_s_remove_imports_visitor_does(before, after, names):
    assert remove_unused_imports(before, after, "app.py") == libcst_removes(after, names)


def test_removing_the_last_name_of_a_parenthesized_import_keeps_its_trailing_comma():
    """Where LibCST's visitor leaves `    ErrorData)`, the list keeps its shape, as black would."""
    before = "from mcp.types import (\n    ErrorData,\n    TextContent,\n)\n\nx = ErrorData, TextContent\n"
    after = before.replace(", TextContent\n", "\n")
    assert remove_unused_imports(before, after, "app.py") == "from mcp.types import (\n    ErrorData,\n)\n\nx = ErrorData\n"


def test_removing_the_first_import_leaves_no_blank_line_at_the_top_and_one_between_sections():
    before = '"""Doc."""\n\nimport os\n\nfrom mcp import types\n\nx = os, types\n'
    assert remove_unused_imports(before, before.replace("os, ", ""), "app.py") == '"""Doc."""\n\nfrom mcp import types\n\nx = types\n'
    before = "import os\n\nfrom mcp import types\n\nx = os, types\n"
    assert remove_unused_imports(before, before.replace("os, ", ""), "app.py") == "from mcp import types\n\nx = types\n"


def test_a_comment_above_a_removed_import_stays():
    before = "import os\n# the SDK\nfrom mcp import types\nimport sys\n\nx = types, os, sys\n"
    after = before.replace("types, ", "")
    assert remove_unused_imports(before, after, "app.py") == "import os\n# the SDK\nimport sys\n\nx = os, sys\n"


# A new name joins an existing import from the same module -----------------------------------


def test_a_new_name_joins_the_from_import_of_its_module_in_sorted_order():
    text = "import os\n\nfrom mcp import ClientSession, types\n\nx = 1\n"
    expected = "import os\n\nfrom mcp import Client, ClientSession, types\n\nx = 1\n"
    assert file_imports(text, [("mcp", "Client")]) == expected == libcst_adds(text, [("mcp", "Client")])


def test_a_name_already_imported_is_not_added_again():
    text = "from mcp import Client, types\n\nx = 1\n"
    assert file_imports(text, [("mcp", "Client")]) == text == libcst_adds(text, [("mcp", "Client")])


def test_names_join_an_unsorted_import_at_its_end_and_constants_come_first_in_a_sorted_one():
    assert file_imports("from mcp import types, Client\n", [("mcp", "ClientSession")]) == "from mcp import types, Client, ClientSession\n"
    assert file_imports("from mcp.types import ErrorData\n", [("mcp.types", "INVALID_PARAMS")]) == "from mcp.types import INVALID_PARAMS, ErrorData\n"


def test_a_parenthesized_import_stays_one_name_a_line():
    text = "from mcp.types import (\n    CallToolResult,\n    TextContent,\n)\n"
    assert file_imports(text, [("mcp.types", "INVALID_PARAMS"), ("mcp.types", "Tool")]) == (
        "from mcp.types import (\n    INVALID_PARAMS,\n    CallToolResult,\n    TextContent,\n    Tool,\n)\n"
    )


# A new module import goes into its section ---------------------------------------------------


def test_a_standard_library_import_goes_before_the_third_party_ones_in_order():
    text = '"""Doc."""\n\nimport asyncio\nimport sys\n\nfrom mcp import types\n\nx = 1\n'
    assert file_imports(text, [("logging", None)]) == '"""Doc."""\n\nimport asyncio\nimport logging\nimport sys\n\nfrom mcp import types\n\nx = 1\n'
    assert file_imports(text, [("typing", "Annotated")]) == (
        '"""Doc."""\n\nimport asyncio\nimport sys\nfrom typing import Annotated\n\nfrom mcp import types\n\nx = 1\n'
    )


def test_a_new_section_is_set_apart_by_a_blank_line_and_future_imports_stay_first():
    text = "from __future__ import annotations\n\nfrom mcp import types\n\nx = 1\n"
    assert file_imports(text, [("logging", None)]) == "from __future__ import annotations\n\nimport logging\n\nfrom mcp import types\n\nx = 1\n"
    text = "from mcp import types\n\nx = 1\n"
    assert file_imports(text, [("logging", None)]) == "import logging\n\nfrom mcp import types\n\nx = 1\n"
    text = "import os\n\nx = 1\n"
    assert file_imports(text, [("mcp", "Client")]) == "import os\n\nfrom mcp import Client\n\nx = 1\n"


def test_a_new_import_goes_below_a_comment_set_apart_above_the_statement_it_precedes():
    text = "x = 1\n# set apart\n\n# about mcp\nfrom mcp import types\n"
    assert file_imports(text, [("logging", None)]) == "x = 1\n# set apart\n\nimport logging\n\n# about mcp\nfrom mcp import types\n"


def test_a_third_party_import_last_in_order_lands_where_libcst_puts_it():
    text = "import os\n\nfrom mcp import types\n\nx = 1\n"
    assert file_imports(text, [("mcp.client", "Client")]) == libcst_adds(text, [("mcp.client", "Client")])


def test_in_a_module_that_starts_with_code_a_new_import_joins_the_run_of_its_package():
    text = "x = 1\nimport os\n\ny = 2\nfrom mcp import types\n\nz = 3\n"
    assert file_imports(text, [("mcp.server", "Server")]) == "x = 1\nimport os\n\ny = 2\nfrom mcp import types\nfrom mcp.server import Server\n\nz = 3\n"
    assert file_imports(text, [("logging", None)]) == "x = 1\nimport logging\nimport os\n\ny = 2\nfrom mcp import types\n\nz = 3\n"


def test_in_a_module_without_imports_a_new_one_goes_after_the_docstring():
    assert file_imports('"""Doc."""\nx = 1\n', [("logging", None)]) == '"""Doc."""\n\nimport logging\n\nx = 1\n'
    assert file_imports("x = 1\n", [("logging", None)]) == "import logging\n\nx = 1\n"


def test_a_cr_file_keeps_its_last_newline():
    assert file_imports("import sys\rx = 1\r", [("os", None)]) == "import os\rimport sys\rx = 1\r"


def test_where_libcst_cannot_give_the_text_back_the_edits_own_lines_are_inserted():
    """LibCST drops blank lines before whitespace-only lines at the end of a file: nothing it
    regenerates is written; the import edits are applied as they are, every other byte kept."""
    text = "from mcp import McpError\nfrom mcp.types import ErrorData\n\ndef fail():\n    raise McpError(ErrorData(code=-32002, message='m'))\n\n   \n# end\n"
    assert file_imports(text, [("mcp.types", "INVALID_PARAMS")]) is None
    assert fixed(text) == (
        "from mcp import MCPError\nfrom mcp.types import ErrorData\nfrom mcp.types import INVALID_PARAMS\n\n"
        "def fail():\n    raise MCPError(code=INVALID_PARAMS, message='m')\n\n   \n# end\n"
    )


# Several rules in one pass ---------------------------------------------------------------------


def test_several_rules_importing_in_one_pass_leave_one_tidy_block():
    text = source(
        '''
        """Files over MCP."""

        import os

        from mcp.server.fastmcp import Context, FastMCP
        from mcp.server.session import ServerSession
        from mcp.shared.exceptions import McpError
        from mcp.types import ErrorData

        mcp = FastMCP("files")


        @mcp.tool()
        async def read(path: str, ctx: Context[ServerSession, None]) -> str:
            await ctx.info(f"reading {path}")
            if not os.path.exists(path):
                raise McpError(ErrorData(code=-32002, message="Resource not found"))
            return open(path).read()
        '''
    )
    assert fixed(text) == source(
        '''
        """Files over MCP."""

        import logging
        import os

        from mcp.server.mcpserver import Context, MCPServer
        from mcp.shared.exceptions import MCPError
        from mcp.types import INVALID_PARAMS

        logger = logging.getLogger(__name__)

        mcp = MCPServer("files")


        @mcp.tool()
        async def read(path: str, ctx: Context[None]) -> str:
            logger.info(f"reading {path}")
            if not os.path.exists(path):
                raise MCPError(code=INVALID_PARAMS, message="Resource not found")
            return open(path).read()
        '''
    )


def _importing(code: str, start: int, content: str, imports: tuple) -> Finding:
    edit = Edit(start, start, content, Location(1, start + 1), Location(1, start + 1), imports)
    return Finding(code, code.lower(), Severity.ERROR, "m", "x.py", Location(1, 1), Location(1, 1), Fix("f", Applicability.SAFE, (edit,)))


def test_import_edits_at_one_point_do_not_clash_and_are_filed_once():
    text = "from mcp import types\n\nx = 1\n"
    findings = [
        _importing("X", 22, "from mcp import Client\n", (("mcp", "Client"),)),
        _importing("Y", 22, "import logging\n", (("logging", None),)),
        _importing("Z", 22, "from mcp import Client\n", (("mcp", "Client"),)),
    ]
    new, applied = engine.apply_fixes(text, findings)
    assert new == "import logging\n\nfrom mcp import Client, types\n\nx = 1\n"
    assert [finding.code for finding in applied] == ["X", "Y", "Z"]
