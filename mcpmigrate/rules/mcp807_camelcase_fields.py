"""MCP807 camelcase-fields: mcp 2.x models have snake_case attributes (`result.is_error`)."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, insert_after, replace, replace_between
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rules._kits.jsonrpc import builds_on_client_session, string_value
from mcpmigrate.rules._kits.method_mentions import annotation_classes
from mcpmigrate.rules._kits.sdk import LIST_METHODS
from mcpmigrate.steps import Step

# Every camelCase field of the mcp 1.30.0 models (read off `mcp.types`); in mcp 2.3.0 each one is
# the snake_case attribute, with the camelCase name kept only as the wire alias.
CAMEL_FIELDS = frozenset(
    {
        "clientInfo", "costPriority", "createMessage", "createdAt", "destructiveHint", "elicitationId", "hasMore",
        "idempotentHint", "includeContext", "inputSchema", "intelligencePriority", "isError", "lastUpdatedAt",
        "listChanged", "maxTokens", "mimeType", "modelPreferences", "nextCursor", "openWorldHint", "outputSchema",
        "pollInterval", "progressToken", "protocolVersion", "readOnlyHint", "requestId", "requestedSchema",
        "resourceTemplates", "serverInfo", "speedPriority", "statusMessage", "stopReason", "stopSequences",
        "structuredContent", "systemPrompt", "taskId", "taskSupport", "toolChoice", "toolUseId", "uriTemplate",
        "websiteUrl",
    }
)
OWN_RECEIVERS = frozenset({"self", "cls"})
DUMPS = frozenset({"model_dump", "model_dump_json"})
# What a client session's requests return: mcp.types results (their names are the SDK's own).
CLIENT_RESULTS = LIST_METHODS | {"call_tool", "read_resource", "get_prompt", "complete", "initialize"}
# Where the models live: `mcp.types` in both SDKs, and `mcp_types`, the package 2.x re-exports.
MODEL_MODULES = ("mcp.types.", "mcp_types.")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


class CamelCaseFields(Rule):
    code = "MCP807"
    name = "camelcase-fields"
    step = Step.SDK_2
    summary = "MCP model attributes are snake_case in mcp 2.x: `result.isError` is `result.is_error`"
    why = (
        "The 1.x `mcp.types` models named their fields as on the wire (`isError`, `nextCursor`, `inputSchema`, "
        "`mimeType`, ...). In mcp 2.x the attributes are snake_case and the camelCase names are only aliases "
        "for (de)serialisation: reading `result.isError` raises AttributeError. Constructors accept both "
        "spellings at run time, so `Tool(inputSchema=...)` keeps working, but type-checkers know only the "
        "snake_case parameters; and `model_dump()` needs `by_alias=True` to produce wire names."
    )
    fix_summary = (
        "`result.isError` -> `result.is_error` (unsafe: no type information); `Tool(inputSchema=...)` -> "
        "`Tool(input_schema=...)`; `model_dump()` of an SDK model gains `by_alias=True`"
    )
    fix_description = (
        "Renames the attribute to its snake_case name (`nextCursor` to `next_cursor`), also where it is "
        "named as a string to `hasattr`, `getattr` or `setattr` (a forgotten `hasattr(x, \"isError\")` would "
        "silently turn false). A camelCase keyword of an `mcp.types` constructor (`Tool(inputSchema=...)`) "
        "becomes its snake_case parameter: it runs either way on 2.x, but type-checkers accept only that. "
        "`model_dump()` / `model_dump_json()` of an SDK model (a parameter annotated with one, a name built "
        "by an `mcp.types` constructor, the result of a client session's `call_tool()`, `list_tools()`, ...) "
        "without `by_alias` gains `by_alias=True`, so the dump keeps the wire names 1.x gave (`isError`)."
    )
    fix_safety = (
        "Always unsafe: without types, mcpmigrate cannot prove the object is an MCP model, though these 40 "
        "names are specific to them and only files that import `mcp` are checked. Attributes read from "
        "`self` or `cls`, and names the module itself assigns as attributes, are left alone. The "
        "constructor keywords are safe when the project targets mcp 2.x (the callee is known to be a model), "
        "unsafe otherwise: 1.x models take only the camelCase names. `by_alias=True` is safe on a proven model "
        "when the project targets mcp 2.x (it restores 1.x's keys), unsafe on a session result known only by "
        "the method's name."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1d",
    )
    uses_target_sdk = True
    tokens = tuple(sorted(name.lower() for name in CAMEL_FIELDS | DUMPS))
    context_tokens = ("mcp",)
    examples = (
        Invalid(
            """
            import mcp


            class A:
                def adapt(self, func, mcp_tool: mcp.types.Tool):
                    mcp_tool.inputSchema = fix(mcp_tool.inputSchema)
                    schema = make(mcp_tool.inputSchema)
                    return schema
            """,
            findings=[(6, 18), (6, 45), (7, 32)],
            unsafe_fixed="""
            import mcp


            class A:
                def adapt(self, func, mcp_tool: mcp.types.Tool):
                    mcp_tool.input_schema = fix(mcp_tool.input_schema)
                    schema = make(mcp_tool.input_schema)
                    return schema
            """,
            note="set on a parameter annotated with an SDK model: still the model's field, not the module's own attribute",
        ),
        Invalid(
            """
            import json

            from mcp import ClientSession
            from mcp.types import CallToolResult, Tool


            def listing(tool: Tool) -> dict:
                return tool.model_dump(exclude_none=True)


            async def call(session: ClientSession, name: str) -> str:
                result = await session.call_tool(name, {})
                return result.model_dump_json()


            def error() -> str:
                failed = CallToolResult(content=[], isError=True)
                return json.dumps(failed.model_dump(mode="json", by_alias=True))
            """,
            findings=[(8, 17), (13, 19), (17, 41)],
            fixed="""
            import json

            from mcp import ClientSession
            from mcp.types import CallToolResult, Tool


            def listing(tool: Tool) -> dict:
                return tool.model_dump(exclude_none=True, by_alias=True)


            async def call(session: ClientSession, name: str) -> str:
                result = await session.call_tool(name, {})
                return result.model_dump_json()


            def error() -> str:
                failed = CallToolResult(content=[], is_error=True)
                return json.dumps(failed.model_dump(mode="json", by_alias=True))
            """,
            unsafe_fixed="""
            import json

            from mcp import ClientSession
            from mcp.types import CallToolResult, Tool


            def listing(tool: Tool) -> dict:
                return tool.model_dump(exclude_none=True, by_alias=True)


            async def call(session: ClientSession, name: str) -> str:
                result = await session.call_tool(name, {})
                return result.model_dump_json(by_alias=True)


            def error() -> str:
                failed = CallToolResult(content=[], is_error=True)
                return json.dumps(failed.model_dump(mode="json", by_alias=True))
            """,
            note="a dump of an SDK model keeps the wire names only with `by_alias=True` (one that passes it is left alone)",
        ),
        Valid(
            """
            from pydantic import BaseModel
            import mcp


            class Settings(BaseModel):
                name: str


            def dump(settings: Settings, result) -> dict:
                return {**settings.model_dump(), **result.model_dump()}
            """
        ),
        Invalid(
            """
            from mcp import ClientSession

            async def run(session: ClientSession) -> list[str]:
                page = await session.list_tools()
                while page.nextCursor:
                    page = await session.list_tools()
                result = await session.call_tool("x", {})
                if result.isError or result.structuredContent is None:
                    return [tool.inputSchema["type"] for tool in page.tools]
                return []
            """,
            findings=[(5, 16), (8, 15), (8, 33), (9, 22)],
            unsafe_fixed="""
            from mcp import ClientSession

            async def run(session: ClientSession) -> list[str]:
                page = await session.list_tools()
                while page.next_cursor:
                    page = await session.list_tools()
                result = await session.call_tool("x", {})
                if result.is_error or result.structured_content is None:
                    return [tool.input_schema["type"] for tool in page.tools]
                return []
            """,
        ),
        Invalid(
            """
            import mcp

            def client_name(params) -> str:
                if hasattr(params, "clientInfo") and params.clientInfo:
                    return getattr(params.clientInfo, 'name', "?")
                return "?"
            """,
            findings=[(4, 24), (4, 49), (5, 31)],
            unsafe_fixed="""
            import mcp

            def client_name(params) -> str:
                if hasattr(params, "client_info") and params.client_info:
                    return getattr(params.client_info, 'name', "?")
                return "?"
            """,
            note="names given as strings to `hasattr` / `getattr` / `setattr` go with the attribute",
        ),
        Valid(
            """
            import mcp

            def schema(tool):
                # written for both SDKs already
                return getattr(tool, "inputSchema", None) or getattr(tool, "input_schema", None)
            """
        ),
        Invalid(
            """
            from mcp import types

            def tool() -> types.Tool:
                # constructors accept both spellings at run time, type-checkers only the snake_case one
                return types.Tool(name="x", inputSchema={"type": "object"}, outputSchema=None)
            """,
            findings=[(5, 33), (5, 65)],
            fixed="""
            from mcp import types

            def tool() -> types.Tool:
                # constructors accept both spellings at run time, type-checkers only the snake_case one
                return types.Tool(name="x", input_schema={"type": "object"}, output_schema=None)
            """,
        ),
        Valid(
            """
            from mcp import types
            from mylib import Schema

            def tool() -> types.Tool:
                Schema(inputSchema={})  # not an MCP model
                return types.Tool(name="x", input_schema={"type": "object"})
            """
        ),
        Valid(
            """
            import mcp

            class Upload:
                def __init__(self, mime: str) -> None:
                    self.mimeType = mime

                def kind(self) -> str:
                    return self.mimeType.split("/")[0]

            def describe(upload: Upload) -> str:
                return upload.mimeType
            """
        ),
        Valid(
            """
            import requests

            def is_error(response):
                return response.json().isError
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.enabled = context.imports.imports_from("mcp")
        self.own: set[str] = set()  # attribute names this module assigns itself
        self.models: set[str] = set()  # parameters annotated with an `mcp.types` model
        self.reads: list[cst.Attribute] = []
        self.strings: list[cst.SimpleString] = []  # camelCase names passed to hasattr/getattr/setattr
        self.keywords: list[tuple[cst.Name, str]] = []  # camelCase keywords of `mcp.types` constructors
        self.literals: list[cst.SimpleString] = []  # every string literal in the module (read if `strings`)
        # Per function (and the module): names known to hold an SDK model, and whether that is proven
        # (annotation, `mcp.types` constructor) or read off a session method's name (`call_tool`).
        self.scopes: list[dict[str, bool]] = [{}]
        self.dumps: list[tuple[cst.Call, bool]] = []  # model_dump() without by_alias: call, receiver proven a model

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is not None and any(
            (self.context.qualified_name(name) or "").startswith("mcp.types.") for name in annotation_classes(node.annotation.annotation)
        ):
            self.models.add(node.name.value)
            self.scopes[-1][node.name.value] = True

    def visit_Assign(self, node: cst.Assign) -> None:
        # tool = types.Tool(...) / result = await session.call_tool(...): what `.model_dump()` is called on
        if not self.enabled or len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        name = node.targets[0].target.value
        value = node.value.expression if isinstance(node.value, cst.Await) else node.value
        scope = self.scopes[-1]
        scope.pop(name, None)  # the latest assignment decides
        if not isinstance(value, cst.Call):
            return
        if (self.context.qualified_name(value.func) or "").startswith(MODEL_MODULES):
            scope[name] = True
        elif isinstance(node.value, cst.Await) and isinstance(value.func, cst.Attribute) and value.func.attr.value in CLIENT_RESULTS:
            scope[name] = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Attribute) and not (isinstance(target.value, cst.Name) and target.value.value in self.models):
            self.own.add(target.attr.value)  # `mcp_tool.inputSchema = ...` on an SDK model is no attribute of the module's

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        target = node.target
        if isinstance(target, cst.Name):  # `result: HumanInputResponse = ...`: the annotation decides
            proven = any((self.context.qualified_name(name) or "").startswith(MODEL_MODULES)
                         for name in annotation_classes(node.annotation.annotation))
            if proven:
                self.scopes[-1][target.value] = True
            else:
                self.scopes[-1].pop(target.value, None)
        self.own.add(target.attr.value if isinstance(target, cst.Attribute) else dotted_name(target) or "")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.enabled or node.attr.value not in CAMEL_FIELDS:
            return
        receiver = node.value
        if isinstance(receiver, cst.Name) and receiver.value in OWN_RECEIVERS:
            self.own.add(node.attr.value)
            return
        self.reads.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self.enabled:
            self.literals.append(node)

    def _dump(self, node: cst.Call) -> None:
        """`result.model_dump()`: on 2.x the keys are the snake_case attributes unless `by_alias=True`."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in DUMPS):
            return
        if any(arg.star or (arg.keyword is not None and arg.keyword.value == "by_alias") for arg in node.args):
            return
        receiver = func.value
        if isinstance(receiver, cst.Call):  # types.Tool(...).model_dump()
            proven = (self.context.qualified_name(receiver.func) or "").startswith(MODEL_MODULES)
            if proven:
                self.dumps.append((node, True))
        elif isinstance(receiver, cst.Name) and receiver.value in self.scopes[-1]:
            proven = self.scopes[-1][receiver.value]
            if proven or self.context.imports.imports_from("mcp.client") or builds_on_client_session(self.context):
                self.dumps.append((node, proven))

    def visit_Call(self, node: cst.Call) -> None:
        if self.enabled:
            self._dump(node)
        # types.Tool(inputSchema=...): runs on 2.x (the alias), but type-checks only as `input_schema=`.
        camel = self.enabled and any(arg.keyword is not None and arg.keyword.value in CAMEL_FIELDS for arg in node.args)
        qualified = self.context.qualified_name(node.func) if camel else None  # resolved only where it could matter
        if qualified is not None and qualified.startswith(MODEL_MODULES):
            taken = {arg.keyword.value for arg in node.args if arg.keyword is not None}
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in CAMEL_FIELDS and snake(arg.keyword.value) not in taken:
                    self.keywords.append((arg.keyword, qualified.rsplit(".", 1)[-1]))
        # hasattr(x, "isError"), getattr(x, "nextCursor", None), setattr(x, "mimeType", ...)
        if (
            self.enabled
            and isinstance(node.func, cst.Name)
            and node.func.value in ("hasattr", "getattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1].value, cst.SimpleString)
            and node.args[1].value.evaluated_value in CAMEL_FIELDS
        ):
            self.strings.append(node.args[1].value)

    def leave_Module(self, original_node: cst.Module) -> None:
        # The constructor is an `mcp.types` model for certain: renaming is safe where the project
        # targets mcp 2.x (1.x models take only the camelCase names).
        applicability = Applicability.SAFE if self.context.options.target_sdk == 2 else Applicability.UNSAFE
        for keyword, model in self.keywords:
            new = snake(keyword.value)
            self.report(
                keyword,
                f"`{model}({keyword.value}=...)` runs on mcp 2.x (the wire alias) but does not type-check: the parameter is `{new}`",
                fix=NodeFix(f"Pass it as `{new}=`", applicability, (replace(keyword, new),)),
            )
        for call, proven in self.dumps:
            method = call.func.attr.value
            fix_applicability = applicability if proven else Applicability.UNSAFE
            edit = (insert_after(call.args[-1].value, ", by_alias=True") if call.args
                    else replace_between(call.func, "end", call, "end", "(by_alias=True)"))
            self.report(
                call.func.attr,
                f"`{method}()` of an mcp 2.x model gives the snake_case attribute names (`is_error`, `next_cursor`); "
                "the wire names mcp 1.x gave need `by_alias=True`",
                fix=NodeFix("Pass `by_alias=True`", fix_applicability, (edit,)),
            )
        texts = {string_value(node) for node in self.literals if "b" not in node.prefix.lower()} if self.strings else set()
        for literal in self.strings:
            name = literal.evaluated_value
            if name in self.own or snake(name) in texts:
                continue  # `getattr(t, "inputSchema", None) or getattr(t, "input_schema", None)` handles both
            new = snake(name)
            self.report(
                literal,
                f"`{name}` is `{new}` in mcp 2.x: model attributes are snake_case (camelCase is only the wire alias)",
                fix=NodeFix(f"Use `{new}`", Applicability.UNSAFE, (replace(literal, string_literal(literal, new)),)),
            )
        for node in self.reads:
            name = node.attr.value
            if name in self.own:
                continue
            new = snake(name)
            self.report(
                node.attr,
                f"`.{name}` is `.{new}` in mcp 2.x: model attributes are snake_case (camelCase is only the wire alias)",
                fix=NodeFix(f"Rename to `.{new}`", Applicability.UNSAFE, (replace(node.attr, new),)),
            )
