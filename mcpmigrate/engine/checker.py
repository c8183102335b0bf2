"""The engine: source text in, findings and fixed text out. It knows no rule and does no I/O.

One parse and one batched traversal per file; positions are resolved only for files where a rule
reported something, and there only for the statements that hold what was reported; suppression
comments are read only then.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import libcst as cst

from mcpmigrate.engine.imports import file_imports, remove_unused_imports
from mcpmigrate.engine.names import NameTracker
from mcpmigrate.engine.tree.offsets import node_offsets, statement_offsets
from mcpmigrate.engine.tree.parsing import parse_module
from mcpmigrate.engine.tree.traversal import StatementIndex, visit_batched
from mcpmigrate.findings import Edit, FileProblem, Finding, Fix, FixPolicy, Location
from mcpmigrate.lines import LINE_BREAK, LineIndex
from mcpmigrate.rule.base import (
    FileContext,
    NodeEdit,
    NodeFinding,
    Rule,
    RuleOptions,
    SuppressionRule,
    TextFinding,
    TokenScan,
    rules_that_may_match,
)
from mcpmigrate.rule.suppression import Suppressions

MAX_FIX_PASSES = 10
REPORT_URL = "https://github.com/mcpmigrate/mcpmigrate/issues"


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[Finding, ...]
    problems: tuple[FileProblem, ...] = ()

    @property
    def parsed(self) -> bool:
        return not any(not problem.internal for problem in self.problems)


@dataclass(frozen=True, slots=True)
class FixResult:
    text: str
    fixed: tuple[Finding, ...]
    remaining: tuple[Finding, ...]
    problems: tuple[FileProblem, ...] = ()


def _syntax_problem(text: str, path: str) -> FileProblem | None:
    try:
        compile(text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as syntax:
        location = Location(syntax.lineno, max(syntax.offset or 1, 1)) if syntax.lineno else None
        return FileProblem(path, f"cannot parse: {syntax.msg}", location)
    except (ValueError, RecursionError, MemoryError):
        return None  # LibCST would be asked only if a rule could match; nothing to report here
    return None


def parse_problem(path: str, text: str, error: Exception) -> FileProblem:
    """One clear line for a file LibCST cannot parse. LibCST's own positions are rough, so where
    Python's compiler also rejects the file, its message and position are the ones shown."""
    problem = _syntax_problem(text, path)
    if problem is not None:
        return problem
    if isinstance(error, cst.ParserSyntaxError):
        message = error.message.strip().splitlines()[0] if error.message.strip() else "invalid syntax"
        message = re.sub(r"^parser error: (error at \d+:\d+: )?", "", message)
        return FileProblem(path, f"cannot parse (LibCST): {message}", Location(error.raw_line, error.raw_column + 1))
    return FileProblem(path, f"cannot parse: {type(error).__name__}: {error}")


def check(
    text: str,
    path: str,
    rules: Sequence[type[Rule]],
    options: RuleOptions = RuleOptions(),
    *,
    prefilter: bool = True,
    enabled: Collection[str] | None = None,
) -> CheckResult:
    """Every unsuppressed finding of `rules` in `text`, sorted by position.

    With `prefilter`, rules whose tokens the text lacks are skipped, and a text no rule can match is
    not parsed at all: most files in a real tree never mention MCP, and even Python's own syntax check
    of them would cost more than the rest of the run (so a syntax error in such a file is not ours to
    report). Suppression rules read comments, not the tree: a text only they can match is not parsed
    either. `enabled` are the codes enabled for the file (default: those of `rules`), so a suppression
    rule can tell a code that found nothing from one that did not run.
    """
    enabled_codes = frozenset(enabled if enabled is not None else (rule.code for rule in rules))
    if prefilter:
        rules = rules_that_may_match(rules, TokenScan.of(text, options.project.mentions))
        if not rules:
            return CheckResult(())
    about_suppressions = [rule for rule in rules if issubclass(rule, SuppressionRule)]
    rules = [rule for rule in rules if not issubclass(rule, SuppressionRule)]
    findings: list[Finding] = []
    crashed: dict[str, FileProblem] = {}
    if rules or not about_suppressions:
        try:
            module = parse_module(text)
        except (cst.ParserSyntaxError, RecursionError, ValueError) as error:
            return CheckResult((), (parse_problem(path, text, error),))
        if rules:
            statements = StatementIndex()
            contexts: list[FileContext] = []
            try:
                reports, crashed = _run_rules(module, path, options, text, rules, statements, contexts)
                if reports:  # (a fix's text may still ask the rules' facts here)
                    findings = _locate(reports, module, text, path, {rule.code: rule for rule in rules}, statements)
            finally:
                for context in contexts:
                    context.release()
    if not findings and not about_suppressions:
        return CheckResult((), tuple(crashed.values()))
    suppressions = Suppressions.of(text)
    # a stopgap's finding (the 1.x adapter) is silenced only by name: a bare `# noqa` cannot hide it
    findings = suppressions.filter(findings, frozenset(rule.code for rule in rules if rule.progress))
    about: list[Finding] = []
    if about_suppressions:
        location = LineIndex(text).location
        for rule in about_suppressions:
            try:
                found = rule.check_suppressions(text, suppressions, enabled_codes, options)
            except Exception as error:  # a bug in one rule must not hide the others' findings
                crashed[rule.code] = _crash(path, rule, error)
                continue
            about.extend(_text_finding(rule, path, location, item) for item in found)
    findings.extend(suppressions.filter(about))  # `# noqa: MCP001` silences those too
    findings.sort(key=lambda finding: finding.sort_key)
    return CheckResult(tuple(findings), tuple(crashed.values()))


