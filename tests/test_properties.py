"""Property-based: legacy MCP snippets inside arbitrary surrounding code, comments and formatting.

Whatever the mix, after `--fix --unsafe-fixes` the output parses, every piece of surrounding code
is still there byte for byte and in order, and a second fix changes nothing.
"""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcpmigrate.engine import checker as engine
from mcpmigrate.findings import FixPolicy
from mcpmigrate.rule.base import RuleOptions, registered_rules

RULES = list(registered_rules().values())
TARGET_2 = RuleOptions(target_sdk=2)
EVERY_FIX = FixPolicy(unsafe=True, named=frozenset(registered_rules()))  # display-only ones too

# Each snippet is complete at module level and imports what it uses.
SNIPPETS = [
    "from mcp import McpError\nfrom mcp.types import ErrorData\n\ndef fail_{n}():\n    raise McpError(ErrorData(code=-32002, message='missing'))\n",
    "import mcp\n\nasync def call_{n}(session: mcp.ClientSession):\n    await session.initialize()\n    try:\n        return await session.list_tools(cursor=None)\n    except mcp.McpError as error:\n        return error.error.code == -32002\n",
    "from mcp.server.fastmcp import Context, FastMCP\n\nserver_{n} = FastMCP('s', 'Instructions.', port=8000)\n\n@server_{n}.tool()\nasync def tool_{n}(x: str, ctx: Context) -> str:\n    await ctx.info(x)\n    return ctx.fastmcp.name\n\nserver_{n}.run(transport='sse')\n",
    "from mcp.client.streamable_http import streamablehttp_client\n\nasync def connect_{n}(url):\n    async with streamablehttp_client(url) as (read, write, _):\n        return read, write\n",
    "import httpx\n\ndef post_{n}(client: httpx.Client):\n    return client.post('/mcp', json={{'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call', 'params': {{'name': 'x'}}}})\n",
    "PROTOCOL_VERSION_{n} = '2025-06-18'\nHEADERS_{n} = {{'MCP-Protocol-Version': '2025-03-26', 'Mcp-Session-Id': 'abc'}}\n",
]

identifiers = st.text(alphabet="bcdfgjkqvwxz", min_size=1, max_size=8).map(lambda s: "v_" + s)
literals = st.one_of(st.integers(-10**6, 10**6).map(str), st.text(alphabet="bcdfg xyz", max_size=12).map(repr))
assignment = st.builds(lambda name, value, pad: f"{name}{pad}={pad}{value}", identifiers, literals, st.sampled_from(["", " ", "  "]))
comment = st.text(alphabet="bcdfgjk xyz!?.", max_size=30).map(lambda text: "# " + text)
blank = st.sampled_from(["", "   "])
filler_line = st.one_of(assignment, comment, blank)
filler = st.lists(filler_line, min_size=0, max_size=4).map(lambda lines: "\n".join(lines) + "\n" if lines else "")
segments = st.lists(st.one_of(filler.map(lambda text: ("filler", text)), st.sampled_from(range(len(SNIPPETS))).map(lambda i: ("snippet", i))), min_size=1, max_size=8)


def build(parts, newline: str) -> tuple[str, list[str]]:
    source, fillers = [], []
    for index, (kind, value) in enumerate(parts):
        text = value if kind == "filler" else "\n" + SNIPPETS[value].format(n=index) + "\n"
        text = text.replace("\n", newline)
        source.append(text)
        if kind == "filler" and value.strip():
            fillers.append(text)
    return "".join(source), fillers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=segments, newline=st.sampled_from(["\n", "\r\n"]))
def test_fixing_mixed_sources(parts, newline):
    source, fillers = build(parts, newline)
    ast.parse(source)  # the generator makes valid Python
    fixed = engine.fix(source, "mixed.py", RULES, policy=EVERY_FIX, options=TARGET_2)
    assert fixed.problems == ()
    if any(kind == "snippet" for kind, _ in parts):
        assert fixed.fixed  # the property is about real rewrites
    ast.parse(fixed.text)
    position = 0
    for text in fillers:  # the surrounding code is untouched, and in its place
        found = fixed.text.find(text, position)
        assert found >= 0, text
        position = found + len(text)
    if newline == "\r\n":
        assert "\n" not in fixed.text.replace("\r\n", "")  # no bare newline crept in
    again = engine.fix(fixed.text, "mixed.py", RULES, policy=EVERY_FIX, options=TARGET_2)
    assert again.text == fixed.text
