"""What a rule is: a batched LibCST visitor that declares its code, documentation and examples.

A rule reports nodes; the engine turns nodes into positions and text offsets, so a rule never
counts characters. Subclassing `Rule` registers the rule.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, ClassVar, Protocol, TypeVar, cast

import libcst as cst

from mcpmigrate.findings import Applicability, RuleInfo, Severity
from mcpmigrate.rule.imports import ImportMap
from mcpmigrate.rule.options import RuleOptions
from mcpmigrate.rule.prefilter import Token, TokenScan, all_gated
from mcpmigrate.rule.suppression import Suppressions
from mcpmigrate.steps import Side, Step

_REGISTRY: dict[str, type[Rule]] = {}
_Facts = TypeVar("_Facts")

@dataclass(frozen=True, slots=True)
class NodeEdit:
    """Replace the source between two node boundaries with `content`.

    A boundary is the start or the end of a node's own tokens (a node's range never includes the
    parentheses around it). Rules express fixes as small edits like these instead of regenerating
    code, so the text around them, indentation and comments included, stays byte-for-byte.
    """

    start_node: cst.CSTNode
    start_side: str  # "start", "end", "line_start" (of its first line) or "next_line" (after its last line)
    end_node: cst.CSTNode
    end_side: str
    # The new text, or a function of the original source that returns it (for fixes that must see
    # the source as written, such as re-indenting lines they move); called only when reporting.
    content: str | Callable[[SourceView], str]
    # An edit that only imports: what it imports (see `mcpmigrate.findings.Edit.imports`).
    imports: tuple[tuple[str, str | None], ...] = ()


class SourceView(Protocol):
    """The original source around reported nodes, as a fix's content function sees it."""

    text: str

    def start(self, node: cst.CSTNode) -> int: ...

    def end(self, node: cst.CSTNode) -> int: ...

    def next_line(self, node: cst.CSTNode) -> int: ...

    def line_start(self, node: cst.CSTNode) -> int: ...

    def line_indent(self, node: cst.CSTNode) -> str:
        """The leading whitespace of the line where `node` starts."""
        ...


def replace(node: cst.CSTNode, content: str | Callable[[SourceView], str]) -> NodeEdit:
    return NodeEdit(node, "start", node, "end", content)


def replace_between(
    start_node: cst.CSTNode,
    start_side: str,
    end_node: cst.CSTNode,
    end_side: str,
    content: str | Callable[[SourceView], str],
) -> NodeEdit:
    return NodeEdit(start_node, start_side, end_node, end_side, content)


def insert_before(node: cst.CSTNode, content: str) -> NodeEdit:
    return NodeEdit(node, "start", node, "start", content)


def insert_after(node: cst.CSTNode, content: str) -> NodeEdit:
    return NodeEdit(node, "end", node, "end", content)


@dataclass(frozen=True, slots=True)
class NodeFix:
    message: str
    applicability: Applicability
    edits: tuple[NodeEdit, ...]


@dataclass(frozen=True, slots=True)
class NodeFinding:
    """A finding as a rule states it, before the engine has positions for it."""

    code: str
    node: cst.CSTNode
    message: str
    fix: NodeFix | None
    help: str | None


