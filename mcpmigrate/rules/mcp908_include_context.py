"""MCP908 include-context: sampling's `includeContext` values other than `"none"` are deprecated."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability, Severity
from mcpmigrate.rule.base import Invalid, NodeFix, Rule, Valid, replace
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, dict_entries, mcp_evidence, string_value
from mcpmigrate.steps import Side, Step

DEPRECATED = frozenset({"thisServer", "allServers"})
# Keys that show a dict is sampling's `CreateMessageRequestParams`, not some other payload.
SAMPLING_KEYS = frozenset({"messages", "maxTokens", "systemPrompt", "modelPreferences"})
KEYWORDS = frozenset({"include_context", "includeContext"})
MESSAGE = "`includeContext: \"{value}\"` is deprecated in 2026-07-28: a server gets no context from other servers' sessions"
HELP = "Use `\"none\"` (or leave it out) and pass what the model needs in `messages`"


class IncludeContext(Rule):
    code = "MCP908"
    name = "include-context"
    step = Step.DEPRECATIONS
    side = Side.SERVER
    summary = "Sampling requests with `includeContext` `\"thisServer\"` or `\"allServers\"`"
    why = (
        "With no sessions, a client has no conversation to share with a server: SEP-2596 deprecates the "
        "`includeContext` values `\"thisServer\"` and `\"allServers\"` (their removal follows Sampling's). "
        "Only `\"none\"`, or leaving the field out, keeps meaning the same thing."
    )
    fix_summary = '`includeContext` `"thisServer"` / `"allServers"` -> `"none"` (display-only; warning)'
    fix_description = "Replaces the value with `\"none\"`, keeping the quotes as written."
    fix_safety = (
        "Display-only: the values still work (deprecated, not removed), so `--fix` leaves them; name the rule "
        "to apply it (`--fix-only MCP908`, or `extend-fixable`). The rewrite itself is harmless: clients were "
        "always free to ignore the request for context, so a server cannot have relied on getting it."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/deprecated",
        "../shared/reference/spec-2026-07-28-details.md section 4",
    )
    severity = Severity.WARNING
    tokens = ("thisserver", "allservers")
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            import mcp.types as types

            async def summarise(ctx, text: str):
                params = {"messages": [{"role": "user", "content": {"type": "text", "text": text}}], "maxTokens": 200, "includeContext": "thisServer"}
                result = await ctx.session.create_message(
                    messages=[types.SamplingMessage(role="user", content=types.TextContent(type="text", text=text))],
                    max_tokens=100,
                    include_context='allServers',
                )
                return params, result
            """,
            findings=[(4, 126), (8, 25)],
            display_fixed="""
            import mcp.types as types

            async def summarise(ctx, text: str):
                params = {"messages": [{"role": "user", "content": {"type": "text", "text": text}}], "maxTokens": 200, "includeContext": "none"}
                result = await ctx.session.create_message(
                    messages=[types.SamplingMessage(role="user", content=types.TextContent(type="text", text=text))],
                    max_tokens=100,
                    include_context='none',
                )
                return params, result
            """,
        ),
        Valid(
            """
            import mcp

            async def summarise(ctx, messages):
                return await ctx.session.create_message(messages=messages, max_tokens=100, include_context="none")
            """
        ),
        Valid(
            """
            # An analytics payload with a key of the same name: no MCP here.
            EVENT = {"messages": [], "includeContext": "thisServer"}
            """
        ),
        Valid(
            """
            import mcp

            SETTINGS = {"includeContext": "allServers", "theme": "dark"}  # not a sampling request
            """
        ),
    )

    def visit_Dict(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        element = entries.get("includeContext")
        if element is None or not (SAMPLING_KEYS & entries.keys()) or not mcp_evidence(self.context):
            return
        self._value(element.value)

    def visit_Call(self, node: cst.Call) -> None:
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in KEYWORDS and self.context.imports.imports_from("mcp", "fastmcp"):
                self._value(arg.value)

    def _value(self, value: cst.BaseExpression) -> None:
        text = string_value(value)
        if text not in DEPRECATED:
            return
        if isinstance(value, cst.SimpleString):
            fix = NodeFix('Use `"none"`', Applicability.DISPLAY_ONLY, (replace(value, string_literal(value, "none")),))
            self.report(value, MESSAGE.format(value=text), fix=fix)
        else:
            self.report(value, MESSAGE.format(value=text), help=HELP)
