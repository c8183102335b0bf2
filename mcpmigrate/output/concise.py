"""`--output-format concise`: one line per finding, `path:line:col: CODE message`."""

from __future__ import annotations

from typing import TextIO

from mcpmigrate.findings import Applicability, Finding, Severity
from mcpmigrate.run.outcome import RunResult


def fix_marker(finding: Finding) -> str:
    return "[*] " if finding.fix is not None and finding.fix.applicability is Applicability.SAFE else ""


def severity_marker(finding: Finding) -> str:
    """Errors (the default) are unmarked; deprecations say `(warning)`, SHOULDs `(info)`."""
    return "" if finding.severity is Severity.ERROR else f"({finding.severity.value}) "


def line(finding: Finding) -> str:
    location = finding.location
    return (
        f"{finding.path}:{location.row}:{location.column}: {finding.code} "
        f"{severity_marker(finding)}{fix_marker(finding)}{finding.message}"
    )


def render(result: RunResult, stream: TextIO) -> None:
    for finding in sorted(result.findings, key=lambda f: f.sort_key):
        stream.write(line(finding) + "\n")
