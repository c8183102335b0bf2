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
        start = self.offset
        try:
            yield
        finally:
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
    module: cst.Module, text: str, statements: Iterable[int]
) -> dict[cst.CSTNode, tuple[int, int]] | None:
    """The offsets of every node in the given top-level statements (indices into `module.body`,
    ascending), generating only those; None if one cannot be placed for certain.

    A top-level statement's code is a piece of the source (with its leading comment lines): where it
    occurs exactly once after the statement placed before it, that is where it is. Code that occurs
    twice, or not at all (the last line of a file without a final newline), gives None, and the
    caller generates the whole module instead.
    """
    computed: dict[cst.CSTNode, tuple[int, int]] = {}
    low = 0
    for index in statements:
        state = _TextCodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
        module.body[index]._codegen(state)
        code = "".join(state.tokens)
        at = text.find(code, low)
        if at < 0 or text.find(code, at + 1) >= 0:
            return None
        for node, (start, end) in state.computed.items():
            computed[node] = (start + at, end + at)
        low = at + len(code)
    return computed
