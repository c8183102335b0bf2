"""Small syntactic predicates several rules share."""

from __future__ import annotations

import libcst as cst


def is_super_init(node: cst.Call) -> bool:
    """`super().__init__(...)`."""
    func = node.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "__init__"
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
        and not func.value.args
    )


def is_statement_of(statement: cst.SimpleStatementLine | None, call: cst.Call, *, awaited: bool | None = None) -> bool:
    """Is `call` the whole of `statement` (`call(...)` or `await call(...)` on a line of its own)?

    `awaited`: True requires the `await`, False forbids it, None takes either.
    """
    if statement is None or len(statement.body) != 1 or not isinstance(statement.body[0], cst.Expr):
        return False
    value = statement.body[0].value
    if isinstance(value, cst.Await):
        return awaited is not False and value.expression is call
    return awaited is not True and value is call


def simple_assignment(small: cst.BaseSmallStatement) -> tuple[cst.BaseAssignTargetExpression, cst.BaseExpression | None] | None:
    """`target = value` (one target) or `target: T = value`: the target and the value, else None."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.targets[0].target, small.value
    if isinstance(small, cst.AnnAssign):
        return small.target, small.value
    return None


def last_name(node: cst.BaseExpression) -> str | None:
    """The name an expression ends in: `f` of `f` and of `a.b.f`; None for anything else (a call's
    callee, `x[0]`). What a call is called by, whatever module or object it comes from."""
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else None
