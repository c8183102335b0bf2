"""Map between (line, column) positions and offsets in a source text, with Python's line breaks."""

from __future__ import annotations

import bisect
import re

from mcpmigrate.findings import Location

# The tokenizer (and LibCST) end a line at \r\n, \r or \n; nothing else (not \f, \v or \u2028).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their line breaks."""
    return LINE_BREAK.split(text)


def split_lines_keepends(text: str) -> list[str]:
    """The lines of `text`, each with its own line break (the last may have none)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)


class LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in LINE_BREAK.finditer(text))]

    def offset(self, line: int, column0: int) -> int:
        """Offset of a 1-based line and a 0-based column."""
        return self.starts[line - 1] + column0

    def location(self, offset: int) -> Location:
        line = bisect.bisect_right(self.starts, offset)
        return Location(line, offset - self.starts[line - 1] + 1)
