"""MCP602 ping: `ping`, which 2026-07-28 removed."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid
from mcpmigrate.rule.edits import remove_statement
from mcpmigrate.rule.syntax import is_statement_of
from mcpmigrate.rules._kits.jsonrpc import EVIDENCE_TOKENS, mcp_evidence
from mcpmigrate.rules._kits.method_mentions import MethodMentionRule, annotation_classes
from mcpmigrate.rules._kits.shapes import METHOD_HANDLED, METHOD_SENT
from mcpmigrate.steps import Step

MESSAGE = "`ping` is gone in 2026-07-28 (a modern server answers -32601 Method not found)"
HELP = "Drop the ping: liveness is the transport's business (TCP keep-alive, SSE comments, a process check)"
CLIENTS = frozenset({"mcp.ClientSession", "mcp.client.session.ClientSession", "fastmcp.Client", "fastmcp.client.Client"})


class Ping(MethodMentionRule):
    code = "MCP602"
    name = "ping"
    step = Step.DEPRECATIONS
    summary = "`send_ping()` / `ping()` on MCP clients and sessions, and `ping` requests and handlers"
    why = (
        "2026-07-28 removed `ping` (SEP-2575): a modern server answers it with -32601 Method not found (the "
        "mcp 2.x `Client.send_ping` is deprecated; FastMCP 4's `client.ping()` raises on modern connections), "
        "so keep-alive loops built on it fail."
    )
    fix_summary = "a lone `await session.send_ping()` removed (unsafe)"
    fix_description = "A statement that only awaits a ping (`await session.send_ping()`) is removed; other uses are reported."
    fix_safety = "Unsafe: code that relied on the ping failing to detect a dead connection loses that check."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md section 8 (item 3)",
    )
    methods = frozenset({"ping"})
    answers = ((METHOD_SENT, "ping"), (METHOD_HANDLED, "ping"))
    tokens = ("ping",)
    context_tokens = EVIDENCE_TOKENS
    examples = (
        Invalid(
            """
            import asyncio

            from fastmcp import Client


            async def healthy(client: Client) -> bool:
                await asyncio.wait_for(client.ping(), timeout=5)
                return True
            """,
            findings=[(7, 28)],
            note="a parameter annotated with FastMCP's client",
        ),
        Invalid(
            """
            from enum import Enum


            class Method(str, Enum):
                PING = "ping"
                LIST_TOOLS = "tools/list"


            async def keepalive(client):
                return await client.request(Method.PING, {})


            def dispatch(message: dict) -> dict:
                if message["method"] == Method.PING:
                    return {}
                return {"tools": []}
            """,
            findings=[(10, 33), (14, 29)],
            note="the method held by an enum member (or a constant, here or in another module of the project)",
        ),
        Invalid(
            """
            from mcp.server.session import ServerSession


            class RelaySession(ServerSession):
                async def send_ping(self):
                    return await self.request("ping", {})
            """,
            findings=[(6, 35)],
            note='a server session that sends the method it is given: `self.request("ping", {})`',
        ),
        Invalid(
            """
            import asyncio
            from mcp import ClientSession

            async def keepalive(session: ClientSession) -> None:
                while True:
                    await asyncio.sleep(30)
                    await session.send_ping()

            async def alive(session: ClientSession) -> bool:
                return bool(await session.send_ping())
            """,
            findings=[(7, 15), (10, 23)],
            unsafe_fixed="""
            import asyncio
            from mcp import ClientSession

            async def keepalive(session: ClientSession) -> None:
                while True:
                    await asyncio.sleep(30)

            async def alive(session: ClientSession) -> bool:
                return bool(await session.send_ping())
            """,
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            def handle(message: dict) -> dict:
                if message["method"] == "ping":
                    return {}
                return {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            """,
            findings=[(4, 29), (6, 50)],
            note="hand-rolled: a handler and a request, in a file about MCP",
        ),
        Valid(
            """
            import redis

            def healthy(client: redis.Redis) -> bool:
                return client.ping()
            """
        ),
        Valid(
            """
            def handle(message: dict) -> dict:
                # a chat protocol's own ping, in a file that never mentions MCP
                if message["method"] == "ping":
                    return {"method": "pong"}
                return {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            """
        ),
        Valid(
            """
            from mcp import ClientSession

            async def check(websocket) -> None:
                await websocket.ping()
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.evidence = mcp_evidence(context)
        self.clients: set[str] = set()  # names bound by `async with Client(...) as name`

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        if self.evidence:
            self.report(literal, MESSAGE, help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("send_ping", "ping") or node.args:
            return
        if func.attr.value == "ping" and not self._is_client(func.value):
            return
        if func.attr.value == "send_ping" and not self.context.imports.imports_from("mcp", "fastmcp"):
            return
        statement = self.context.statement
        alone = is_statement_of(statement, node, awaited=True)
        fix = NodeFix("Remove the ping", Applicability.UNSAFE, (remove_statement(statement, self.context.alone_in_block),)) if alone else None
        self.report(node, MESSAGE, fix=fix, help=None if fix else HELP)

    def _is_client(self, node: cst.BaseExpression) -> bool:
        """`client.ping()` counts only on a name bound by `async with Client(...) as client` or annotated so."""
        return isinstance(node, cst.Name) and node.value in self.clients

    def visit_Param(self, node: cst.Param) -> None:
        """`async def health(client: Client)`: a parameter annotated with an MCP client or session."""
        annotation = node.annotation.annotation if node.annotation is not None else None
        if annotation is not None and any(self.context.qualified_name(name) in CLIENTS for name in annotation_classes(annotation)):
            self.clients.add(node.name.value)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if isinstance(item.item, cst.Call) and self.context.qualified_name(item.item.func) in CLIENTS and item.asname:
                if isinstance(item.asname.name, cst.Name):
                    self.clients.add(item.asname.name.value)
