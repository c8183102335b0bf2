"""MCP001 unused-suppression: a `noqa` for an mcpmigrate code that suppresses nothing (as ruff's RUF100)."""

from __future__ import annotations

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.lines import LINE_BREAK
from mcpmigrate.rule.base import Invalid, RuleOptions, SuppressionRule, TextFinding, TextFix, Valid, registered_rules
from mcpmigrate.rule.prefilter import TextPattern
from mcpmigrate.rule.suppression import ALL, OUR_CODE, Directive, Suppressions
from mcpmigrate.steps import Step

# Only our own directives: `# noqa: MCP...` or `# mcpmigrate: noqa` (a bare `# noqa` is every linter's).
OUR_DIRECTIVE = TextPattern(r"noqa\s*:[^\n]*\bmcp\d|mcpmigrate\s*:\s*noqa", needs="noqa")


class UnusedSuppression(SuppressionRule):
    code = "MCP001"
    name = "unused-suppression"
    step = Step.SUPPRESSIONS
    severity = Severity.WARNING  # nothing breaks: the suppressions themselves need care
    summary = "A `noqa` comment naming an mcpmigrate rule that suppresses nothing on its line (or file)"
    why = (
        "A suppression that suppresses nothing hides the next real finding on that line, and keeps a "
        "reader believing a migration issue is there. Once the code is migrated (or the rule no longer "
        "fires), the comment should go, as ruff's RUF100 does for its own codes."
    )
    fix_summary = "unused codes removed from the comment; a comment left with none removed"
    fix_description = (
        "The unused codes are removed from the `noqa` comment; a comment left with no code is removed "
        "with the space before it (its whole line, if it stood alone). Codes of rules not enabled for "
        "the file are left alone, as is a bare `# noqa`, which other linters read too."
    )
    fix_safety = "Safe: the removed codes suppress nothing, so no finding appears or disappears."
    tokens = (OUR_DIRECTIVE,)
    examples = (
        Invalid(
            """
            import json  # noqa: MCP801
            from mcp import McpError  # noqa: MCP801, MCP301 -- the 1.x client stays until the gateway moves
            """,
            findings=[(1, 14), (2, 27)],
            fixed="""
            import json
            from mcp import McpError  # noqa: MCP801 -- the 1.x client stays until the gateway moves
            """,
        ),
        Invalid(
            """
            # mcpmigrate: noqa: MCP103
            import os  # noqa: MCP999  # type: ignore[import]
            """,
            findings=[(1, 1), (2, 12)],
            fixed="""
            import os  # type: ignore[import]
            """,
            note="a file-level comment, and an unknown code before another tool's comment",
        ),
        Valid(
            """
            from mcp import McpError  # noqa: MCP801
            import os  # noqa
            import sys  # noqa: E402
            """
        ),
        Valid(
            """
            SOURCE = "import json  # noqa: MCP801"  # a string, not a comment
            """
        ),
    )

    @classmethod
    def check_suppressions(
        cls, text: str, suppressions: Suppressions, enabled: frozenset[str], options: RuleOptions
    ) -> list[TextFinding]:
        known = registered_rules()
        found = []
        for directive in suppressions.directives:
            if not directive.ours:
                continue
            used = suppressions.used.get(directive, set())
            if directive.codes is ALL:
                if not used:
                    found.append(cls._finding(text, directive, "this file-level suppression suppresses nothing", ()))
                continue
            # A code of a rule that did not run here (not enabled) cannot be judged, nor one of a rule
            # about suppressions (they are judged after this one); an unknown code can.
            unused = [
                code for code in directive.codes
                if OUR_CODE.match(code) and code not in used and (code in enabled or code not in known)
                and not (code in known and issubclass(known[code], SuppressionRule))
            ]
            if unused:
                names = ", ".join(f"`{code}`" + ("" if code in known else " (no such rule)") for code in unused)
                found.append(cls._finding(text, directive, f"unused suppression: {names} suppresses nothing here", unused))
        return found

    @classmethod
    def _finding(cls, text: str, directive: Directive, message: str, unused: list[str] | tuple[str, ...]) -> TextFinding:
        kept = [code for code in directive.codes or () if code not in unused]
        if kept and directive.codes_span is not None:
            start, end = directive.codes_span
            edit = (start, end, ", ".join(kept))
            fix_message = f"Remove {', '.join(unused)} from the comment"
        else:
            edit = _removal(text, directive)
            fix_message = "Remove the suppression"
        return TextFinding(directive.start, directive.end, message, TextFix(fix_message, Applicability.SAFE, (edit,)))


def _removal(text: str, directive: Directive) -> tuple[int, int, str]:
    """The edit removing a directive: its whole line if nothing else is on it, else the comment with
    the space before it (up to another tool's comment that follows, which stays)."""
    line_start = directive.start - (directive.column - 1)
    match = LINE_BREAK.search(text, directive.end)
    line_end = match.start() if match else len(text)
    before, after = text[line_start : directive.start], text[directive.end : line_end]
    if not before.strip() and not after.strip():
        return (line_start, match.end() if match else line_end, "")
    if not after.strip():
        return (line_start + len(before.rstrip()), line_end, "")
    return (directive.start, directive.end + len(after) - len(after.lstrip()), "")