def _source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@dataclass(frozen=True)
class Valid:
    """Code the rule must stay silent on (with `options`, in a project configured so)."""

    code: str
    options: RuleOptions | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", _source(self.code))


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag at exactly `findings` (1-based `(line, column)` pairs).

    `fixed` is the text after `--fix` (None: safe fixes leave it unchanged); `unsafe_fixed` the text
    after `--fix --unsafe-fixes` (None: the same as `fixed`); `display_fixed` the text once the rule
    is also named, so its display-only fixes apply (`--fix-only CODE --unsafe-fixes`; None: the same
    as `unsafe_fixed`).
    """

    code: str
    findings: list[tuple[int, int]]
    fixed: str | None = None
    unsafe_fixed: str | None = None
    display_fixed: str | None = None
    note: str = ""
    options: RuleOptions | None = None  # the project's options the example assumes (default: mcp 2.x)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", _source(self.code))
        if self.fixed is not None:
            object.__setattr__(self, "fixed", _source(self.fixed))
        if self.unsafe_fixed is not None:
            object.__setattr__(self, "unsafe_fixed", _source(self.unsafe_fixed))
        if self.display_fixed is not None:
            object.__setattr__(self, "display_fixed", _source(self.display_fixed))

    @property
    def after_safe(self) -> str:
        return self.code if self.fixed is None else self.fixed

    @property
    def after_unsafe(self) -> str:
        return self.after_safe if self.unsafe_fixed is None else self.unsafe_fixed

    @property
    def after_display(self) -> str:
        return self.after_unsafe if self.display_fixed is None else self.display_fixed


class FileContext:
    """What every rule may read about the file being checked."""

    def __init__(self, path: str, module: cst.Module, options: RuleOptions = RuleOptions(), text: str | None = None) -> None:
        self.path = path
        self.module = module
        self.options = options
        self.text = module.code if text is None else text  # the source as read
        self._shared: dict[Callable[[FileContext], object], object] = {}
        # The simple statement line being visited, and whether it is alone in its block (the engine
        # keeps these current; in a compound statement's header they still name the previous line).
        self.statement: cst.SimpleStatementLine | None = None
        self.alone_in_block = False
        self.imports = ImportMap.of_module(module)
        self.reports: list[NodeFinding] = []
        # ids of Name/Attribute nodes that name something rather than refer to it (attribute names,
        # keywords, parameters, definitions, import paths); the engine fills it during the traversal.
        self.non_references: set[int] = set()

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def gather(self, gatherers: Sequence[type[Gatherer]]) -> list[Gatherer]:
        """The gatherers to run in this file's traversal, each made once and kept for `shared()`."""
        made = []
        for gatherer in gatherers:
            if gatherer not in self._shared:
                instance = self._shared[gatherer] = gatherer(self)
                made.append(instance)
        return made

    def shared(self, gather: Callable[[FileContext], _Facts]) -> _Facts:
        """What `gather` derives from this file (a kit's facts class or function), derived once
        however many rules ask: `context.shared(ReturnedDicts).returning("method")`."""
        try:
            return cast(_Facts, self._shared[gather])
        except KeyError:
            facts = self._shared[gather] = gather(self)
            return facts

    def release(self) -> None:
        """Drop what was gathered and derived for this file, once its findings are placed. Those facts
        refer back to this context and through it to the whole tree: left in place, the tree would wait
        for the cyclic collector, which checking runs without (measured: 2.4 million nodes of the
        SDK's source freed in one collection, a twentieth of the check)."""
        self._shared.clear()

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """What a Name or Attribute expression refers to through the imports, or None."""
        if id(node) in self.non_references:
            return None
        return self.imports.qualified_name(node)


NODE_TYPES = frozenset(name for name, value in vars(cst).items() if isinstance(value, type) and issubclass(value, cst.CSTNode))
_GENERIC_HOOKS = ("on_visit", "on_leave", "on_visit_attribute", "on_leave_attribute")


def unsupported_visitor(name: str) -> str | None:
    """Why the traversal would not call a method of this name as a visitor, or None if it would
    (or if the name is no visitor at all)."""
    if name in _GENERIC_HOOKS:
        return f"the traversal calls no `{name}`; write `visit_<Node>` / `leave_<Node>` methods for the node types you need"
    kind, _, node_name = name.partition("_")
    if kind not in ("visit", "leave") or not node_name:
        return None
    if node_name in NODE_TYPES:
        return None
    node_type, _, attribute = node_name.partition("_")
    if node_type in NODE_TYPES and attribute:
        return (
            f"attribute visitors are not supported by the traversal; use `{kind}_{node_type}` and read "
            f"`node.{attribute}` there"
        )
    return f"`{node_name}` is not a LibCST node type, so the traversal would never call it"


class OwnVisitors(cst.BatchableCSTVisitor):
    """A batchable visitor that hands LibCST only the `visit_*` / `leave_*` methods its class defines.

    LibCST's own `get_visitors` runs `inspect.getmembers` on every instance and also returns the
    hundreds of no-op defaults, which the batched traversal then calls on every node: measured on the
    mcp SDK source, that was a third of the whole run.

    The engine's traversal calls `visit_<Node>` before a node's children and `leave_<Node>` after,
    for LibCST's node classes, and nothing else: a class that defines any other visitor (an attribute
    visitor such as `visit_Call_func`, `on_visit`, a misspelt node name) is rejected when it is
    defined, instead of failing on every file or never being called.
    """

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.__dict__:
            problem = unsupported_visitor(name)
            if problem is not None:
                raise TypeError(f"{cls.__name__}.{name}: {problem}")

    @classmethod
    def _visitor_names(cls) -> tuple[str, ...]:
        names = cls.__dict__.get("_own_visitor_names")
        if names is None:
            base = cst.BatchableCSTVisitor
            names = tuple(
                name
                for name in dir(cls)
                if name.startswith(("visit_", "leave_")) and getattr(cls, name) is not getattr(base, name, None)
            )
            cls._own_visitor_names = names
        return names

    def get_visitors(self) -> dict[str, Callable[[cst.CSTNode], object]]:
        return {name: getattr(self, name) for name in self._visitor_names()}


