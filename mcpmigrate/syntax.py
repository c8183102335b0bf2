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
