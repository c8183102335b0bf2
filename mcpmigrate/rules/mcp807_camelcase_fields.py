"""MCP807 camelcase-fields: mcp 2.x models have snake_case attributes (`result.is_error`)."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.imports import dotted_name
from mcpmigrate.rule import Invalid, NodeFix, Rule, Valid, replace

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


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


class CamelCaseFields(Rule):
    code = "MCP807"
    name = "camelcase-fields"
    summary = "MCP model attributes are snake_case in mcp 2.x: `result.isError` is `result.is_error`"
    why = (
        "The 1.x `mcp.types` models named their fields as on the wire (`isError`, `nextCursor`, `inputSchema`, "
        "`mimeType`, ...). In mcp 2.x the attributes are snake_case and the camelCase names are only aliases "
        "for (de)serialisation: reading `result.isError` raises AttributeError. Constructors accept both "
        "spellings, so `Tool(inputSchema=...)` keeps working, and `model_dump()` needs `by_alias=True` to "
        "produce wire names."
    )
    fix_description = "Renames the attribute to its snake_case name (`nextCursor` to `next_cursor`)."
    fix_safety = (
        "Always unsafe: without types, mcpmigrate cannot prove the object is an MCP model, though these 40 "
        "names are specific to them and only files that import `mcp` are checked. Attributes read from "
        "`self` or `cls`, and names the module itself assigns as attributes, are left alone."
    )
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1d",
    )
    uses_target_sdk = True
    tokens = ("mcp",)
    examples = (
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
        Valid(
            """
            from mcp import types

            def tool() -> types.Tool:
                # constructors accept both spellings in 2.x
                return types.Tool(name="x", inputSchema={"type": "object"})
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

    def __init__(self, context) -> None:
        super().__init__(context)
        self.enabled = context.imports.imports_from("mcp")
        self.own: set[str] = set()  # attribute names this module assigns itself
        self.reads: list[cst.Attribute] = []

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Attribute):
            self.own.add(node.target.attr.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        target = node.target
        self.own.add(target.attr.value if isinstance(target, cst.Attribute) else dotted_name(target) or "")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.enabled or node.attr.value not in CAMEL_FIELDS:
            return
        receiver = node.value
        if isinstance(receiver, cst.Name) and receiver.value in OWN_RECEIVERS:
            self.own.add(node.attr.value)
            return
        self.reads.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
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
