"""Which `mcp` SDK a project targets, read from its declared dependency.

Fixes that are only right on mcp 2.x are safe when every version the project admits is 2.x or
newer, and unsafe otherwise. The answer comes from `target-sdk` in the configuration, or from the
`mcp` requirement in the nearest `pyproject.toml` (PEP 621 dependencies, optional dependencies,
dependency groups, Poetry) and `requirements*.txt` files beside it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcpmigrate.run.config import parsed_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Version = tuple[int, int, int]
INFINITY: Version = (10**9, 0, 0)
ONE: Version = (0, 0, 0)
TWO: Version = (2, 0, 0)
# Packages whose own version decides the mcp SDK: FastMCP 4 requires mcp>=2, FastMCP 2 and 3 mcp<2.
FIRST_ON_MCP2 = {"mcp": TWO, "fastmcp": (4, 0, 0)}

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*\(?([^;()]*)\)?\s*(;.*)?$")
_CLAUSE = re.compile(r"^\s*(===|==|!=|~=|>=|<=|>|<)\s*([0-9][0-9A-Za-z.*+!-]*)\s*$")


@dataclass(frozen=True, slots=True)
class Target:
    sdk: int | None  # 2, 1, or None when unknown or mixed
    source: str  # where that came from, for the run's summary
    # The project declares mcp or FastMCP (or sets target-sdk): its files are about MCP even where
    # they import neither (a CLI choosing the transport, a settings module, a constants module).
    requires_mcp: bool = False
    # `path:line` of the first declaration that admits mcp 1.x, for a run that wrote 2.x names
    pin: str | None = None

    def describe(self) -> str:
        if self.sdk == 2:
            return f"Target SDK: mcp 2 ({self.source})."
        which = "unknown" if self.sdk is None else f"mcp {self.sdk}"
        return (
            f"Target SDK: {which} ({self.source}); fixes that need mcp 2.x stay unsafe until the project "
            'requires mcp>=2 (or sets target-sdk = "2").'
        )


def _version(text: str) -> tuple[Version, bool]:
    """A release tuple, and whether the text ended in a `.*` wildcard."""
    wildcard = text.endswith(".*")
    parts = [int(match) for match in re.findall(r"\d+", text.split("+")[0].rstrip(".*"))[:3]]
    parts += [0] * (3 - len(parts))
    return (parts[0], parts[1], parts[2]), wildcard


def _bump(version: Version, length: int) -> Version:
    """The first version past every version starting with `version`'s first `length` parts."""
    parts = list(version[:length])
    parts[-1] += 1
    parts += [0] * (3 - len(parts))
    return (parts[0], parts[1], parts[2])


def _length(text: str) -> int:
    return min(3, len(re.findall(r"\d+", text.split("+")[0].rstrip(".*"))))


def allowed_range(specifier: str) -> tuple[Version, bool, Version, bool] | None:
    """The interval of versions a PEP 440 specifier admits: (low, low inclusive, high, high inclusive)."""
    low, low_in, high, high_in = ONE, True, INFINITY, False
    for clause in filter(None, (part.strip() for part in specifier.split(","))):
        match = _CLAUSE.match(clause)
        if match is None:
            return None
        operator, text = match.groups()
        version, wildcard = _version(text)
        bounds: list[tuple[str, Version, bool]] = []
        if operator in ("==", "===") and wildcard:
            bounds = [("low", version, True), ("high", _bump(version, _length(text)), False)]
        elif operator in ("==", "==="):
            bounds = [("low", version, True), ("high", version, True)]
        elif operator == "~=":
            bounds = [("low", version, True), ("high", _bump(version, max(1, _length(text) - 1)), False)]
        elif operator == ">=":
            bounds = [("low", version, True)]
        elif operator == ">":
            bounds = [("low", version, False)]
        elif operator == "<=":
            bounds = [("high", version, True)]
        elif operator == "<":
            bounds = [("high", version, False)]
        for side, value, inclusive in bounds:  # `!=` removes one point: it never decides a major version
            if side == "low" and (value > low or (value == low and not inclusive)):
                low, low_in = value, inclusive
            if side == "high" and (value < high or (value == high and not inclusive)):
                high, high_in = value, inclusive
    return low, low_in, high, high_in


def _intersects(span: tuple[Version, bool, Version, bool], start: Version, stop: Version) -> bool:
    """Does the interval meet [start, stop)?"""
    low, low_in, high, high_in = span
    if low > high or (low == high and not (low_in and high_in)):
        return False
    below_stop = low < stop
    above_start = high > start or (high == start and high_in)
    return below_stop and above_start


def sdk_of_specifier(specifier: str, first_modern: Version = TWO) -> int | None:
    """2 if every version the specifier admits is at least `first_modern` (the first release on
    mcp 2.x), 1 if none is, None if both kinds are admitted or the specifier is not understood."""
    span = allowed_range(specifier)
    if span is None:
        return None
    allows_1 = _intersects(span, ONE, first_modern)
    allows_2 = _intersects(span, first_modern, INFINITY)
    if allows_2 and not allows_1:
        return 2
    if allows_1 and not allows_2:
        return 1
    return None


