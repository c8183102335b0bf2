"""One `check` run: find files, resolve settings, check or fix each file, write results. No printing."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from mcpmigrate.findings import Applicability, FileProblem, Finding, FixPolicy, RuleInfo
from mcpmigrate.lines import split_lines_keepends
from mcpmigrate.rule.options import RuleOptions
from mcpmigrate.rule.prefilter import TokenScan
from mcpmigrate.rule.project import NO_FACTS, ProjectFacts
from mcpmigrate.run import project as project_pass
from mcpmigrate.run.baseline import Baseline
from mcpmigrate.run.cache import FindingsCache
from mcpmigrate.run.config import ConfigError, Settings, SettingsResolver
from mcpmigrate.run.discovery import discover, display_path, is_excluded
from mcpmigrate.run.outcome import FileOutcome, RunResult
from mcpmigrate.run.project import UNINDEXED, IndexCache, ModuleIndex, ProjectIndex
from mcpmigrate.run.selection import Overrides, Selector
from mcpmigrate.run.source import STDIN, SourceFile, decode, read_source, replace_atomically, write_atomic
from mcpmigrate.run.stopping import Interrupted, held, ignore_in_worker
from mcpmigrate.run.target import Target, TargetResolver

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# The engine and the rules (and with them LibCST) are imported when a file is parsed, or when
# the rules' metadata is not in the cache: a run whose files are all cached never imports them.


def registered_rules():
    from mcpmigrate.rule.base import registered_rules as registry

    return registry()


def rules_that_may_match(rules, scan):
    from mcpmigrate.rule.base import rules_that_may_match as matching

    return matching(rules, scan)


def rule_catalog() -> dict[str, RuleInfo]:
    from mcpmigrate.rule.base import rule_catalog as catalog

    return catalog()


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool | None = None  # None: as configured
    overrides: Overrides = Overrides()
    force_exclude: bool = False
    config: Path | None = None
    stdin_filename: str | None = None
    # sees each checked source text, its display path and its target SDK (the checklist uses them)
    observe: Callable[[str, str, Target], None] | None = None
    jobs: int | None = None  # worker processes; None: MCPMIGRATE_JOBS, else one per core
    cache: bool = False  # read and write the findings cache in the project root
    baseline: Path | None = None  # accepted findings (None: the configuration's `baseline`, if any)
    use_baseline: bool = True  # False: report everything (to write a new baseline)
    fail_on: str | None = None  # the lowest severity that fails the run (None: as configured)
    # (files done, files in all, findings so far, fixed so far: with --diff, that would be fixed)
    progress: Callable[[int, int, int, int], None] | None = None


T = TypeVar("T")

# Below this many jobs (a batch counts as one), a process pool costs more than it saves (pre-commit's usual case).
PARALLEL_THRESHOLD = 16
# A batch of files that do not mention MCP closes at this many files or characters: big enough that
# sending it costs little beside its searches, small enough to keep both workers busy to the end.
BATCH_FILES, BATCH_CHARS = 64, 1_000_000


def default_jobs() -> int:
    configured = os.environ.get("MCPMIGRATE_JOBS", "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ConfigError(f"MCPMIGRATE_JOBS must be a whole number, not {configured!r}") from None
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Job:
    """One file to parse, with everything a worker process needs and nothing more."""

    source: SourceFile
    codes: tuple[str, ...]  # the rules to run (checking runs those whose tokens the text has)
    enabled: tuple[str, ...]  # every rule enabled for the file (what a suppression rule may call unused)
    options: RuleOptions
    policy: FixPolicy
    fix: bool
    diff: bool


@dataclass(frozen=True)
class Processed:
    findings: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    problems: tuple[FileProblem, ...]
    text: str | None  # the final text; None: the text as read (not sent back from a worker)
    diff: str | None = None
    unchanged: bool = True  # the file's text is what was read: its findings may be cached
    display_diffs: tuple[tuple[str, str], ...] = ()  # (code, diff): what naming each rule would add
    written: bool = False  # the fixed text was written to the file


def process(job: Job) -> Processed:
    """Check, or fix and write, one file. Runs in the main process or in a worker.

    Without the cyclic garbage collector: a parsed tree holds no cycles and reference counting frees
    it, while the collector would scan the hundreds of thousands of nodes a parse allocates again
    and again (measured: a fifth of a check of the SDK tree).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _process(job)
    finally:
        if collecting:
            gc.enable()


