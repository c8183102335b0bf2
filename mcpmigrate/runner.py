"""One `check` run: find files, resolve settings, check or fix each file, write results. No printing."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from mcpmigrate import engine
from mcpmigrate.config import Settings, SettingsResolver
from mcpmigrate.discovery import discover, display_path, is_excluded
from mcpmigrate.findings import FileProblem, Finding
from mcpmigrate.lines import split_lines_keepends
from mcpmigrate.rule import RuleOptions, registered_rules
from mcpmigrate.selection import Overrides, Selector
from mcpmigrate.source import SourceFile, decode, read_source, write_atomic
from mcpmigrate.target import Target, TargetResolver

STDIN = "-"


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool | None = None  # None: as configured
    overrides: Overrides = Overrides()
    force_exclude: bool = False
    config: Path | None = None
    stdin_filename: str | None = None
    observe: Callable[[str], None] | None = None  # sees each checked source text (the report uses it)


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


@dataclass
class RunResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)  # not tied to a checked file
    files_checked: int = 0

    @property
    def findings(self) -> list[Finding]:
        return [finding for outcome in self.outcomes for finding in outcome.findings]

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
    def diffs(self) -> list[str]:
        return [outcome.diff for outcome in self.outcomes if outcome.diff]

    @property
    def targets(self) -> list[Target]:
        return sorted({o.target for o in self.outcomes if o.target is not None}, key=lambda t: (t.sdk or 0, t.source))


class Runner:
    def __init__(self, options: RunOptions, cwd: Path) -> None:
        self.options = options
        self.cwd = cwd.resolve()
        self.resolver = SettingsResolver(self.cwd, options.config)
        self.selector = Selector(registered_rules(), options.overrides)
        self.targets = TargetResolver()

    def run(self, paths: list[str], stdin: bytes | None = None) -> RunResult:
        result = RunResult()
        file_paths = [Path(p) for p in paths if p != STDIN]
        found = discover(file_paths, self.resolver, force_exclude=self.options.force_exclude, cwd=self.cwd)
        result.problems.extend(found.problems)
        if STDIN in paths:
            result.outcomes.append(self._stdin(stdin or b""))
            result.files_checked += 1
        for path in found.files:
            display = display_path(path, self.cwd)
            source = read_source(path, display)
            result.files_checked += 1
            if isinstance(source, FileProblem):
                result.outcomes.append(FileOutcome(display, problems=(source,)))
                continue
            result.outcomes.append(self._process(source, self.resolver.for_path(path), path))
        return result

    def _stdin(self, data: bytes) -> FileOutcome:
        name = self.options.stdin_filename
        display = name or STDIN
        path = (self.cwd / name) if name else self.cwd / "stdin.py"
        if name and self.options.force_exclude and is_excluded(path, self.resolver):
            return FileOutcome(display, text=data.decode("utf-8", "surrogateescape"))
        source = decode(data, display)
        if isinstance(source, FileProblem):
            return FileOutcome(display, problems=(source,))
        outcome = self._process(source, self.resolver.for_path(path), path)
        return outcome if outcome.text is not None else replace(outcome, text=source.text)

    def _process(self, source: SourceFile, settings: Settings, path: Path) -> FileOutcome:
        if self.options.observe is not None:
            self.options.observe(source.text)
        try:
            relative = path.resolve().relative_to(settings.root).as_posix()
        except ValueError:
            relative = path.name
        rules = self.selector.for_file(settings, relative)
        unsafe = settings.unsafe_fixes if self.options.unsafe_fixes is None else self.options.unsafe_fixes
        target = self.targets.for_folder(path.parent, settings.target_sdk, settings.source)
        options = RuleOptions(target_sdk=target.sdk)
        if not (self.options.fix or self.options.diff):
            checked = engine.check(source.text, source.display, rules, options)
            return self._outcome(source, settings, checked.findings, (), checked.problems, source.text, target)
        fixed = engine.fix(source.text, source.display, rules, unsafe=unsafe, options=options)
        problems = list(fixed.problems)
        diff = None
        if fixed.text != source.text:
            if self.options.diff:
                diff = unified_diff(source.display, source.text, fixed.text)
            elif source.path is not None:
                problem = write_atomic(source, fixed.text)
                if problem is not None:  # nothing was written: report what is still there
                    checked = engine.check(source.text, source.display, rules, options)
                    return self._outcome(source, settings, checked.findings, (), (*problems, problem), source.text, target)
        outcome = self._outcome(source, settings, fixed.remaining, fixed.fixed, tuple(problems), fixed.text, target)
        return replace(outcome, diff=diff) if diff is not None else outcome

    def _outcome(self, source, settings, findings, fixed, problems, text, target) -> FileOutcome:
        failing = sum(1 for finding in findings if self.selector.fails(finding, settings))
        keep_text = text if (findings or source.path is None) else None
        rules = self.selector.rules
        depends = any(rules[f.code].uses_target_sdk for f in (*findings, *fixed) if f.code in rules)
        return FileOutcome(
            source.display, tuple(findings), tuple(fixed), tuple(problems), failing, keep_text,
            target=target if depends else None,
        )


def unified_diff(display: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        split_lines_keepends(before), split_lines_keepends(after), f"a/{display}", f"b/{display}"
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
