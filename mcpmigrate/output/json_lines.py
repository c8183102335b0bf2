"""`--output-format json-lines`: one JSON object per finding per line, as in `json`."""

from __future__ import annotations

import json
from typing import TextIO

from mcpmigrate.output.json_format import finding_dict
from mcpmigrate.run.outcome import RunResult


def render(result: RunResult, stream: TextIO) -> None:
    for finding in sorted(result.findings, key=lambda f: f.sort_key):
        stream.write(json.dumps(finding_dict(finding), ensure_ascii=False, sort_keys=True) + "\n")
