"""The migration checklist: the findings of a run, arranged as the steps of a 2026-07-28 migration.

Each rule declares the one step (`mcpmigrate.steps.Step`) its findings belong to, so every finding is
counted once and a new rule is on the checklist as soon as it exists; the run hands over every rule's
declaration (`RunResult.rules`), so the checklist imports neither the rules nor the runner.

A step's status says only what the run saw:
- `needs a human` while any of its findings has no automatic fix (and OAuth whenever the code does
  OAuth at all); `auto-fixable` while findings remain that `--fix` (or `--unsafe-fixes`, or naming the rule for
  a display-only fix: `--fix-only CODE`) rewrites;
  `in progress` while what is left is a stopgap a fix put in (the mcp 1.x handler adapter);
- `unknown` when a file or path that could bear on it was never checked (it could not be read or
  parsed, or does not exist), or when whether it is done rests on an SDK version the run cannot tell;
- `to do` when the step is the SDK's job (mcp 2.x does it) and the code's requirement admits mcp 1.x;
- `done` when its code shows the step applies, and nothing of it is left: the rules found none of its
  legacy forms, and where no rule could (the SDK's steps), the 2026-07-28 form or mcp 2.x was seen;
- `not applicable` when the code never touches what the step is about.
Relevance is read from code (names, imports, string literals), never from comments or docstrings.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from mcpmigrate.findings import Applicability, FileProblem, Finding
from mcpmigrate.run.outcome import RunResult

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
from mcpmigrate.steps import (
    HTTP_LIBRARIES,
    HTTP_TRANSPORT_WORDS,
    SDK_PROVIDED,
    STILL_DEPRECATED,
    Side,
    Step,
    new_form_tokens,
    relevant_tokens,
)

DONE, FIXABLE, HUMAN, NOT_APPLICABLE = "done", "auto-fixable", "needs a human", "not applicable"
UNKNOWN, TO_DO, IN_PROGRESS = "unknown", "to do", "in progress"
ACCEPTED = "accepted in the baseline"  # what is left is all in the baseline: not done, only put off
FINISHED = (DONE, NOT_APPLICABLE)  # what the summary counts as done


OAUTH_TOKENS = ("oauthclientprovider", "oauthclientmetadata", "redirect_uris", "authorization_code", "oauth2")
# imports that tell a file's side, when it has only one of them
SERVER_MODULES = ("mcp.server", "fastmcp")
CLIENT_MODULES = ("mcp.client", "fastmcp.client", "mcp.clientsession")


@dataclass(frozen=True, order=True)
class Project:
    """A project of the tree: a folder with its own `pyproject.toml`."""

    name: str
    root: Path


def _project_name(pyproject: Path) -> str | None:
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = document.get("project", {}).get("name") or document.get("tool", {}).get("poetry", {}).get("name")
    return str(name) if name else None


def _describe_target(target: object) -> str:
    sdk = getattr(target, "sdk", None)
    which = "unknown" if sdk is None else f"mcp {sdk}"
    return f"{which} ({getattr(target, 'source', '')})"


@dataclass(frozen=True)
class FileFacts:
    """What one file's code shows, for the checklist."""

    steps: frozenset[Step]  # the steps its code touches
    new_forms: frozenset[Step]  # the steps whose 2026-07-28 form (or mcp 2.x) it shows
    uses_sdk: bool  # it imports mcp or FastMCP
    target_sdk: int | None  # the mcp major version its project admits (None: unknown or mixed)
    target_source: str
    target_pin: str | None  # `path:line` of a declaration that admits mcp 1.x
    side: Side | None  # server or client, where its imports say only one
    oauth: bool
    two_x_names: bool = False  # it uses names only mcp 2.x has
    deprecated: frozenset[str] = frozenset()  # deprecated features it still uses ("sampling", "roots", "logging")


