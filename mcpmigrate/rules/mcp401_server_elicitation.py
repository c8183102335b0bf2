"""MCP401 server-elicitation: a server that asks its client for input mid-request."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, SourceView, Valid, insert_after, replace_between
from mcpmigrate.rule.edits import add_imports, remove_statement
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.server_requests import ServerRequestRule
from mcpmigrate.steps import Side, Step

SDK_SERVERS = ("mcp.server.fastmcp", "mcp.server.mcpserver")


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


class _Bound(cst.CSTVisitor):
    """Names a function body binds (its locals)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def _target(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.names.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._target(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)


def _names_in(node: cst.CSTNode) -> set[str]:
    visitor = _Names()
    node.visit(visitor)
    return visitor.names


class ServerElicitation(ServerRequestRule):
    code = "MCP401"
    name = "server-elicitation"
    step = Step.MULTI_ROUND_TRIP
    side = Side.SERVER
    summary = "Servers that ask their client for input mid-request (`ctx.elicit`, `elicitation/create`)"
    why = (
        "On 2026-07-28 a server cannot send requests to its client: there is no back channel (the mcp 2.x "
        "SDK raises NoBackChannelError, FastMCP 4 a ToolError). Elicitation became a Multi Round-Trip "
        "Request: the tool returns an `InputRequiredResult` naming what it needs (`inputRequests`, plus "
        "an opaque `requestState`) and the client calls again with `inputResponses`."
    )
    fix_summary = "`ctx.elicit(...)` in a tool -> a `Resolve` parameter (unsafe); other server-to-client elicitation reported"
    fix_description = (
        "For the common shape, `answer = await ctx.elicit(message, schema=Model)` at the top level of an "
        "`@mcp.tool()` whose message and schema use only the tool's parameters: the question moves into a "
        "resolver, `async def ask_<tool>(...) -> Elicit[Model]: return Elicit(message, Model)`, and the tool "
        "receives `answer: Annotated[ElicitationResult[Model], Resolve(ask_<tool>)]`, which the mcp 2.x SDK "
        "fills on either protocol era. Other calls (inside a branch, depending on local values) and "
        "hand-rolled `elicitation/create` requests are reported with the pattern to use."
    )
    fix_safety = (
        "Unsafe: the question is asked before the tool body runs, every time, and the resolver's question "
        "must be the same on every round. Review that the tool's logic still fits."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr",
        "../shared/reference/python-sdk-v1-to-v2.md section 6",
    )
    context_methods = frozenset({"elicit", "elicit_url"})
    session_methods = frozenset({"elicit", "elicit_form", "elicit_url"})
    wire_method = "elicitation/create"
    request_kind = "elicitation"
    help_text = (
        "Return `InputRequiredResult(input_requests={\"key\": ElicitRequest(...)}, request_state=...)` and read "
        "`ctx.input_responses[\"key\"]` on the retry, or (mcp 2.x) take the answer as a parameter "
        "`Annotated[Model, Resolve(fn)]` whose resolver returns `Elicit(message, Model)`"
    )
    tokens = ("elicit",)
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from pydantic import BaseModel
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("bookings")


            class Confirm(BaseModel):
                ok: bool


            @mcp.tool()
            async def book(date: str, party: int, ctx: Context) -> str:
                answer = await ctx.elicit(message=f"Book a table for {party} on {date}?", schema=Confirm)
                if answer.action == "accept" and answer.data.ok:
                    return "booked"
                return "cancelled"
            """,
            findings=[(13, 20)],
            unsafe_fixed="""
            from pydantic import BaseModel
            from mcp.server.fastmcp import Context, FastMCP
            from typing import Annotated
            from mcp.server.mcpserver import Elicit, ElicitationResult, Resolve

            mcp = FastMCP("bookings")


            class Confirm(BaseModel):
                ok: bool


            async def ask_book(date: str, party: int) -> Elicit[Confirm]:
                return Elicit(f"Book a table for {party} on {date}?", Confirm)


            @mcp.tool()
            async def book(date: str, party: int, ctx: Context, answer: Annotated[ElicitationResult[Confirm], Resolve(ask_book)]) -> str:
                if answer.action == "accept" and answer.data.ok:
                    return "booked"
                return "cancelled"
            """,
        ),
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("bookings")

            @mcp.tool()
            async def book(date: str, ctx: Context) -> str:
                if date.endswith("12-25"):
                    answer = await ctx.elicit("Closed on Christmas. Another date?", schema=Alternative)
                    return answer.action
                slots = await lookup(date)
                choice = await ctx.session.elicit_form(message=f"Pick one of {slots}", requestedSchema={})
                return str(choice)
            """,
            findings=[(8, 24), (11, 20)],
            note="asked only in one branch, or built from a local value: the pattern is for a human",
        ),
        Invalid(
            """
            async def ask_user(send, question: str) -> None:
                await send({"jsonrpc": "2.0", "id": 7, "method": "elicitation/create",
                            "params": {"message": question, "requestedSchema": {"type": "object"}}})
            """,
            findings=[(2, 16)],
            note="a hand-rolled server sending the request itself",
        ),
        Valid(
            """
            from typing import Annotated
            from mcp.server.mcpserver import Elicit, MCPServer, Resolve

            mcp = MCPServer("bookings")

            async def ask(date: str) -> Elicit[bool]:
                return Elicit(f"Book {date}?", bool)

            @mcp.tool()
            async def book(date: str, ok: Annotated[bool, Resolve(ask)]) -> str:
                return "booked" if ok else "no"
            """
        ),
        Valid(
            """
            from mcp.client.session import ClientSession

            async def on_elicit(context, params):
                return {"action": "accept", "content": {}}

            session = ClientSession(None, None, elicitation_callback=on_elicit)
            """
        ),
        Valid(
            """
            class Wizard:
                async def elicit(self, message: str, schema: type) -> dict:
                    return {}

            async def run(ctx: Wizard) -> dict:
                return await ctx.elicit("name?", schema=str)
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.class_depth = 0
        top = context.module.body
        self.module_names = {
            node.name.value for node in top if isinstance(node, (cst.FunctionDef, cst.ClassDef))
        } | set(context.imports.bindings)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.class_depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_depth -= 1

    def fix_for(self, call: cst.Call) -> NodeFix | None:
        """The resolver rewrite, where the call has the common shape; None otherwise."""
        function = self.functions[-1] if len(self.functions) == 1 and not self.class_depth else None
        statement = self.context.statement
        if function is None or statement is None or not isinstance(function.body, cst.IndentedBlock):
            return None
        if not self.context.imports.imports_from(*SDK_SERVERS) or not _is_tool(function):
            return None
        if statement not in function.body.body or len(statement.body) != 1:
            return None
        assign = statement.body[0]
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(assign.value, cst.Await)
            and assign.value.expression is call
            and call.func.attr.value == "elicit"
        ):
            return None
        arguments = _message_and_schema(call)
        params = function.params
        if arguments is None or params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) or params.kwonly_params or params.posonly_params:
            return None
        if params.star_kwarg is not None or any(param.default is not None for param in params.params):
            return None
        message, schema = arguments
        bound = _Bound()
        function.body.visit(bound)
        used = _names_in(message) | _names_in(schema)
        if used & (bound.names | self.contexts[-1] | self.sessions[-1]):
            return None
        resolver = f"ask_{function.name.value}"
        if resolver in self.module_names:
            return None
        imported = add_imports(
            self.context,
            [("typing", "Annotated"), ("mcp.server.mcpserver", "Elicit"), ("mcp.server.mcpserver", "ElicitationResult"),
             ("mcp.server.mcpserver", "Resolve")],
        )
        if imported is None:
            return None
        (annotated, elicit, result_type, resolve), import_edits = imported
        used_params = [param for param in params.params if param.name.value in used]
        result = assign.targets[0].target.value
        newline = self.context.module.default_newline
        indent = self.context.module.default_indent
        is_async = function.asynchronous is not None
        anchor = function.decorators[0] if function.decorators else function

        def source(view: SourceView, node: cst.CSTNode) -> str:
            return view.text[view.start(node) : view.end(node)]

        def parameter_source(view: SourceView, param: cst.Param) -> str:
            # A Param's own range is its name; the annotation lies beyond it.
            end = param.annotation.annotation if param.annotation is not None else param.name
            return view.text[view.start(param.name) : view.end(end)]

        def resolver_text(view: SourceView) -> str:
            signature = ", ".join(parameter_source(view, param) for param in used_params)
            return (
                f"{'async ' if is_async else ''}def {resolver}({signature}) -> {elicit}[{source(view, schema)}]:{newline}"
                f"{indent}return {elicit}({source(view, message)}, {source(view, schema)}){newline}{newline}{newline}"
            )

        def parameter_text(view: SourceView) -> str:
            return f", {result}: {annotated}[{result_type}[{source(view, schema)}], {resolve}({resolver})]"

        edits = (
            replace_between(anchor, "line_start", anchor, "line_start", resolver_text),
            insert_after(_param_end(params.params[-1]), parameter_text),
            remove_statement(statement, len(function.body.body) == 1),
            *import_edits,
        )
        return NodeFix(f"Ask through a resolver, `{resolver}`", Applicability.UNSAFE, edits)


def _param_end(param: cst.Param) -> cst.CSTNode:
    """The last node of a parameter as written (`name`, `name: T`); it has no default here."""
    return param.annotation.annotation if param.annotation is not None else param.name


def _is_tool(function: cst.FunctionDef) -> bool:
    """Decorated `@<server>.tool(...)` or `@<server>.tool`."""
    for decorator in function.decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if isinstance(target, cst.Attribute) and target.attr.value == "tool":
            return True
    return False


def _message_and_schema(call: cst.Call) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """`elicit(message, schema)` with either argument positional or by keyword, and nothing else."""
    found: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        name = arg.keyword.value if arg.keyword else ("message", "schema")[index] if index < 2 else None
        if name not in ("message", "schema") or name in found:
            return None
        found[name] = arg.value
    return (found["message"], found["schema"]) if len(found) == 2 else None