def _text_finding(rule: type[Rule], path: str, location: Callable[[int], Location], found: TextFinding) -> Finding:
    fix = None
    if found.fix is not None:
        edits = tuple(Edit(start, end, content, location(start), location(end)) for start, end, content in found.fix.edits)
        fix = Fix(found.fix.message, found.fix.applicability, edits)
    return Finding(
        rule.code, rule.name, rule.severity, found.message, path, location(found.start), location(found.end), fix,
        found.help or (fix.message if fix else None),
    )


def _crash(path: str, rule: type[Rule], error: Exception) -> FileProblem:
    return FileProblem(
        path,
        f"internal error in rule {rule.code} ({rule.name}): {type(error).__name__}: {error}; "
        f"its findings for this file are missing. Please report this at {REPORT_URL}",
        internal=True,
    )


class _PositionedSource:
    """A `SourceView` over the checked text, with the offsets of the nodes reported in it.

    Only the statements that hold reported nodes are generated to place them (generating a whole
    module costs about a third of parsing it); a node asked for outside them, or statements that
    cannot be placed for certain, mean the whole module after all.
    """

    def __init__(self, module: cst.Module, text: str, statements: StatementIndex, nodes: Iterable[cst.CSTNode]) -> None:
        self.text = text
        self.module = module
        self.lines = LineIndex(text)
        partial = statement_offsets(module, text, statements, nodes)
        self.whole = partial is None
        self.offsets = node_offsets(module) if partial is None else partial

    def _offsets(self, node: cst.CSTNode) -> tuple[int, int]:
        found = self.offsets.get(node)
        if found is None and not self.whole:
            self.offsets, self.whole = node_offsets(self.module), True
            found = self.offsets.get(node)
        if found is None:
            raise KeyError(f"{type(node).__name__} is not in the checked module")
        return found

    def start(self, node: cst.CSTNode) -> int:
        return self._offsets(node)[0]

    def end(self, node: cst.CSTNode) -> int:
        return self._offsets(node)[1]

    def next_line(self, node: cst.CSTNode) -> int:
        """The offset where the line after the node's last line starts (the text's end if none)."""
        match = LINE_BREAK.search(self.text, self.end(node))
        return match.end() if match else len(self.text)

    def line_start(self, node: cst.CSTNode) -> int:
        """The offset where the node's first line starts."""
        return self.lines.starts[self.lines.location(self.start(node)).row - 1]

    def line_indent(self, node: cst.CSTNode) -> str:
        """The leading whitespace of the line where `node` starts."""
        line = self.text[self.line_start(node) : self.start(node)]
        return line[: len(line) - len(line.lstrip(" \t\f"))]


def _run_rules(
    module: cst.Module,
    path: str,
    options: RuleOptions,
    text: str,
    rules: Sequence[type[Rule]],
    statements: StatementIndex,
    contexts: list[FileContext],
) -> tuple[list[NodeFinding], dict[str, FileProblem]]:
    """All rules in one batched traversal. If one raises, each rule runs again alone, so the others'
    findings still come out and the failing rule is named (rules rarely fail: the common path has no
    per-call guard). Each file context made is added to `contexts`, for the caller to release."""
    context = FileContext(path, module, options, text)
    contexts.append(context)
    try:
        gatherers = context.gather([gatherer for rule in rules for gatherer in rule.gathers])
        visit_batched(module, [NameTracker(context), *gatherers, *(rule(context) for rule in rules)], statements)
        return context.reports, {}
    except Exception:  # a bug in some rule: find which, below
        pass
    reports: list[NodeFinding] = []
    crashed: dict[str, FileProblem] = {}
    for rule in rules:
        alone = FileContext(path, module, options, text)
        contexts.append(alone)
        try:
            visit_batched(module, [NameTracker(alone), *alone.gather(rule.gathers), rule(alone)])
        except Exception as error:  # a bug in one rule must not hide the others' findings
            crashed[rule.code] = _crash(path, rule, error)
            continue
        reports.extend(alone.reports)
    return reports, crashed


