"""MCP401 server-elicitation: a server that asks its client for input mid-request."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.server_requests import RESOLVER_MODULE, ResolverParts, ServerRequestRule, source_of
from mcpmigrate.steps import Side, Step


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
        "`@mcp.tool()` whose message and schema use only the tool's parameters, with no `return` or `raise` "
        "above it: the question moves into a resolver, `async def ask_<tool>(...) -> Elicit[Model]: return "
        "Elicit(message, Model)`, and the tool receives `answer: Annotated[ElicitationResult[Model], "
        "Resolve(ask_<tool>)]`, which the mcp 2.x SDK fills on either protocol era. A later question built "
        "from an earlier answer gets its own resolver that depends on the first. Other calls (inside a "
        "branch, after a guard, depending on local values) and hand-rolled `elicitation/create` requests "
        "are reported with the pattern to use."
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
            from typing import Annotated

            from pydantic import BaseModel
            from mcp.server.fastmcp import Context, FastMCP
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
            from pydantic import BaseModel
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("bookings")


            class Name(BaseModel):
                name: str


            class Party(BaseModel):
                size: int


            @mcp.tool()
            async def book(date: str, ctx: Context) -> str:
                who = await ctx.elicit(message="Your name?", schema=Name)
                party = await ctx.elicit(message=f"How many with {who.data.name} on {date}?", schema=Party)
                return f"{who.data.name}: {party.data.size}"


            @mcp.tool()
            async def cancel(date: str, ctx: Context) -> str:
                who = await ctx.elicit(message="Your name?", schema=Name)
                if who.action != "accept":
                    return "kept"
                sure = await ctx.elicit(message=f"Cancel {who.data.name} on {date}?", schema=Party)
                return sure.action
            """,
            findings=[(17, 17), (18, 19), (24, 17), (27, 18)],
            unsafe_fixed="""
            from typing import Annotated

            from pydantic import BaseModel
            from mcp.server.fastmcp import Context, FastMCP
            from mcp.server.mcpserver import Elicit, ElicitationResult, Resolve

            mcp = FastMCP("bookings")


            class Name(BaseModel):
                name: str


            class Party(BaseModel):
                size: int


            async def ask_book() -> Elicit[Name]:
                return Elicit("Your name?", Name)


            async def ask_book_party(date: str, who: Annotated[ElicitationResult[Name], Resolve(ask_book)]) -> Elicit[Party]:
                return Elicit(f"How many with {who.data.name} on {date}?", Party)


            @mcp.tool()
            async def book(date: str, ctx: Context, who: Annotated[ElicitationResult[Name], Resolve(ask_book)], party: Annotated[ElicitationResult[Party], Resolve(ask_book_party)]) -> str:
                return f"{who.data.name}: {party.data.size}"


            async def ask_cancel() -> Elicit[Name]:
                return Elicit("Your name?", Name)


            @mcp.tool()
            async def cancel(date: str, ctx: Context, who: Annotated[ElicitationResult[Name], Resolve(ask_cancel)]) -> str:
                if who.action != "accept":
                    return "kept"
                sure = await ctx.elicit(message=f"Cancel {who.data.name} on {date}?", schema=Party)
                return sure.action
            """,
            note="a question that depends on an earlier answer takes it as a resolver dependency (a second pass); "
            "one asked only after a guard that can return stays for a person",
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

    def resolver_parts(self, call: cst.Call) -> ResolverParts | None:
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "elicit":
            return None
        arguments = _message_and_schema(call)
        if arguments is None:
            return None
        message, schema = arguments
        return ResolverParts(
            prefix="ask",
            uses=(message, schema),
            imports=((RESOLVER_MODULE, "Elicit"), (RESOLVER_MODULE, "ElicitationResult")),
            marker_type=lambda view, names: f"{names[0]}[{source_of(view, schema)}]",
            marker=lambda view, names: f"{names[0]}({source_of(view, message)}, {source_of(view, schema)})",
            result_type=lambda view, names: f"{names[1]}[{source_of(view, schema)}]",
        )


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
