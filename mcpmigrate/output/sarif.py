"""`--output-format sarif`: SARIF 2.1.0, one run, for code scanning (paths relative to %SRCROOT%)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from mcpmigrate import __version__
from mcpmigrate.findings import Severity
from mcpmigrate.run.outcome import RunResult

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFORMATION_URI = "https://github.com/mcpmigrate/mcpmigrate"


def document(result: RunResult, root: Path) -> dict:
    from mcpmigrate.output import rule_url

    rules = result.rules
    index = {code: position for position, code in enumerate(rules)}
    results = []
    for finding in sorted(result.findings, key=lambda f: f.sort_key):
        path = Path(finding.path)
        relative = path.as_posix() if not path.is_absolute() else _relative(path, root)
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": LEVELS[finding.severity],
                "message": {"text": finding.message + (f" ({finding.help})" if finding.help else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": relative, "uriBaseId": "%SRCROOT%"},
                            "region": {
                                "startLine": finding.location.row,
                                "startColumn": finding.location.column,
                                "endLine": finding.end_location.row,
                                "endColumn": finding.end_location.column,
                            },
                        }
                    }
                ],
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mcpmigrate",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [
                            {
                                "id": code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.why},
                                "helpUri": rule_url(code),
                                "help": {"text": rule.fix_description},
                                "defaultConfiguration": {"level": LEVELS[rule.severity]},
                            }
                            for code, rule in rules.items()
                        ],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_uri()


def render(result: RunResult, stream: TextIO, root: Path) -> None:
    json.dump(document(result, root), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
