"""MCP906 log-level-meta: a server sends `notifications/message` only to a request that asked for it."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Valid
from mcpmigrate.rules._kits.method_mentions import SEND, MethodMentionRule, typed_tokens
from mcpmigrate.rules._kits.spec import LOG_LEVEL_KEY
from mcpmigrate.steps import Side, Step

MESSAGE = (
    "`notifications/message` is sent whatever the request asked: a 2026-07-28 server MUST NOT send it unless "
    f"the request's `_meta` has `{LOG_LEVEL_KEY}`"
)
HELP = (
    f"Read `params[\"_meta\"].get(\"{LOG_LEVEL_KEY}\")` of the request being answered; send nothing without "
    "it, and nothing below the level it names (logging is deprecated too: MCP601)"
)


class LogLevelMeta(MethodMentionRule):
    code = "MCP906"
    name = "log-level-meta"
    step = Step.DEPRECATIONS
    side = Side.SERVER
    summary = "Hand-rolled servers that send `notifications/message` without reading the request's `logLevel`"
    why = (
        "`logging/setLevel` is gone with sessions: a 2026-07-28 client asks for log messages per request, "
        f"in `_meta` `{LOG_LEVEL_KEY}`, and a server MUST NOT emit `notifications/message` for a request "
        "without it (SEP-2575). A server that always logs floods clients that did not ask."
    )
    fix_summary = "none: `notifications/message` sent without reading the request's `logLevel` reported"
    fix_description = (
        f"None: the level must be read from the request that is being answered. Each `notifications/message` "
        f"sent in a file that never reads `{LOG_LEVEL_KEY}` is reported."
    )
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md section 2.1",
    )
    methods = frozenset({"notifications/message"})
    typed_sends = False  # the SDK's own sends read the request's log level
    tokens = ("notifications/message", *typed_tokens(methods))
    examples = (
        Invalid(
            """
            async def call_tool(request, send):
                await send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "working"}})
                return {"resultType": "complete", "content": []}
            """,
            findings=[(2, 45)],
        ),
        Valid(
            """
            LOG_LEVEL = "io.modelcontextprotocol/logLevel"

            async def call_tool(request, send):
                level = request["params"].get("_meta", {}).get(LOG_LEVEL)
                if level is not None:
                    await send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "working"}})
            """
        ),
        Valid(
            """
            def on_message(message):
                # a client receiving log messages
                if message["method"] == "notifications/message":
                    print(message["params"]["data"])
            """
        ),
        Valid(
            """
            import logging

            logging.getLogger(__name__).info("notifications/message handled")  # a log line, not a message
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.reads_level = LOG_LEVEL_KEY.lower() in context.text.lower()

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        if role == SEND and not self.reads_level:
            self.report(literal, MESSAGE, help=HELP)
