"""MCP902 missing-cache-fields: list, read and discover results say how long they may be cached."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import Invalid, NodeFix, Valid
from mcpmigrate.rules._kits.handler_results import SHAPE_TOKENS, ResultRule, add_entries
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, dict_entries
from mcpmigrate.rules._kits.spec import CACHEABLE_METHODS
from mcpmigrate.steps import Side, Step

DEFAULTS = {"ttlMs": '"ttlMs": 0', "cacheScope": '"cacheScope": "private"'}


class MissingCacheFields(ResultRule):
    code = "MCP902"
    name = "missing-cache-fields"
    step = Step.META_AND_DISCOVER
    side = Side.SERVER
    summary = "Hand-rolled list, `resources/read` and `server/discover` results without `ttlMs` and `cacheScope`"
    why = (
        "2026-07-28 made these results cacheable (SEP-2549): the results of `tools/list`, `prompts/list`, "
        "`resources/list`, `resources/templates/list`, `resources/read` and `server/discover` MUST carry "
        "`ttlMs` (how long, in milliseconds, a client may reuse them) and `cacheScope` (`\"public\"`, shared "
        "by every user, or `\"private\"`, one user's). Without sessions, this is how clients and gateways "
        "know when to ask again."
    )
    fix_summary = (
        '`"ttlMs": 0, "cacheScope": "private"` added to list, read and discover results (unsafe: the values '
        "are a choice)"
    )
    fix_description = (
        "Adds the missing fields with the most conservative values: `\"ttlMs\": 0` (do not reuse) and "
        "`\"cacheScope\": \"private\"` (never share between users). Raise the TTL, and make a result that is "
        "the same for everyone `\"public\"`, once you know it is."
    )
    fix_safety = (
        "Unsafe: the values are a decision about your server (how often its tools change, whether they "
        "differ per user); the ones added are correct for every server but cache nothing."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md section 2.8",
    )
    result_methods = CACHEABLE_METHODS
    tokens = tuple(sorted(CACHEABLE_METHODS)) + SHAPE_TOKENS
    # A result known by its shape needs a file about MCP: its keys alone (`"contents"`) are everywhere.
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            def handle(request):
                if request["method"] == "tools/list":
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"resultType": "complete", "tools": TOOLS}}
                if request["method"] == "resources/read":
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"resultType": "complete", "contents": [], "ttlMs": 60000}}
            """,
            findings=[(3, 66), (5, 66)],
            unsafe_fixed="""
            def handle(request):
                if request["method"] == "tools/list":
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"ttlMs": 0, "cacheScope": "private", "resultType": "complete", "tools": TOOLS}}
                if request["method"] == "resources/read":
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"cacheScope": "private", "resultType": "complete", "contents": [], "ttlMs": 60000}}
            """,
        ),
        Invalid(
            """
            async def discover(params):
                return {
                    "resultType": "complete",
                    "supportedVersions": ["2026-07-28"],
                    "capabilities": {"tools": {}},
                }

            HANDLERS = {"server/discover": discover, "tools/call": call_tool}
            """,
            findings=[(2, 12)],
            unsafe_fixed="""
            async def discover(params):
                return {
                    "ttlMs": 0,
                    "cacheScope": "private",
                    "resultType": "complete",
                    "supportedVersions": ["2026-07-28"],
                    "capabilities": {"tools": {}},
                }

            HANDLERS = {"server/discover": discover, "tools/call": call_tool}
            """,
            note="a multi-line result gets the fields on their own lines",
        ),
        Invalid(
            """
            from enum import Enum

            TOOLS_LIST = "tools/list"

            class Method(str, Enum):
                READ = "resources/read"

            def handle(request):
                if request["method"] == TOOLS_LIST:
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"tools": TOOLS, "ttlMs": 0, "cacheScope": "public"}}
                match request["method"]:
                    case Method.READ:
                        return {"jsonrpc": "2.0", "id": request["id"], "result": {"contents": []}}
            """,
            findings=[(13, 70)],
            unsafe_fixed="""
            from enum import Enum

            TOOLS_LIST = "tools/list"

            class Method(str, Enum):
                READ = "resources/read"

            def handle(request):
                if request["method"] == TOOLS_LIST:
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"tools": TOOLS, "ttlMs": 0, "cacheScope": "public"}}
                match request["method"]:
                    case Method.READ:
                        return {"jsonrpc": "2.0", "id": request["id"], "result": {"ttlMs": 0, "cacheScope": "private", "contents": []}}
            """,
            note="a dispatch on a constant or an enum member, as on a literal",
        ),
        Valid(
            """
            def handle(method, rid):
                if method == "prompts/list":
                    return {"jsonrpc": "2.0", "id": rid, "result": {"resultType": "complete", "prompts": [], "ttlMs": 0, "cacheScope": "public"}}
                if method == "tools/call":  # not a cacheable result
                    return {"jsonrpc": "2.0", "id": rid, "result": {"resultType": "complete", "content": []}}
            """
        ),
        Valid(
            """
            import requests

            def page(kind):
                # a REST API returning items is no MCP list result
                if kind == "tools/list":
                    return {"items": requests.get("https://api.example.com/tools").json()}
            """
        ),
        Valid(
            """
            def handle(method, rid):
                if method == "resources/list":
                    return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": "down"}}
            """
        ),
    )

    def on_result(self, method: str, result: cst.Dict) -> None:
        present = dict_entries(result).keys()
        missing = [key for key in DEFAULTS if key not in present]
        if not missing:
            return
        names = " and ".join(f"`{key}`" for key in missing)
        message = f"this `{method}` result has no {names}: 2026-07-28 list, read and discover results MUST say how long they may be cached"
        if any(isinstance(element, cst.StarredDictElement) for element in result.elements):
            self.report(result, message, help="Add `\"ttlMs\"` and `\"cacheScope\"` unless the spread carries them")
            return
        edit = add_entries(self.context, result, [DEFAULTS[key] for key in missing])
        fix = NodeFix(f"Add {', '.join(DEFAULTS[key] for key in missing)} (cache nothing; raise when you know)", Applicability.UNSAFE, (edit,))
        self.report(result, message, fix=fix)
