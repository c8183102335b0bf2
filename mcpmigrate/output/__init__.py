"""Renderers for `check` results. Each module renders one `--output-format`; none of them decides anything.

May import: `mcpmigrate.findings`, `mcpmigrate.lines` and the run's outcome types (`mcpmigrate.run.outcome`),
never the runner, the rule registry or LibCST: a fully cached run renders without loading them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from mcpmigrate.run.outcome import RunResult

RULE_URL = "https://github.com/mcpmigrate/mcpmigrate/blob/main/rules/{code}.md"


def rule_url(code: str) -> str:
    return RULE_URL.format(code=code)


def render(output_format: str, result: RunResult, stream: TextIO, *, color: bool | None = None, root: Path | None = None) -> None:
    # Each renderer is imported only when asked for: `check` on one file starts fast.
    if output_format == "json":
        from mcpmigrate.output import json_format

        json_format.render(result, stream)
    elif output_format == "json-lines":
        from mcpmigrate.output import json_lines

        json_lines.render(result, stream)
    elif output_format == "concise":
        from mcpmigrate.output import concise

        concise.render(result, stream)
    elif output_format == "github":
        from mcpmigrate.output import github

        github.render(result, stream)
    elif output_format == "sarif":
        from mcpmigrate.output import sarif

        sarif.render(result, stream, root or Path.cwd())
    elif output_format == "junit":
        from mcpmigrate.output import junit

        junit.render(result, stream)
    else:
        from mcpmigrate.output import full

        full.render(result, stream, color=color)
