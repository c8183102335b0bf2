"""LibCST's parser, building its nodes the cheap way.

Every LibCST node is a frozen dataclass that checks itself when constructed: its `__init__` sets
each field through `object.__setattr__` (the frozen way) and then runs `CSTNode.__post_init__`
(`_validate`: is the whitespace whitespace, are the parentheses balanced, ...). That is what a
hand-built node needs. The nodes LibCST's own parser builds come from source it has just parsed,
and checking each again was a tenth of a parse on the mcp SDK's source: it is off while the parser
runs. Setting fields the frozen way was another twentieth, so once a process has parsed a few files,
each node class also gets an `__init__` that stores the same fields in the same slots directly (not
at once: making those costs about what they save on fifty files, too much for a pre-commit run of
two). The classes' own come back as soon as the parser returns.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

import libcst as cst
from libcst._nodes.base import CSTNode

_LOCK = threading.Lock()  # one parse at a time swaps the constructors
_SWAPS: list[tuple[type, Callable[..., None], Callable[..., None]]] | None = None
_CHECK = CSTNode.__dict__["__post_init__"]
UNCHECKED_INITS_AFTER = 8  # parses in this process before its node classes get unchecked constructors
_parsed = 0


def _unchecked(self: CSTNode) -> None:
    pass


def _node_classes() -> list[type]:
    found: list[type] = []
    seen: set[type] = set()
    pending = [CSTNode]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
                if dataclasses.is_dataclass(subclass) and "__init__" in subclass.__dict__:
                    found.append(subclass)
    return found


def _setter(node_class: type, name: str) -> Callable[[object, object], None]:
    """The quickest way to store field `name`: its slot's own setter, else `object.__setattr__`."""
    for klass in node_class.__mro__:
        if name in klass.__dict__:
            descriptor = klass.__dict__[name]
            if type(descriptor).__name__ == "member_descriptor":
                return descriptor.__set__
            break
    return lambda node, value: object.__setattr__(node, name, value)


def _unchecked_init(node_class: type) -> Callable[..., None] | None:
    """An `__init__` taking exactly what the dataclass's takes (same names, order and defaults) and
    storing it unchecked; None for a class whose construction does more than store fields."""
    if "__post_init__" in node_class.__dict__:
        return None
    namespace: dict[str, object] = {"_FACTORY": dataclasses.MISSING}
    parameters: list[str] = []
    body: list[str] = []
    for index, field in enumerate(dataclasses.fields(node_class)):
        if not field.init or field.kw_only:
            return None
        namespace[f"_set{index}"] = _setter(node_class, field.name)
        if field.default is not dataclasses.MISSING:
            namespace[f"_default{index}"] = field.default
            parameters.append(f"{field.name}=_default{index}")
            body.append(f"_set{index}(self, {field.name})")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory{index}"] = field.default_factory
            parameters.append(f"{field.name}=_FACTORY")
            body.append(f"_set{index}(self, _factory{index}() if {field.name} is _FACTORY else {field.name})")
        else:
            parameters.append(field.name)
            body.append(f"_set{index}(self, {field.name})")
    source = f"def __init__(self, {', '.join(parameters)}):\n    " + "\n    ".join(body or ["pass"]) + "\n"
    exec(source, namespace)  # the same technique dataclasses itself uses to build __init__
    return namespace["__init__"]  # type: ignore[return-value]


def _swaps() -> list[tuple[type, Callable[..., None], Callable[..., None]]]:
    global _SWAPS
    if _SWAPS is None:
        swaps = []
        for node_class in _node_classes():
            unchecked = _unchecked_init(node_class)
            if unchecked is not None:
                swaps.append((node_class, node_class.__dict__["__init__"], unchecked))
        _SWAPS = swaps
    return _SWAPS


def parse_module(text: str) -> cst.Module:
    global _parsed
    with _LOCK:
        _parsed += 1
        swaps = _swaps() if _parsed > UNCHECKED_INITS_AFTER else ()
        CSTNode.__post_init__ = _unchecked
        for node_class, _, unchecked in swaps:
            node_class.__init__ = unchecked
        try:
            return cst.parse_module(text)
        finally:
            CSTNode.__post_init__ = _CHECK
            for node_class, checked, _ in swaps:
                node_class.__init__ = checked
