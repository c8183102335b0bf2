"""`check --add-noqa`: a `# noqa: CODE` comment for every current finding, as ruff's `--add-noqa`.

A comment goes at the end of the finding's first line, or of its last line where the first ends
inside a string or a backslash continuation (a comment there would change the string or break the
line); an existing `# noqa: ...` on that line gets the new codes, keeping its reason. The result is
compiled before it is written: a file whose comments cannot be added safely is left as it was.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mcpmigrate.findings import FileProblem, Finding
from mcpmigrate.lines import LINE_BREAK, LineIndex
from mcpmigrate.rule.suppression import ALL, Suppressions
from mcpmigrate.run.outcome import RunResult
from mcpmigrate.run.source import read_source, write_atomic


def commentable_rows(text: str) -> set[int] | None:
    """The rows whose end a comment can be added to (None: the text does not tokenize)."""
    rows: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
                rows.add(token.start[0])
    except (tokenize.TokenError, SyntaxError):
        return None
    return rows


def with_noqa(text: str, findings: Sequence[Finding]) -> tuple[str, int, int]:
    """`text` with the comments that suppress `findings`; how many codes were added, and how many
    findings got none (no line of theirs can take a comment)."""
    rows = commentable_rows(text)
    if rows is None:
        return text, 0, len(findings)
    wanted: dict[int, list[str]] = {}
    missed = 0
    for finding in findings:
        row = next((r for r in (finding.location.row, finding.end_location.row) if r in rows), None)
        if row is None:
            missed += 1
        elif finding.code not in wanted.setdefault(row, []):
            wanted[row].append(finding.code)
    suppressions = Suppressions.of(text)
    lines = LineIndex(text)
    edits: list[tuple[int, int, str]] = []
    added = 0
    for row, codes in wanted.items():
        existing = next((d for d in suppressions.by_row.get(row, ()) if d.codes is not ALL and d.codes_span), None)
        if existing is not None:
            new = [code for code in codes if code not in existing.codes]
            if new:
                start, end = existing.codes_span
                edits.append((start, end, ", ".join([*existing.codes, *new])))
                added += len(new)
            continue
        line_start = lines.starts[row - 1]
        match = LINE_BREAK.search(text, line_start)
        line_end = match.start() if match else len(text)
        code_end = line_start + len(text[line_start:line_end].rstrip())
        edits.append((code_end, line_end, f"  # noqa: {', '.join(codes)}"))
        added += len(codes)
    result = text
    for start, end, content in sorted(edits, reverse=True):
        result = result[:start] + content + result[end:]
    try:
        compile(result, "<noqa>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return text, 0, len(findings)  # never write a file that no longer parses
    return result, added, missed


@dataclass(frozen=True)
class NoqaOutcome:
    added: int  # codes added
    files: int  # files written
    missed: int  # findings no comment could be added for
    problems: tuple[FileProblem, ...]


def add_noqa(result: RunResult, cwd: Path) -> NoqaOutcome:
    """Add the comments for every finding of a check run to the files, atomically."""
    added = files = missed = 0
    problems: list[FileProblem] = []
    for outcome in result.outcomes:
        if not outcome.findings or outcome.text is None:
            continue
        source = read_source(cwd / outcome.display, outcome.display)
        if isinstance(source, FileProblem):
            problems.append(source)
            continue
        if source.text != outcome.text:
            problems.append(FileProblem(outcome.display, "not written: the file changed on disk while it was being checked"))
            continue
        text, count, lost = with_noqa(source.text, outcome.findings)
        missed += lost
        if text == source.text:
            continue
        problem = write_atomic(source, text)
        if problem is not None:
            problems.append(problem)
            continue
        added, files = added + count, files + 1
    return NoqaOutcome(added, files, missed, tuple(problems))
