"""MCP105 session-state: servers that keep state per MCP session, which 2026-07-28 no longer has."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, Rule, Valid
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.syntax import last_name, simple_assignment
from mcpmigrate.rules._kits.jsonrpc import constant_value, mcp_evidence, string_value
from mcpmigrate.rules._kits.method_mentions import annotation_classes
from mcpmigrate.rules._kits.spec import META_CAPABILITIES, META_VERSION, SESSION_ID_HEADER
from mcpmigrate.steps import Side, Step

MESSAGE = (
    "`{store}` keeps state per MCP session: 2026-07-28 has no sessions, so each request may come on "
    "a new connection and this state is never found again"
)
HELP = (
    "Keep the state in a handle the server mints and returns (a `cart_id`), passed back as an ordinary "
    "tool argument and stored server-side; or keep it client-side. A server that still serves "
    "handshake-era clients keeps this only for them"
)
# Calls that build an empty container at module level.
CONTAINERS = frozenset(
    {"dict", "set", "list", "defaultdict", "OrderedDict", "TTLCache", "LRUCache", "WeakValueDictionary", "WeakKeyDictionary", "WeakSet"}
)
# A container named for the sessions it holds (`self._sessions`, `active_sessions`, `session_adapters`):
# a server's or a gateway's table of MCP sessions, in a file about MCP.
SESSION_TABLE = re.compile(r"(?:^|_)sessions?(?:_|$)", re.IGNORECASE)  # (a bare `session` is one session, not a table)
SESSION_OBJECTS = frozenset({"mcp.server.session.ServerSession", "mcp.ServerSession", "mcp.server.ServerSession"})
OTHER_SESSIONS = re.compile(r"http|aiohttp|requests|db|sql|browser|user|login|auth|web|redis|boto|aws", re.IGNORECASE)
TABLE_MESSAGE = (
    "`{store}` holds MCP sessions: 2026-07-28 has no sessions, so nothing ever opens, finds or expires one "
    "for a modern client"
)
TABLE_HELP = (
    "Serve each request on its own (what it needs travels in `_meta` and its arguments); keep the table only "
    "for handshake-era clients, and plan its removal"
)
# What a handshake-era server learns at `initialize` and keeps on the session object.
NEGOTIATED = frozenset(
    {
        "client_capabilities", "protocol_version", "negotiated_version", "negotiated_protocol_version",
        "client_info", "initialized", "is_initialized",
    }
)
NEGOTIATED_MESSAGE = (
    "`{expr}` is kept on the session since `initialize`: 2026-07-28 has neither, and each request "
    "carries its protocol version and client capabilities in `_meta`"
)
NEGOTIATED_HELP = (
    "Read them from the request: `_meta[\"{version}\"]` and `_meta[\"{capabilities}\"]`; keep the session's "
    "copy only for handshake-era clients"
).format(version=META_VERSION, capabilities=META_CAPABILITIES)
SESSION_CLASS_MESSAGE = (
    "`{name}` keeps what `initialize` negotiated for one connection ({fields}): 2026-07-28 has no "
    "sessions, so each request carries this in `_meta`"
)
# Methods that read or change a container by key.
KEYED_METHODS = frozenset({"setdefault", "get", "pop", "__getitem__", "__setitem__"})
HEADER = SESSION_ID_HEADER.lower()


class SessionState(Rule):
    code = "MCP105"
    name = "session-state"
    step = Step.HANDSHAKE
    side = Side.SERVER
    summary = "Server state kept per MCP session (keyed by the session, its id, or holding the session)"
    why = (
        "2026-07-28 made the protocol stateless: there is no `initialize`, no `Mcp-Session-Id`, and a "
        "server must not keep per-connection state that changes its answers (SEP-2575). A module-level "
        "dict keyed by `ctx.session`, `id(ctx.session)` or the session id, or a registry of sessions to "
        "push to later, is empty or stale for every 2026-07-28 request. This is the hardest part of going "
        "stateless: the state has to move."
    )
    fix_summary = "none: module-level state keyed by the MCP session, or holding sessions, reported"
    fix_description = (
        "None: where the state goes is a design decision. Each write or read of a module-level container "
        "by a session key (`ctx.session`, `id(ctx.session)`, a `session_id`, the `Mcp-Session-Id` header) "
        "and each session stored in a module-level registry is reported."
    )
    fix_safety = "No automatic fix."
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/changelog",
        "../shared/reference/spec-2026-07-28-details.md sections 1 and 8",
    )
    tokens = ("session",)
    context_tokens = ("mcp",)
    examples = (
        Invalid(
            """
            from collections import defaultdict

            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("shop")
            CARTS: dict[int, list[str]] = defaultdict(list)


            @mcp.tool()
            async def add(item: str, ctx: Context) -> int:
                CARTS[id(ctx.session)].append(item)
                return len(CARTS[id(ctx.session)])
            """,
            findings=[(11, 5), (12, 16)],
            note="a cart per connection: every 2026-07-28 request would start an empty one",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP
            from starlette.requests import Request

            PREFERENCES = {}
            _SESSION_REGISTRY = {}


            async def remember(request: Request, prefs: dict) -> None:
                session_id = request.headers.get("mcp-session-id")
                PREFERENCES.setdefault(session_id, {}).update(prefs)


            async def register(run_id: str, ctx) -> None:
                _SESSION_REGISTRY[run_id] = ctx.session
            """,
            findings=[(10, 5), (14, 5)],
            note="keyed by the session id from the header; sessions kept to push to later",
        ),
        Invalid(
            """
            from mcp.types import LATEST_PROTOCOL_VERSION


            class Session:
                def __init__(self, send):
                    self.send = send
                    self.initialized = False
                    self.client_capabilities: dict = {}


            def on_initialize(session: Session, params: dict) -> dict:
                session.protocol_version = params.get("protocolVersion", LATEST_PROTOCOL_VERSION)
                return {"protocolVersion": session.protocol_version}


            def can_sample(ctx) -> bool:
                return "sampling" in getattr(ctx._session, "client_capabilities", {})
            """,
            findings=[(4, 7), (12, 5), (13, 32), (17, 26)],
            note="negotiated state kept on a hand-rolled session object",
        ),
        Valid(
            """
            import aiohttp
            from mcp.server.fastmcp import FastMCP


            class BrowserSession:
                def __init__(self):
                    self.initialized = False


            def ready(http_session: aiohttp.ClientSession, server) -> bool:
                return http_session.closed and server.protocol_version == "2026-07-28"
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("shop")
            CARTS: dict[str, list[str]] = {}


            @mcp.tool()
            async def add(cart_id: str, item: str, ctx: Context) -> int:
                # a handle the client passes back: state that survives any connection
                CARTS.setdefault(cart_id, []).append(item)
                return len(CARTS[cart_id])
            """
        ),
        Valid(
            """
            from cachetools import TTLCache
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("db")
            PER_USER = TTLCache(maxsize=100, ttl=3600)
            http_sessions = {}


            def remember(user_id: str, rows: list) -> None:
                PER_USER[user_id] = rows


            def client_for(url: str, session):
                http_sessions[url] = session  # an HTTP client's session: no MCP session
            """
        ),
        Valid(
            """
            SESSIONS = {}


            def login(session_id: str, user: str) -> None:
                SESSIONS[session_id] = user  # a web app's own sessions, in a file about no MCP
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.stores: set[str] = set()  # module-level names bound to an empty container
        self.depth = 0  # functions entered
        self.session_names: list[set[str]] = [set()]  # per function: names bound to a session key
        self.active = mcp_evidence(context)
        self.tables: set[int] = set()  # targets reported as a table of sessions
        self.class_depth = 0

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if self.depth:
            return
        for small in node.body:
            target, value = simple_assignment(small) or (None, None)
            if isinstance(target, cst.Name) and _empty_container(value):
                self.stores.add(target.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.class_depth += 1
        # class Session: def __init__(self): self.initialized = False; self.client_capabilities = {}
        name = node.name.value
        if self.active and name.lower().endswith("session") and not OTHER_SESSIONS.search(name):
            fields = sorted(_negotiated_fields(node))
            if fields:
                self.report(node.name, SESSION_CLASS_MESSAGE.format(name=name, fields=", ".join(f"`{f}`" for f in fields)), help=NEGOTIATED_HELP)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        # session.protocol_version = version; name in self._session.client_capabilities
        if self.active and node.attr.value in NEGOTIATED and _is_session(node.value):
            self.report(node, NEGOTIATED_MESSAGE.format(expr=self.context.code_for(node)), help=NEGOTIATED_HELP)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        self.session_names.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1
        self.session_names.pop()

    def _session_table(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        """`self._sessions: dict[str, Session] = {}`: a table of sessions, in a class or at module level."""
        name = dotted_name(target)
        # `self._sessions = {}`, or a class's (a dataclass field): a module-level store is reported where
        # it is keyed by a session (below), and a function's local is no state kept
        kept = isinstance(target, cst.Attribute) or (self.class_depth > 0 and not self.depth)
        last = (name or "").rsplit(".", 1)[-1]
        if (
            self.active and kept and name is not None and _empty_container(value) and SESSION_TABLE.search(last)
            and last.strip("_").lower() != "session" and not OTHER_SESSIONS.search(last)
        ):
            self.report(target, TABLE_MESSAGE.format(store=name), help=TABLE_HELP)
            self.tables.add(id(target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._session_table(node.target, node.value)
        # `active: weakref.WeakSet[ServerSession] = ...`, `levels: WeakKeyDictionary[ServerSession, int]`:
        # a container of the SDK's server sessions, kept to reach them later
        if id(node.target) not in self.tables and _empty_container(node.value) and self.active:
            for name in annotation_classes(node.annotation.annotation):
                if self.context.qualified_name(name) in SESSION_OBJECTS:
                    store = dotted_name(node.target) or self.context.code_for(node.target)
                    self.report(node.target, TABLE_MESSAGE.format(store=store), help=TABLE_HELP)
                    break

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._session_table(node.targets[0].target, node.value)
        if not self.depth or not self.active:
            return
        for target in node.targets:
            # session_id = request.headers.get("mcp-session-id"): a name for the key
            if isinstance(target.target, cst.Name) and self._session_key(node.value):
                self.session_names[-1].add(target.target.value)
            # STORE[key] = value
            subscript = target.target
            if isinstance(subscript, cst.Subscript) and (store := self._store(subscript.value)) is not None:
                key = _index(subscript)
                if (key is not None and self._session_key(key)) or self._session_value(node.value):
                    self.report(subscript, MESSAGE.format(store=store), help=HELP)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        # a read or an in-place change: CARTS[id(ctx.session)].append(item), len(CARTS[session_id])
        if self.depth and self.active and (store := self._store(node.value)) is not None:
            key = _index(node)
            if key is not None and self._session_key(key) and not self._is_assigned(node):
                self.report(node, MESSAGE.format(store=store), help=HELP)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        # getattr(self._session, "client_capabilities", None)
        if (
            self.active and isinstance(func, cst.Name) and func.value in ("getattr", "hasattr", "setattr") and len(node.args) >= 2
            and string_value(node.args[1].value) in NEGOTIATED and _is_session(node.args[0].value)
        ):
            self.report(node, NEGOTIATED_MESSAGE.format(expr=self.context.code_for(node)), help=NEGOTIATED_HELP)
        if not (self.depth and self.active and isinstance(func, cst.Attribute) and func.attr.value in KEYED_METHODS):
            return
        store = self._store(func.value)
        if store is not None and node.args and node.args[0].keyword is None and self._session_key(node.args[0].value):
            self.report(node, MESSAGE.format(store=store), help=HELP)

    def _is_assigned(self, node: cst.Subscript) -> bool:
        statement = self.context.statement
        return statement is not None and any(
            isinstance(small, cst.Assign) and any(target.target is node for target in small.targets) for small in statement.body
        )

    def _store(self, node: cst.BaseExpression) -> str | None:
        return node.value if isinstance(node, cst.Name) and node.value in self.stores else None

    def _session_key(self, node: cst.BaseExpression) -> bool:
        """`ctx.session`, `id(ctx.session)`, `session_id`, `ctx.session_id`, the `Mcp-Session-Id` header's value."""
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("id", "str", "hash") and node.args:
            return self._session_key(node.args[0].value)
        if isinstance(node, cst.Name):
            return node.value in self.session_names[-1] or node.value.lower() in ("session_id", "mcp_session_id", "sessionid")
        if isinstance(node, cst.Attribute):
            return node.attr.value in ("session", "session_id") and dotted_name(node) is not None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
            value = constant_value(self.context, node.args[0].value)  # headers.get("mcp-session-id")
            return value is not None and value.lower() == HEADER
        if isinstance(node, cst.Subscript):
            key = _index(node)
            value = constant_value(self.context, key) if key is not None else None
            return value is not None and value.lower() == HEADER
        return False

    def _session_value(self, node: cst.BaseExpression) -> bool:
        """`ctx.session`, `ctx.request_context.session`: the MCP session itself, kept to push to later.
        (A bare name `session` could be any session: an HTTP client's, a database's.)"""
        return isinstance(node, cst.Attribute) and node.attr.value == "session" and isinstance(node.value, (cst.Name, cst.Attribute))


def _empty_container(value: cst.BaseExpression | None) -> bool:
    if isinstance(value, (cst.Dict, cst.Set, cst.List)) and not getattr(value, "elements", None):
        return True
    if isinstance(value, cst.Call):
        if last_name(value.func) == "field":  # a dataclass's `field(default_factory=dict)`
            factory = next((arg.value for arg in value.args if arg.keyword is not None and arg.keyword.value == "default_factory"), None)
            return factory is not None and last_name(factory) in CONTAINERS
        return last_name(value.func) in CONTAINERS
    return False


def _is_session(node: cst.BaseExpression) -> bool:
    """`session`, `self._session`, `ctx.session`, `mcp_session`: one session object (not a table of them,
    and not an HTTP client's or a database's)."""
    name = last_name(node)
    if name is None or OTHER_SESSIONS.search(name):
        return False
    name = name.strip("_").lower()
    return name == "session" or name.endswith("_session")


def _negotiated_fields(node: cst.ClassDef) -> set[str]:
    """The negotiated fields a class keeps: annotated class attributes (a dataclass's, a Struct's) and
    `self.<field> = ...` in its `__init__`."""
    fields: set[str] = set()
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.AnnAssign, cst.Assign)):
                    targets = [small.target] if isinstance(small, cst.AnnAssign) else [t.target for t in small.targets]
                    fields.update(t.value for t in targets if isinstance(t, cst.Name) and t.value in NEGOTIATED)
        elif isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
            for line in statement.body.body:
                if isinstance(line, cst.SimpleStatementLine):
                    for small in line.body:
                        targets = (
                            [small.target] if isinstance(small, cst.AnnAssign)
                            else [t.target for t in small.targets] if isinstance(small, cst.Assign) else []
                        )
                        fields.update(
                            t.attr.value for t in targets
                            if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and t.value.value == "self"
                            and t.attr.value in NEGOTIATED
                        )
    return fields


def _index(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None
