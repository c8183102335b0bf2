"""MCP301 resource-not-found-code: `-32002` used as MCP's resource-not-found error code."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, SourceView, Valid, insert_after, replace, replace_between
from mcpmigrate.rule.edits import add_import
from mcpmigrate.rules._kits.jsonrpc import dict_entries, mcp_evidence
from mcpmigrate.rules._kits.spec import INVALID_PARAMS, LEGACY_RESOURCE_NOT_FOUND
from mcpmigrate.rules._kits.shapes import NOT_FOUND_CODE
from mcpmigrate.steps import Step

ERROR_CLASSES = frozenset(
    {
        "mcp.types.ErrorData", "mcp.ErrorData", "mcp.shared.exceptions.ErrorData",
        "mcp.McpError", "mcp.shared.exceptions.McpError", "mcp.MCPError", "mcp.shared.exceptions.MCPError",
        "fastmcp.exceptions.McpError",
    }
)
CODE_NAMES = frozenset({"code", "error_code", "errorcode"})
NOT_FOUND_NAME = re.compile(r"not_?found", re.IGNORECASE)
KEPT_NAME = re.compile(r"legacy|old|deprecated|v1|previous", re.IGNORECASE)  # named as the old code on purpose
MESSAGE = "`-32002` is not MCP's resource-not-found code in 2026-07-28: it is `-32602` (Invalid Params) with `data.uri`"
CLIENT_MESSAGE = (
    "resource not found is `-32602` (with `data.uri`) from 2026-07-28 servers; legacy ones still send `-32002`"
)


def _is_minus_32002(node: cst.BaseExpression | None) -> bool:
    return (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, cst.Integer)
        and -node.expression.evaluated_value == LEGACY_RESOURCE_NOT_FOUND
    )


def _is_error_code(node: cst.BaseExpression) -> bool:
    """`err.code`, `e.error.code`, `error["code"]`, `error.get("code")`: what a client compares."""
    if isinstance(node, cst.Attribute):
        return node.attr.value.lower() in CODE_NAMES
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        key = node.slice[0].slice.value
        return isinstance(key, cst.SimpleString) and key.evaluated_value == "code"
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
        key = node.args[0].value
        return isinstance(key, cst.SimpleString) and key.evaluated_value == "code"
    return False


class ResourceNotFoundCode(Rule):
    code = "MCP301"
    name = "resource-not-found-code"
    step = Step.ERROR_CODES
    summary = "`-32002` as the resource-not-found error code; 2026-07-28 uses `-32602` with `data.uri`"
    why = (
        "Up to 2025-11-25 the specification suggested `-32002` for a missing resource. 2026-07-28 makes it "
        "`-32602` (Invalid Params) with `data: {\"uri\": ...}` and reserves `-32002` for good, so a modern "
        "client does not recognise it as \"not found\". Clients SHOULD still accept `-32002` from legacy "
        "servers."
    )
    fix_summary = "`-32002` -> `INVALID_PARAMS` / `-32602`; `data.uri` and client comparisons unsafe"
    fix_description = (
        "A server's `-32002` (in `ErrorData(...)`, `McpError`/`MCPError(...)`, a JSON-RPC error dict, or a "
        "constant used as one) becomes `INVALID_PARAMS` from `mcp.types` where the file uses the SDK "
        "(importing it if needed), else `-32602`. With `--unsafe-fixes`, `data={\"uri\": uri}` is added "
        "where the enclosing function has a `uri` parameter and the error carries no data. A client's "
        "`code == -32002` accepts both codes."
    )
    fix_safety = (
        "Safe for the code (no other meaning of `-32002` remains in MCP). Adding `data` is unsafe (it "
        "assumes the `uri` parameter is the missing resource). The client comparison is unsafe: `-32602` "
        "also reports other invalid parameters, so check `data.uri`."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md section 2.3",
    )
    answers = ((NOT_FOUND_CODE, "-32002"),)
    tokens = ("32002",)
    examples = (
        Valid(
            """
            # The protocol's table: both codes, the old one named as such on purpose.
            SPEC = "https://modelcontextprotocol.io/specification"
            LEGACY_RESOURCE_NOT_FOUND = -32002
            INVALID_PARAMS = -32602
            """
        ),
        Invalid(
            """
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData

            def read(uri: str) -> str:
                raise McpError(ErrorData(code=-32002, message="Resource not found"))
            """,
            findings=[(5, 35), (5, 35)],
            fixed="""
            from mcp.shared.exceptions import McpError
            from mcp.types import INVALID_PARAMS, ErrorData

            def read(uri: str) -> str:
                raise McpError(ErrorData(code=INVALID_PARAMS, message="Resource not found"))
            """,
            unsafe_fixed="""
            from mcp.shared.exceptions import McpError
            from mcp.types import INVALID_PARAMS, ErrorData

            def read(uri: str) -> str:
                raise McpError(ErrorData(code=INVALID_PARAMS, message="Resource not found", data={"uri": uri}))
            """,
        ),
        Invalid(
            """
            RESOURCE_NOT_FOUND = -32002

            async def handle(request: dict) -> dict:
                if request["method"] == "resources/read":
                    return {"jsonrpc": "2.0", "id": request["id"],
                            "error": {"code": RESOURCE_NOT_FOUND, "message": "no such resource"}}
                return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32002, "message": "gone"}}
            """,
            findings=[(1, 22), (7, 70)],
            fixed="""
            RESOURCE_NOT_FOUND = -32602

            async def handle(request: dict) -> dict:
                if request["method"] == "resources/read":
                    return {"jsonrpc": "2.0", "id": request["id"],
                            "error": {"code": RESOURCE_NOT_FOUND, "message": "no such resource"}}
                return {"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32602, "message": "gone"}}
            """,
            note="hand-rolled: a constant used as an error code, and an error dict",
        ),
        Invalid(
            """
            import mcp

            async def read(session, uri):
                try:
                    return await session.read_resource(uri)
                except mcp.McpError as error:
                    if error.error.code == -32002:
                        return None
                    raise
            """,
            findings=[(7, 32)],
            unsafe_fixed="""
            import mcp

            async def read(session, uri):
                try:
                    return await session.read_resource(uri)
                except mcp.McpError as error:
                    if error.error.code in (-32602, -32002):
                        return None
                    raise
            """,
            note="a client accepts both codes (check `data.uri` too)",
        ),
        Valid(
            """
            import requests

            NONCE_TOO_LOW = -32002

            def send(node, tx):
                reply = requests.post(node, json={"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction", "params": [tx]}).json()
                if reply.get("error", {}).get("code") == -32002:
                    raise RuntimeError("resource unavailable")
            """
        ),
        Valid(
            """
            from mcp.types import ErrorData, INVALID_PARAMS

            def missing(uri: str) -> ErrorData:
                return ErrorData(code=INVALID_PARAMS, message="not found", data={"uri": uri})
            """
        ),
        Valid(
            """
            import mcp

            TIMEOUT = -32002  # our own code, never sent as an MCP error
            OFFSET = 32002 - 1

            def wait(ms: int = -32002) -> int:
                return ms
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.evidence = mcp_evidence(context)
        self.constants: dict[str, cst.UnaryOperation] = {}  # NAME = -32002, at module level
        self.used_as_code: set[str] = set()
        self.uri_params: list[bool] = []
        self.depth = 0

    def _replacement(self) -> tuple[str, list]:
        if self.context.imports.imports_from("mcp"):
            imported = add_import(self.context, "mcp.types", "INVALID_PARAMS")
            if imported is not None:
                return imported[0], imported[1]
        return str(INVALID_PARAMS), []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        self.uri_params.append(any(param.name.value == "uri" for param in node.params.params))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1
        self.uri_params.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.qualified_name(node.func) not in ERROR_CLASSES:
            return
        keywords = {arg.keyword.value: arg for arg in node.args if arg.keyword is not None}
        code = keywords.get("code") or (node.args[0] if node.args and node.args[0].keyword is None else None)
        if code is None:
            return
        if _is_minus_32002(code.value):
            has_data = "data" in keywords or sum(1 for arg in node.args if arg.keyword is None) >= 3
            self._finding_with_data(code.value, None if has_data else node.args[-1])
        elif isinstance(code.value, cst.Name):
            self.used_as_code.add(code.value.value)

    def _finding_with_data(self, node: cst.UnaryOperation, last_arg: cst.Arg | None) -> None:
        text, edits = self._replacement()
        self.report(node, MESSAGE, fix=NodeFix(f"Use `{text}`", Applicability.SAFE, (replace(node, text), *edits)))
        if last_arg is not None and self.uri_params and self.uri_params[-1]:
            # A second, separate problem: the error does not say which resource is missing.
            fix = NodeFix('Add `data={"uri": uri}`', Applicability.UNSAFE, (insert_after(last_arg.value, ', data={"uri": uri}'),))
            self.report(node, "a resource-not-found error SHOULD carry `data.uri` in 2026-07-28", fix=fix)

    def visit_Dict(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        code = entries.get("code")
        if code is None or "message" not in entries:
            return
        if _is_minus_32002(code.value) and self.evidence:
            self.report(code.value, MESSAGE, fix=NodeFix("Use `-32602`", Applicability.SAFE, (replace(code.value, str(INVALID_PARAMS)),)))
        elif isinstance(code.value, cst.Name):
            self.used_as_code.add(code.value.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.depth == 0 and _is_minus_32002(node.value) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.constants[node.targets[0].target.value] = node.value

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self.evidence or len(node.comparisons) != 1 or not isinstance(node.comparisons[0].operator, cst.Equal):
            return
        left, right = node.left, node.comparisons[0].comparator
        literal = right if _is_minus_32002(right) else left if _is_minus_32002(left) else None
        other = left if literal is right else right
        if literal is None or not _is_error_code(other):
            return

        def membership(view: SourceView) -> str:
            return f"{view.text[view.start(other):view.end(other)]} in ({INVALID_PARAMS}, {LEGACY_RESOURCE_NOT_FOUND})"

        fix = NodeFix("Accept both codes", Applicability.UNSAFE, (replace_between(node, "start", node, "end", membership),))
        self.report(literal, CLIENT_MESSAGE, fix=fix, help="Accept `-32602` with `data.uri` (new servers) and `-32002` (legacy ones)")

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self.evidence:
            return
        for name, value in self.constants.items():
            if name in self.used_as_code:
                self.report(value, MESSAGE, fix=NodeFix("Use `-32602`", Applicability.SAFE, (replace(value, str(INVALID_PARAMS)),)))
            elif NOT_FOUND_NAME.search(name) and not KEPT_NAME.search(name):
                # `RESOURCE_NOT_FOUND = -32002` (also an enum member) used in another module: what it
                # names is the code that changed. LSP's -32002 is `ServerNotInitialized`. Unsafe: a use
                # this module does not show may compare what legacy servers send.
                self.report(value, MESSAGE, fix=NodeFix("Use `-32602`", Applicability.UNSAFE, (replace(value, str(INVALID_PARAMS)),)))
