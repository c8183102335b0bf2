"""What the SDK-rename rules (MCP80x) say, where their examples cannot show it: the messages."""

from __future__ import annotations

import textwrap

from mcpmigrate.engine import checker as engine
from mcpmigrate.rule.base import RuleOptions, registered_rules

RULES = registered_rules()
TARGET_2 = RuleOptions(target_sdk=2)


def messages(code: str, source: str) -> list[tuple[int, int, str]]:
    result = engine.check(textwrap.dedent(source).lstrip("\n"), "example.py", [RULES[code]], TARGET_2)
    return [(f.location.row, f.location.column, f.message) for f in result.findings]


def test_request_context_is_named_by_the_module_the_file_imports_it_from():
    found = messages("MCP806", """
        from mcp.client.session import ClientSession, RequestContext

        async def on_list_roots(context: RequestContext["ClientSession", None]):
            return None
        """)
    assert found == [
        (1, 47, "`mcp.client.session.RequestContext` is gone in mcp 2.x"),
        (3, 34, "`mcp.client.session.RequestContext` is gone in mcp 2.x; a client callback's context has no type parameters"),
    ]
