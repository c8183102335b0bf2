"""`--output-format full` (the default): each finding with a code frame marking its span and the fix."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from mcpmigrate.findings import Applicability, Finding, Severity
from mcpmigrate.lines import split_lines
from mcpmigrate.run.outcome import RunResult

CONTEXT_LINES = 2
TAB = "    "


def _frame(finding: Finding, lines: list[str]) -> Text:
    start, end = finding.location, finding.end_location
    first = max(1, start.row - CONTEXT_LINES)
    last = min(len(lines), start.row + CONTEXT_LINES)
    width = len(str(last))
    gutter = " " * width
    frame = Text()
    frame.append(f"{gutter} |\n", style="blue")
    for row in range(first, last + 1):
        source = lines[row - 1]
        frame.append(f"{row:>{width}} | ", style="blue")
        frame.append(source.replace("\t", TAB) + "\n")
        if row == start.row:
            # Columns count characters; expand tabs before them the same way as in the line above.
            before = source[: start.column - 1]
            stop = end.column - 1 if end.row == start.row else len(source)
            marked = source[start.column - 1 : stop]
            padding = len(before.replace("\t", TAB))
            carets = max(1, len(marked.replace("\t", TAB)))
            frame.append(f"{gutter} | ", style="blue")
            frame.append(" " * padding + "^" * carets + f" {finding.code}", style="bold red")
            frame.append("\n")
    frame.append(f"{gutter} |\n", style="blue")
    return frame


def render_finding(finding: Finding, lines: list[str] | None) -> Text:
    text = Text()
    location = finding.location
    text.append(f"{finding.path}:{location.row}:{location.column}: ", style="bold")
    text.append(f"{finding.code} ", style="bold red" if finding.severity is Severity.ERROR else "bold yellow")
    if finding.severity is not Severity.ERROR:
        text.append(f"({finding.severity.value}) ", style="yellow")
    if finding.fix is not None and finding.fix.applicability is Applicability.SAFE:
        text.append("[*] ", style="cyan")
    text.append(finding.message + "\n")
    if lines is not None and location.row <= len(lines):
        text.append_text(_frame(finding, lines))
    width = len(str(min(len(lines or []), location.row + CONTEXT_LINES)))
    if finding.help:
        suffix = ""
        if finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE:
            suffix = " (unsafe fix: applied with --fix --unsafe-fixes)"
        elif finding.fix is not None and finding.fix.applicability is Applicability.DISPLAY_ONLY:
            suffix = f" (display-only fix: applied only with --fix-only {finding.code})"
        elif finding.fix is None:
            suffix = " (no automatic fix)"
        text.append(f"{' ' * width} = ", style="blue")
        text.append("help: ", style="bold cyan")
        text.append(finding.help + suffix + "\n")
    return text


def render(result: RunResult, stream: TextIO, *, color: bool | None = None) -> None:
    console = Console(
        file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True,
        force_terminal=color, no_color=(color is False) or None,
    )
    # Without colours (a pipe, a file, CI) Rich would only print the plain text, at a millisecond a
    # finding: thousands of findings are written directly instead.
    plain = console.color_system is None
    for outcome in sorted(result.outcomes, key=lambda o: o.display):
        if not outcome.findings:
            continue
        lines = split_lines(outcome.text) if outcome.text is not None else None
        for finding in outcome.findings:
            if plain:
                stream.write(render_finding(finding, lines).plain + "\n")
            else:
                console.print(render_finding(finding, lines))
