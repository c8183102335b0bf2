"""MCP402 server-sampling: a server that asks its client's LLM to sample mid-request."""

from __future__ import annotations

from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.server_requests import ServerRequestRule
from mcpmigrate.steps import Side, Step


class ServerSampling(ServerRequestRule):
    code = "MCP402"
    name = "server-sampling"
    step = Step.MULTI_ROUND_TRIP
    side = Side.SERVER
    summary = "Servers that request sampling from their client (`create_message`, `ctx.sample`, `sampling/createMessage`)"
    why = (
        "On 2026-07-28 a server cannot send requests to its client (mcp 2.x raises NoBackChannelError; "
        "FastMCP 4 removed `ctx.sample`). Sampling is also deprecated (SEP-2577, at least 12 months): while it "
        "lasts it is reached only as an input request of a Multi Round-Trip Request, and the advice is to "
        "call an LLM provider directly."
    )
    fix_summary = "none: sampling requests from servers reported"
    fix_description = (
        "None: call the LLM provider's API from the server, or (while sampling lasts, mcp 2.x) take the "
        "result as a parameter `Annotated[CreateMessageResult, Resolve(fn)]` whose resolver returns "
        "`Sample(messages, max_tokens=...)`."
    )
    fix_safety = "No automatic fix: choosing a model provider is a decision."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr",
        "https://modelcontextprotocol.io/specification/2026-07-28/deprecated",
    )
    context_methods = frozenset({"sample", "sample_step"})
    session_methods = frozenset({"create_message"})
    wire_method = "sampling/createMessage"
    request_kind = "sampling"
    help_text = (
        "Call your LLM provider directly; or, while sampling lasts, use `Annotated[CreateMessageResult, "
        "Resolve(fn)]` with `fn` returning `Sample(messages, max_tokens=...)` (mcp 2.x)"
    )
    tokens = ("sampl", "create_message", "createmessage")
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            from mcp.server.session import ServerSession


            class RelaySession(ServerSession):
                async def ask_model(self, params: dict) -> dict:
                    return await self.request("sampling/createMessage", params)
            """,
            findings=[(6, 35)],
            note='a server session sending the method it is given',
        ),
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP
            from mcp.types import SamplingMessage, TextContent

            mcp = FastMCP("poet")

            @mcp.tool()
            async def poem(topic: str, ctx: Context) -> str:
                result = await ctx.session.create_message(
                    messages=[SamplingMessage(role="user", content=TextContent(type="text", text=topic))],
                    max_tokens=100,
                )
                return result.content.text
            """,
            findings=[(8, 20)],
        ),
        Invalid(
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("summaries")

            @mcp.tool
            async def summarize(text: str, ctx: Context) -> str:
                reply = await ctx.sample(f"Summarize: {text}")
                return reply.text

            def request(id):
                return {"jsonrpc": "2.0", "id": id, "method": "sampling/createMessage", "params": {"maxTokens": 10}}
            """,
            findings=[(7, 19), (11, 12)],
            note="FastMCP's `ctx.sample` and a hand-rolled request",
        ),
        Valid(
            """
            from openai import AsyncOpenAI
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("poet")
            llm = AsyncOpenAI()

            @mcp.tool()
            async def poem(topic: str) -> str:
                reply = await llm.chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": topic}])
                return reply.choices[0].message.content
            """
        ),
        Valid(
            """
            from mcp import ClientSession

            async def on_sampling(context, params):
                return None

            def client(read, write):
                return ClientSession(read, write, sampling_callback=on_sampling)
            """
        ),
        Valid(
            """
            import random

            def sample(ctx, population):
                return ctx.sample(population) if hasattr(ctx, "sample") else random.sample(population, 1)
            """
        ),
    )
