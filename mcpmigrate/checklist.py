"""The migration checklist: the findings of a run, arranged as the steps of a 2026-07-28 migration.

Each rule declares the one step (`mcpmigrate.steps.Step`) its findings belong to, so every finding is
counted once and a new rule is on the checklist as soon as it exists; the run hands over every rule's
declaration (`RunResult.rules`), so the checklist imports neither the rules nor the runner. An item is
`needs a human` while any of its findings has no automatic fix, `auto-fixable` while findings remain
that `--fix` (or `--fix --unsafe-fixes`, or naming the rule for a display-only fix: `--fix-only
CODE`) would rewrite, `done` when none remain in a codebase where
the step applies, and `not applicable` when the code never touches what the step is about. OAuth is
a standing item for a human whenever the code does OAuth at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mcpmigrate.findings import Applicability, Finding
from mcpmigrate.run.outcome import RunResult
from mcpmigrate.steps import Side, Step

DONE, FIXABLE, HUMAN, NOT_APPLICABLE = "done", "auto-fixable", "needs a human", "not applicable"
ACCEPTED = "accepted in the baseline"  # what is left is all in the baseline: not done, only put off


OAUTH_TOKENS = ("oauthclientprovider", "oauthclientmetadata", "redirect_uris", "authorization_code", "oauth2")


@dataclass
class StepState:
    step: Step
    codes: tuple[str, ...]  # the rules whose findings belong to this step
    findings: list[Finding] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)  # held by the baseline
    relevant: bool = False
    oauth: bool = False

    @property
    def safe(self) -> int:
        return sum(1 for f in self.findings if f.fix is not None and f.fix.applicability is Applicability.SAFE)

    @property
    def unsafe(self) -> int:
        return sum(1 for f in self.findings if f.fix is not None and f.fix.applicability is Applicability.UNSAFE)

    @property
    def display_only(self) -> int:
        return sum(1 for f in self.findings if f.fix is not None and f.fix.applicability is Applicability.DISPLAY_ONLY)

    @property
    def manual(self) -> int:
        return sum(1 for f in self.findings if f.fix is None)

    @property
    def status(self) -> str:
        if self.manual or (self.step is Step.OAUTH and self.oauth):
            return HUMAN
        if self.findings:
            return FIXABLE
        if self.accepted:
            return ACCEPTED
        return DONE if self.relevant else NOT_APPLICABLE


@dataclass
class Checklist:
    items: list[StepState]
    files: int
    targets: list[str]
    sides: dict[str, Side] = field(default_factory=dict)  # by rule code

    def side_of(self, finding: Finding) -> Side:
        return self.sides.get(finding.code, Side.BOTH)

    def count(self, side: Side) -> int:
        return sum(1 for finding in self.findings if self.side_of(finding) is side)

    @property
    def findings(self) -> list[Finding]:
        return [finding for state in self.items for finding in state.findings]

    @property
    def accepted(self) -> list[Finding]:
        return [finding for state in self.items for finding in state.accepted]


class Relevance:
    """Sees each checked text once (as the runner's observer) and notes which steps it shows apply."""

    def __init__(self) -> None:
        self.steps: set[Step] = set()
        self.oauth = False

    def __call__(self, text: str) -> None:
        lowered = text.lower()
        if "mcp" not in lowered and "modelcontextprotocol" not in lowered:
            return
        for step in Step:
            if step not in self.steps and any(token in lowered for token in step.relevant):
                self.steps.add(step)
        self.oauth = self.oauth or any(token in lowered for token in OAUTH_TOKENS)


def build(result: RunResult, relevance: Relevance) -> Checklist:
    """The checklist of a run whose texts `relevance` observed."""
    states = [StepState(step, tuple(code for code, rule in result.rules.items() if rule.step == step)) for step in Step]
    by_step = {state.step: state for state in states}
    sides = {code: Side(rule.side) for code, rule in result.rules.items()}
    # Within a step, servers' findings first: on mcp 2.x a server serves both eras, so it moves first.
    def order(finding: Finding) -> tuple:
        return (sides.get(finding.code, Side.BOTH).order, finding.sort_key)

    for accepted, findings in ((False, result.findings), (True, result.accepted)):
        for finding in sorted(findings, key=order):
            rule = result.rules.get(finding.code)
            if rule is not None:
                state = by_step[Step(rule.step)]
                (state.accepted if accepted else state.findings).append(finding)
    for state in states:
        state.relevant = state.step in relevance.steps
    by_step[Step.OAUTH].oauth = relevance.oauth
    return Checklist(states, result.files_checked, [target.describe() for target in result.targets], sides)


def _findings(count: int) -> str:
    return f"{count} finding" + ("" if count == 1 else "s")


_SIDE_LABEL = {Side.SERVER: "(server) ", Side.CLIENT: "(client) ", Side.BOTH: ""}


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or list item. Pipes are escaped everywhere (GitHub's
    tables honour `\\|` even in code); `<` and `>` become entities outside code spans only, since a
    code span shows an entity literally."""
    parts = text.replace("\n", " ").replace("|", "\\|").split("`")
    for index in range(0, len(parts), 2):  # even parts lie outside backticks
        parts[index] = parts[index].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def _action(finding: Finding) -> str:
    if finding.fix is None:
        return f"By hand: {finding.help}" if finding.help else "By hand."
    how = {
        Applicability.SAFE: "`--fix`",
        Applicability.UNSAFE: "`--fix --unsafe-fixes`",
        Applicability.DISPLAY_ONLY: f"display-only: `--fix-only {finding.code}`",
    }[finding.fix.applicability]
    return f"{finding.fix.message} ({how})"


def to_markdown(checklist: Checklist) -> str:
    states = checklist.items
    done = sum(1 for state in states if state.status in (DONE, NOT_APPLICABLE))
    findings = checklist.findings
    safe = sum(state.safe for state in states)
    unsafe = sum(state.unsafe for state in states)
    display_only = sum(state.display_only for state in states)
    manual = sum(state.manual for state in states)
    lines = [
        "# MCP 2026-07-28 migration checklist",
        "",
        f"**{done} of {len(states)} items done or not applicable.** {len(findings)} findings left in "
        f"{checklist.files} files checked: {safe} fixable now with `mcpmigrate check --fix`, {unsafe} more "
        f"with `--fix --unsafe-fixes`, {display_only} display-only (with `--fix-only CODE`), {manual} for a human."
        + (f" {len(checklist.accepted)} more accepted in the baseline, not done." if checklist.accepted else ""),
        "",
    ]
    lines += [f"- {_md(target)}" for target in checklist.targets]
    if checklist.targets:
        lines.append("")
    if findings:
        lines += [
            "Order of work: **servers first** (on mcp 2.x a server serves clients of both protocol eras), then "
            "clients (a 2026-07-28 client cannot reach a server that speaks only the handshake). Within each "
            f"step, server code comes first: {_findings(checklist.count(Side.SERVER))} in server code, "
            f"{checklist.count(Side.BOTH)} in code either side has, {checklist.count(Side.CLIENT)} in client code.",
            "",
        ]
    lines += [
        "| # | Step | Status | Left | `--fix` | `--unsafe-fixes` | `--fix-only` | By hand |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for state in states:
        lines.append(
            f"| {state.step.value} | {_md(state.step.title)} | {state.status} | {len(state.findings)} | "
            f"{state.safe} | {state.unsafe} | {state.display_only} | {state.manual} |"
        )
    for state in states:
        codes = ", ".join(state.codes)
        lines += ["", f"## {state.step.value}. {_md(state.step.title)}", "", f"Status: **{state.status}** (rules {codes})", ""]
        if state.step is Step.OAUTH and state.oauth:
            lines.append(
                "- [ ] Review the OAuth flow against 2026-07-28: `application_type` in registration, `iss` "
                "checked on the authorization response (RFC 9207), credentials keyed by issuer, CIMD "
                "preferred over Dynamic Client Registration."
            )
        for finding in state.findings:
            lines.append(
                f"- [ ] {_SIDE_LABEL[checklist.side_of(finding)]}`{finding.path}:{finding.location.row}` {finding.code}: "
                f"{_md(finding.message)}. {_md(_action(finding))}"
            )
        for finding in state.accepted:
            lines.append(
                f"- [ ] (accepted in the baseline) `{finding.path}:{finding.location.row}` {finding.code}: "
                f"{_md(finding.message)}. {_md(_action(finding))}"
            )
        if not state.findings and not state.accepted and not (state.step is Step.OAUTH and state.oauth):
            lines.append("Nothing left to change." if state.status == DONE else "Nothing in this codebase touches it.")
    return "\n".join(lines) + "\n"


def to_json(checklist: Checklist) -> dict:
    states = checklist.items
    return {
        "summary": {
            "items": len(states),
            "items_done_or_not_applicable": sum(1 for s in states if s.status in (DONE, NOT_APPLICABLE)),
            "findings": len(checklist.findings),
            "fixable_with_fix": sum(s.safe for s in states),
            "fixable_with_unsafe_fixes": sum(s.unsafe for s in states),
            "fixable_with_fix_only": sum(s.display_only for s in states),
            "needs_a_human": sum(s.manual for s in states),
            "in_server_code": checklist.count(Side.SERVER),
            "in_client_code": checklist.count(Side.CLIENT),
            "accepted_in_baseline": len(checklist.accepted),
            "files_checked": checklist.files,
            "targets": checklist.targets,
        },
        "items": [
            {
                "number": s.step.value,
                "title": s.step.title,
                "status": s.status,
                "rules": list(s.codes),
                "findings": len(s.findings),
                "fixable_with_fix": s.safe,
                "fixable_with_unsafe_fixes": s.unsafe,
                "fixable_with_fix_only": s.display_only,
                "needs_a_human": s.manual,
                "accepted_in_baseline": len(s.accepted),
                "locations": [
                    {"path": f.path, "line": f.location.row, "column": f.location.column, "code": f.code,
                     "message": f.message, "action": _action(f), "side": checklist.side_of(f).value,
                     **({"accepted": True} if accepted else {})}
                    for accepted, findings in ((False, s.findings), (True, s.accepted))
                    for f in findings
                ],
            }
            for s in states
        ],
    }