class Gatherer(OwnVisitors):
    """Facts about a file that several rules query, gathered once in the rules' own traversal (as
    LibCST's `Gather*` visitors do, without a walk of their own). It runs ahead of every rule on each
    node: in `visit_X` a rule may ask about the node and what encloses it, in `leave_X` and
    `leave_Module` about everything walked so far. A rule names the gatherers it needs in `gathers`,
    and reads one with `context.shared(GathererClass)`."""

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context


class Rule(OwnVisitors):
    """Base class of every rule. Subclasses set the class attributes and write `visit_*` methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one line: what it finds
    why: ClassVar[str]  # why it breaks on 2026-07-28 or with mcp 2.x
    fix_summary: ClassVar[str]  # the fix in a few words, for the README's rules table
    fix_description: ClassVar[str]  # what the fix does, or what to do by hand
    fix_safety: ClassVar[str]  # when the fix is safe, when it is unsafe and why
    step: ClassVar[Step]  # the migration checklist step its findings belong to
    side: ClassVar[Side] = Side.BOTH  # whose code it finds things in: servers move first, then clients
    # Its findings are stopgaps a fix put in (the mcp 1.x handler adapter): their checklist step is in
    # progress, not work to start.
    progress: ClassVar[bool] = False
    references: ClassVar[tuple[str, ...]] = ()
    # The constructs it answers to, as (construct, value) of mcpmigrate.rules._kits.shapes: every
    # shape of each is rendered for it by tests/test_shapes.py, flagged and look-alike.
    answers: ClassVar[tuple[tuple[str, str], ...]] = ()
    severity: ClassVar[Severity] = Severity.ERROR
    examples: ClassVar[tuple[Valid | Invalid, ...]] = ()
    # Whether its fixes are safe only when the project targets mcp 2.x (see mcpmigrate.run.target).
    uses_target_sdk: ClassVar[bool] = False
    # A `RuleOptions` field that must be true for the rule to run (a configuration switch such as
    # `require-noqa-reason`); None: the rule runs wherever it is selected.
    enabled_by: ClassVar[str | None] = None
    # Lowercase text without one of which the rule cannot match a file: such files are not parsed for
    # it. Empty: the rule runs on every file. tests/test_prefilter.py proves no finding is lost.
    # A token is a substring, or a compiled pattern for what a substring cannot say (a whole word).
    tokens: ClassVar[tuple[Token, ...]] = ()
    # And one of these too: the MCP evidence a rule insists on (`mcp`, an MCP-only method name), for
    # rules whose own tokens (`initialize`, `ping`) are common words. (A project that declares mcp is
    # MCP evidence for the rules, but not here: a file with no MCP text at all is not parsed for them.)
    context_tokens: ClassVar[tuple[Token, ...]] = ()
    # The gatherers whose facts it queries; the engine runs each once per file, ahead of the rules.
    gathers: ClassVar[tuple[type[Gatherer], ...]] = ()

    @classmethod
    def may_match(cls, text: str | TokenScan) -> bool:
        """Whether the (lowered) text has the rule's tokens, and its context tokens if any. A file's
        scan comes from `TokenScan.of`, with what the file imports from the project's other modules
        standing in its text for what it is (a constant for its value, a wrapper or subclass for the
        SDK names it builds on)."""
        scan = text if isinstance(text, TokenScan) else TokenScan(text)
        return all(scan.any(side) for side in cls.token_sides())

    @classmethod
    def token_sides(cls) -> tuple[tuple[Token, ...], ...]:
        """The token tuples the text must have one of each of (none: the rule runs on every file),
        the likelier to fail first: one whose every token is gated (an MCP method name, which most
        texts lack), then one without patterns (a pattern costs a regex search)."""
        sides = cls.__dict__.get("_token_sides")
        if sides is None:
            def cost(side: tuple[Token, ...]) -> tuple[bool, bool]:
                return (not all_gated(side), any(not isinstance(token, str) for token in side))

            sides = cls._token_sides = tuple(sorted((side for side in (cls.context_tokens, cls.tokens) if side), key=cost))
        return sides

    def __init_subclass__(cls, register: bool = True, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not register:  # rules built by tests to exercise the engine stay out of the registry
            return
        if not isinstance(getattr(cls, "step", None), Step):
            raise TypeError(f"rule {cls.code} ({cls.__name__}) names no checklist step: set `step = Step.<...>` (mcpmigrate.steps)")
        existing = _REGISTRY.get(cls.code)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise RuntimeError(f"rule code {cls.code} is used by both {existing.__qualname__} and {cls.__qualname__}")
        _REGISTRY[cls.code] = cls

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fix: NodeFix | None = None,
        help: str | None = None,
    ) -> None:
        self.context.reports.append(NodeFinding(self.code, node, message, fix, help or (fix.message if fix else None)))

    @classmethod
    def info(cls) -> RuleInfo:
        return RuleInfo(
            cls.code, cls.name, cls.severity, cls.summary, cls.why, cls.fix_description, int(cls.step), cls.uses_target_sdk,
            cls.enabled_by, cls.side.value, cls.progress,
        )

    # Derived from the examples, so it cannot drift from what the rule really does.
    @classmethod
    def fix_applicabilities(cls) -> set[Applicability]:
        kinds: set[Applicability] = set()
        for example in cls.examples:
            if isinstance(example, Invalid):
                if example.fixed is not None:
                    kinds.add(Applicability.SAFE)
                if example.unsafe_fixed is not None and example.unsafe_fixed != example.after_safe:
                    kinds.add(Applicability.UNSAFE)
                if example.display_fixed is not None and example.display_fixed != example.after_unsafe:
                    kinds.add(Applicability.DISPLAY_ONLY)
        return kinds

    @classmethod
    def fix_availability(cls) -> str:
        invalid = [e for e in cls.examples if isinstance(e, Invalid)]
        fixable = [e for e in invalid if e.after_display != e.code]
        if not fixable:
            return "none"
        return "always" if len(fixable) == len(invalid) else "sometimes"


@dataclass(frozen=True, slots=True)
class TextFix:
    """A fix as offsets into the source text: for rules that read comments, not the tree."""

    message: str
    applicability: Applicability
    edits: tuple[tuple[int, int, str], ...]  # (start, end, replacement)


@dataclass(frozen=True, slots=True)
class TextFinding:
    """A finding at offsets into the source text (a comment), as a suppression rule states it."""

    start: int
    end: int
    message: str
    fix: TextFix | None = None
    help: str | None = None


class SuppressionRule(Rule, register=False):
    """A rule about the suppression comments themselves. The engine calls `check_suppressions` after
    every other rule of the file has run and its findings were filtered, with each directive's use;
    it needs no parse and no visitor."""

    @classmethod
    def check_suppressions(
        cls, text: str, suppressions: Suppressions, enabled: frozenset[str], options: RuleOptions
    ) -> list[TextFinding]:
        """Findings about `suppressions` in `text`; `enabled` are the codes enabled for the file."""
        raise NotImplementedError


_FIRST_SIDES: dict[tuple[type[Rule], ...], tuple[Token, ...] | None] = {}


def rules_that_may_match(rules: Sequence[type[Rule]], scan: TokenScan) -> list[type[Rule]]:
    """The rules whose tokens the scanned file has. Most files of a tree have none: one search for
    every rule's first side together says so, each distinct token once (the rules share most of
    theirs), instead of a pass over each rule's."""
    rules = tuple(rules)
    first = _FIRST_SIDES.get(rules, ())
    if first == ():
        # None: some rule runs on every file.
        sides = [rule.token_sides() for rule in rules]
        first = _FIRST_SIDES[rules] = None if any(not side for side in sides) else tuple(dict.fromkeys(t for side in sides for t in side[0]))
    if first is not None and not scan.any(first):
        return []
    return [rule for rule in rules if rule.may_match(scan)]


def registered_rules() -> dict[str, type[Rule]]:
    """Every rule, by code, in code order. Importing `mcpmigrate.rules` registers them."""
    import mcpmigrate.rules  # noqa: F401  (registers the rule modules)

    return dict(sorted(_REGISTRY.items()))


def rule_catalog() -> dict[str, RuleInfo]:
    """Every registered rule's `RuleInfo`, by code in code order."""
    return {code: rule.info() for code, rule in registered_rules().items()}
