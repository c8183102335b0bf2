"""Pre-filter tokens that are patterns must find exactly what their regular expressions find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mcpmigrate.rule.prefilter import TokenScan, word
from mcpmigrate.rules._kits.sdk import MCP_SERVER_IMPORT

PIECES = st.sampled_from(["server", "content", "serv", "er", "_", "x", "9", "é", "٣", " ", ".", "\n", "(", "mcp", "import "])


@given(st.lists(PIECES, max_size=12).map("".join))
def test_a_word_is_found_where_its_regular_expression_is(text):
    for name in ("server", "content"):
        assert word(name).found_in(text) == bool(re.search(rf"(?<![\w]){name}(?![\w])", text)), (name, text)


def test_a_word_is_a_whole_identifier():
    server = word("server")
    assert server.found_in("server") and server.found_in("(server)") and server.found_in("a.server\n")
    assert not server.found_in("servers _server server_ server9 éserver")
    assert server.found_in("servers server")  # a later occurrence counts


@given(st.lists(PIECES, max_size=12).map("".join))
def test_a_pattern_that_needs_a_substring_finds_what_its_expression_finds(text):
    assert MCP_SERVER_IMPORT.found_in(text) == bool(re.search(MCP_SERVER_IMPORT.pattern, text))


def test_a_scan_remembers_a_pattern_it_searched_for():
    scan = TokenScan("from mcp import x\n")
    assert scan.has(MCP_SERVER_IMPORT) and scan.found[MCP_SERVER_IMPORT] is True
