"""Project facts that change what a rule may do (no LibCST: the runner and the cache need them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """Project facts that change what a rule may do, resolved once per project, not per file."""

    target_sdk: int | None = None  # 2: the project requires mcp>=2; 1: mcp<2; None: unknown
