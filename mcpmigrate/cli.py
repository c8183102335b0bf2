"""The command line. It parses options, runs the runner and renders; it decides nothing about code.

`main(argv) -> int` is the entry point, testable without a subprocess.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, TextIO

import typer

from mcpmigrate import __version__
from mcpmigrate.findings import Applicability, FileProblem, Severity
from mcpmigrate.run.config import FAIL_ON, OUTPUT_FORMATS, ConfigError
from mcpmigrate.run.selection import Overrides

if TYPE_CHECKING:
    from mcpmigrate.run.outcome import RunResult
    from mcpmigrate.run.runner import Runner

from mcpmigrate.run.source import STDIN

# The runner (and with it LibCST and the rules) is imported by the commands that check code, so
# `--version`, `--help` and `clean` start without it.

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="mcpmigrate",
    help="Find and fix Python code that breaks on the stateless MCP 2026-07-28 protocol and the mcp 2.x SDK.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"mcpmigrate {__version__}\n")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """mcpmigrate: migrate Python MCP code to the 2026-07-28 protocol revision."""


def _selectors(values: Optional[List[str]]) -> tuple[str, ...]:
    return tuple(part.strip().upper() for value in values or () for part in value.split(",") if part.strip())


def _choice(value: Optional[str], choices: tuple[str, ...]) -> Optional[str]:
    if value is not None and value not in choices:
        raise typer.BadParameter(f"must be one of {', '.join(choices)}")
    return value


def _format(value: Optional[str]) -> Optional[str]:
    return _choice(value, OUTPUT_FORMATS)


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")


def _problem_line(problem: FileProblem) -> str:
    where = problem.path
    if problem.location is not None:
        where += f":{problem.location.row}:{problem.location.column}"
    kind = "internal error" if problem.internal else "error"
    message = problem.message.removeprefix("internal error ") if problem.internal else problem.message
    return f"{where}: {kind}: {message}"


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or folders to check (default: .); - reads standard input."),
    fix: bool = typer.Option(False, "--fix/--no-fix", help="Apply safe fixes."),
    unsafe_fixes: Optional[bool] = typer.Option(
        None, "--unsafe-fixes/--no-unsafe-fixes", help="Also apply (with --fix) or show unsafe fixes."
    ),
    fix_only: Optional[List[str]] = typer.Option(
        None, "--fix-only", help="Apply the fixes of these rules (full codes) alone, display-only ones included; implies --fix."
    ),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff of what --fix would change (display-only fixes apart, on stderr); write nothing."),
    show_fixes: bool = typer.Option(False, "--show-fixes", help="List the findings that were fixed."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Rule codes or prefixes to enable (replaces the configured set); ALL for every rule."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Rule codes or prefixes to enable in addition."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rule codes or prefixes to disable."),
    output_format: Optional[str] = typer.Option(
        None, "--output-format", envvar="MCPMIGRATE_OUTPUT_FORMAT", callback=_format, help=f"One of {', '.join(OUTPUT_FORMATS)}."
    ),
    output_file: Optional[Path] = typer.Option(None, "-o", "--output-file", help="Write findings to this file instead of standard output."),
    statistics: bool = typer.Option(False, "--statistics", help="Show counts per rule instead of each finding."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings remain (errors still exit 2)."),
    exit_non_zero_on_fix: bool = typer.Option(False, "--exit-non-zero-on-fix", help="Exit 1 if any file was fixed, even if nothing remains."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print findings only: no summary."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this pyproject.toml (or mcpmigrate.toml) instead of the nearest one."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="The name of the file read from standard input."),
    force_exclude: bool = typer.Option(False, "--force-exclude", help="Apply exclude globs to paths named on the command line too."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the migration checklist to this file (JSON if it ends in .json, else Markdown)."),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", min=1, help="Worker processes for large inputs (default: MCPMIGRATE_JOBS, else one per core)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the findings cache (.mcpmigrate_cache/)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report and fail only on findings this baseline file does not hold (default: `baseline` in the configuration)."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record every current finding in this baseline file (pruning the fixed ones) and exit."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", callback=lambda value: _choice(value, FAIL_ON), help="The lowest severity that makes check exit 1: error, warning or info."),
    show_suppressions: bool = typer.Option(False, "--show-suppressions", help="List every noqa comment with its reason instead of the findings."),
    add_noqa: bool = typer.Option(False, "--add-noqa", help="Add a `# noqa: CODE` comment for every current finding."),
) -> None:
    """Check files for code that breaks on MCP 2026-07-28 and, with --fix, rewrite it."""
    if not paths:
        paths = [STDIN] if stdin_filename is not None else ["."]
    fix = fix or (bool(fix_only) and not diff)  # as ruff's `--fix-only`, it fixes
    if sum(map(bool, (fix or diff, add_noqa, write_baseline is not None, show_suppressions))) > 1:
        _err("error: --fix/--diff, --add-noqa, --write-baseline and --show-suppressions do not go together")
        raise typer.Exit(EXIT_ERROR)
    from mcpmigrate.run.runner import Runner, RunOptions

    relevance = None
    if report is not None or os.environ.get("GITHUB_STEP_SUMMARY"):  # only a checklist needs it
        from mcpmigrate.checklist import Relevance

        relevance = Relevance()
    options = RunOptions(
        fix=fix,
        diff=diff,
        unsafe_fixes=unsafe_fixes,
        overrides=Overrides(
            select=_selectors(select) if select else None,
            extend_select=_selectors(extend_select),
            ignore=_selectors(ignore),
            fix_only=_selectors(fix_only) if fix_only else None,
        ),
        force_exclude=force_exclude,
        config=config,
        stdin_filename=stdin_filename,
        observe=relevance,
        jobs=jobs,
        cache=not no_cache,
        baseline=baseline,
        use_baseline=write_baseline is None and not add_noqa,
        fail_on=fail_on,
    )
    progress = None
    try:
        runner = Runner(options, Path.cwd())
        # Flag or MCPMIGRATE_OUTPUT_FORMAT, then the configuration that governs the working folder.
        chosen = output_format or runner.resolver.for_path(runner.cwd).output_format or "full"
        if not quiet and _wants_progress(chosen, output_file, show_suppressions):
            progress = ProgressBar("Diffing" if diff else "Fixing" if fix else "Checking")
            runner.options = replace(options, progress=progress.update)
        stdin = sys.stdin.buffer.read() if STDIN in paths else None
        result = _run(runner, paths, stdin, progress)
    except ConfigError as error:
        _err(f"error: {error}")
        raise typer.Exit(EXIT_ERROR)
    finally:
        if progress is not None:
            progress.close()
    fixing_stdin = STDIN in paths and (fix and not diff)
    if write_baseline is not None:
        raise typer.Exit(_write_baseline(result, write_baseline, quiet))
    if add_noqa:
        raise typer.Exit(_add_noqa(result, quiet))
    if show_suppressions:
        raise typer.Exit(_show_suppressions(result, chosen))

    for problem in result.all_problems:
        _err(_problem_line(problem))
    for outcome in result.outcomes:
        if outcome.not_fixed is not None:
            _err(f"{outcome.display}: {outcome.not_fixed}")
    if fixing_stdin:
        stdin_outcome = next(o for o in result.outcomes if o.display == (stdin_filename or STDIN))
        sys.stdout.write(stdin_outcome.text if stdin_outcome.text is not None else "")
    if diff:
        sys.stdout.write("".join(result.diffs))
        _write_display_only_diffs(result)
    else:
        # With --fix on standard input, the fixed code owns stdout; findings go to stderr.
        _write_findings(result, chosen, statistics, output_file, sys.stderr if fixing_stdin else sys.stdout)
    if show_fixes and result.fixed:
        _show_fixes(result)
    _write_reports(result, relevance, report)
    if not quiet:
        _summary(result, fix=fix, diff=diff, unsafe=bool(unsafe_fixes), exit_zero=exit_zero)
    raise typer.Exit(_exit_code(result, diff=diff, exit_zero=exit_zero, exit_non_zero_on_fix=exit_non_zero_on_fix))


def _run(runner: Runner, paths: List[str], stdin: Optional[bytes] = None, progress: Optional[ProgressBar] = None) -> RunResult:
    """The run, which SIGINT (Ctrl-C) and SIGTERM stop: the files being written are finished, the
    workers end, and one line says how many files were written; exit 130 or 143, as a shell expects."""
    from mcpmigrate.run.stopping import Interrupted, raising_on_stop_signals

    try:
        with raising_on_stop_signals():
            return runner.run(paths, stdin)
    except Interrupted as stop:
        if progress is not None:
            progress.close()
        _err(f"Interrupted by {stop.signal_name}: {_plural(stop.written, 'file')} written, the others unchanged.")
        raise typer.Exit(stop.exit_status)


# Formats a program reads from standard output: no progress bar may mix with them on a terminal.
MACHINE_FORMATS = ("json", "json-lines", "sarif", "junit", "github")
PROGRESS_FROM = 300  # files: below this a run ends before a bar is worth drawing


def _wants_progress(output_format: str, output_file: Optional[Path], listing: bool) -> bool:
    """A progress bar on standard error: on a terminal only, never in CI, nor beside a machine
    format on standard output."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return False
    return output_file is not None or (output_format not in MACHINE_FORMATS and not listing)