def _locate(
    reports: list[NodeFinding],
    module: cst.Module,
    text: str,
    path: str,
    rules: dict[str, type[Rule]],
    statements: StatementIndex,
) -> list[Finding]:
    nodes = [report.node for report in reports]
    for report in reports:
        if report.fix is not None:
            nodes.extend(node for edit in report.fix.edits for node in (edit.start_node, edit.end_node))
    source = _PositionedSource(module, text, statements, nodes)
    location = source.lines.location

    boundaries = {"start": source.start, "end": source.end, "next_line": source.next_line, "line_start": source.line_start}

    def edit(node_edit: NodeEdit) -> Edit:
        start = boundaries[node_edit.start_side](node_edit.start_node)
        end = boundaries[node_edit.end_side](node_edit.end_node)
        content = node_edit.content if isinstance(node_edit.content, str) else node_edit.content(source)
        return Edit(start, end, content, location(start), location(end), node_edit.imports)

    findings = []
    for report in reports:
        fix = None
        if report.fix is not None:
            fix = Fix(report.fix.message, report.fix.applicability, tuple(edit(e) for e in report.fix.edits))
        rule = rules[report.code]
        findings.append(
            Finding(
                code=report.code,
                name=rule.name,
                severity=rule.severity,
                message=report.message,
                path=path,
                location=location(source.start(report.node)),
                end_location=location(source.end(report.node)),
                fix=fix,
                help=report.help,
            )
        )
    return findings


def _conflicts(edit: Edit, taken: list[Edit]) -> bool:
    for other in taken:
        if (edit.start, edit.end, edit.content) == (other.start, other.end, other.content):
            continue  # the same edit wanted twice (a shared import, say) is applied once
        if edit.start < other.end and other.start < edit.end:
            return True
        if edit.start == edit.end and other.start < edit.start < other.end:
            return True
        if other.start == other.end and edit.start < other.start < edit.end:
            return True
        if edit.start == edit.end == other.start == other.end:
            return True  # two insertions at one point: their order would be a guess
    return False


def apply_fixes(text: str, findings: Sequence[Finding]) -> tuple[str, list[Finding]]:
    """Apply every fix that does not overlap one applied before it; the rest wait for the next pass.

    A rule's fixes in one file land together: where one of them overlaps another rule's, all of
    that rule's wait for the next pass, so an import is never renamed in a pass that leaves a use
    of it (or its constructor's new shape) for later, when the use no longer resolves. Edits that
    only import never clash: what the applied fixes import is filed among the module's imports
    once their other edits are in (`imports.file_imports`); where that cannot be done, the import
    edits are applied as they are, like any other.
    """
    fixed, applied = _apply(text, findings, imports_apart=True)
    wanted = [wanted for finding in applied for edit in finding.fix.edits for wanted in edit.imports]
    if not wanted:
        return fixed, applied
    filed = file_imports(fixed, wanted)
    return (filed, applied) if filed is not None else _apply(text, findings, imports_apart=False)


