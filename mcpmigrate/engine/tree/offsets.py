"""Where nodes are in the source text: LibCST's syntactic positions, as character offsets.

LibCST's PositionProvider regenerates the code while splitting every token to track lines and
columns, and keeps a CodeRange per node: on a large file that costs more than the parse itself.
Code generation reproduces the source exactly, so counting characters gives each node's offsets in
the original text directly, with the same start and end rules (syntactic ranges where a node records
one, whitespace-inclusive otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState

from mcpmigrate.engine.tree.traversal import StatementIndex


@dataclass(frozen=False)
class _OffsetCodegenState(CodegenState):
    offset: int = 0
    last_token: int = 0  # length of the last token, for pop_trailing_newline
    computed: dict[cst.CSTNode, tuple[int, int]] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)
            self.last_token = len(token)

    def add_token(self, value: str) -> None:
        if not self.tokens:  # Module codegen asks whether any token was generated; keep only the first
            self.tokens.append(value)
        self.offset += len(value)
        self.last_token = len(value)

    def pop_trailing_newline(self) -> None:
        # Module codegen drops the final newline token it generated itself (the text has none there).
        if self.offset:
            self.offset -= self.last_token

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._starts.append(self.offset)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._starts.pop()
        if node not in self.computed:  # a syntactic range, recorded inside, takes precedence
            self.computed[node] = (start, self.offset)

    @contextmanager
    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> Iterator[None]:
        # Recorded only once what it covers is generated: a statement generated only in part
        # (see _PrefixCodegenState) has no range.
        start = self.offset
        yield
        end = self.offset
        if start_node is not None:
            start = self.computed[start_node][0]
        if end_node is not None:
            end = self.computed[end_node][1]
        self.computed[node] = (start, end)


def node_offsets(module: cst.Module) -> dict[cst.CSTNode, tuple[int, int]]:
    """Every node's (start, end) offsets in the module's source text, as LibCST's PositionProvider
    would place them."""
    state = _OffsetCodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    return state.computed


@dataclass(frozen=False)
class _TextCodegenState(_OffsetCodegenState):
    """Also keeps the generated text, to find where a statement is in the source."""

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        super().add_indent_tokens()

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)
        self.last_token = len(value)


def statement_offsets(
    module: cst.Module, text: str, statements: StatementIndex, nodes: Iterable[cst.CSTNode]
) -> PlacedOffsets | None:
    """The offsets of every node in the statements that hold `nodes`, generating only those; None
    if one cannot be placed for certain (the caller then generates the whole module).

    A statement's code, generated with the indentation of the blocks around it, is a piece of the
    source (with its leading comment lines), and so is any beginning of it. Placed in the order of
    the text, each where it occurs exactly once after the one before, it can only be where that code
    really is: the code of every statement tried is exactly its text (so not an `elif`, which
    generates alone as `if`, nor any statement of a file without a final newline, whose module drops
    the last one). A statement is generated only as far as the last node asked for in it (a
    function's decorator needs no body), and whole where that beginning is not unique. The innermost
    statement is tried first; where its code occurs twice (a repeated `return x`), the statement
    around it is tried instead, and so on out to the module.
    """
    if not module.has_trailing_newline:
        return None  # the module drops the last line's newline, which its statement generates
    asked: dict[cst.CSTNode, list[cst.CSTNode]] = {}  # by the innermost statement holding them
    for node in nodes:
        statement = statements.owner.get(id(node))
        if statement is None:
            return None  # outside every statement (the module's own comments), or not walked
        asked.setdefault(statement, []).append(node)
    units = set(asked)
    rank = {statement: index for index, statement in enumerate(statements.about)}
    generated: dict[tuple[cst.CSTNode, frozenset[int]], tuple[str, dict[cst.CSTNode, tuple[int, int]]]] = {}
    while True:
        # Each asked-for node goes with the outermost unit around it; those units are the ones tried.
        wanted: dict[cst.CSTNode, list[cst.CSTNode]] = {}
        for statement, held in asked.items():
            wanted.setdefault(_outermost(statement, units, statements), []).extend(held)
        chosen = sorted(wanted, key=rank.__getitem__)
        placed = _place(module, text, statements, chosen, generated, wanted)
        if isinstance(placed, PlacedOffsets):
            return placed
        outer = statements.about[placed][0]
        if outer is None:
            return None
        units.discard(placed)
        units.add(outer)


def _outermost(statement: cst.CSTNode, units: set[cst.CSTNode], statements: StatementIndex) -> cst.CSTNode:
    """The outermost of `units` that is or holds `statement` (every asked-for statement is in one:
    itself, or the statement it was widened to)."""
    found = statement
    outer: cst.CSTNode | None = statement
    while outer is not None:
        if outer in units:
            found = outer
        outer = statements.about[outer][0]
    return found


class PlacedOffsets:
    """The offsets of the nodes of placed statements: each statement's own offsets, and where it
    starts (adding that to every node up front cost more than all the lookups)."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: list[tuple[dict[cst.CSTNode, tuple[int, int]], int]]) -> None:
        self.pieces = pieces

    def get(self, node: cst.CSTNode) -> tuple[int, int] | None:
        for relative, at in self.pieces:
            found = relative.get(node)
            if found is not None:
                return found[0] + at, found[1] + at
        return None

    def items(self) -> Iterator[tuple[cst.CSTNode, tuple[int, int]]]:
        for relative, at in self.pieces:
            for node, (start, end) in relative.items():
                yield node, (start + at, end + at)


def _place(
    module: cst.Module,
    text: str,
    statements: StatementIndex,
    chosen: list[cst.CSTNode],
    generated: dict[tuple[cst.CSTNode, frozenset[int]], tuple[str, dict[cst.CSTNode, tuple[int, int]]]],
    wanted: dict[cst.CSTNode, list[cst.CSTNode]],
) -> PlacedOffsets | cst.CSTNode:
    """The offsets of the chosen statements' nodes, or the first statement that cannot be placed."""
    pieces: list[tuple[dict[cst.CSTNode, tuple[int, int]], int]] = []
    low = 0
    for statement in chosen:
        outer = statements.about[statement][0]
        if type(outer) is cst.If and outer.orelse is statement:
            return statement  # an elif generates as `if`, which the text has only inside `elif`
        code, relative = _generated(module, statements, statement, generated, wanted[statement])
        at = _unique_line_start_occurrence(text, code, low)
        if at < 0:
            whole = _generated(module, statements, statement, generated, None)
            if len(whole[0]) == len(code):
                return statement
            code, relative = whole  # only its beginning was tried, and that occurs more than once
            at = _unique_line_start_occurrence(text, code, low)
            if at < 0:
                return statement
        pieces.append((relative, at))
        low = at + len(code)
    return PlacedOffsets(pieces)


class _Generated(Exception):
    """Every node asked for has its offsets: the rest of the statement is not generated."""


@dataclass(frozen=False)
class _PrefixCodegenState(_TextCodegenState):
    """Generates a statement only until every node asked for is generated."""

    pending: set[int] = field(default_factory=set)

    def after_codegen(self, node: cst.CSTNode) -> None:
        super().after_codegen(node)
        pending = self.pending
        if id(node) in pending:
            pending.discard(id(node))
            if not pending:
                raise _Generated


def _generated(
    module: cst.Module,
    statements: StatementIndex,
    statement: cst.CSTNode,
    generated: dict[tuple[cst.CSTNode, frozenset[int]], tuple[str, dict[cst.CSTNode, tuple[int, int]]]],
    wanted: list[cst.CSTNode] | None,
) -> tuple[str, dict[cst.CSTNode, tuple[int, int]]]:
    """A statement's code and its nodes' offsets in it: all of it, or (`wanted`) up to the last of those."""
    key = (statement, frozenset(map(id, wanted)) if wanted else frozenset())
    made = generated.get(key)
    if made is None:
        if wanted and statement not in wanted:
            state: _TextCodegenState = _PrefixCodegenState(
                default_indent=module.default_indent, default_newline=module.default_newline, pending=set(map(id, wanted))
            )
        else:
            state = _TextCodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
        state.indent_tokens = list(statements.about[statement][1])
        try:
            statement._codegen(state)
        except _Generated:
            pass
        made = generated[key] = ("".join(state.tokens), state.computed)
    return made


def _unique_line_start_occurrence(text: str, code: str, low: int) -> int:
    """Where `code` occurs at the start of a line from `low` on, if it does exactly once (else -1)."""
    at = _line_start_occurrence(text, code, low)
    return at if at >= 0 and _line_start_occurrence(text, code, at + 1) < 0 else -1


def _line_start_occurrence(text: str, code: str, low: int) -> int:
    """Where `code` next occurs at the start of a line, from `low` on (-1: nowhere). A statement
    starts a line; an occurrence elsewhere (inside a longer indentation) is none of its."""
    at = text.find(code, low)
    while at > 0 and text[at - 1] not in "\n\r":
        at = text.find(code, at + 1)
    return at