class ProgressBar:
    """Files done of all and findings so far (fixed ones, when fixing), drawn on standard error once
    the run has more than PROGRESS_FROM files; it disappears when the run ends."""

    # What the bar counts beside the files, by what the run does (`--fix` leaves few findings to count).
    COUNTS = {
        "Checking": "{task.fields[findings]} findings",
        "Fixing": "{task.fields[fixed]} fixed, {task.fields[findings]} left",
        "Diffing": "{task.fields[fixed]} to fix, {task.fields[findings]} left",
    }

    def __init__(self, doing: str = "Checking") -> None:
        self.doing = doing
        self.bar = None
        self.task = None

    def update(self, done: int, total: int, findings: int, fixed: int = 0) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn(self.doing), BarColumn(), MofNCompleteColumn(), TextColumn("files · " + self.COUNTS[self.doing]),
                TimeElapsedColumn(), console=Console(stderr=True), transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.doing, total=total, findings=0, fixed=0)
        self.bar.update(self.task, completed=done, findings=findings, fixed=fixed)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _write_baseline(result: RunResult, path: Path, quiet: bool) -> int:
    from mcpmigrate.run.baseline import write

    for problem in result.all_problems:
        _err(_problem_line(problem))
    files = [(o.display, o.text, o.findings) for o in result.outcomes if o.findings]
    try:
        recorded, added, pruned = write(path, files, Path.cwd(), [o.display for o in result.outcomes])
    except ConfigError as error:
        _err(f"error: {error}")
        return EXIT_ERROR
    if not quiet:
        _err(f"Wrote {path}: {_plural(recorded, 'finding')} accepted ({added} added, {pruned} pruned as fixed).")
    return EXIT_ERROR if result.all_problems else EXIT_CLEAN


