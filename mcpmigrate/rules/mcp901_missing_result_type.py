"""MCP901 missing-result-type: every 2026-07-28 result carries `resultType`."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import Invalid, NodeFix, Valid
from mcpmigrate.rules._kits.handler_results import RESULT_TOKENS, ResultRule, add_entries
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, dict_entries
from mcpmigrate.rules._kits.spec import RESULT_METHODS
from mcpmigrate.steps import Side, Step


class MissingResultType(ResultRule):
    code = "MCP901"
    name = "missing-result-type"
    step = Step.MULTI_ROUND_TRIP
    side = Side.SERVER
    summary = "Hand-rolled results of MCP methods without `resultType`"
    why = (
        "In 2026-07-28 every result says what it is: `\"resultType\": \"complete\"` for a final result, "
        "`\"input_required\"` for a Multi Round-Trip Request's interim result (and `\"task\"` with the Tasks "
        "extension), SEP-2322. Clients treat a missing field as complete only to stay compatible with older "
        "servers; a 2026-07-28 server MUST send it."
    )
    fix_summary = '`"resultType": "complete"` added to hand-rolled results'
    fix_description = "Adds `\"resultType\": \"complete\"` to the result dict literal, as its first entry."
    fix_safety = (
        "Safe: the result is final (an interim result would already carry `input_required`), and clients of "
        "older revisions ignore a field they do not know. A result with a `**` spread is only reported: the "
        "spread may carry it."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr",
        "../shared/reference/spec-2026-07-28-details.md section 2.4",
    )
    result_methods = RESULT_METHODS
    tokens = RESULT_TOKENS
    # A result known by its shape needs a file about MCP: its keys alone (`"contents"`) are everywhere.
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            def handle(request: dict, authorized: bool) -> dict:
                method = request["method"]
                if method == "tools/list" and authorized:
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"tools": []}}
                return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "unknown"}}
            """,
            findings=[(4, 66)],
            fixed="""
            def handle(request: dict, authorized: bool) -> dict:
                method = request["method"]
                if method == "tools/list" and authorized:
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"resultType": "complete", "tools": []}}
                return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "unknown"}}
            """,
            note="a dispatch that is one operand of `and`: the same dispatch MCP102 reads",
        ),
        Invalid(
            """
            def handle(request: dict) -> dict:
                method = request["method"]
                if method == "tools/list":
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"tools": TOOLS}}
                elif method == "tools/call":
                    return {
                        "jsonrpc": "2.0",
                        "id": request["id"],
                        "result": {
                            "content": [{"type": "text", "text": "ok"}],
                            "isError": False,
                        },
                    }
                return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "unknown"}}
            """,
            findings=[(4, 66), (9, 23)],
            fixed="""
            def handle(request: dict) -> dict:
                method = request["method"]
                if method == "tools/list":
                    return {"jsonrpc": "2.0", "id": request["id"], "result": {"resultType": "complete", "tools": TOOLS}}
                elif method == "tools/call":
                    return {
                        "jsonrpc": "2.0",
                        "id": request["id"],
                        "result": {
                            "resultType": "complete",
                            "content": [{"type": "text", "text": "ok"}],
                            "isError": False,
                        },
                    }
                return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "unknown"}}
            """,
        ),
        Invalid(
            """
            async def list_prompts(params):
                return {"prompts": []}

            async def get_prompt(params):
                return {}

            HANDLERS = {"prompts/list": list_prompts, "prompts/get": get_prompt}
            """,
            findings=[(2, 12), (5, 12)],
            fixed="""
            async def list_prompts(params):
                return {"resultType": "complete", "prompts": []}

            async def get_prompt(params):
                return {"resultType": "complete"}

            HANDLERS = {"prompts/list": list_prompts, "prompts/get": get_prompt}
            """,
            note="handlers registered in a table; an empty result too",
        ),
        Invalid(
            """
            from starlette.responses import JSONResponse

            def route(message):
                match message["method"]:
                    case "resources/read":
                        return JSONResponse({"jsonrpc": "2.0", "id": message["id"], "result": {"contents": read(message)}})
                    case "completion/complete" | "prompts/get":
                        result = {"completion": {"values": []}, **EXTRA}
                        return {"jsonrpc": "2.0", "id": message["id"], "result": result}
            """,
            findings=[(6, 83)],
            fixed="""
            from starlette.responses import JSONResponse

            def route(message):
                match message["method"]:
                    case "resources/read":
                        return JSONResponse({"jsonrpc": "2.0", "id": message["id"], "result": {"resultType": "complete", "contents": read(message)}})
                    case "completion/complete" | "prompts/get":
                        result = {"completion": {"values": []}, **EXTRA}
                        return {"jsonrpc": "2.0", "id": message["id"], "result": result}
            """,
            note="`match` dispatch; a result built in a variable is not a literal here and stays",
        ),
        Invalid(
            """
            import sys, json

            def _rpc_result(id_, result):
                return {"jsonrpc": "2.0", "id": id_, "result": result}

            for line in sys.stdin:
                msg = json.loads(line)
                if msg.get("method") == "tools/list":
                    response = _rpc_result(msg["id"], {"tools": []})
                elif msg.get("method") == "prompts/list":
                    response = JSONRPCResponse(jsonrpc="2.0", id=msg["id"], result={"prompts": []})
                print(json.dumps(response), flush=True)
            """,
            findings=[(9, 43), (11, 72)],
            fixed="""
            import sys, json

            def _rpc_result(id_, result):
                return {"jsonrpc": "2.0", "id": id_, "result": result}

            for line in sys.stdin:
                msg = json.loads(line)
                if msg.get("method") == "tools/list":
                    response = _rpc_result(msg["id"], {"resultType": "complete", "tools": []})
                elif msg.get("method") == "prompts/list":
                    response = JSONRPCResponse(jsonrpc="2.0", id=msg["id"], result={"resultType": "complete", "prompts": []})
                print(json.dumps(response), flush=True)
            """,
            note="a stdio server: the module's own response helper, a response model's `result=`",
        ),
        Valid(
            """
            from mcp import Client


            async def run(server) -> dict:
                async with Client(server) as client:
                    tools = await client.list_tools()
                    answers: dict[str, object] = {"tools": sorted(tool.name for tool in tools.tools)}
                    return answers  # a client (mcp 2.x's Client) collecting what it read: no result
            """,
        ),
        Valid(
            """
            def handle(method, request_id):
                if method == "tools/list":
                    return {"jsonrpc": "2.0", "id": request_id, "result": {"resultType": "complete", "tools": []}}
                if method == "tools/call":
                    return {"resultType": "input_required", "inputRequests": {}, "requestState": "s"}
            """
        ),
        Valid(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/tools/list")
            def tools(path: str):
                # a REST API's own routes: no dispatch on a JSON-RPC method
                if path == "tools/list":
                    return {"items": [], "next": None}
                return {"items": []}
            """
        ),
        Valid(
            """
            def handle(method, request_id):
                if method == "tools/call":
                    def later():
                        return {"content": []}  # a nested function's return is not the result
                    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": -32602, "message": "bad"}}
                if method == "notifications/initialized":
                    return {"ok": True}
            """
        ),
        Valid(
            """
            def call(method: str) -> dict:
                # a client building a request is no server answering one
                if method == "tools/call":
                    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "x"}}
            """
        ),
    )

    def on_result(self, method: str, result: cst.Dict) -> None:
        if "resultType" in dict_entries(result):
            return
        message = f"this `{method}` result has no `resultType`: 2026-07-28 results MUST carry it"
        if any(isinstance(element, cst.StarredDictElement) for element in result.elements):
            self.report(result, message, help="Add `\"resultType\": \"complete\"` unless the spread carries it")
            return
        # Known by its shape alone, the dict might be no result after all: then the fix waits for review.
        safety = Applicability.UNSAFE if id(result) in self.by_shape else Applicability.SAFE
        fix = NodeFix('Add `"resultType": "complete"`', safety, (add_entries(self.context, result, ['"resultType": "complete"']),))
        self.report(result, message, fix=fix)
