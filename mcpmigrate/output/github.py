"""`--output-format github`: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from typing import TextIO

from mcpmigrate.findings import Finding, Severity
from mcpmigrate.run.outcome import RunResult

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    start, end = finding.location, finding.end_location
    properties = [f"file={escape_property(finding.path)}", f"line={start.row}", f"endLine={end.row}"]
    if start.row == end.row:  # GitHub takes columns only for a single-line span
        properties += [f"col={start.column}", f"endColumn={end.column}"]
    properties.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
    message = finding.message + (f" ({finding.help})" if finding.help else "")
    return f"::{LEVELS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render(result: RunResult, stream: TextIO) -> None:
    for finding in sorted(result.findings, key=lambda f: f.sort_key):
        stream.write(command(finding) + "\n")