def _add_noqa(result: RunResult, quiet: bool) -> int:
    from mcpmigrate.run.noqa import add_noqa

    done = add_noqa(result, Path.cwd())
    for problem in (*result.all_problems, *done.problems):
        _err(_problem_line(problem))
    if not quiet:
        _err(f"Added {_plural(done.added, 'noqa code')} in {_plural(done.files, 'file')}.")
        if done.missed:
            _err(f"{_plural(done.missed, 'finding')} left without one: no line of theirs can take a comment.")
    return EXIT_ERROR if (result.all_problems or done.problems) else EXIT_CLEAN


def _show_suppressions(result: RunResult, output_format: str) -> int:
    from mcpmigrate.rule.suppression import Suppressions
    from mcpmigrate.run.source import read_source

    rows = []
    for outcome in result.outcomes:
        text = outcome.text  # kept where the file has findings; the others are read again
        if text is None:
            source = read_source(Path.cwd() / outcome.display, outcome.display)
            if isinstance(source, FileProblem):
                continue
            text = source.text
        for directive in Suppressions.of(text).directives:
            rows.append({
                "path": outcome.display, "line": directive.row, "column": directive.column,
                "directive": directive.describe(), "codes": None if directive.codes is None else list(directive.codes),
                "file_level": directive.file_level, "reason": directive.reason,
            })
    if output_format in ("json", "json-lines"):
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for row in rows:
            reason = f" -- {row['reason']}" if row["reason"] else " (no reason)"
            sys.stdout.write(f"{row['path']}:{row['line']}:{row['column']}: {row['directive']}{reason}\n")
    without = sum(1 for row in rows if not row["reason"])
    _err(f"{_plural(len(rows), 'suppression')}, {without} without a reason.")
    return EXIT_ERROR if result.all_problems else EXIT_CLEAN


