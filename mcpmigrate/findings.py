"""The values the engine hands out: findings, fixes and their edits. Plain data, nothing else."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Applicability(str, enum.Enum):
    """How far a fix can be trusted, as in ruff: safe fixes apply with `--fix`, unsafe ones need `--unsafe-fixes`."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Severity(str, enum.Enum):
    ERROR = "error"  # breaks on a 2026-07-28 peer or with mcp 2.x
    WARNING = "warning"  # deprecated: still works for now
    INFO = "info"  # a SHOULD: shown, but does not fail `check` unless selected explicitly


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based row and a 1-based column counted in characters."""

    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `source[start:end]` with `content`. Offsets index the decoded source text."""

    start: int
    end: int
    content: str
    location: Location
    end_location: Location


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    location: Location
    end_location: Location
    fix: Fix | None = None
    # The fix's own text, e.g. "Rename to `MCPError`"; shown as help even when no edit can be made.
    help: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.row, self.location.column, self.code)


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file that could not be checked or fixed: it is named on one line and never written."""

    path: str
    message: str
    location: Location | None = None
    internal: bool = False  # our bug rather than the user's input
