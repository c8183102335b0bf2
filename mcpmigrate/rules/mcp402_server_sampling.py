"""MCP402 server-sampling: a server that asks its client's LLM to sample mid-request."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import Invalid, Valid
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS
from mcpmigrate.rules._kits.server_requests import RESOLVER_MODULE, ResolverParts, ServerRequestRule
from mcpmigrate.steps import Side, Step

# create_message's keywords that `Sample` takes too, with the same meaning; `tools` changes the result
# type and `related_request_id` has no counterpart, so calls using them are left to a person.
SAMPLE_KEYWORDS = frozenset(
    {"messages", "max_tokens", "system_prompt", "include_context", "temperature", "stop_sequences", "metadata",
     "model_preferences", "tool_choice"}
)


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
    fix_summary = "`ctx.session.create_message(...)` in a tool -> a `Resolve` parameter (unsafe); other sampling reported"
    fix_description = (
        "For the common shape, `reply = await ctx.session.create_message(messages, max_tokens=...)` at the top "
        "level of an `@mcp.tool()` whose arguments use only the tool's parameters: the request moves into a "
        "resolver, `async def sample_<tool>(...) -> Sample: return Sample(messages, max_tokens=...)`, and the "
        "tool receives `reply: Annotated[CreateMessageResult, Resolve(sample_<tool>)]`, which the mcp 2.x SDK "
        "fills on either protocol era. Sampling is deprecated all the same: calling the LLM provider's API "
        "from the server is the lasting answer. Other calls are reported."
    )
    fix_safety = (
        "Unsafe: the model is sampled before the tool body runs, every time, and the request must be the "
        "same on every round; sampling itself stays deprecated."
    )
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
            from bolt_mcp import Context


            async def summarize(ctx: Context, text: str) -> dict:
                return {"reply": await ctx.sample(text)}
            """,
            findings=[(5, 28)],
            note="an MCP framework's own request context (a class `Context` from a module named for MCP)",
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from statistics_app import Context


            async def summarize(ctx: Context, rows: list) -> dict:
                return {"sample": await ctx.sample(rows)}
            """
        ),
        Invalid(
            """
            from mcp.server.fastmcp import Context, FastMCP
            from mcp.types import SamplingMessage, TextContent

            mcp = FastMCP("poet")


            @mcp.tool()
            async def poem(topic: str, ctx: Context) -> str:
                # a poem about a topic
                result = await ctx.session.create_message(
                    messages=[SamplingMessage(role="user", content=TextContent(type="text", text=topic))],
                    max_tokens=100,
                )
                return result.content.text if isinstance(result.content, TextContent) else ""
            """,
            findings=[(10, 20)],
            unsafe_fixed="""
            from typing import Annotated

            from mcp.server.fastmcp import Context, FastMCP
            from mcp.server.mcpserver import Resolve, Sample
            from mcp.types import CreateMessageResult, SamplingMessage, TextContent

            mcp = FastMCP("poet")


            async def sample_poem(topic: str) -> Sample:
                return Sample(
                    messages=[SamplingMessage(role="user", content=TextContent(type="text", text=topic))],
                    max_tokens=100,
                )


            @mcp.tool()
            async def poem(topic: str, ctx: Context, result: Annotated[CreateMessageResult, Resolve(sample_poem)]) -> str:
                # a poem about a topic
                return result.content.text if isinstance(result.content, TextContent) else ""
            """,
        ),
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
                prompt = f"A poem about {topic}"
                result = await ctx.session.create_message(
                    messages=[SamplingMessage(role="user", content=TextContent(type="text", text=prompt))],
                    max_tokens=100, related_request_id=ctx.request_id,
                )
                return result.content.text
            """,
            findings=[(9, 20)],
            note="built from a local value, with a keyword `Sample` does not take: for a person",
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

    def resolver_parts(self, call: cst.Call) -> ResolverParts | None:
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "create_message" or not call.args:
            return None
        for index, arg in enumerate(call.args):
            if arg.star or (arg.keyword is None and index > 0) or (arg.keyword and arg.keyword.value not in SAMPLE_KEYWORDS):
                return None
        first, last = call.args[0], call.args[-1]
        newline, indent = self.context.module.default_newline, self.context.module.default_indent

        def marker(view, names: list[str]) -> str:
            written = view.text[view.start(first) : view.end(last.value)]
            if "\n" not in written:
                return f"{names[0]}({written})"
            # one argument a line, as the call had them, inside the resolver's `return`
            arguments = "".join(f"{indent * 2}{view.text[view.start(arg) : view.end(arg.value)]},{newline}" for arg in call.args)
            return f"{names[0]}({newline}{arguments}{indent})"

        return ResolverParts(
            prefix="sample",
            uses=tuple(arg.value for arg in call.args),
            imports=((RESOLVER_MODULE, "Sample"), ("mcp.types", "CreateMessageResult")),
            marker_type=lambda view, names: names[0],
            marker=marker,
            result_type=lambda view, names: names[1],
        )