def _write_reports(result: RunResult, relevance, report: Optional[Path]) -> None:
    """The checklist to `--report FILE`, and appended to the GitHub step summary when there is one."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if report is None and not summary:
        return
    from mcpmigrate import checklist as checklist_report

    checklist = checklist_report.build(result, relevance)
    markdown = checklist_report.to_markdown(checklist)
    try:
        if report is not None:
            text = json.dumps(checklist_report.to_json(checklist), indent=2) + "\n" if report.suffix == ".json" else markdown
            report.write_text(text, encoding="utf-8")
        if summary:
            with open(summary, "a", encoding="utf-8") as stream:
                stream.write(markdown)
    except OSError as error:
        _err(f"error: cannot write the report: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR)


def _write_findings(result: RunResult, output_format: str, statistics: bool, output_file: Optional[Path], default: TextIO) -> None:
    from mcpmigrate.output import render

    def emit(stream: TextIO, color: Optional[bool]) -> None:
        if statistics:
            _statistics(result, output_format, stream)
        else:
            render(output_format, result, stream, color=color, root=Path.cwd())

    if output_file is None:
        emit(default, None)
        return
    try:
        with output_file.open("w", encoding="utf-8") as stream:
            emit(stream, False)
    except OSError as error:
        _err(f"error: cannot write {output_file}: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR)


def _statistics(result: RunResult, output_format: str, stream: TextIO) -> None:
    counts = Counter(finding.code for finding in result.findings)
    names = {finding.code: finding.name for finding in result.findings}
    fixable = {
        finding.code
        for finding in result.findings
        if finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    }
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        import json

        data = [{"code": code, "name": names[code], "count": count, "fixable": code in fixable} for code, count in rows]
        json.dump(data, stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(count)) for _, count in rows), default=1)
    for code, count in rows:
        marker = "[*]" if code in fixable else "[ ]"
        stream.write(f"{count:>{width}}\t{code}\t{marker} {names[code]}\n")


def _show_fixes(result: RunResult) -> None:
    fixed = result.fixed
    _err(f"Fixed {len(fixed)} finding{'s' if len(fixed) != 1 else ''}:")
    for outcome in result.outcomes:
        if outcome.fixed:
            _err(f"- {outcome.display}:")
            for code, count in sorted(Counter((f.code, f.name) for f in outcome.fixed).items()):
                _err(f"    {count} × {code[0]} ({code[1]})")


def _fix_only_hint(codes: list[str]) -> str:
    return f"`--fix-only {','.join(codes)}`"


def _write_display_only_diffs(result: RunResult) -> None:
    """Display-only fixes with `--diff`: on standard error, each under a header, so that a patch made
    of standard output holds only what `--fix` applies (the exit status counts that alone)."""
    for code, diff in result.display_diffs:
        _err(f"display-only fix ({code}): applied only with --fix-only {code} (or extend-fixable)")
        sys.stderr.write(diff)


def _display_only_line(findings, fix_or_diff: bool) -> str | None:
    """The display-only fixes left, and how to apply them: by naming their rules."""
    shown = [f for f in findings if f.fix is not None and f.fix.applicability is Applicability.DISPLAY_ONLY]
    if not shown:
        return None
    codes = sorted({f.code for f in shown})
    count = f"{len(shown)} display-only fix{'' if len(shown) == 1 else 'es'}"
    if fix_or_diff:
        return f"{count} ({', '.join(codes)}) not applied: name the rule to apply {'it' if len(shown) == 1 else 'them'}, {_fix_only_hint(codes)}."
    return f"{count} ({', '.join(codes)}): apply with {_fix_only_hint(codes)}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _not_failing(result: RunResult) -> Optional[str]:
    """The line that says which reported findings do not fail the run, if any: printed, yet exit 0."""
    counts = result.not_failing
    if not counts:
        return None
    parts = []
    for severity in Severity:
        count = counts.get(severity, 0)
        if count:
            parts.append(_plural(count, "info finding") if severity is Severity.INFO else _plural(count, severity.value))
    verb = "does" if sum(counts.values()) == 1 else "do"
    return f"{' and '.join(parts)} {verb} not fail the run (see `--fail-on`)."


def _summary(result: RunResult, *, fix: bool, diff: bool, unsafe: bool, exit_zero: bool = False) -> None:
    findings = result.findings
    problems = result.all_problems
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability is Applicability.SAFE)
    unsafe_count = sum(1 for f in findings if f.fix is not None and f.fix.applicability is Applicability.UNSAFE)
    lines = []
    if diff:
        lines.append(f"Would fix {_plural(len(result.fixed), 'finding')} ({len(findings)} would remain).")
    elif fix:
        lines.append(f"Fixed {_plural(len(result.fixed), 'finding')} ({len(findings)} remaining).")
    elif findings:
        files = len({f.path for f in findings})
        lines.append(f"Found {_plural(len(findings), 'finding')} in {_plural(files, 'file')}.")
    elif not problems:
        lines.append(f"All checks passed! ({_plural(result.files_checked, 'file')} checked)")
    # With --diff the diff decides the exit status, with --exit-zero nothing fails: no finding is spared.
    spared = None if (diff or exit_zero) else _not_failing(result)
    if spared is not None:
        lines.append(spared)
    if findings and not fix and not diff:
        if safe:
            lines.append(f"[*] {safe} fixable with `mcpmigrate check --fix`.")
        if unsafe_count and not unsafe:
            more = "more " if safe else ""  # "more" than none reads wrong
            lines.append(f"{unsafe_count} {more}fixable with `--fix --unsafe-fixes`.")
    elif fix and unsafe_count and not unsafe:
        lines.append(f"{unsafe_count} more fixable with `--unsafe-fixes`.")
    display_only = _display_only_line(findings, fix or diff)
    if display_only:
        lines.append(display_only)
    lines.extend(target.describe() for target in result.targets)
    if result.baseline is not None:
        accepted = len(result.accepted)
        line = f"{_plural(accepted, 'finding')} accepted in the baseline ({result.baseline})"
        if result.baseline_gone:
            gone = result.baseline_gone
            line += f"; {gone} {'entry' if gone == 1 else 'entries'} of it fixed: prune with `--write-baseline {result.baseline}`"
        lines.append(line + ".")
    if fix or diff:
        lines.extend(_pinned_to_one(result, diff=diff))
    if problems:
        lines.append(f"{_plural(len(problems), 'file')} could not be checked or fixed (see the lines above).")
    for line in lines:
        _err(line)


def _pinned_to_one(result: RunResult, *, diff: bool) -> list[str]:
    """A line for each requirement that still admits mcp 1.x where the fixes wrote mcp 2.x names:
    the code would no longer run until it is raised."""
    from mcpmigrate.steps import Step

    pins: dict[str, str] = {}
    for outcome in result.outcomes:
        target = outcome.target
        if target is None or target.pin is None or target.sdk == 2:
            continue
        if any((rule := result.rules.get(f.code)) is not None and rule.step == Step.SDK_2 for f in outcome.fixed):
            pins.setdefault(target.pin, target.source)
    verb = "would write" if diff else "wrote"
    lines = []
    for pin, source in sorted(pins.items()):
        location, _, line = pin.rpartition(":")
        try:
            location = os.path.relpath(location)
        except ValueError:
            pass
        lines.append(f"The fixes {verb} mcp 2.x names, but {location}:{line} still admits mcp 1.x ({source}): require mcp>=2 there.")
    return lines


def _exit_code(result: RunResult, *, diff: bool, exit_zero: bool, exit_non_zero_on_fix: bool) -> int:
    if result.all_problems:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    if diff:  # as ruff's --diff: 1 when the diff is not empty, whatever findings remain
        return EXIT_FINDINGS if result.diffs else EXIT_CLEAN
    if result.failing:
        return EXIT_FINDINGS
    if exit_non_zero_on_fix and result.fixed:
        return EXIT_FINDINGS
    return EXIT_CLEAN


@app.command("report")
def report_command(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or folders (default: .)."),
    format: str = typer.Option("markdown", "--format", help="markdown or json."),
    output_file: Optional[Path] = typer.Option(None, "-o", "--output-file", help="Write the report here instead of standard output."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this pyproject.toml (or mcpmigrate.toml)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Rule codes or prefixes to enable."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rule codes or prefixes to disable."),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", min=1, help="Worker processes (default: MCPMIGRATE_JOBS, else one per core)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the findings cache."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Show the findings this baseline holds as accepted (default: `baseline` in the configuration)."),
    project: Optional[str] = typer.Option(None, "--project", help="In a tree of several projects, the checklist of this one (its name or folder)."),
) -> None:
    """Write the migration checklist: each step of the move to 2026-07-28, its status and what is left."""
    from mcpmigrate import checklist as checklist_report
    from mcpmigrate.run.runner import Runner, RunOptions

    if format not in ("markdown", "json"):
        raise typer.BadParameter("must be markdown or json", param_hint="--format")
    relevance = checklist_report.Relevance()
    options = RunOptions(
        overrides=Overrides(select=_selectors(select) if select else None, ignore=_selectors(ignore)),
        config=config,
        observe=relevance,
        jobs=jobs,
        cache=not no_cache,
        baseline=baseline,
    )
    try:
        result = _run(Runner(options, Path.cwd()), list(paths or ["."]))
    except ConfigError as error:
        _err(f"error: {error}")
        raise typer.Exit(EXIT_ERROR)
    for problem in result.all_problems:
        _err(_problem_line(problem))
    try:
        checklist = checklist_report.build(result, relevance, project)
    except checklist_report.UnknownProject as error:
        _err(f"error: {error}")
        raise typer.Exit(EXIT_ERROR)
    if format == "json":
        text = json.dumps(checklist_report.to_json(checklist), indent=2) + "\n"
    else:
        text = checklist_report.to_markdown(checklist, terminal=output_file is None and sys.stdout.isatty())
    if output_file is None:
        sys.stdout.write(text)
    else:
        output_file.write_text(text, encoding="utf-8")
    raise typer.Exit(EXIT_ERROR if result.all_problems else EXIT_CLEAN)


@app.command("clean")
def clean_command(
    config: Optional[Path] = typer.Option(None, "--config", help="The configuration whose project root holds the cache."),
) -> None:
    """Remove the findings cache (.mcpmigrate_cache/) of the project in the current folder."""
    from mcpmigrate.run.cache import clean
    from mcpmigrate.run.config import SettingsResolver

    try:
        root = SettingsResolver(Path.cwd(), config).for_path(Path.cwd()).root
    except ConfigError as error:
        _err(f"error: {error}")
        raise typer.Exit(EXIT_ERROR)
    removed = clean(root)
    _err(f"Removed {removed}" if removed is not None else f"No cache under {root}")


@app.command("rules")
def rules_command(
    output_format: str = typer.Option("text", "--output-format", help="text or json."),
) -> None:
    """List every rule: code, name, severity and whether it can fix."""
    from mcpmigrate.docs import fix_label
    from mcpmigrate.output import rule_url
    from mcpmigrate.rule.base import registered_rules

    rules = registered_rules()
    if output_format == "json":
        import json

        data = [
            {
                "code": code,
                "name": rule.name,
                "summary": rule.summary,
                "severity": rule.severity.value,
                "fix": rule.fix_availability(),
                "fix_applicability": sorted(kind.value for kind in rule.fix_applicabilities()),
                "url": rule_url(code),
            }
            for code, rule in rules.items()
        ]
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if output_format != "text":
        raise typer.BadParameter("must be text or json", param_hint="--output-format")
    for code, rule in rules.items():
        sys.stdout.write(f"{code}  {rule.name:<28} {rule.severity.value:<8} fix: {fix_label(rule)}\n")


@app.command("rule")
def rule_command(code: str = typer.Argument(..., help="A rule code, such as MCP801.")) -> None:
    """Print a rule's documentation: what it finds, why, the fix, its safety and examples."""
    from mcpmigrate.docs import render_markdown
    from mcpmigrate.rule.base import registered_rules

    rule = registered_rules().get(code.upper())
    if rule is None:
        _err(f"error: unknown rule code `{code}` (see `mcpmigrate rules`)")
        raise typer.Exit(EXIT_ERROR)
    sys.stdout.write(render_markdown(rule))


