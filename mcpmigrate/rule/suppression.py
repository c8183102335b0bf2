"""Suppression comments: `# noqa`, `# noqa: MCP301, MCP801`, and a file-level `# mcpmigrate: noqa`
(with or without codes), each with an optional reason after `--`:

    from mcp import McpError  # noqa: MCP801 -- the 1.x client stays until the gateway moves

No LibCST here: the run lists and edits these comments in files it never parses.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field

from mcpmigrate.findings import Finding
from mcpmigrate.lines import LINE_BREAK, LineIndex

_CODES = r"[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*"
# The directive runs from its `#` to the next `#` (another tool's comment) or the end of the line.
LINE_NOQA = re.compile(rf"#\s*noqa\b(?::\s*(?P<codes>{_CODES}))?(?P<rest>[^#\r\n]*)", re.IGNORECASE)
FILE_NOQA = re.compile(rf"^(?P<indent>\s*)#\s*mcpmigrate:\s*noqa\b(?::\s*(?P<codes>{_CODES}))?(?P<rest>[^#\r\n]*)", re.IGNORECASE)
_REASON = re.compile(r"^\s*--\s*(?P<reason>\S.*?)\s*$")
OUR_CODE = re.compile(r"MCP[0-9]+\Z")

ALL = None  # a suppression without codes covers every code


def _codes(text: str | None) -> tuple[str, ...] | None:
    if not text:
        return ALL
    return tuple(code.upper() for code in re.split(r"[\s,]+", text) if code)


@dataclass(frozen=True, slots=True)
class Directive:
    """One suppression comment. Offsets index the text; `start` is its `#`, `end` the end of its codes
    and reason (before any other tool's comment that follows on the line)."""

    row: int
    column: int  # 1-based, of the `#`
    start: int
    end: int
    codes: tuple[str, ...] | None  # None: every code
    reason: str | None
    file_level: bool
    codes_span: tuple[int, int] | None = None  # where the codes are written, for rewriting them

    def covers(self, code: str) -> bool:
        return self.codes is ALL or code in self.codes

    @property
    def ours(self) -> bool:
        """Whether mcpmigrate alone reads it: a file-level `mcpmigrate: noqa`, or one naming MCP codes.
        A bare `# noqa` belongs to every linter on the line, so it is never ours to call unused."""
        return self.file_level or any(OUR_CODE.match(code) for code in self.codes or ())

    def describe(self) -> str:
        kind = "mcpmigrate: noqa" if self.file_level else "noqa"
        return kind + (f": {', '.join(self.codes)}" if self.codes is not ALL else "")


@dataclass(slots=True)
class Suppressions:
    """Every directive of a text, and, once `filter` has run, which codes each one suppressed."""

    directives: tuple[Directive, ...]
    by_row: dict[int, list[Directive]]
    used: dict[Directive, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> Suppressions:
        directives: list[Directive] = []
        starts = LineIndex(text).starts if "noqa" in text.lower() else []
        if starts:
            for row, line_start in enumerate(starts, start=1):
                end = starts[row] if row < len(starts) else len(text)
                line = LINE_BREAK.sub("", text[line_start:end])
                if "noqa" not in line.lower():
                    continue
                file_match = FILE_NOQA.search(line) if "mcpmigrate" in line.lower() else None
                line_matches = LINE_NOQA.finditer(line, file_match.end() if file_match is not None else 0)
                matches = [*([file_match] if file_match is not None else []), *line_matches]
                for match in matches:
                    file_level = match is file_match
                    at = match.start() + (len(match.group("indent")) if file_level else 0)
                    rest = match.group("rest")
                    reason = _REASON.match(rest)
                    directive_end = match.end() - (len(rest) - len(rest.rstrip()))
                    codes_span = (line_start + match.start("codes"), line_start + match.end("codes")) if match.group("codes") else None
                    directives.append(
                        Directive(
                            row, at + 1, line_start + at, line_start + directive_end, _codes(match.group("codes")),
                            reason.group("reason") if reason else None, file_level, codes_span,
                        )
                    )
        if directives:
            directives = _in_comments(text, starts, directives)
        by_row: dict[int, list[Directive]] = {}
        for directive in directives:
            if not directive.file_level:
                by_row.setdefault(directive.row, []).append(directive)
        return cls(tuple(directives), by_row)

    def _suppressing(self, finding: Finding, named_only: frozenset[str] = frozenset()) -> Directive | None:
        def covers(directive: Directive) -> bool:
            if finding.code in named_only and directive.codes is ALL:
                return False  # only a comment that names it silences it
            return directive.covers(finding.code)

        for directive in self.directives:
            if directive.file_level and covers(directive):
                return directive
        for row in dict.fromkeys((finding.location.row, finding.end_location.row)):
            for directive in self.by_row.get(row, ()):
                if covers(directive):
                    return directive
        return None

    def suppresses(self, finding: Finding) -> bool:
        """A file-level comment, or `# noqa` on the finding's first or last line."""
        return self._suppressing(finding) is not None

    def filter(self, findings: Iterable[Finding], named_only: frozenset[str] = frozenset()) -> list[Finding]:
        """The findings no directive suppresses; the others are noted as each directive's use. The
        codes `named_only` are silenced only by a directive that names them, never by a bare one."""
        kept = []
        for finding in findings:
            directive = self._suppressing(finding, named_only)
            if directive is None:
                kept.append(finding)
            else:
                self.used.setdefault(directive, set()).add(finding.code)
        return kept


def _in_comments(text: str, starts: list[int], directives: list[Directive]) -> list[Directive]:
    """The directives that stand in real comments: `"x = 1  # noqa: MCP801"` inside a string literal
    (a test's source, a rule's example) suppresses nothing and is no comment to edit. A text that
    does not tokenize keeps them all (nothing is parsed there anyway)."""
    comments: dict[int, tuple[int, int]] = {}  # row -> the offsets of its comment (a line has one at most)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if token.type == tokenize.COMMENT:
                start = starts[token.start[0] - 1] + token.start[1]
                comments[token.start[0]] = (start, start + len(token.string))
    except (tokenize.TokenError, SyntaxError, IndexError):
        return directives
    return [d for d in directives if d.row in comments and comments[d.row][0] <= d.start < comments[d.row][1]]
