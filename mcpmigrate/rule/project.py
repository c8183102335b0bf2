"""What a file imports from the rest of the checked project, as rules may read it (no LibCST).

The run's project pass (mcpmigrate.run.project) indexes every module of the run that mentions MCP,
and hands each file the facts about the names it imports from those modules: string constants
(`SESSION_HEADER = "mcp-session-id"`, an enum's `SSE = "sse"`), the SDK classes a project class
derives from, the SDK names a project function or class uses (`run_sse_client` calls
`sse_client`), and which imported names are the project's own, with no SDK class behind them (a
pydantic model of its own whose `isError` is no SDK field). They travel in `RuleOptions`, so they are part of the findings cache's key: a file's
entry is stale as soon as what it imports changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def absolute_name(package: str, qualified: str) -> str:
    """`.sessions.create`, as written in a module of `package` (a relative import's target), made absolute."""
    if not qualified.startswith("."):
        return qualified
    dots = len(qualified) - len(qualified.lstrip("."))
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (dots - 1)] if dots - 1 <= len(parts) else []
    rest = qualified[dots:]
    return ".".join([*base, rest] if rest else base)


# The SDK names rules look for through the project's own functions and classes (`ProjectFacts.uses`):
# of what a project function uses, only these stand in an importing file's text for the pre-filter
# (a wrapper's every other SDK name would wake rules that cannot find anything through it).
_LOOKED_THROUGH: set[str] = set()


def looked_through(names: frozenset[str]) -> frozenset[str]:
    """Register `names` as asked about through wrappers (`uses`); a rule does so where it defines them."""
    _LOOKED_THROUGH.update(names)
    return names


@dataclass(frozen=True)
class ProjectFacts:
    package: str = ""  # the file's own package (dotted), for its relative imports
    constants: tuple[tuple[str, str], ...] = ()  # qualified name -> string value
    bases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # project class -> every SDK class it derives from
    references: tuple[tuple[str, tuple[str, ...]], ...] = ()  # project function or class -> SDK names it uses
    instances: tuple[tuple[str, str], ...] = ()  # a project module's object (`app.tools.mcp`) -> the SDK class it is
    own: tuple[str, ...] = ()  # the project's classes the file imports that derive from no SDK class
    plain: tuple[str, ...] = ()  # what the file imports from project modules that mention no MCP at all
    # The same as dicts, built on first use (rules ask for every name they meet).
    _tables: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def _table(self, which: str) -> dict:
        table = self._tables.get(which)
        if table is None:
            table = self._tables[which] = dict(getattr(self, which))
        return table

    @property
    def mentions(self) -> str:
        """The lowered text these facts stand for (for the pre-filter): constants' values, the SDK
        classes project classes derive from and project objects are made from, and the SDK names
        rules look for through wrappers."""
        text = self._tables.get("mentions")
        if text is None:
            parts = [value for _, value in self.constants]
            parts += [name for _, names in self.bases for name in names]
            parts += [sdk_class for _, sdk_class in self.instances]  # `from app import mcp`: a FastMCP
            parts += [name for _, names in self.references for name in names if name in _LOOKED_THROUGH]
            text = self._tables["mentions"] = "\n".join(parts).lower()
        return text

    @property
    def fingerprint(self) -> str:
        """A short hash of these facts, for the findings cache's key (the facts themselves are kilobytes)."""
        found = self._tables.get("fingerprint")
        if found is None:
            text = repr((self.package, self.constants, self.bases, self.references, self.instances, self.own, self.plain))
            found = self._tables["fingerprint"] = hashlib.sha256(text.encode()).hexdigest()[:32]
        return found

    def absolute(self, qualified: str) -> str:
        return absolute_name(self.package, qualified)

    def constant(self, qualified: str | None) -> str | None:
        if qualified is None or not self.constants:
            return None
        return self._table("constants").get(self.absolute(qualified))

    def instance_of(self, qualified: str | None) -> frozenset[str]:
        """The SDK classes the project object `qualified` (imported from another module) is made from."""
        if qualified is None or not self.instances:
            return frozenset()
        table = self._tables.get("instances")
        if table is None:
            table = self._tables["instances"] = {}
            for name, sdk_class in self.instances:
                table.setdefault(name, set()).add(sdk_class)
        return frozenset(table.get(self.absolute(qualified), ()))

    def is_own(self, qualified: str | None) -> bool:
        """Is `qualified` (as the file names it) a class the project defines with no SDK class behind
        it, or in a project module that mentions no MCP (which can make no SDK object)?"""
        if qualified is None or not (self.own or self.plain):
            return False
        name = self.absolute(qualified)
        if name in self.own:
            return True
        plain = self._tables.get("plain")
        if plain is None:
            plain = self._tables["plain"] = frozenset(self.plain)
        while name:
            if name in plain:
                return True
            name = name.rpartition(".")[0]
        return False

    def sdk_bases(self, qualified: str | None) -> tuple[str, ...]:
        """Every SDK class the project class `qualified` derives from (none: no such class)."""
        if qualified is None or not self.bases:
            return ()
        return self._table("bases").get(self.absolute(qualified), ())

    def derives_from(self, qualified: str | None, classes: frozenset[str]) -> bool:
        return bool(classes.intersection(self.sdk_bases(qualified)))

    def uses(self, qualified: str | None, names: frozenset[str]) -> bool:
        """Does the project function or class `qualified` use one of the SDK's `names`?"""
        if not names <= _LOOKED_THROUGH:  # else the pre-filter could skip the files it finds them in
            raise ValueError(f"register {sorted(names - _LOOKED_THROUGH)} with looked_through() where they are defined")
        if qualified is None or not self.references:
            return False
        return bool(names.intersection(self._table("references").get(self.absolute(qualified), ())))


NO_FACTS = ProjectFacts()