@dataclass
class StepState:
    step: Step
    codes: tuple[str, ...]  # the rules whose findings belong to this step
    findings: list[Finding] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)  # held by the baseline
    relevant: bool = False
    oauth: bool = False
    progress_codes: frozenset[str] = frozenset()  # rules whose findings are stopgaps left in place
    unknown_because: str | None = None  # why the run cannot tell (files not checked, the SDK version)
    to_do_because: str | None = None  # why the step is to do without a finding (the SDK requirement)

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
        return sum(1 for f in self.findings if f.fix is None and f.code not in self.progress_codes)

    @property
    def status(self) -> str:
        if self.manual or (self.step is Step.OAUTH and self.oauth):
            return HUMAN
        if self.safe or self.unsafe or self.display_only:
            return FIXABLE
        if self.accepted and not self.findings:
            return ACCEPTED  # the work is put off, the requirement's with it
        if self.to_do_because is not None and self.unknown_because is None:
            return TO_DO
        if self.findings:
            return IN_PROGRESS
        if self.unknown_because is not None:
            return UNKNOWN
        return DONE if self.relevant else NOT_APPLICABLE


@dataclass(frozen=True)
class ProjectRow:
    """One project of a fleet: where it stands."""

    name: str
    path: str
    target: str  # its target SDK and where that came from
    done: int  # steps done or not applicable
    items: int
    findings: int
    manual: int  # findings that need a person


@dataclass
class Checklist:
    items: list[StepState]  # in the order of work
    files: int
    targets: list[str]
    sides: dict[str, Side] = field(default_factory=dict)  # by rule code
    file_sides: dict[str, Side] = field(default_factory=dict)  # by path, where the file says
    unchecked: list[FileProblem] = field(default_factory=list)  # files and paths never checked
    projects: list[ProjectRow] = field(default_factory=list)  # a fleet's projects (two or more)
    project: str | None = None  # the one project the checklist is narrowed to

    def side_of(self, finding: Finding) -> Side:
        side = self.sides.get(finding.code, Side.BOTH)
        return self.file_sides.get(finding.path, side) if side is Side.BOTH else side

    def count(self, side: Side) -> int:
        return sum(1 for finding in self.findings if self.side_of(finding) is side)

    @property
    def findings(self) -> list[Finding]:
        return [finding for state in self.items for finding in state.findings]

    @property
    def accepted(self) -> list[Finding]:
        return [finding for state in self.items for finding in state.accepted]


class Relevance:
    """Sees each checked text once (as the runner's observer) and notes what its code shows."""

    def __init__(self) -> None:
        self.files: dict[str, FileFacts] = {}
        self.seen: set[str] = set()  # every file observed
        self.unparsed_about_mcp: set[str] = set()  # files observed that mention MCP but do not parse
        self.projects: dict[str, Project] = {}  # each observed file's project, by its display path
        self.targets: dict[Project, str] = {}  # each project's target SDK, described
        self._project_of_folder: dict[Path, Project | None] = {}

    def project_of(self, display: str) -> Project | None:
        return self.projects.get(display)

    def _note_project(self, display: str, target: object) -> None:
        project = self._nearest_project(Path(display).resolve().parent) if display else None
        if project is not None:
            self.projects[display] = project
            if target is not None:
                self.targets.setdefault(project, _describe_target(target))

    def _nearest_project(self, folder: Path) -> Project | None:
        """The folder with the nearest `pyproject.toml`: a project of a fleet in one repository."""
        if folder in self._project_of_folder:
            return self._project_of_folder[folder]
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            found: Project | None = Project(_project_name(pyproject) or folder.name, folder)
        else:
            found = None if folder.parent == folder else self._nearest_project(folder.parent)
        self._project_of_folder[folder] = found
        return found

    @property
    def steps(self) -> set[Step]:
        return {step for facts in self.files.values() for step in facts.steps}

    @property
    def oauth(self) -> bool:
        return any(facts.oauth for facts in self.files.values())

    def __call__(self, text: str, display: str = "", target: object = None) -> None:
        self.seen.add(display)
        self._note_project(display, target)
        lowered = text.lower()
        if "mcp" not in lowered and "modelcontextprotocol" not in lowered:
            return
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            self.unparsed_about_mcp.add(display)
            return
        words, strings, modules = _code_of(tree)
        if "mcp" not in words and "modelcontextprotocol" not in words:
            return  # MCP only in its prose
        uses_sdk = any(_within(module, ("mcp", "fastmcp")) for module in modules)
        steps = {step for step in Step if any(_has(words, token) for token in relevant_tokens(step))}
        if uses_sdk:
            steps.add(Step.SDK_2)
        if strings & HTTP_TRANSPORT_WORDS or ("jsonrpc" in words and any(library in modules for library in HTTP_LIBRARIES)):
            steps.add(Step.ROUTING_HEADERS)
        target_sdk = getattr(target, "sdk", None)
        new_forms = {step for step in Step if any(_has(words, token) for token in new_form_tokens(step))}
        if target_sdk == 2:
            new_forms.add(Step.SDK_2)
        elif target_sdk == 1:
            new_forms.discard(Step.SDK_2)  # 2.x names under a requirement of mcp 1.x do not run
        server = any(_within(module, SERVER_MODULES) and not _within(module, CLIENT_MODULES) for module in modules)
        client = any(_within(module, CLIENT_MODULES) for module in modules) or "clientsession" in words
        self.files[display] = FileFacts(
            frozenset(steps), frozenset(new_forms), uses_sdk, target_sdk, str(getattr(target, "source", "")),
            getattr(target, "pin", None),
            Side.SERVER if server and not client else Side.CLIENT if client and not server else None,
            any(_has(words, token) for token in OAUTH_TOKENS),
            any(_has(words, token) for token in new_form_tokens(Step.SDK_2)),
            frozenset(feature for feature, tokens in STILL_DEPRECATED.items() if any(_has(words, token) for token in tokens)),
        )


