"""Rule documentation, generated from the rule module itself (`rules/CODE.md` is this text, checked in).

`python -m mcpmigrate.docs` rewrites `rules/*.md`; a test fails when they are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import Invalid, Rule, Valid, registered_rules


def fix_label(rule: type[Rule]) -> str:
    availability = rule.fix_availability()
    if availability == "none":
        return "none (manual)"
    kinds = sorted(kind.value for kind in rule.fix_applicabilities()) or [Applicability.SAFE.value]
    return f"{availability} available ({', '.join(kinds)})"


def _code_block(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```\n"


def render_markdown(rule: type[Rule]) -> str:
    parts = [
        f"# {rule.code} {rule.name}\n",
        f"{rule.summary}\n",
        f"- Severity: {rule.severity.value}",
        f"- Fix: {fix_label(rule)}\n",
        f"## Why it breaks\n\n{rule.why}\n",
        f"## The fix\n\n{rule.fix_description}\n",
        f"## Fix safety\n\n{rule.fix_safety}\n",
        "## Examples\n",
    ]
    for number, example in enumerate((e for e in rule.examples if isinstance(e, Invalid)), start=1):
        title = f"### Flagged ({number})" + (f": {example.note}" if example.note else "")
        parts.append(f"{title}\n")
        positions = ", ".join(f"{row}:{column}" for row, column in example.findings)
        parts.append(_code_block(example.code))
        parts.append(f"Findings at {positions}.\n")
        if example.fixed is not None:
            parts.append("After `mcpmigrate check --fix`:\n")
            parts.append(_code_block(example.fixed))
        if example.unsafe_fixed is not None and example.unsafe_fixed != example.after_safe:
            parts.append("After `mcpmigrate check --fix --unsafe-fixes`:\n")
            parts.append(_code_block(example.unsafe_fixed))
        if example.after_unsafe == example.code:
            parts.append("No automatic fix.\n")
    valid = [e for e in rule.examples if isinstance(e, Valid)]
    if valid:
        parts.append("### Not flagged\n")
        for example in valid:
            parts.append(_code_block(example.code))
    if rule.references:
        parts.append("## References\n")
        parts.append("\n".join(f"- {reference}" for reference in rule.references) + "\n")
    return "\n".join(parts)


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    written = []
    for code, rule in registered_rules().items():
        path = folder / f"{code}.md"
        text = render_markdown(rule)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "rules"
    for path in write_all(target):
        print(f"wrote {path}")