def process_all(jobs: list[Job]) -> list[Processed]:
    """Several jobs in one worker call (a batch of files that do not mention MCP)."""
    return [process(job) for job in jobs]


def _process(job: Job) -> Processed:
    registry = registered_rules()
    rules = [registry[code] for code in job.codes]
    source = job.source
    # The rules whose tokens the text has: most files of a tree have none, and are neither parsed
    # nor, when fixing, handed to the engine.
    matching = rules_that_may_match(rules, TokenScan.of(source.text, job.options.project.mentions))
    if not matching:
        return Processed((), (), (), None)
    from mcpmigrate.engine import checker as engine

    if not (job.fix or job.diff):
        checked = engine.check(source.text, source.display, matching, job.options, prefilter=False, enabled=job.enabled)
        return Processed(checked.findings, (), checked.problems, None)
    # A fix can bring in another rule's tokens (`MCPServer`), so fixing passes keep every rule.
    fixed = engine.fix(source.text, source.display, rules, policy=job.policy, options=job.options, enabled=job.enabled)
    shown = _display_only_diffs(job, rules, fixed.text, fixed.remaining) if job.diff else ()
    if fixed.text == source.text:
        return Processed(fixed.remaining, fixed.fixed, fixed.problems, fixed.text, display_diffs=shown)
    if job.diff:
        diff = unified_diff(source.display, source.text, fixed.text)
        return Processed(fixed.remaining, fixed.fixed, fixed.problems, fixed.text, diff, unchanged=False, display_diffs=shown)
    if source.path is not None:
        problem = write_atomic(source, fixed.text)
        if problem is not None:  # nothing was written: report what is still there
            checked = engine.check(source.text, source.display, rules, job.options, enabled=job.enabled)
            return Processed(checked.findings, (), (*fixed.problems, problem), source.text, unchanged=False)
        return Processed(fixed.remaining, fixed.fixed, fixed.problems, fixed.text, unchanged=False, written=True)
    return Processed(fixed.remaining, fixed.fixed, fixed.problems, fixed.text, unchanged=False)


def _display_only_diffs(job: Job, rules: list, text: str, remaining: tuple[Finding, ...]) -> tuple[tuple[str, str], ...]:
    """For `--diff`: what naming each rule with display-only fixes left (`--fix-only CODE`) would
    change beyond what `--fix` does, one diff a rule, apart from the patch `--fix` would apply."""
    from mcpmigrate.engine import checker as engine

    codes = sorted({
        f.code for f in remaining
        if f.fix is not None and f.fix.applicability is Applicability.DISPLAY_ONLY and f.code not in job.policy.named
    })
    shown = []
    for code in codes:
        named = frozenset({code})
        policy = FixPolicy(unsafe=job.policy.unsafe, named=named, only=named)
        fixed = engine.fix(text, job.source.display, rules, policy=policy, options=job.options, enabled=job.enabled)
        if fixed.text != text:
            shown.append((code, unified_diff(job.source.display, text, fixed.text)))
    return tuple(shown)


def new_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes (imported here: a small run never pays for multiprocessing)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the loaded rules with the workers for free; elsewhere, spawn re-imports them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=ignore_in_worker
    )


