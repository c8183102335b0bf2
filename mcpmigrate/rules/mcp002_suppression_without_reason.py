"""MCP002 suppression-without-reason: with `require-noqa-reason = true`, a suppression must say why."""

from __future__ import annotations

from mcpmigrate.findings import Severity
from mcpmigrate.rule.base import Invalid, RuleOptions, SuppressionRule, TextFinding, Valid
from mcpmigrate.rule.suppression import Suppressions
from mcpmigrate.steps import Step

REQUIRED = RuleOptions(target_sdk=2, require_noqa_reason=True)  # what the examples assume
HELP = "Say why after `--`: `# noqa: MCP801 -- the 1.x client stays until the gateway moves`"


class SuppressionWithoutReason(SuppressionRule):
    code = "MCP002"
    name = "suppression-without-reason"
    step = Step.SUPPRESSIONS
    severity = Severity.WARNING  # nothing breaks: the suppressions themselves need care
    summary = "A suppression of an mcpmigrate finding that gives no reason, when the project requires one"
    why = (
        "A migration left half-done for a reason (a client that must still talk to 1.x servers, a "
        "deprecated feature kept for twelve months) needs that reason written down, or the next reader "
        "cannot tell a decision from an oversight. Only reported with `require-noqa-reason = true` in "
        "`[tool.mcpmigrate]`."
    )
    fix_summary = "none: suppressions without `-- reason` reported (with `require-noqa-reason = true`)"
    fix_description = "None: write the reason after `--` at the end of the comment."
    fix_safety = "No automatic fix: only a human knows why."
    tokens = ("noqa",)
    enabled_by = "require_noqa_reason"
    examples = (
        Invalid(
            """
            from mcp import McpError  # noqa: MCP801
            HEADERS = {"Mcp-Session-Id": "abc"}  # noqa: MCP103
            """,
            findings=[(1, 27), (2, 38)],
            options=REQUIRED,
        ),
        Valid(
            """
            from mcp import McpError  # noqa: MCP801 -- the gateway still speaks 1.x
            import os  # noqa
            """,
            options=REQUIRED,
        ),
        Valid(
            """
            from mcp import McpError  # noqa: MCP801
            """
        ),
    )

    @classmethod
    def check_suppressions(
        cls, text: str, suppressions: Suppressions, enabled: frozenset[str], options: RuleOptions
    ) -> list[TextFinding]:
        if not options.require_noqa_reason:
            return []
        return [
            TextFinding(directive.start, directive.end, f"`# {directive.describe()}` gives no reason", help=HELP)
            for directive in suppressions.directives
            if directive.reason is None and (directive.ours or directive in suppressions.used)
        ]

