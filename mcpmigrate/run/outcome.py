"""What a run returns: each file's outcome and the run's result. Plain data the renderers and the
checklist read; importing it loads neither LibCST nor the rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from mcpmigrate.findings import FileProblem, Finding, RuleInfo, Severity
from mcpmigrate.run.target import Target


@dataclass(frozen=True)
class FileOutcome:
    display: str
    findings: tuple[Finding, ...] = ()  # what is left
    fixed: tuple[Finding, ...] = ()
    problems: tuple[FileProblem, ...] = ()
    failing: int = 0  # findings that make the run exit 1
    text: str | None = None  # the final text, kept where findings need a code frame, and for stdin
    diff: str | None = None
    target: Target | None = None  # set where a finding's fix depended on the target SDK
    accepted: tuple[Finding, ...] = ()  # findings the baseline holds: neither reported nor failing
    display_diffs: tuple[tuple[str, str], ...] = ()  # (code, diff) with `--diff`: display-only fixes, shown apart
    not_failing: tuple[Severity, ...] = ()  # the severity of each reported finding that does not fail the run
    not_fixed: str | None = None  # why its fixes were not applied (a link out of the project), said in one line


@dataclass
class RunResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)  # not tied to a checked file
    files_checked: int = 0
    # Every rule's metadata, by code in code order (from the registry, or the cache without importing it).
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    baseline: str | None = None  # the baseline the run reported against, as named
    baseline_gone: int = 0  # its entries for the files checked that nothing matches any more (fixed)

    @property
    def findings(self) -> list[Finding]:
        return [finding for outcome in self.outcomes for finding in outcome.findings]

    @property
    def accepted(self) -> list[Finding]:
        return [finding for outcome in self.outcomes for finding in outcome.accepted]

    @property
    def fixed(self) -> list[Finding]:
        return [finding for outcome in self.outcomes for finding in outcome.fixed]

    @property
    def all_problems(self) -> list[FileProblem]:
        return [*self.problems, *(p for outcome in self.outcomes for p in outcome.problems)]

    @property
    def failing(self) -> int:
        return sum(outcome.failing for outcome in self.outcomes)

    @property
    def not_failing(self) -> Counter[Severity]:
        """How many reported findings of each severity do not fail the run (below `fail-on`)."""
        return Counter(severity for outcome in self.outcomes for severity in outcome.not_failing)

    @property
    def diffs(self) -> list[str]:
        return [outcome.diff for outcome in self.outcomes if outcome.diff]

    @property
    def display_diffs(self) -> list[tuple[str, str]]:
        return [shown for outcome in self.outcomes for shown in outcome.display_diffs]

    @property
    def targets(self) -> list[Target]:
        return sorted({o.target for o in self.outcomes if o.target is not None}, key=lambda t: (t.sdk or 0, t.source))
