"""MCP103 session-id: code that reads, writes or keys state on `Mcp-Session-Id`."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Rule, Valid
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import constant_value, mcp_evidence, module_constants, string_value
from mcpmigrate.rules._kits.spec import SESSION_ID_HEADER
from mcpmigrate.rules._kits.shapes import SESSION_HEADER
from mcpmigrate.steps import Step

HEADER = SESSION_ID_HEADER.lower()
CONSTANTS = frozenset(
    {
        "mcp.client.streamable_http.MCP_SESSION_ID",
        "mcp.server.streamable_http.MCP_SESSION_ID_HEADER",
        "mcp.server.streamable_http.SESSION_ID_PATTERN",
    }
)
CLIENTS = frozenset(
    {"mcp.client.streamable_http.streamablehttp_client", "mcp.client.streamable_http.streamable_http_client"}
)
MESSAGE = "2026-07-28 has no protocol sessions: `Mcp-Session-Id` is never sent"
HELP = (
    "Keep state in explicit handles the server mints and returns (a `cart_id`, `job_id`), passed back as "
    "ordinary tool arguments and stored server-side; a server that still serves `initialize` clients keeps "
    "its session logic for them only"
)


# Calls that make a fresh random id: what a server mints a session id with.
MINTERS = frozenset({"uuid4", "uuid1", "token_hex", "token_urlsafe", "generate_session_id", "new_session_id", "make_session_id"})
# Client calls that end a session (the SDK transport's `terminate_session`, a DELETE to the endpoint).
TERMINATE_MESSAGE = "ending a session with DELETE: 2026-07-28 has no sessions to end (a modern server answers 405)"
MINT_MESSAGE = "a session id minted for `Mcp-Session-Id`: 2026-07-28 has no protocol sessions"


# `get_session_id()`, and the transport's callback kept on an attribute (`self._get_session_id_callback()`)
SESSION_ID_GETTER = re.compile(r"_*get_session_id(?:_(?:callback|cb|fn|func))?\Z")

def _listed(value: str) -> list[str]:
    """The names in a comma-separated header list, lowered."""
    return [part.strip().lower() for part in value.split(",")]


def _mints(node: cst.BaseExpression | None) -> bool:
    """`uuid.uuid4()`, `str(uuid4())`, `uuid4().hex`, `secrets.token_hex(16)`, `generate_session_id()`,
    `given or generate_session_id()`."""
    while node is not None:
        if isinstance(node, cst.BooleanOperation):
            node = node.right
        elif isinstance(node, cst.Attribute):
            node = node.value
        elif isinstance(node, cst.Call):
            if last_name(node.func) in MINTERS:
                return True
            inner = node.func.value if isinstance(node.func, cst.Attribute) else None
            node = inner if inner is not None and isinstance(inner, cst.Call) else (node.args[0].value if node.args and last_name(node.func) in ("str", "format") else None)
        else:
            return False
    return False


class SessionId(Rule):
    code = "MCP103"
    name = "session-id"
    step = Step.HANDSHAKE
    summary = "Reading, writing or keying state on `Mcp-Session-Id`, which 2026-07-28 removed"
    why = (
        "2026-07-28 removed protocol sessions: no `Mcp-Session-Id` header is minted or echoed, a `DELETE` "
        "no longer ends anything, and a server must not keep per-connection state that changes its "
        "answers. Code that reads the header finds nothing; state keyed by it is never found again; a "
        "client waiting for a session id waits forever."
    )
    fix_summary = "none: `Mcp-Session-Id` reads, writes and callbacks reported"
    fix_description = (
        "None: the state has to move. Each use of the header (any spelling), of the SDK's session-id "
        "constants, and of the client's session-id callback is reported with what to do instead."
    )
    fix_safety = "No automatic fix: where the state goes is a design decision."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md sections 1 and 8 (item 2)",
    )
    answers = ((SESSION_HEADER, "Mcp-Session-Id"), (SESSION_HEADER, "mcp-session-id"))
    tokens = ("mcp-session-id", "mcp_session_id", "session_id_pattern", "get_session_id", "streamablehttp_client", "streamable_http_client")
    examples = (
        Invalid(
            """
            import secrets
            import uuid

            SESSION_HEADER = "mcp-session-id"


            def new_session_id() -> str:
                return uuid.uuid4().hex


            def open_session(request, sessions):
                sid = request.headers.get(SESSION_HEADER) or new_session_id()
                sessions[sid] = Session(id=secrets.token_hex(16))
            """,
            findings=[(4, 18), (8, 12), (12, 11), (12, 31), (13, 32)],
            note="session ids minted: by a function named for it, on a fresh session, or when the header is missing",
        ),
        Valid(
            """
            import uuid

            def new_order_id() -> str:
                return uuid.uuid4().hex

            def place(order):
                order_id = str(uuid.uuid4())
                return order_id
            """
        ),
        Invalid(
            """
            import mcp


            async def app(scope, receive, send):
                session_id = dict(scope["headers"]).get(b"mcp-session-id")
                await send({"type": "http.response.start", "status": 200, "headers": [(b"mcp-session-id", b"abc")]})
                return session_id
            """,
            findings=[(5, 45), (6, 76)],
            note="ASGI headers, whose names are bytes",
        ),
        Invalid(
            """
            from starlette.requests import Request

            CARTS: dict[str, list[str]] = {}

            async def add_item(request: Request) -> dict:
                session = request.headers.get("mcp-session-id")
                CARTS.setdefault(session, []).append((await request.json())["item"])
                return {"ok": True}
            """,
            findings=[(6, 35)],
        ),
        Invalid(
            """
            from mcp.client.streamable_http import MCP_SESSION_ID, streamablehttp_client

            async def main(url):
                async with streamablehttp_client(url) as (read, write, get_session_id):
                    print("session", get_session_id(), MCP_SESSION_ID)
            """,
            findings=[(5, 26), (5, 44)],
            note="the SDK's constant and the client's session-id callback",
        ),
        Invalid(
            """
            import httpx

            SESSION_HEADER = "Mcp-Session-Id"

            def call(client: httpx.Client, session_id: str) -> httpx.Response:
                return client.post("/mcp", headers={"MCP-SESSION-ID": session_id}, json={})

            def remember(transport) -> str | None:
                return transport.get_session_id()


            class TracedSession:
                def session_id(self) -> str | None:
                    return self._get_session_id_callback() if self._get_session_id_callback else None
            """,
            findings=[(3, 18), (6, 41), (9, 12), (14, 16)],
            note="any spelling of the header; `get_session_id()` in a file that talks MCP, also the transport's "
            "callback kept on an attribute",
        ),
        Valid(
            """
            from flask import request, session

            def profile():
                return {"user": session.get("user_id"), "sid": request.cookies.get("session-id")}
            """
        ),
        Valid(
            """
            import requests

            def login(api):
                response = requests.post(api, headers={"X-Session-Id": "abc"})
                return response.headers.get("session-id")
            """
        ),
        Valid(
            """
            class Browser:
                def get_session_id(self) -> str:
                    return self._sid

            def current(browser: Browser) -> str:
                return browser.get_session_id()
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.callbacks: set[str] = set()  # names bound to a transport's session-id callback
        self.inner_names: set[int] = set()
        self.header_constants: bool | None = None  # see _constants_hold_header
        self.sessions: bool | None = None  # see _about_sessions
        self.minting: list[bool] = []  # per enclosing function: is it named for making session ids?
        self.calls: list[str] = []  # the names of the enclosing calls

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = string_value(node)
        if value is not None and (value.lower() == HEADER or (HEADER in value.lower() and HEADER in _listed(value))):
            # the header itself, or a list of headers naming it (CORS: `"Mcp-Session-Id, Mcp-Protocol-Version"`)
            self.report(node, MESSAGE, help=HELP)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.inner_names.add(id(node.target))  # `SESSION_HEADER = "..."` defines it: its literal is reported

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.inner_names.add(id(node.target))

    def visit_Name(self, node: cst.Name) -> None:
        self._constant(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._constant(node)

    def _constant(self, node: cst.BaseExpression) -> None:
        if self.context.qualified_name(node) in CONSTANTS:
            self.report(node, MESSAGE, help=HELP)
        elif id(node) in self.inner_names:
            return  # a definition, or the `headers` of `headers.SESSION` (reported as a whole)
        elif self._constants_hold_header() and (value := constant_value(self.context, node)) is not None and value.lower() == HEADER:
            # the header through a constant: `request.headers.get(SESSION_HEADER)`, `Headers.SESSION`
            self.report(node, MESSAGE, help=HELP)
            if isinstance(node, cst.Attribute):
                self.inner_names.add(id(node.value))

    def _constants_hold_header(self) -> bool:
        """Whether any constant a name can stand for (the module's, or one it imports from the project)
        is the header: most files have none, and then no name is looked up (this runs on every name)."""
        if self.header_constants is None:
            values = [*self.context.shared(module_constants).values(), *(value for _, value in self.context.options.project.constants)]
            self.header_constants = any(value.lower() == HEADER for value in values)
        return self.header_constants

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if (
                isinstance(item.item, cst.Call)
                and self.context.qualified_name(item.item.func) in CLIENTS
                and item.asname is not None
                and isinstance(item.asname.name, cst.Tuple)
                and len(item.asname.name.elements) == 3
                and isinstance(third := item.asname.name.elements[2].value, cst.Name)
            ):
                self.callbacks.add(third.value)

    def _about_sessions(self) -> bool:
        """A file about MCP that handles `Mcp-Session-Id` (by name, or by the SDK's constants)."""
        if self.sessions is None:
            text = self.context.text.lower()
            self.sessions = mcp_evidence(self.context) and (HEADER in text or "mcp_session_id" in text or self._constants_hold_header())
        return self.sessions

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.minting.pop()

    def leave_Call(self, original_node: cst.Call) -> None:
        self.calls.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """`def do_DELETE(self)`, `@app.delete("/mcp")`: the route that ends a session."""
        self.minting.append("session_id" in node.name.value.lower())
        deletes = node.name.value == "do_DELETE" or any(
            isinstance(d.decorator, cst.Call) and isinstance(d.decorator.func, cst.Attribute) and d.decorator.func.attr.value == "delete"
            for d in node.decorators
        )
        if deletes and self._about_sessions():
            self.report(node.name, TERMINATE_MESSAGE, help="Remove the DELETE handler, or answer 405")

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """`if request.method == "DELETE":` in an endpoint that handles `Mcp-Session-Id`."""
        if len(node.comparisons) == 1 and isinstance(node.comparisons[0].operator, cst.Equal):
            sides = (node.left, node.comparisons[0].comparator)
            literal = next((side for side in sides if string_value(side) == "DELETE"), None)
            if literal is not None and any(isinstance(side, cst.Attribute) and side.attr.value == "method" for side in sides):
                if self._about_sessions():
                    self.report(literal, TERMINATE_MESSAGE, help="Remove the DELETE branch, or answer 405")

    def visit_Assign(self, node: cst.Assign) -> None:
        """`session_id = str(uuid.uuid4())`, `sid = given or generate_session_id()`: a session id minted, in
        a file that handles the header."""
        names = [dotted_name(t.target) or "" for t in node.targets]
        if any("session_id" in name.lower() or name.lower().endswith("sid") for name in names) and _mints(node.value):
            if self._about_sessions():
                self.report(node.value, MINT_MESSAGE, help=HELP)

    def visit_Return(self, node: cst.Return) -> None:
        """`def new_session_id(): return uuid.uuid4().hex`: the function that mints them."""
        if self.minting and self.minting[-1] and _mints(node.value) and self._about_sessions():
            self.report(node.value, MINT_MESSAGE, help=HELP)

    def visit_Arg(self, node: cst.Arg) -> None:
        """`Session(id=secrets.token_hex(16))`: a session made with a fresh id."""
        if node.keyword is not None and node.keyword.value in ("id", "session_id") and _mints(node.value):
            if self.calls and "session" in self.calls[-1].lower() and self._about_sessions():
                self.report(node.value, MINT_MESSAGE, help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        self.calls.append(last_name(func) or "")
        if isinstance(func, cst.Attribute) and func.attr.value in ("terminate_session", "delete") and self._about_sessions():
            if func.attr.value == "terminate_session" or any(arg.keyword is not None and arg.keyword.value == "headers" for arg in node.args):
                # `await transport.terminate_session(client)`, `await client.delete(url, headers=headers)`
                self.report(func.attr, TERMINATE_MESSAGE, help="Stop ending sessions: there are none")
        if isinstance(func, cst.Name) and func.value in self.callbacks:
            self.report(node, MESSAGE, help=HELP)
        elif (
            isinstance(func, cst.Attribute)
            and SESSION_ID_GETTER.match(func.attr.value)
            and not node.args
            and mcp_evidence(self.context)
        ):
            self.report(node, MESSAGE, help=HELP)
