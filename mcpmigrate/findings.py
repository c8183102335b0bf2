"""The values every layer passes on: findings, fixes and their edits, and what a run knows of a rule.
Plain data; it imports nothing of ours."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Applicability(str, enum.Enum):
    """How far a fix can be trusted, as in ruff: safe fixes apply with `--fix`, unsafe ones need
    `--unsafe-fixes`. A display-only fix only moves off a deprecated feature that still works: it is
    shown (in the findings, `--diff` and the checklist) and applied only to a rule named by its code
    (`--fix-only CODE`, or `extend-fixable` in the configuration)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class Severity(str, enum.Enum):
    ERROR = "error"  # breaks on a 2026-07-28 peer or with mcp 2.x
    WARNING = "warning"  # deprecated: still works for now
    INFO = "info"  # a SHOULD: shown, but does not fail `check` unless selected explicitly


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based row and a 1-based column counted in characters."""

    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `source[start:end]` with `content`. Offsets index the decoded source text."""

    start: int
    end: int
    content: str
    location: Location
    end_location: Location
    # What the edit imports: (module, name) for `from module import name`, (module, None) for
    # `import module`. `--fix` files these among the module's imports instead of applying `content`,
    # which stays for whoever applies the edit alone (an editor, the JSON output).
    imports: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class FixPolicy:
    """Which fixes a run applies: safe ones; unsafe ones with `unsafe`; display-only ones only for the
    rules `named` by code; and, with `only`, none of a rule outside it (`--fix-only CODE`)."""

    unsafe: bool = False
    named: frozenset[str] = frozenset()
    only: frozenset[str] | None = None

    def applies(self, finding: Finding) -> bool:
        fix = finding.fix
        if fix is None or (self.only is not None and finding.code not in self.only):
            return False
        if fix.applicability is Applicability.DISPLAY_ONLY:
            return finding.code in self.named
        return fix.applicability is Applicability.SAFE or self.unsafe


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    location: Location
    end_location: Location
    fix: Fix | None = None
    # The fix's own text, e.g. "Rename to `MCPError`"; shown as help even when no edit can be made.
    help: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.row, self.location.column, self.code)


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file that could not be checked or fixed: it is named on one line and never written."""

    path: str
    message: str
    location: Location | None = None
    internal: bool = False  # our bug rather than the user's input


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a run, the renderers and the checklist need of a rule besides parsing with it: plain data,
    kept in the cache, so a run whose files are all cached imports neither the rules nor LibCST."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    fix_description: str
    step: int  # the migration step its findings belong to (mcpmigrate.steps.Step)
    uses_target_sdk: bool  # its fixes are safe only when the project targets mcp 2.x
    enabled_by: str | None = None  # the configuration switch (a RuleOptions field) the rule needs on
    side: str = "both"  # whose code its findings are in: "server", "client" or "both" (steps.Side)
    progress: bool = False  # its findings are stopgaps a fix put in: their step is in progress, not to start

    def to_json(self) -> dict:
        return {
            "name": self.name, "severity": self.severity.value, "summary": self.summary, "why": self.why,
            "fix_description": self.fix_description, "step": self.step, "uses_target_sdk": self.uses_target_sdk,
            "enabled_by": self.enabled_by, "side": self.side, "progress": self.progress,
        }

    @classmethod
    def from_json(cls, code: str, data: dict) -> RuleInfo:
        return cls(
            code, str(data["name"]), Severity(data["severity"]), str(data["summary"]), str(data["why"]),
            str(data["fix_description"]), int(data["step"]), bool(data["uses_target_sdk"]),
            None if data.get("enabled_by") is None else str(data["enabled_by"]), str(data.get("side", "both")),
            bool(data.get("progress", False)),
        )
