"""Suppression comments: `# noqa`, `# noqa: MCP301, MCP801` and a file-level `# mcpmigrate: noqa`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mcpmigrate.findings import Finding
from mcpmigrate.lines import split_lines

_CODES = r"[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*"
LINE_NOQA = re.compile(rf"#\s*noqa\b(?::\s*(?P<codes>{_CODES}))?", re.IGNORECASE)
FILE_NOQA = re.compile(rf"^\s*#\s*mcpmigrate:\s*noqa\b(?::\s*(?P<codes>{_CODES}))?", re.IGNORECASE)

ALL = None  # a suppression without codes covers every code


def _codes(text: str | None) -> frozenset[str] | None:
    if not text:
        return ALL
    return frozenset(code.upper() for code in re.split(r"[\s,]+", text) if code)


def _covers(codes: frozenset[str] | None, code: str) -> bool:
    return codes is ALL or code in codes


@dataclass(frozen=True, slots=True)
class Suppressions:
    file_codes: tuple[frozenset[str] | None, ...]
    lines: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Suppressions:
        lines = split_lines(text)
        file_codes = tuple(
            _codes(match.group("codes")) for line in lines if "mcpmigrate" in line and (match := FILE_NOQA.search(line))
        )
        return cls(file_codes, tuple(lines))

    def _line_covers(self, row: int, code: str) -> bool:
        match = LINE_NOQA.search(self.lines[row - 1]) if row <= len(self.lines) else None
        return match is not None and _covers(_codes(match.group("codes")), code)

    def suppresses(self, finding: Finding) -> bool:
        """A file-level comment, or `# noqa` on the finding's first or last line."""
        if any(_covers(codes, finding.code) for codes in self.file_codes):
            return True
        return any(self._line_covers(row, finding.code) for row in {finding.location.row, finding.end_location.row})

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        return [finding for finding in findings if not self.suppresses(finding)]