def _apply(text: str, findings: Sequence[Finding], *, imports_apart: bool) -> tuple[str, list[Finding]]:
    """`apply_fixes` without filing imports; with `imports_apart`, the edits that import are left out."""
    taken: list[tuple[Edit, str]] = []  # each edit with the code of the rule that made it
    applied: list[Finding] = []
    waiting: set[str] = set()  # rules whose fixes wait for the next pass
    ordered = sorted(
        (finding for finding in findings if finding.fix is not None and finding.fix.edits),
        key=lambda finding: (min(edit.start for edit in finding.fix.edits), finding.code),
    )
    for finding in ordered:
        if finding.code in waiting:
            continue
        edits = sorted((edit for edit in finding.fix.edits if not (imports_apart and edit.imports)), key=lambda edit: (edit.start, edit.end))
        if _self_overlapping(edits):
            continue
        clashing = {code for edit in edits for other, code in taken if _conflicts(edit, [other])}
        if clashing - {finding.code}:
            waiting.add(finding.code)
            taken = [(edit, code) for edit, code in taken if code != finding.code]
            applied = [other for other in applied if other.code != finding.code]
            continue
        if clashing:  # only with the rule's own earlier fix: this one waits alone
            continue
        taken.extend((edit, finding.code) for edit in edits)
        applied.append(finding)
    unique = sorted({(edit.start, edit.end, edit.content) for edit, _ in taken})
    pieces = []
    cursor = 0
    for start, end, content in unique:
        pieces.append(text[cursor:start])
        pieces.append(content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _self_overlapping(edits: list[Edit]) -> bool:
    return any(_conflicts(edit, edits[:index]) for index, edit in enumerate(edits))


def fix(
    text: str,
    path: str,
    rules: Sequence[type[Rule]],
    *,
    policy: FixPolicy = FixPolicy(),
    options: RuleOptions = RuleOptions(),
    prefilter: bool = True,
    enabled: Collection[str] | None = None,
) -> FixResult:
    """Apply the fixes `policy` allows until none is left (at most MAX_FIX_PASSES passes).

    A pass whose result does not parse, makes a rule crash, or uses a name nothing binds any more
    (an import renamed while a use of it was not) is not kept: the rules whose fixes cause that are
    found, reported, and left out of the passes that follow.
    """
    result = check(text, path, rules, options, prefilter=prefilter, enabled=enabled)
    if not result.parsed:
        return FixResult(text, (), result.findings, result.problems)
    current = text
    unbound = unbound_names(text)
    fixed: list[Finding] = []
    refused: dict[str, str] = {}  # rule code -> what its fix did
    for _ in range(MAX_FIX_PASSES):
        fixable = [f for f in result.findings if policy.applies(f) and f.code not in refused]
        if not fixable:
            break
        candidate, applied = apply_fixes(current, fixable)
        candidate = remove_unused_imports(current, candidate, path)
        if candidate == current:
            break
        recheck = check(candidate, path, rules, options, prefilter=prefilter, enabled=enabled)
        candidate_unbound = unbound_names(candidate)
        failure = _failure(recheck, result, unbound, candidate_unbound)
        if failure is not None:
            for code in sorted({finding.code for finding in applied}):
                alone = apply_fixes(current, [finding for finding in applied if finding.code == code])[0]
                alone = remove_unused_imports(current, alone, path)
                alone_check = check(alone, path, rules, options, prefilter=prefilter, enabled=enabled)
                reason = _failure(alone_check, result, unbound, unbound_names(alone))
                if reason is not None:
                    refused[code] = reason
            if not refused.keys() & {finding.code for finding in applied}:
                refused.update({finding.code: failure for finding in applied})  # only together: refuse all
            continue
        current, result, unbound = candidate, recheck, candidate_unbound
        fixed.extend(applied)
    problems = [
        FileProblem(
            path,
            f"the fix for {code} produced code that {reason}; it was not applied. Please report this at {REPORT_URL}",
            internal=True,
        )
        for code, reason in sorted(refused.items())
    ]
    return FixResult(current, tuple(fixed), result.findings, (*result.problems, *problems))


def _failure(
    recheck: CheckResult, before: CheckResult, unbound_before: frozenset[str] | None, unbound_after: frozenset[str] | None
) -> str | None:
    """Why a fixed text cannot be kept, or None if it can (`unbound_*`: `unbound_names` of the text
    before and after the fix)."""
    if not recheck.parsed:
        return "does not parse"
    if len(recheck.problems) > len(before.problems):
        return "makes a rule fail"
    if unbound_before is not None and unbound_after is not None:
        lost = sorted(unbound_after - unbound_before)
        if lost:
            return f"uses {', '.join(f'`{name}`' for name in lost)}, which nothing binds"
    return None


_TYPE_PARAMS = tuple(getattr(ast, name) for name in ("TypeVar", "ParamSpec", "TypeVarTuple") if hasattr(ast, name))
_ALWAYS_BOUND = frozenset(dir(builtins)) | {
    "__file__", "__name__", "__doc__", "__builtins__", "__spec__", "__loader__", "__package__", "__path__",
    "__annotations__", "__dict__", "__class__", "__qualname__", "__module__", "__debug__",
}


def unbound_names(text: str) -> frozenset[str] | None:
    """The names the module loads that nothing in it binds (anywhere: scopes are not told apart, so
    this errs towards silence) and that are not builtins; None where that cannot be said (no parse,
    or a star import)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    bound: set[str] = set(_ALWAYS_BOUND)
    loaded: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            if node.name == "*":
                return None
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar, *_TYPE_PARAMS)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    return frozenset(loaded - bound)
