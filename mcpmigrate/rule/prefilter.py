"""Pre-filter tokens: the text a rule cannot match a file without, and one file's search for them.

No LibCST here: a run whose files are all cached, or lack every token, never imports it.
"""

from __future__ import annotations

import re
from typing import Union


class TextPattern:
    """A token that a substring cannot say, as a regular expression. It is searched for only where
    `needs`, a substring every match contains, is in the text: most texts lack it, and a search for
    a plain substring costs far less."""

    __slots__ = ("pattern", "needs", "_regex")

    def __init__(self, pattern: str, needs: str) -> None:
        self.pattern = pattern
        self.needs = needs
        self._regex = re.compile(pattern)

    def found_in(self, text: str) -> bool:
        return self.needs in text and self._regex.search(text) is not None


class Word(TextPattern):
    """`name` as a whole identifier (`content`, not `textcontent`): the regular expression's lookarounds
    at every position cost more than finding `name` and looking at the characters around it."""

    __slots__ = ()

    def __init__(self, name: str) -> None:
        super().__init__(rf"(?<![\w]){re.escape(name)}(?![\w])", name)

    def found_in(self, text: str) -> bool:
        name, size = self.needs, len(self.needs)
        at = text.find(name)
        while at >= 0:
            before = text[at - 1] if at else ""
            after = text[at + size : at + size + 1]
            # `\w` is what str.isalnum() admits, and the underscore.
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                return True
            at = text.find(name, at + 1)
        return False


Token = Union[str, TextPattern]


def word(name: str) -> Word:
    """A token that is `name` as a whole identifier (`content`, not `textcontent`)."""
    return Word(name)


# Substrings that many tokens contain: a token that contains one cannot be in a text that lacks it,
# so a text without `mcp` (most of any tree) is never searched for `mcperror`, `fastmcp`, ...
_GATES = (
    "mcp", "tools/", "resources/", "prompts/", "completion/", "logging/", "sampling/", "elicitation/",
    "roots/", "tasks/", "subscriptions/", "server/", "notifications/",
    # and the words the SDK's names share (`toollistchangednotification`, `send_tool_list_changed`)
    "notification", "list_changed", "subscribe", "session", "streamable", "2025-", "modelcontextprotocol",
)
_GATE_OF: dict[str, str | None] = {}


# Words with no gate in them that are as rare as a gated token: JSON-RPC's own version key.
_RARE = frozenset({"jsonrpc"})


def all_gated(tokens: tuple[Token, ...]) -> bool:
    """Whether each token is a substring with a gate in it (`tools/list`), or as rare: such tokens are rare."""
    return all(isinstance(token, str) and (_gate_of(token) is not None or token in _RARE) for token in tokens)


def _gate_of(token: str) -> str | None:
    gate = _GATE_OF.get(token, "")
    if gate == "":
        gate = _GATE_OF[token] = next((g for g in _GATES if g in token and g != token), None)
    return gate


class TokenScan:
    """One file's lowered text, with every token search remembered: rules share most of their
    tokens (the MCP evidence), and a file is searched for each at most once."""

    __slots__ = ("text", "found")

    def __init__(self, lowered_text: str) -> None:
        self.text = lowered_text
        self.found: dict[Token, bool] = {}

    @classmethod
    def of(cls, text: str, imported: str = "") -> TokenScan:
        """The scan of a file: its text, lowered here, and `imported`, the lowered text that what it
        imports from the project's other modules stands for (`ProjectFacts.mentions`). Made once per
        file, so every rule shares its searches."""
        lowered = text.lower()
        return cls(f"{lowered}\n{imported}" if imported else lowered)

    def has(self, token: Token) -> bool:
        found = self.found.get(token)
        if found is None:
            if isinstance(token, str):
                gate = _gate_of(token)
                found = (gate is None or self.has(gate)) and token in self.text
            else:
                found = token.found_in(self.text)
            self.found[token] = found
        return found

    def any(self, tokens: tuple[Token, ...]) -> bool:
        groups, patterns = _grouped(tokens)
        text, found = self.text, self.found
        for gate, strings in groups:
            if gate is not None and not self.has(gate):
                continue  # none of these can be there
            for token in strings:
                present = found.get(token)
                if present is None:
                    present = found[token] = token in text
                if present:
                    return True
        return any(self.has(pattern) for pattern in patterns)


_GROUPS: dict[tuple[Token, ...], tuple[tuple[tuple[str | None, tuple[str, ...]], ...], tuple[Token, ...]]] = {}


def _grouped(tokens: tuple[Token, ...]) -> tuple[tuple[tuple[str | None, tuple[str, ...]], ...], tuple[Token, ...]]:
    """A rule's string tokens by the gate they contain (searched only if the gate is there), and its
    patterns; computed once per token tuple."""
    grouped = _GROUPS.get(tokens)
    if grouped is None:
        by_gate: dict[str | None, list[str]] = {}
        for token in tokens:
            if isinstance(token, str):
                by_gate.setdefault(_gate_of(token), []).append(token)
        patterns = tuple(token for token in tokens if not isinstance(token, str))
        grouped = _GROUPS[tokens] = (tuple((gate, tuple(group)) for gate, group in by_gate.items()), patterns)
    return grouped