_WORDS: dict[str, re.Pattern[str]] = {}


def _has(words: str, token: str) -> bool:
    """Whether the code holds the token: a short word (`sse`, `ping`, `task`) only as a word of its own
    (`sse_client`, `send_ping`, not `classes`, `typing`), anything longer anywhere."""
    if not (token.isalpha() and len(token) <= 5):
        return token in words
    pattern = _WORDS.get(token)
    if pattern is None:
        pattern = _WORDS[token] = re.compile(rf"(?<![a-z0-9]){token}(?![a-z0-9])")
    return pattern.search(words) is not None


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def _code_of(tree: ast.Module) -> tuple[str, set[str], set[str]]:
    """A module's code as lowercase text to search (names, dotted names, imports, string literals that
    are not docstrings), its string literals, and the modules it imports."""
    words: list[str] = []
    strings: set[str] = set()
    modules: set[str] = set()
    prose: set[int] = set()  # a bare string statement (a docstring): ast.walk meets it after its block
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            prose.update(
                id(statement.value) for statement in body
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)
            )
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules.add(alias.name)
                words.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            words.append(f"from {node.module}")
            words.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(_dotted(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            words.append(node.name)
        elif isinstance(node, ast.arg):
            words.append(node.arg)
        elif isinstance(node, ast.keyword) and node.arg:
            words.append(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            words.append(node.value)
            strings.add(node.value.lower())
    return "\n".join(words).lower(), strings, {module.lower() for module in modules}


def _dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def order_of_work(relevance: Relevance) -> list[Step]:
    """The steps in the order to take them: on a project built on the SDK, moving to mcp 2.x first
    (raise the requirement, then rename: the SDK does the protocol steps 1-3, and the fixes of the
    others need its names); then the protocol steps in their order."""
    steps = list(Step)
    if any(facts.uses_sdk for facts in relevance.files.values()):
        steps.remove(Step.SDK_2)
        steps.insert(0, Step.SDK_2)
    return steps


class UnknownProject(ValueError):
    """`--project NAME` names no project of the tree."""


def build(result: RunResult, relevance: Relevance, project: str | None = None) -> Checklist:
    """The checklist of a run whose texts `relevance` observed. A tree of several projects (each with its
    own `pyproject.toml`) gets a row per project first; `project` narrows the checklist to one of them."""
    projects = sorted(set(relevance.projects.values()))
    rows: list[ProjectRow] = []
    if len(projects) > 1:
        for each in projects:
            part = _build(*_narrowed(result, relevance, each))
            rows.append(ProjectRow(
                each.name, _relative_folder(each.root), relevance.targets.get(each, "unknown"),
                sum(1 for state in part.items if state.status in FINISHED), len(part.items), len(part.findings),
                sum(state.manual for state in part.items),
            ))
    chosen = None
    if project is not None:
        chosen = next((each for each in projects if project in (each.name, _relative_folder(each.root))), None)
        if chosen is None:
            names = ", ".join(each.name for each in projects) or "none"
            raise UnknownProject(f"no project named {project!r} here (projects: {names})")
        result, relevance = _narrowed(result, relevance, chosen)
    checklist = _build(result, relevance)
    checklist.projects = rows
    checklist.project = chosen.name if chosen is not None else None
    return checklist


def _narrowed(result: RunResult, relevance: Relevance, project: Project) -> tuple[RunResult, Relevance]:
    """The run and what it observed, for one project's files only."""
    mine = {display for display, each in relevance.projects.items() if each == project}
    part = Relevance()
    part.files = {display: facts for display, facts in relevance.files.items() if display in mine}
    part.seen = relevance.seen  # a path never seen is unchecked for every project
    part.unparsed_about_mcp = relevance.unparsed_about_mcp & mine
    part.projects = {display: project for display in mine}
    outcomes = [outcome for outcome in result.outcomes if outcome.display in mine]
    problems_elsewhere = {
        problem.path for outcome in result.outcomes if outcome.display not in mine for problem in outcome.problems
    }
    return replace(result, outcomes=outcomes, files_checked=len(mine), problems=[
        problem for problem in result.problems if problem.path not in problems_elsewhere
    ]), part


def _relative_folder(folder: Path) -> str:
    import os

    try:
        return os.path.relpath(folder)
    except ValueError:
        return str(folder)


def _build(result: RunResult, relevance: Relevance) -> Checklist:
    states = [StepState(step, tuple(code for code, rule in result.rules.items() if rule.step == step)) for step in order_of_work(relevance)]
    by_step = {state.step: state for state in states}
    sides = {code: Side(rule.side) for code, rule in result.rules.items()}
    file_sides = {path: facts.side for path, facts in relevance.files.items() if facts.side is not None}
    progress = frozenset(code for code, rule in result.rules.items() if getattr(rule, "progress", False))

    def side_of(finding: Finding) -> Side:
        side = sides.get(finding.code, Side.BOTH)
        return file_sides.get(finding.path, side) if side is Side.BOTH else side

    # Within a step, servers' findings first: on mcp 2.x a server serves both eras, so it moves first.
    def order(finding: Finding) -> tuple:
        return (side_of(finding).order, finding.sort_key)

    for accepted, findings in ((False, result.findings), (True, result.accepted)):
        for finding in sorted(findings, key=order):
            rule = result.rules.get(finding.code)
            if rule is not None:
                state = by_step[Step(rule.step)]
                (state.accepted if accepted else state.findings).append(finding)
    # Files never checked: a path that does not exist, a file that could not be read, or one about MCP
    # that does not parse. Each could hold anything, so no step can be called done.
    unchecked = [
        problem for problem in result.all_problems
        if problem.path not in relevance.seen or problem.path in relevance.unparsed_about_mcp
    ]
    for state in states:
        state.progress_codes = progress
        facts = [f for f in relevance.files.values() if state.step in f.steps]
        state.relevant = bool(facts)
        if unchecked:
            names = ", ".join(f"`{problem.path}`" for problem in unchecked[:3]) + (" and others" if len(unchecked) > 3 else "")
            state.unknown_because = f"not every file was checked ({names}): what they hold is unknown"
        elif state.step in SDK_PROVIDED or state.step is Step.SDK_2:
            _sdk_status(state, facts)
        elif state.step is Step.DEPRECATIONS:
            _deprecations_status(state, list(relevance.files.items()))
    by_step[Step.OAUTH].oauth = relevance.oauth
    return Checklist(states, result.files_checked, [target.describe() for target in result.targets], sides, file_sides, unchecked)


def _sdk_status(state: StepState, facts: list[FileFacts]) -> None:
    """The SDK does steps 1-3 for code built on it, and no rule sees them missing there: they are done
    with mcp 2.x (or where the code shows their 2026-07-28 form), to do while the requirement admits
    mcp 1.x, and unknown when the requirement says nothing."""
    waiting = [
        f for f in facts
        if f.uses_sdk and Step.SDK_2 not in f.new_forms and (state.step is Step.SDK_2 or state.step not in f.new_forms)
    ]
    if not waiting:
        return
    on_one = [f for f in waiting if f.target_sdk == 1]
    job = "" if state.step is Step.SDK_2 else "mcp 2.x does this step for code built on the SDK; "
    if on_one:
        pinned = on_one[0]
        where = f", at `{_relative(pinned.target_pin)}`" if pinned.target_pin else ""
        state.to_do_because = f"{job}the requirement (`{pinned.target_source}`{where}) admits mcp 1.x: require `mcp>=2`"
        if state.step is Step.SDK_2 and any(f.two_x_names for f in on_one):
            state.to_do_because = "the code already uses mcp 2.x names, but " + state.to_do_because
    else:
        source = waiting[0].target_source or "no requirement found"
        state.unknown_because = f"{job}which mcp the code runs on is unknown ({source}): require `mcp>=2`"


def _deprecations_status(state: StepState, files: list[tuple[str, FileFacts]]) -> None:
    """Sampling, Roots and Logging still work for twelve months, so no rule reports each use: code that
    still uses them has their removal to plan."""
    users = {feature: sorted(path for path, facts in files if feature in facts.deprecated) for feature in STILL_DEPRECATED}
    used = {feature: paths for feature, paths in users.items() if paths}
    if used:
        state.relevant = True
        parts = [f"{feature.capitalize()} (`{paths[0]}`{' and others' if len(paths) > 1 else ''})" for feature, paths in used.items()]
        state.to_do_because = (
            f"the code still uses {', '.join(parts)}: deprecated in 2026-07-28, they work for twelve months; "
            "plan their removal"
        )


def _relative(path: str) -> str:
    """`path:line`, its path relative to the working folder."""
    location, _, line = path.rpartition(":")
    return f"{_relative_folder(Path(location))}:{line}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _findings(count: int) -> str:
    return _plural(count, "finding")


_SIDE_LABEL = {Side.SERVER: "(server) ", Side.CLIENT: "(client) ", Side.BOTH: ""}


def _md(text: str, entities: bool = True) -> str:
    """Text safe inside a Markdown table cell or list item. Pipes are escaped everywhere (GitHub's
    tables honour `\\|` even in code); `<` and `>` become entities outside code spans only, since a
    code span shows an entity literally, and not at all for a terminal, which shows them literally too."""
    parts = text.replace("\n", " ").replace("|", "\\|").split("`")
    if entities:
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


def _fixable_counts(safe: int, unsafe: int, display_only: int = 0) -> str:
    if safe and unsafe:
        counts = f"{safe} fixable now with `mcpmigrate check --fix`, {unsafe} more with `--fix --unsafe-fixes`"
    elif unsafe:
        counts = f"{unsafe} fixable with `mcpmigrate check --fix --unsafe-fixes`"
    else:
        counts = f"{safe} fixable now with `mcpmigrate check --fix`"
    return counts + (f", {display_only} display-only (with `--fix-only CODE`)" if display_only else "")


def _reason(state: StepState) -> str | None:
    status = state.status
    if status == UNKNOWN:
        return f"Unknown: {state.unknown_because}."
    if status == TO_DO:
        return f"To do: {state.to_do_because}."
    if status == IN_PROGRESS:
        return "In progress: what is left is a stopgap a fix put in; replace it, then this step is done."
    return None


def to_markdown(checklist: Checklist, *, terminal: bool = False) -> str:
    """The checklist in Markdown; for a `terminal`, without the HTML entities a renderer would need."""
    def md(text: str) -> str:
        return _md(text, entities=not terminal)

    states = checklist.items
    done = sum(1 for state in states if state.status in FINISHED)
    findings = checklist.findings
    safe = sum(state.safe for state in states)
    unsafe = sum(state.unsafe for state in states)
    display_only = sum(state.display_only for state in states)
    manual = sum(state.manual for state in states)
    lines = ["# MCP 2026-07-28 migration checklist", ""]
    if checklist.unchecked:
        lines += ["**Not everything was checked, so no step can be called done until these are:**", ""]
        lines += [f"- `{md(problem.path)}`: {md(problem.message)}" for problem in checklist.unchecked]
        lines.append("")
    if checklist.projects:
        lines += [
            f"## {_plural(len(checklist.projects), 'project')}", "",
            "| Project | Folder | Target SDK | Steps done | Findings left | For a human |", "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {md(row.name)} | `{md(row.path)}` | {md(row.target)} | {row.done} of {row.items} | {row.findings} | {row.manual} |"
            for row in checklist.projects
        ]
        lines += ["", f"## The checklist for {'project ' + md(checklist.project) if checklist.project else 'every project'}", ""]
    summary = (
        f"**{done} of {len(states)} items done or not applicable.** {_findings(len(findings))} left in "
        f"{_plural(checklist.files, 'file')} checked"
    )
    summary += f": {_fixable_counts(safe, unsafe, display_only)}, {manual} for a human." if findings else "."
    if checklist.accepted:
        summary += f" {len(checklist.accepted)} more accepted in the baseline, not done."
    lines += [summary, ""]
    lines += [f"- {md(target)}" for target in checklist.targets]
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
    for number, state in enumerate(states, 1):
        lines.append(
            f"| {number} | {md(state.step.title)} | {state.status} | {len(state.findings)} | "
            f"{state.safe} | {state.unsafe} | {state.display_only} | {state.manual} |"
        )
    for number, state in enumerate(states, 1):
        codes = ", ".join(state.codes)
        lines += ["", f"## {number}. {md(state.step.title)}", "", f"Status: **{state.status}** (rules {codes})", ""]
        reason = _reason(state)
        if reason is not None:
            lines += [md(reason), ""]
        if state.step is Step.OAUTH and state.oauth:
            lines.append(
                "- [ ] Review the OAuth flow against 2026-07-28: `application_type` in registration, `iss` "
                "checked on the authorization response (RFC 9207), credentials keyed by issuer, CIMD "
                "preferred over Dynamic Client Registration."
            )
        for finding in state.findings:
            lines.append(
                f"- [ ] {_SIDE_LABEL[checklist.side_of(finding)]}`{finding.path}:{finding.location.row}` {finding.code}: "
                f"{md(finding.message)}. {md(_action(finding))}"
            )
        for finding in state.accepted:
            lines.append(
                f"- [ ] (accepted in the baseline) `{finding.path}:{finding.location.row}` {finding.code}: "
                f"{md(finding.message)}. {md(_action(finding))}"
            )
        if not state.findings and not state.accepted and not (state.step is Step.OAUTH and state.oauth) and reason is None:
            lines.append("Nothing left to change." if state.status == DONE else "Nothing in this codebase touches it.")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def to_json(checklist: Checklist) -> dict:
    states = checklist.items
    return {
        "projects": [
            {"name": row.name, "path": row.path, "target_sdk": row.target, "items_done_or_not_applicable": row.done,
             "items": row.items, "findings": row.findings, "needs_a_human": row.manual}
            for row in checklist.projects
        ],
        "project": checklist.project,
        "summary": {
            "items": len(states),
            "items_done_or_not_applicable": sum(1 for s in states if s.status in FINISHED),
            "findings": len(checklist.findings),
            "fixable_with_fix": sum(s.safe for s in states),
            "fixable_with_unsafe_fixes": sum(s.unsafe for s in states),
            "fixable_with_fix_only": sum(s.display_only for s in states),
            "needs_a_human": sum(s.manual for s in states),
            "in_server_code": checklist.count(Side.SERVER),
            "in_client_code": checklist.count(Side.CLIENT),
            "accepted_in_baseline": len(checklist.accepted),
            "files_checked": checklist.files,
            "not_checked": [{"path": problem.path, "message": problem.message} for problem in checklist.unchecked],
            "targets": checklist.targets,
        },
        "items": [
            {
                "number": number,
                "step": s.step.name.lower(),
                "title": s.step.title,
                "status": s.status,
                "reason": _reason(s),
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
            for number, s in enumerate(states, 1)
        ],
    }