@app.command("probe")
def probe_command(
    target: List[str] = typer.Argument(..., metavar="URL | -- COMMAND [ARGS]...", help="A Streamable HTTP endpoint, or, after --, the command that starts a stdio server."),
    header: Optional[List[str]] = typer.Option(None, "--header", "-H", help="An HTTP header to send with every request, as 'Name: value' (repeatable), e.g. for authorization."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for each answer."),
    call_tools: bool = typer.Option(False, "--call-tools", help="Also call every tool (with example arguments), to check tool results and Multi Round-Trip Requests. Tools can have side effects."),
    output_format: str = typer.Option("text", "--output-format", help="text, json or junit."),
    output_file: Optional[Path] = typer.Option(None, "-o", "--output-file", help="Write the result to this file instead of standard output."),
) -> None:
    """Check a running server against 2026-07-28, requirement by requirement; exit 1 when a MUST fails.

    mcpmigrate probe http://127.0.0.1:8000/mcp\n
    mcpmigrate probe -- python server.py
    """
    import signal

    from mcpmigrate.probe import render
    from mcpmigrate.probe.checks import ProbeOptions, probe
    from mcpmigrate.probe.wire import HttpTarget, ProbeAbort, StdioTarget

    _choice(output_format, render.FORMATS)
    headers = {}
    for value in header or ():
        name, colon, content = value.partition(":")
        if not colon or not name.strip():
            raise typer.BadParameter(f"{value!r} is not 'Name: value'", param_hint="--header")
        headers[name.strip()] = content.strip()
    is_url = len(target) == 1 and target[0].split("://", 1)[0].lower() in ("http", "https")

    def stop(signum, frame):  # a terminated probe still stops the server it started
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if is_url:
            report = probe(HttpTarget(target[0], headers=headers, timeout=timeout), ProbeOptions(call_tools=call_tools))
        else:
            if headers:
                raise typer.BadParameter("headers are for HTTP servers", param_hint="--header")
            start = lambda: StdioTarget(list(target), timeout=timeout)  # noqa: E731
            report = probe(start(), ProbeOptions(call_tools=call_tools), restart=start)
    except ProbeAbort as error:
        _err(f"error: {error}")
        raise typer.Exit(EXIT_ERROR)
    except KeyboardInterrupt:
        _err("error: interrupted")
        raise typer.Exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if output_file is None:
        render.render(output_format, report, sys.stdout)
    else:
        with output_file.open("w", encoding="utf-8") as stream:
            render.render(output_format, report, stream, color=False)
        if output_format != "text":
            render.render("text", report, sys.stderr)
    raise typer.Exit(EXIT_FINDINGS if report.failed else EXIT_CLEAN)


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]) and return the exit status."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="mcpmigrate", standalone_mode=True)
    except SystemExit as done:  # standalone mode always ends here, usage errors (exit 2) included
        code = done.code
        if code is None:
            return EXIT_CLEAN
        return code if isinstance(code, int) else EXIT_ERROR
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
