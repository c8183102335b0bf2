"""A read-only batched traversal of a LibCST tree, in the order LibCST itself visits.

`libcst.visit_batched` rebuilds every node it passes (each `_visit_and_replace_children` constructs
and validates a new node), which measured on the mcp SDK's source cost more than the parse itself.
Rules only read the tree, so this walks the existing nodes instead, calling the same
`visit_<Node>` / `leave_<Node>` methods in the same order. The order of a node type's fields is
read from LibCST itself: its `_visit_and_replace_children` names each field, in visiting order, to
`on_visit_attribute`, so a recording visitor that does not descend learns it from a node of that
type (again from a later node that has a field the first one lacked).
"""

from __future__ import annotations

import dataclasses
import typing
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst._nodes import op as _op_nodes
from libcst._nodes import whitespace as _whitespace_nodes

Callback = Callable[[cst.CSTNode], object]


class _FieldRecorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False  # one level only: the children themselves are not entered

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if attribute not in self.fields:
            self.fields.append(attribute)


@dataclass(frozen=True, slots=True)
class _Order:
    fields: tuple[str, ...]  # the children's fields, in visiting order
    # Fields not seen visited yet. LibCST names most absent optional fields to the visitor, but not
    # all (a `FormattedStringExpression` without `format_spec`), so a node found in one of these
    # means the order is learnt again from that node.
    unseen: tuple[str, ...]


_ORDERS: dict[type, _Order] = {}
# Whitespace, comments and punctuation hold nothing a rule visits; they are not walked while no
# visitor asks for one of them.
_TOKEN_MODULES = {_op_nodes.__name__, _whitespace_nodes.__name__}


def _recorded(node: cst.CSTNode) -> list[str]:
    recorder = _FieldRecorder()
    node._visit_and_replace_children(recorder)
    return recorder.fields


def _holds_node(value: object) -> bool:
    if isinstance(value, (tuple, list)):
        return any(isinstance(item, cst.CSTNode) for item in value)
    return isinstance(value, cst.CSTNode)


def _admitted(hint: object) -> set[type] | None:
    """The node classes a field's annotation admits (None: cannot tell, so anything)."""
    if isinstance(hint, type):
        return {hint} if issubclass(hint, cst.CSTNode) else set()
    if typing.get_origin(hint) is typing.Literal:
        return set()
    arguments = typing.get_args(hint)
    if not arguments:
        return None
    admitted: set[type] = set()
    for argument in arguments:
        classes = _admitted(argument)
        if classes is None:
            return None
        admitted |= classes
    return admitted


_ADMITTED: dict[type, dict[str, set[type] | None]] = {}


def _admitted_by(node_type: type, name: str) -> set[type] | None:
    hints = _ADMITTED.get(node_type)
    if hints is None:
        try:
            resolved = typing.get_type_hints(node_type)
        except Exception:  # an annotation that does not resolve: assume it may hold anything
            resolved = {}
        hints = _ADMITTED[node_type] = {field.name: _admitted(resolved.get(field.name)) if field.name in resolved else None
                                        for field in dataclasses.fields(node_type)}
    return hints.get(name)


def _order_of(node: cst.CSTNode) -> _Order:
    order = _ORDERS.get(type(node))
    if order is None:
        fields = _recorded(node)
        # A field that is not visited and whose annotation admits no node (`Name.value: str`)
        # cannot hold a child: it is not looked at again.
        unseen = tuple(
            field.name
            for field in dataclasses.fields(node)
            if field.name not in fields and _admitted_by(type(node), field.name) != set()
        )
        order = _ORDERS[type(node)] = _Order(tuple(fields), unseen)
    return order


def _token_only(node_type: type, name: str) -> bool:
    """Whether a field can hold only whitespace and punctuation nodes (`Call.whitespace_after_func`,
    `Arg.comma`), which are not walked while no visitor asks for them."""
    admitted = _admitted_by(node_type, name)
    if not admitted:
        return False  # unknown (or no node at all: then it holds nothing to walk either way)
    return all(cls.__module__ in _TOKEN_MODULES for cls in admitted)


_PRUNED: dict[tuple[type, _Order], _Order] = {}


def _without_tokens(node_type: type, order: _Order) -> _Order:
    """`order` without the fields that hold only whitespace and punctuation."""
    pruned = _PRUNED.get((node_type, order))
    if pruned is None:
        pruned = _PRUNED[node_type, order] = _Order(
            tuple(name for name in order.fields if not _token_only(node_type, name)),
            tuple(name for name in order.unseen if not _token_only(node_type, name)),
        )
    return pruned


def _relearn(node: cst.CSTNode, old: _Order) -> _Order:
    merged = _recorded(node)
    for index, name in enumerate(old.fields):
        if name not in merged:  # absent from this node: keep it after the field it followed
            merged.insert(merged.index(old.fields[index - 1]) + 1 if index else 0, name)
    # A field that holds a node here and still was not visited is no child at all: stop looking.
    unseen = tuple(name for name in old.unseen if name not in merged and not _holds_node(getattr(node, name)))
    order = _ORDERS[type(node)] = _Order(tuple(merged), unseen)
    return order


