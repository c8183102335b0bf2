"""`--output-format json`: an array of findings shaped like ruff's, plus `name` and `severity`."""

from __future__ import annotations

import json
from typing import Any, TextIO

from mcpmigrate.findings import Finding, Location
from mcpmigrate.run.outcome import RunResult


def _location(location: Location) -> dict[str, int]:
    return {"column": location.column, "row": location.row}


def finding_dict(finding: Finding) -> dict[str, Any]:
    from mcpmigrate.output import rule_url

    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "edits": [
                {"content": edit.content, "end_location": _location(edit.end_location), "location": _location(edit.location)}
                for edit in finding.fix.edits
            ],
            "message": finding.fix.message,
        }
    return {
        "code": finding.code,
        "end_location": _location(finding.end_location),
        "filename": finding.path,
        "fix": fix,
        "help": finding.help,
        "location": _location(finding.location),
        "message": finding.message,
        "name": finding.name,
        "severity": finding.severity.value,
        "url": rule_url(finding.code),
    }


def render(result: RunResult, stream: TextIO) -> None:
    findings = [finding_dict(f) for f in sorted(result.findings, key=lambda f: f.sort_key)]
    json.dump(findings, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