def _requirement(requirement: str) -> tuple[str, str] | None:
    """(package, specifier) for a PEP 508 requirement on a package in FIRST_ON_MCP2, else None."""
    match = _REQUIREMENT.match(requirement.split("#", 1)[0])
    if match is None:
        return None
    package = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return (package, re.sub(r"\s+", "", match.group(3))) if package in FIRST_ON_MCP2 else None


def _poetry_specifier(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("version")
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.startswith("^"):
        version, _ = _version(value[1:])
        first = next((i for i, part in enumerate(version) if part), 2)
        return f">={value[1:]},<{'.'.join(map(str, _bump(version, first + 1)))}"
    if value.startswith("~") and not value.startswith("~="):
        version, _ = _version(value[1:])
        return f">={value[1:]},<{'.'.join(map(str, _bump(version, min(2, _length(value[1:])))))}"
    if value == "*":
        return ""
    return value if re.match(r"^[<>=!~]", value) else f"=={value}"


def _pyproject_requirements(path: Path) -> list[tuple[str, str]]:
    try:
        document = parsed_toml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    found: list[tuple[str, str]] = []
    project = document.get("project", {})
    lists = [project.get("dependencies", []), *project.get("optional-dependencies", {}).values()]
    lists += list(document.get("dependency-groups", {}).values())
    for items in lists:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, str) and (requirement := _requirement(item)) is not None:
                found.append(requirement)
    poetry = document.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), *(g.get("dependencies", {}) for g in poetry.get("group", {}).values())]
    for table in tables:
        for package in FIRST_ON_MCP2:
            if isinstance(table, dict) and package in table and (specifier := _poetry_specifier(table[package])) is not None:
                found.append((package, specifier))
    return found


def _requirements_file(path: Path) -> list[tuple[str, str]]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [r for line in lines if not line.lstrip().startswith(("-", "#")) and (r := _requirement(line)) is not None]


def _declared_at(candidate: Path) -> Target | None:
    """The target that `candidate`'s own declarations give, or None if it has none to read."""
    pyproject = candidate / "pyproject.toml"
    requirement_files = sorted(candidate.glob("requirements*.txt"))
    if not pyproject.is_file() and not requirement_files:
        return None
    declared: list[tuple[Path, str, str]] = []  # (file, package, specifier)
    if pyproject.is_file():
        declared += [(pyproject, *r) for r in _pyproject_requirements(pyproject)]
    for path in requirement_files:
        declared += [(path, *r) for r in _requirements_file(path)]
    if not declared:
        return Target(None, f"no dependency on mcp declared in {candidate}")
    sdks = {sdk_of_specifier(specifier, FIRST_ON_MCP2[package]) for _, package, specifier in declared}
    where = ", ".join(f"{path.name}: {package}{specifier}" for path, package, specifier in declared)
    pin = next(
        (f"{path}:{_line_of(path, package)}" for path, package, specifier in declared
         if sdk_of_specifier(specifier, FIRST_ON_MCP2[package]) != 2),
        None,
    )
    return Target(sdks.pop() if len(sdks) == 1 else None, where, requires_mcp=True, pin=pin)


def _line_of(path: Path, package: str) -> int:
    """The 1-based line of `path` that declares `package` (its first mention as a requirement)."""
    pattern = re.compile(rf"""(^|["'\s]){re.escape(package)}\s*([<>=!~\[;"',]|=|$)""", re.IGNORECASE)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, 1) if pattern.search(line) and not line.lstrip().startswith("#")), 1)


NO_DECLARATIONS = Target(None, "no pyproject.toml or requirements file found")


def detect(folder: Path) -> Target:
    """The target of the project whose files sit under `folder`, from its nearest declarations."""
    return TargetResolver().for_folder(folder, None, None)


class TargetResolver:
    """Targets per folder; each folder's declarations are read once however many files sit below it."""

    def __init__(self) -> None:
        self._cache: dict[Path, Target] = {}
        self._by_given: dict[Path, Target] = {}  # by the folder as named, to resolve it once

    def for_folder(self, folder: Path, configured: int | None, config_source: Path | None) -> Target:
        if configured is not None:
            return Target(configured, f"target-sdk in {config_source}" if config_source else "target-sdk", requires_mcp=True)
        found = self._by_given.get(folder)
        if found is None:
            found = self._by_given[folder] = self._nearest(folder.resolve())
        return found

    def _nearest(self, folder: Path) -> Target:
        unresolved: list[Path] = []
        found: Target | None = None
        for candidate in (folder, *folder.parents):
            cached = self._cache.get(candidate)
            if cached is not None:
                found = cached
                break
            unresolved.append(candidate)
            found = _declared_at(candidate)
            if found is not None:
                break
        found = found or NO_DECLARATIONS
        for candidate in unresolved:
            self._cache[candidate] = found
        return found