class JobQueue:
    """Runs jobs as they come: in this process until there are enough of them to pay for a pool
    of workers, then in the workers while this process goes on reading files. A job put `batched`
    (a file that does not mention MCP: its pre-filter almost always ends it) travels with others,
    so a tree of such files costs the workers a search each and this process next to nothing.
    Each result comes back with its owner.

    On a stop (`stop`), the jobs not started are dropped and the running ones finish: their results
    are handed back, so the run knows every file that was written."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.waiting: list[list[tuple[object, Job]]] = []  # units not yet sent (no pool yet)
        self.submitted: list[tuple[list[object], Future[list[Processed]]]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.batch: list[tuple[object, Job]] = []
        self.batch_chars = 0
        self.received = 0  # of `submitted`, the units whose results `finish` handed over

    def map(self, function: Callable[[str], T], texts: list[str]) -> list[T]:
        """`function` of each text, in order: in the workers once there are enough texts to pay for
        them (the pool is then the one the jobs use), else here."""
        if self.pool is None and (self.workers <= 1 or len(texts) < PARALLEL_THRESHOLD):
            return [function(text) for text in texts]
        if self.pool is None:
            self.pool = new_pool(self.workers)
        with held():  # a worker forked now ignores stop signals before one can reach it
            mapped = self.pool.map(function, texts, chunksize=max(1, min(32, len(texts) // (4 * self.workers))))
        return list(mapped)

    def put(self, owner: object, job: Job, batched: bool = False) -> None:
        if not batched:
            self._send([(owner, job)])
            return
        self.batch.append((owner, job))
        self.batch_chars += len(job.source.text)
        if len(self.batch) >= BATCH_FILES or self.batch_chars >= BATCH_CHARS:
            self._flush()

    def _flush(self) -> None:
        if self.batch:
            batch, self.batch, self.batch_chars = self.batch, [], 0
            self._send(batch)

    def _send(self, unit: list[tuple[object, Job]]) -> None:
        if self.pool is None:
            self.waiting.append(unit)
            if self.workers <= 1 or len(self.waiting) < PARALLEL_THRESHOLD:
                return
            self.pool = new_pool(self.workers)
            units, self.waiting = self.waiting, []
        else:
            units = [unit]
        with held():  # a worker forked now ignores stop signals before one can reach it
            for each in units:
                self.submitted.append(([owner for owner, _ in each], self.pool.submit(process_all, [job for _, job in each])))

    def finish(self, receive: Callable[[object, Processed], None]) -> None:
        """Hand each job's result with its owner to `receive`, with stop signals held, so that a
        file written is a file counted. A stop signal ends the wait for a worker's result at once,
        and a job run in this process (which may write) when the job is done."""
        self._flush()
        while self.received < len(self.submitted):
            owners, future = self.submitted[self.received]
            processed = future.result()
            with held():
                for owner, each in zip(owners, processed):
                    receive(owner, each)
                self.received += 1
        units, self.waiting = self.waiting, []
        for unit in units:
            for owner, job in unit:
                with held() if job.fix else nullcontext():
                    receive(owner, process(job))
        self.close()

    def stop(self) -> list[tuple[object, Processed]]:
        """On a stop: drop the jobs not started, wait for the running ones and end the workers; the
        results `finish` has not handed over yet. A second stop signal while waiting kills the
        workers at once (a file they were writing is then left as it was, a temporary file beside it)."""
        if self.pool is None:
            return []
        try:
            self.pool.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:
            kill = getattr(self.pool, "kill_workers", None)  # Python 3.14; before it, each process
            if kill is not None:
                kill()
            else:
                for worker in list((getattr(self.pool, "_processes", None) or {}).values()):
                    worker.kill()
            self.pool.shutdown(wait=False, cancel_futures=True)
        finished = []
        for owners, future in self.submitted[self.received:]:
            if future.done() and not future.cancelled() and future.exception() is None:
                finished.extend(zip(owners, future.result()))
        self.received = len(self.submitted)
        return finished

    def close(self) -> None:
        """End the workers once their jobs are done (results taken or not)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _Progress:
    """Counts files done and findings so far for a `progress` callback, if the run has one."""

    def __init__(self, report: Callable[[int, int, int, int], None] | None, total: int) -> None:
        self.report, self.total, self.files, self.findings, self.fixed = report, total, 0, 0, 0

    def done(self, findings: tuple[Finding, ...], fixed: tuple[Finding, ...] = ()) -> None:
        if self.report is not None:
            self.files += 1
            self.findings += len(findings)
            self.fixed += len(fixed)
            self.report(self.files, self.total, self.findings, self.fixed)


