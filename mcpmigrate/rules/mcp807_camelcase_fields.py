"""MCP807 camelcase-fields: mcp 2.x models have snake_case attributes (`result.is_error`)."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, insert_after, replace, replace_between
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rules._kits.client_sessions import ClientSessions
from mcpmigrate.rules._kits.jsonrpc import builds_on_client_session, string_value
from mcpmigrate.rules._kits.method_mentions import annotation_classes
from mcpmigrate.rules._kits.sdk import HIGH_LEVEL_CLIENTS, LIST_METHODS, MEMORY_HELPER
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
SDK_MODULES = ("mcp.", "fastmcp.", "mcp_types.")
# What opens a client whose requests return `mcp.types` results, besides a `ClientSession` (which the
# `ClientSessions` gatherer knows): 2.x's `Client`, and 1.x's in-memory helper (it yields a session).
CLIENTS = HIGH_LEVEL_CLIENTS | {MEMORY_HELPER}

# What an expression holding an object is known to be (see `CamelCaseFields.kind`):
MODEL = "model"  # built by an `mcp.types` constructor, or annotated with one
RESULT = "result"  # returned by a request of an object known to be a client session
ELEMENT = "element"  # a field of a model or result, or an element of its list (`for tool in page.tools`)
GUESS = "guess"  # returned by a method named like a session's (`call_tool`) on an object not known to be one
OWN = "own"  # an instance of a class the module or the project defines, deriving from no SDK class
META = "meta"  # a request's `_meta`: a `RequestParamsMeta` TypedDict in 2.x (a plain dict)
PROVEN = frozenset({MODEL, RESULT, ELEMENT})  # where renaming the attribute is known to be right
UNKNOWN = "; what the object is is not known here, so it is not renamed"
# The only field 1.x's `RequestParams.Meta` declared (it allowed any other, kept as they are in 2.x):
# mcp 2.3.0 validates `{"progressToken": 5}` into `{"progress_token": 5}`.
META_FIELDS = {"progressToken": "progress_token"}


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
        "`result.isError` -> `result.is_error` where `result` is known to be an SDK model (unsafe); "
        "`meta.progressToken` -> `meta.get(\"progress_token\")`; `Tool(inputSchema=...)` -> "
        "`Tool(input_schema=...)`; `model_dump()` of an SDK model gains `by_alias=True`"
    )
    fix_description = (
        "Renames the attribute to its snake_case name (`nextCursor` to `next_cursor`), also where it is "
        "named as a string to `hasattr`, `getattr` or `setattr` (a forgotten `hasattr(x, \"isError\")` would "
        "silently turn false), where the object is known to be an SDK model: built by an `mcp.types` "
        "constructor, annotated with one (or with a project class deriving from one), returned by a request "
        "of a client session (`await session.call_tool(...)`), or a field or list element of such a result "
        "(`for tool in page.tools`). On an object of a class the module or the project defines itself "
        "(resolved through the project's other modules) it stays silent; on an object of unknown origin it "
        "reports without a fix. A request's `_meta` is a plain dict in 2.x: `meta.progressToken` becomes "
        "`meta.get(\"progress_token\")`, as does `getattr(meta, \"progressToken\", None)`. A camelCase keyword of an `mcp.types` constructor (`Tool(inputSchema=...)`) "
        "becomes its snake_case parameter: it runs either way on 2.x, but type-checkers accept only that. "
        "`model_dump()` / `model_dump_json()` of an SDK model (a parameter annotated with one, a name built "
        "by an `mcp.types` constructor, the result of a client session's `call_tool()`, `list_tools()`, ...) "
        "without `by_alias` gains `by_alias=True`, so the dump keeps the wire names 1.x gave (`isError`)."
    )
    fix_safety = (
        "Attribute renames are unsafe: the object is known to be an MCP model from the code around it "
        "(its constructor, an annotation, the session method that returned it), not from a type checker, "
        "and a rebinding the rule does not follow could change that. Attributes read from `self` or `cls`, "
        "names the module itself assigns as attributes, and the fields of the project's own classes are "
        "left alone. The "
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
    gathers = (ClientSessions,)
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
            from mcp.types import InitializeRequestParams

            def client_name(params) -> str:
                if hasattr(params, "clientInfo") and params.clientInfo:
                    return getattr(params.clientInfo, 'name', "?")
                return "?"

            def client_site(params: InitializeRequestParams) -> str | None:
                return getattr(params.clientInfo, "websiteUrl", None)
            """,
            findings=[(4, 24), (4, 49), (5, 31), (9, 27), (9, 39)],
            unsafe_fixed="""
            from mcp.types import InitializeRequestParams

            def client_name(params) -> str:
                if hasattr(params, "clientInfo") and params.clientInfo:
                    return getattr(params.clientInfo, 'name', "?")
                return "?"

            def client_site(params: InitializeRequestParams) -> str | None:
                return getattr(params.client_info, "website_url", None)
            """,
            note="names given as strings to `hasattr` / `getattr` / `setattr` go with the attribute; on an object "
            "not known to be an MCP model (an unannotated parameter) it is reported, not renamed: it may be the "
            "project's own",
        ),
        Invalid(
            """
            import mcp.types as types

            async def handle(params: types.CallToolRequestParams, ctx) -> None:
                token = params.meta.progressToken if params.meta else None
                meta = ctx.request_context.meta
                if meta and meta.progressToken is not None:
                    await report(token, getattr(meta, "progressToken", None))
            """,
            findings=[(4, 25), (6, 22), (7, 43)],
            unsafe_fixed="""
            import mcp.types as types

            async def handle(params: types.CallToolRequestParams, ctx) -> None:
                token = params.meta.get("progress_token") if params.meta else None
                meta = ctx.request_context.meta
                if meta and meta.get("progress_token") is not None:
                    await report(token, meta.get("progress_token", None))
            """,
            note="a request's `_meta` is a plain dict in mcp 2.x (`{'progress_token': 5}` once validated): "
            "`meta.progress_token` would raise AttributeError and `getattr(meta, ...)` always give the default",
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
        self.reads: list[tuple[cst.Attribute, str | None]] = []  # camelCase attributes read, with the receiver's kind
        self.strings: list[tuple[cst.Call, str | None]] = []  # hasattr/getattr/setattr naming one, receiver's kind
        self.keywords: list[tuple[cst.Name, str]] = []  # camelCase keywords of `mcp.types` constructors
        self.literals: list[cst.SimpleString] = []  # every string literal in the module (read if `strings`)
        # Per function and class body (and the module): what each name bound there is known to hold (a
        # kind above; None: bound to something unknown, which hides a name of an enclosing scope).
        self.scopes: list[dict[str, str | None]] = [{}]
        self.dumps: list[tuple[cst.Call, bool]] = []  # model_dump() without by_alias: call, receiver proven a model
        self.clients: set[str] = set()  # names holding a 2.x `Client` (or the in-memory helper's session)
        self.classes = self._own_classes(context.module) if self.enabled else set()

    def _own_classes(self, module: cst.Module) -> set[str]:
        """The module's classes that derive from no SDK class: their camelCase fields are their own."""
        project = self.context.options.project
        sdk_classes = {name for name, _ in project.bases}  # the project's classes that do derive from one
        own: set[str] = set()
        mine: set[str] = set()  # every class of the module so far (a base is defined before its subclass)
        for node in module.body:
            if not isinstance(node, cst.ClassDef):
                continue
            if not any(
                (self.context.qualified_name(base.value) or "").startswith(SDK_MODULES)
                or project.absolute(self.context.qualified_name(base.value) or "") in sdk_classes
                or (isinstance(base.value, cst.Name) and base.value.value in mine - own)
                for base in node.bases
            ):
                own.add(node.name.value)
            mine.add(node.name.value)
        return own

    # -- what a receiver is known to be ------------------------------------------------------------

    def kind(self, node: cst.BaseExpression) -> str | None:
        """What `node` is known to hold (MODEL, RESULT, ELEMENT, GUESS, OWN, META), or None."""
        if isinstance(node, cst.Await):
            value = node.expression
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in CLIENT_RESULTS:
                return RESULT if self._is_client(value.func.value) else GUESS
            return self.kind(value)
        if isinstance(node, cst.Name):
            for scope in reversed(self.scopes):
                if node.value in scope:
                    return scope[node.value]
            return None
        if isinstance(node, cst.Call):
            return self._class_kind(node.func)
        if isinstance(node, cst.Attribute):
            owner = self.kind(node.value)
            if node.attr.value == "meta":  # `params.meta`, `ctx.request_context.meta`
                return None if owner == OWN else META
            return ELEMENT if owner in PROVEN else None
        if isinstance(node, cst.Subscript):  # `result.content[0]`
            return ELEMENT if self.kind(node.value) in PROVEN else None
        return None

    def _class_kind(self, node: cst.BaseExpression) -> str | None:
        """MODEL for an `mcp.types` class, OWN for one the module or the project defines itself."""
        if isinstance(node, cst.Name) and node.value in self.classes:
            return OWN
        qualified = self.context.qualified_name(node)
        if qualified is None:
            return None
        project = self.context.options.project
        if qualified.startswith(MODEL_MODULES) or any(base.startswith(MODEL_MODULES) for base in project.sdk_bases(qualified)):
            return MODEL  # (a subclass the project defines of one is one)
        return OWN if project.is_own(qualified) else None

    def _annotated_kind(self, annotation: cst.BaseExpression) -> str | None:
        kinds = {self._class_kind(name) for name in annotation_classes(annotation)}
        return MODEL if MODEL in kinds else OWN if kinds == {OWN} else None

    def _is_client(self, receiver: cst.BaseExpression) -> bool:
        return self.context.shared(ClientSessions).holds_session(receiver) or dotted_name(receiver) in self.clients

    def _bind(self, target: cst.BaseExpression, kind: str | None) -> None:
        """The latest assignment decides what a name holds."""
        if isinstance(target, cst.Name):
            self.scopes[-1][target.value] = kind

    def _bind_element(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """`for tool in page.tools`: an element of a model's list is a model."""
        self._bind(target, ELEMENT if self.kind(iterable) in PROVEN else None)

    # -- visitors ------------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append({})  # its body's names (`task: Task`, a field) are no names of its methods

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_Param(self, node: cst.Param) -> None:
        if not self.enabled or node.annotation is None:
            return
        annotation = node.annotation.annotation
        kind = self._annotated_kind(annotation)
        if kind == MODEL:
            self.models.add(node.name.value)
        if kind is not None:
            self.scopes[-1][node.name.value] = kind
        if any(self.context.qualified_name(name) in CLIENTS for name in annotation_classes(annotation)):
            self.clients.add(node.name.value)

    def visit_With(self, node: cst.With) -> None:
        # async with Client(server) as client / create_connected_server_and_client_session(server) as session
        for item in node.items:
            value = item.item.expression if isinstance(item.item, cst.Await) else item.item
            if (item.asname is not None and isinstance(value, cst.Call)
                    and self.context.qualified_name(value.func) in CLIENTS and (name := dotted_name(item.asname.name))):
                self.clients.add(name)

    def visit_Assign(self, node: cst.Assign) -> None:
        # tool = types.Tool(...) / result = await session.call_tool(...) / meta = ctx.request_context.meta
        if not self.enabled or len(node.targets) != 1:
            return
        self._bind(node.targets[0].target, self.kind(node.value))

    def visit_For(self, node: cst.For) -> None:
        if self.enabled:
            self._bind_element(node.target, node.iter)

    def _comprehension(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp) -> None:
        """Its `for` clauses bind before its element is read (the traversal meets the element first)."""
        clause: cst.CompFor | None = node.for_in
        while self.enabled and clause is not None:
            self._bind_element(clause.target, clause.iter)
            clause = clause.inner_for_in

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Attribute) and not (isinstance(target.value, cst.Name) and target.value.value in self.models):
            self.own.add(target.attr.value)  # `mcp_tool.inputSchema = ...` on an SDK model is no attribute of the module's

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        target = node.target
        if isinstance(target, cst.Name) and self.enabled:  # `result: HumanInputResponse = ...`: the annotation decides
            self._bind(target, self._annotated_kind(node.annotation.annotation))
        self.own.add(target.attr.value if isinstance(target, cst.Attribute) else dotted_name(target) or "")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.enabled or node.attr.value not in CAMEL_FIELDS:
            return
        receiver = node.value
        if isinstance(receiver, cst.Name) and receiver.value in OWN_RECEIVERS:
            self.own.add(node.attr.value)
            return
        self.reads.append((node, self.kind(receiver)))

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
        elif isinstance(receiver, cst.Name) and (kind := self.kind(receiver)) in (MODEL, RESULT, GUESS):
            proven = kind == MODEL  # a session's result is known by the method's name
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
            self.strings.append((node, self.kind(node.args[0].value)))

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
        for call, kind in self.strings:
            literal = call.args[1].value
            name = literal.evaluated_value
            if name in self.own or kind == OWN or snake(name) in texts:
                continue  # `getattr(t, "inputSchema", None) or getattr(t, "input_schema", None)` handles both
            new = snake(name)
            message = f"`{name}` is `{new}` in mcp 2.x: model attributes are snake_case (camelCase is only the wire alias)"
            if kind == META and name in META_FIELDS:
                self._meta_getattr(call, name)
            elif kind in PROVEN:
                self.report(literal, message, fix=NodeFix(f"Use `{new}`", Applicability.UNSAFE, (replace(literal, string_literal(literal, new)),)))
            else:
                self.report(literal, message + UNKNOWN, help=f"Use `{new}` if the object is an MCP model")
        for node, kind in self.reads:
            name = node.attr.value
            if name in self.own or kind == OWN:
                continue
            new = snake(name)
            if kind == META and name in META_FIELDS:
                key = META_FIELDS[name]
                self.report(
                    node.attr,
                    f"`_meta` is a plain dict in mcp 2.x (`RequestParamsMeta`): `.{name}` is the key `\"{key}\"`",
                    fix=NodeFix(f"Read `.get(\"{key}\")`", Applicability.UNSAFE,
                                (replace_between(node.value, "end", node, "end", f'.get("{key}")'),)),
                )
                continue
            message = f"`.{name}` is `.{new}` in mcp 2.x: model attributes are snake_case (camelCase is only the wire alias)"
            if kind in PROVEN:
                self.report(node.attr, message, fix=NodeFix(f"Rename to `.{new}`", Applicability.UNSAFE, (replace(node.attr, new),)))
            else:
                self.report(node.attr, message + UNKNOWN, help=f"Rename to `.{new}` if the object is an MCP model")

    def _meta_getattr(self, call: cst.Call, name: str) -> None:
        """`getattr(meta, "progressToken", None)` on 2.x's dict is always the default: read the key."""
        key = META_FIELDS[name]
        message = f"`_meta` is a plain dict in mcp 2.x (`RequestParamsMeta`): `{name}` is the key `\"{key}\"`"
        if call.func.value != "getattr" or len(call.args) > 3 or any(arg.keyword or arg.star for arg in call.args):
            self.report(call.args[1].value, message, help=f"Read `meta.get(\"{key}\")`")
            return
        default = f", {self.context.code_for(call.args[2].value)}" if len(call.args) == 3 else ""
        edits = (
            replace_between(call, "start", call.args[0].value, "start", ""),
            replace_between(call.args[0].value, "end", call, "end", f'.get("{key}"{default})'),
        )
        self.report(call.args[1].value, message, fix=NodeFix(f"Read `.get(\"{key}\")`", Applicability.UNSAFE, edits))
