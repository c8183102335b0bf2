"""LibCST's parser, without the second look at what it builds.

Every LibCST node checks itself when constructed (`CSTNode.__post_init__` runs `_validate`: is the
whitespace whitespace, are the parentheses balanced, ...), which is what a hand-built node needs.
The nodes LibCST's own parser builds come from source it has just parsed, and checking each again
was a tenth of a parse on the mcp SDK's source. So the check is off while the parser runs, and
back as soon as it returns.
"""

from __future__ import annotations

import threading

import libcst as cst
from libcst._nodes.base import CSTNode

_CHECK = CSTNode.__dict__["__post_init__"]
_LOCK = threading.Lock()  # one parse at a time turns it off and on


def _unchecked(self: CSTNode) -> None:
    pass


def parse_module(text: str) -> cst.Module:
    with _LOCK:
        CSTNode.__post_init__ = _unchecked
        try:
            return cst.parse_module(text)
        finally:
            CSTNode.__post_init__ = _CHECK