@dataclass
class _Pending:
    """A file read, planned and waiting for its result (from the cache or a job)."""

    source: SourceFile
    settings: Settings
    target: Target
    codes: tuple[str, ...]
    options: RuleOptions
    policy: FixPolicy
    key: str | None = None
    processed: Processed | None = None
    # The file's project facts, worked out only when needed: a warm run knows their fingerprint.
    facts: Callable[[], ProjectFacts] = lambda: NO_FACTS
    facts_key: str | None = None  # under what their fingerprint is kept (None: the file has no facts)
    with_facts: bool = False  # whether `options` holds them yet
    link_out: tuple[Path, Path] | None = None  # (target, project root) of a link out of the project: never written

    def options_with_facts(self) -> RuleOptions:
        if not self.with_facts:
            self.options, self.with_facts = replace(self.options, project=self.facts()), True
        return self.options


class Runner:
    def __init__(self, options: RunOptions, cwd: Path) -> None:
        self.options = options
        self.cwd = cwd.resolve()
        self.resolver = SettingsResolver(self.cwd, options.config)
        self.cache: FindingsCache | None = None
        if options.cache:
            self.cache = FindingsCache(self.resolver.for_path(self.cwd).root)
        # What selection and outcomes need of each rule, from the cache when it has it.
        catalog = self.cache.catalog() if self.cache is not None else None
        self.rules: dict[str, RuleInfo] = catalog or rule_catalog()
        self.selector = Selector(self.rules, options.overrides)
        self.targets = TargetResolver()
        self.baseline = self._baseline()
        self._prefixes: dict[tuple[Path, Path], str | None] = {}  # (folder, root) -> "folder/relative/"
        self.jobs = options.jobs if options.jobs is not None else default_jobs()
        self.indexes = IndexCache(None)  # the project pass's, once a run has made it
        self.written = 0  # files the run has written so far

    def _baseline(self) -> Baseline | None:
        """The baseline this run reports against: `--baseline`, else the configuration's (relative to
        its folder); loading it fails here, before any file is read or written."""
        if not self.options.use_baseline:
            return None
        path = self.options.baseline
        if path is None:
            settings = self.resolver.for_path(self.cwd)
            path = None if settings.baseline is None else settings.root / settings.baseline
        return None if path is None else Baseline.load(self.cwd / path, shown=str(path))

    def run(self, paths: list[str], stdin: bytes | None = None) -> RunResult:
        """Check (or fix) the files; a stop signal or Ctrl-C raises `Interrupted`, with the number
        of files written, once the jobs already running are done and the workers have ended."""
        queue = JobQueue(self.jobs)
        self.written = 0
        try:
            return self._run(paths, stdin, queue)
        except KeyboardInterrupt as stop:
            self.written += sum(processed.written for _, processed in queue.stop())
            raise Interrupted(getattr(stop, "signum", signal.SIGINT), self.written) from None
        finally:
            queue.close()

    def _run(self, paths: list[str], stdin: bytes | None, queue: JobQueue) -> RunResult:
        result = RunResult(rules=self.rules)
        file_paths = [Path(p) for p in paths if p != STDIN]
        found = discover(file_paths, self.resolver, force_exclude=self.options.force_exclude, cwd=self.cwd)
        result.problems.extend(found.problems)
        if STDIN in paths:
            result.outcomes.append(self._stdin(stdin or b""))
            result.files_checked += 1
        slots: list[FileOutcome | _Pending] = []
        progress = _Progress(self.options.progress, len(found.files))
        sources = [(path, read_source(path, display_path(path, self.cwd))) for path in found.files]
        project, indexes = self._project(sources, queue)
        self.indexes = indexes
        for path, source in sources:
            result.files_checked += 1
            if isinstance(source, FileProblem):
                slots.append(FileOutcome(source.path, problems=(source,)))
                progress.done(())
                continue
            slot = self._plan(source, self.resolver.for_path(path), path)
            slot.facts, slot.facts_key = partial(project.facts_for, path, source.text), project.facts_key(path, source.digest)
            slot.link_out = found.links_out.get(path)
            slots.append(slot)
            job = self._job(slot)
            if job is not None:
                queue.put(slot, job, batched=slot.facts_key is None)
            else:
                progress.done(slot.processed.findings if slot.processed else ())

        def receive(slot: object, processed: Processed) -> None:
            assert isinstance(slot, _Pending)
            slot.processed = processed
            self.written += processed.written
            progress.done(processed.findings, processed.fixed)
            if self.cache is not None and slot.key is not None and processed.unchanged:
                self.cache.put(slot.key, processed.findings, processed.problems)

        queue.finish(receive)
        if self.cache is not None:
            self.cache.save(self.rules)
            indexes.save(replace_atomically)  # beside the findings, in the folder that save made

        result.outcomes.extend(slot if isinstance(slot, FileOutcome) else self._finish(slot) for slot in slots)
        if self.baseline is not None:
            result.baseline, result.baseline_gone = self.baseline.shown, self.baseline.gone
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
        slot = self._plan(source, self.resolver.for_path(path), path)
        job = self._job(slot, use_cache=False)
        if job is not None:
            slot.processed = process(job)
        outcome = self._finish(slot)
        return outcome if outcome.text is not None else replace(outcome, text=source.text)

    def _project(self, sources: list[tuple[Path, SourceFile | FileProblem]], queue: JobQueue) -> tuple[ProjectIndex, IndexCache]:
        """The project pass: index the modules that mention MCP, so each file knows what it imports.
        Modules the cache does not know are indexed by the queue (in the workers, when there are
        enough of them): every file's facts wait for the whole index, and no worker would be busy."""
        project = ProjectIndex()
        indexes = IndexCache(self.cache.folder if self.cache is not None else None)
        found: list[tuple[Path, SourceFile, ModuleIndex | list | object]] = []
        for path, source in sources:
            # Modules that mention MCP, and packages' `__init__` (they re-export what others define).
            if not isinstance(source, FileProblem):
                index = indexes.known(source.digest, source.text, package=path.name == "__init__.py")
                if index is not None:
                    found.append((path, source, index))
                else:  # known by name: what a file imports from it is the project's own
                    project.add_plain(path)
        unindexed = [source.text for _, source, index in found if index is UNINDEXED]
        made = iter(queue.map(project_pass.index_module, unindexed))
        for path, source, index in found:
            project.add(path, indexes.store(source.digest, next(made)) if index is UNINDEXED else index, source.digest)
        indexes.under(project.signature())
        return project, indexes

    def _plan(self, source: SourceFile, settings: Settings, path: Path) -> _Pending:
        relative = self._relative(path, settings.root)
        unsafe = settings.unsafe_fixes if self.options.unsafe_fixes is None else self.options.unsafe_fixes
        target = self.targets.for_folder(path.parent, settings.target_sdk, settings.source)
        if self.options.observe is not None:
            self.options.observe(source.text, source.display, target)
        options = RuleOptions(
            target_sdk=target.sdk, require_noqa_reason=settings.require_noqa_reason,
            project_requires_mcp=target.requires_mcp,
        )
        codes = tuple(
            rule.code for rule in self.selector.for_file(settings, relative)
            if rule.enabled_by is None or getattr(options, rule.enabled_by)
        )
        return _Pending(source, settings, target, codes, options, self.selector.fix_policy(settings, unsafe))

    def _relative(self, path: Path, root: Path) -> str:
        """`path` resolved, relative to `root` (its name if outside), for per-file globs. Folders
        are resolved once each; only a file that is a symbolic link is resolved itself."""
        if path.is_symlink():
            try:
                return path.resolve().relative_to(root).as_posix()
            except ValueError:
                return path.name
        prefix = self._prefixes.get((path.parent, root), "?")
        if prefix == "?":
            try:
                prefix = path.parent.resolve().relative_to(root).as_posix() + "/"
                prefix = "" if prefix == "./" else prefix
            except ValueError:
                prefix = None
            self._prefixes[(path.parent, root)] = prefix
        return path.name if prefix is None else prefix + path.name

    def _job(self, slot: _Pending, use_cache: bool = True) -> Job | None:
        """The job that file needs, or None when its result is known from the cache."""
        if use_cache and self.cache is not None and slot.source.path is not None:
            fingerprint = NO_FACTS.fingerprint if slot.facts_key is None else self.indexes.fingerprint(slot.facts_key)
            if fingerprint is None:
                fingerprint = slot.options_with_facts().project.fingerprint
                self.indexes.remember(slot.facts_key, fingerprint)
            slot.key = self.cache.key(slot.source.digest, slot.codes, slot.options, fingerprint)
            cached = self.cache.get(slot.key, slot.source.display)
            if cached is not None and not (self._fixing(slot) and self._wants_fixing(cached.findings, slot.policy)):
                slot.processed = Processed(cached.findings, (), cached.problems, slot.source.text)
                return None
        # Whether any rule may match is asked in the job (`_process`): this process only feeds the
        # workers, and on a tree of mostly non-MCP files those searches would be most of its work.
        fixing = self._fixing(slot)
        return Job(
            slot.source, slot.codes, slot.codes, slot.options_with_facts(), slot.policy,
            fixing and self.options.fix, fixing and self.options.diff,
        )

    def _fixing(self, slot: _Pending) -> bool:
        """Whether this file is to be fixed (or diffed): not a link out of the project."""
        return (self.options.fix or self.options.diff) and slot.link_out is None

    def _wants_fixing(self, findings: tuple[Finding, ...], policy: FixPolicy) -> bool:
        """Whether a file's cached findings are not enough: it has a fix to apply, or to show (`--diff`
        shows display-only fixes too)."""
        if not (self.options.fix or self.options.diff):
            return False
        shown = self.options.diff
        return any(
            policy.applies(finding)
            or (shown and finding.fix is not None and finding.fix.applicability is Applicability.DISPLAY_ONLY)
            for finding in findings
        )

    def _finish(self, slot: _Pending) -> FileOutcome:
        processed = slot.processed
        assert processed is not None
        source, findings = slot.source, processed.findings
        text = source.text if processed.text is None else processed.text
        accepted: tuple[Finding, ...] = ()
        if self.baseline is not None:
            kept, taken = self.baseline.split(source.display, self.cwd, text, findings)
            findings, accepted = tuple(kept), tuple(taken)
        fail_on = self.options.fail_on or slot.settings.fail_on
        not_failing = tuple(f.severity for f in findings if not self.selector.fails(f, slot.settings, fail_on))
        failing = len(findings) - len(not_failing)
        keep_text = text if (findings or accepted or source.path is None) else None
        not_fixed = None
        if slot.link_out is not None and (self.options.fix or self.options.diff) and any(slot.policy.applies(finding) for finding in processed.findings):
            target, root = slot.link_out
            not_fixed = f"not fixed: a symbolic link to {target}, outside the project root {root}; name it on the command line to fix it"
        rules = self.rules
        depends = any(rules[f.code].uses_target_sdk for f in (*findings, *processed.fixed) if f.code in rules)
        return FileOutcome(
            source.display, tuple(findings), tuple(processed.fixed), tuple(processed.problems), failing, keep_text,
            processed.diff, target=slot.target if depends else None, accepted=accepted, display_diffs=processed.display_diffs,
            not_failing=not_failing, not_fixed=not_fixed,
        )


def unified_diff(display: str, before: str, after: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        split_lines_keepends(before), split_lines_keepends(after), f"a/{display}", f"b/{display}"
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