_STATEMENT_TYPES = frozenset(
    value
    for value in vars(cst).values()
    if isinstance(value, type) and issubclass(value, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
)

# What indents the lines inside it: a block, and a match statement (its cases).
_INDENTING = frozenset({cst.IndentedBlock, cst.Match})


@dataclass
class StatementIndex:
    """Which statement each node is in, filled by the traversal.

    `owner` maps a node's id to its innermost statement (a simple statement line or a compound
    statement; None outside every statement); `about` maps each statement, in the order walked
    (the order of the text), to the statement around it and the indentation of each block it is in.
    """

    owner: dict[int, cst.CSTNode | None] = dataclasses.field(default_factory=dict)
    about: dict[cst.CSTNode, tuple[cst.CSTNode | None, tuple[str, ...]]] = dataclasses.field(default_factory=dict)


def visit_batched(
    module: cst.CSTNode, visitors: Sequence[cst.BatchableCSTVisitor], statements: StatementIndex | None = None
) -> None:
    """Call every visitor's `visit_<Node>` before a node's children and `leave_<Node>` after, in
    LibCST's order, without changing or copying the tree.

    With `statements`, also record there which statement each walked node is in, so that positions
    can later be computed by generating those statements only.
    """
    visits: dict[str, list[Callback]] = defaultdict(list)
    leaves: dict[str, list[Callback]] = defaultdict(list)
    for visitor in visitors:
        for name, function in visitor.get_visitors().items():
            kind, _, node_name = name.partition("_")
            if "_" in node_name:
                raise NotImplementedError(f"attribute visitors such as {name} are not supported")
            (visits if kind == "visit" else leaves)[node_name].append(function)
    wanted = set(visits) | set(leaves)
    token_types_wanted = any(
        getattr(_op_nodes, name, None) is not None or getattr(_whitespace_nodes, name, None) is not None
        for name in wanted
    )
    plans: dict[type, tuple[tuple[Callback, ...], tuple[Callback, ...], _Order, int]] = {}
    indexing = statements is not None

    def plan(node: cst.CSTNode, order: _Order | None = None) -> tuple[tuple[Callback, ...], tuple[Callback, ...], _Order, int]:
        node_type = type(node)
        name = node_type.__name__
        order = order or _order_of(node)
        if not token_types_wanted:
            order = _without_tokens(node_type, order)
        # For the statement index: 1, a statement; 2, a node that indents the lines inside it.
        kind = (node_type in _STATEMENT_TYPES) | (node_type in _INDENTING) << 1 if indexing else 0
        made = plans[node_type] = (tuple(visits.get(name, ())), tuple(leaves.get(name, ())), order, kind)
        return made

    # Whether a child of this type is walked: a node, and not whitespace or punctuation unless a
    # visitor asks for those (about half of all nodes are). isinstance against the CSTNode ABC is
    # slow; a type is asked about once.
    is_node_type: dict[type, bool] = {}

    def is_node(value_type: type) -> bool:
        known = is_node_type.get(value_type)
        if known is None:
            known = issubclass(value_type, cst.CSTNode) and (
                token_types_wanted or value_type.__module__ not in _TOKEN_MODULES
            )
            is_node_type[value_type] = known
        return known

    record = statements.owner.__setitem__ if statements is not None else None
    about = statements.about if statements is not None else {}
    default_indent = module.default_indent if isinstance(module, cst.Module) else "    "
    current: cst.CSTNode | None = None  # the innermost statement being walked
    indents: list[str] = []  # the indentation of each block around it

    def walk(node: cst.CSTNode) -> None:
        nonlocal current
        entry = plans.get(type(node))
        if entry is None:
            entry = plan(node)
        on_visit, on_leave, order, kind = entry
        if kind:
            enclosing = current
            if kind & 1:
                about[node] = (enclosing, tuple(indents))
                current = node
            if kind & 2:  # after: a match statement indents its cases, not itself
                indents.append(default_indent if node.indent is None else node.indent)
        if record is not None:
            record(id(node), current)
        if order.unseen:
            for name in order.unseen:
                if _holds_node(getattr(node, name)):
                    on_visit, on_leave, order, kind = plan(node, _relearn(node, _ORDERS[type(node)]))
                    break
        for function in on_visit:
            function(node)
        for field in order.fields:
            child = getattr(node, field)
            child_type = type(child)
            if child_type is tuple or child_type is list:
                for item in child:
                    walked = is_node_type.get(type(item))  # inline: this loop is the hot path
                    if walked is None:
                        walked = is_node(type(item))
                    if walked:
                        walk(item)
            else:
                walked = is_node_type.get(child_type)
                if walked is None:
                    walked = is_node(child_type)
                if walked:
                    walk(child)
        for function in on_leave:
            function(node)
        if kind:
            current = enclosing
            if kind & 2:
                indents.pop()

    try:
        walk(module)
    finally:
        # `walk` refers to itself: without this the closure, and through the visitors the whole
        # tree, would wait for the cyclic collector (which checking runs without).
        walk = None  # noqa: F841
