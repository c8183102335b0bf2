"""The probe's output: a table for people, JSON and JUnit for CI."""

from __future__ import annotations

from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from mcpmigrate.probe.checks import Level, ProbeReport, Status, dumps

FORMATS = ("text", "json", "junit")
MARKS = {Status.PASS: ("pass", "green"), Status.FAIL: ("FAIL", "red"), Status.SKIP: ("skip", "yellow"),
         Status.INFO: ("info", "cyan")}


def render(output_format: str, report: ProbeReport, stream: TextIO, *, color: bool | None = None) -> None:
    if output_format == "json":
        stream.write(dumps(report))
    elif output_format == "junit":
        stream.write(junit(report))
    else:
        table(report, stream, color=color)


def table(report: ProbeReport, stream: TextIO, *, color: bool | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    interactive = color if color is not None else stream.isatty()
    # Off a terminal (a CI log, a file) the table keeps a readable width instead of Rich's 80.
    console = Console(file=stream, force_terminal=color, no_color=color is False, width=None if interactive else 120,
                      highlight=False, soft_wrap=False)
    grid = Table(title=f"mcpmigrate probe: {report.target} ({report.transport}) against 2026-07-28", title_justify="left",
                 show_lines=False)
    for header in ("result", "level", "check", "what was seen"):
        grid.add_column(header, overflow="fold")
    for outcome in report.outcomes:
        mark, style = MARKS[outcome.status]
        if outcome.status is Status.FAIL and outcome.check.level is not Level.MUST:
            style = "yellow"
        grid.add_row(f"[{style}]{mark}[/]", outcome.check.level.value, outcome.check.id, outcome.detail)
    console.print(grid)
    for outcome in report.outcomes:
        if outcome.status is Status.FAIL:
            console.print(f"[bold]{outcome.check.id}[/]: {outcome.check.requirement} ({outcome.check.reference})")
    counts = {status: sum(1 for o in report.outcomes if o.status is status) for status in Status}
    musts = sum(1 for o in report.outcomes if o.failed_must)
    verdict = f"[red]{musts} MUST requirement{'' if musts == 1 else 's'} failed[/]" if musts else "[green]every MUST requirement checked passed[/]"
    console.print(f"{counts[Status.PASS]} passed, {counts[Status.FAIL]} failed, {counts[Status.SKIP]} skipped, "
                  f"{counts[Status.INFO]} for information: {verdict}")


def junit(report: ProbeReport) -> str:
    failures = sum(1 for o in report.outcomes if o.status is Status.FAIL)
    skipped = sum(1 for o in report.outcomes if o.status is Status.SKIP)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="mcpmigrate probe" tests="{len(report.outcomes)}" failures="{failures}" skipped="{skipped}">',
             f'  <testsuite name={quoteattr("probe " + report.target)} tests="{len(report.outcomes)}" '
             f'failures="{failures}" skipped="{skipped}">']
    for outcome in report.outcomes:
        name = quoteattr(f"[{outcome.check.level.value}] {outcome.check.id}: {outcome.check.requirement}")
        lines.append(f'    <testcase classname="mcpmigrate.probe.{report.transport}" name={name}>')
        if outcome.status is Status.FAIL:
            kind = "must" if outcome.check.level is Level.MUST else "should"
            lines.append(f'      <failure type="{kind}" message={quoteattr(outcome.detail)}>'
                         f'{escape(outcome.check.reference)}</failure>')
        elif outcome.status is Status.SKIP:
            lines.append(f"      <skipped message={quoteattr(outcome.detail)}/>")
        else:
            lines.append(f"      <system-out>{escape(outcome.detail)}</system-out>")
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(lines)
