"""Project facts that change what a rule may do (no LibCST: the runner and the cache need them)."""

from __future__ import annotations

from dataclasses import dataclass

from mcpmigrate.rule.project import NO_FACTS, ProjectFacts


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """Project facts that change what a rule may do: resolved once per project, and the facts of what
    each file imports from the project's other modules."""

    target_sdk: int | None = None  # 2: the project requires mcp>=2; 1: mcp<2; None: unknown
    require_noqa_reason: bool = False  # `require-noqa-reason = true`: a suppression must say why
    project_requires_mcp: bool = False  # the project declares mcp or FastMCP: evidence its files are about MCP
    project: ProjectFacts = NO_FACTS  # what the file imports from the rest of the checked tree (per file)

    def cache_key(self, project: str | None = None) -> str:
        """Every field, for the findings cache's key (a new field changes the key by itself); the
        project facts by their fingerprint, which `project` gives when they are not worked out yet."""
        return ",".join(
            f"project={self.project.fingerprint if project is None else project}" if name == "project" else f"{name}={getattr(self, name)!r}"
            for name in self.__dataclass_fields__
        )
