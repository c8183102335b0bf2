"""MCP102 initialize-handler: hand-rolled servers that answer `initialize` but not `server/discover`."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import (
    FileContext,
    Invalid,
    NodeFix,
    Rule,
    SourceView,
    Valid,
    insert_after,
    insert_before,
    replace_between,
)
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rules._kits.handler_results import dispatch_comparisons
from mcpmigrate.rules._kits.jsonrpc import (
    EVIDENCE_TOKENS,
    builds_on_client_session,
    compared_methods,
    constant_value,
    dict_entries,
    is_method_expression,
    mcp_evidence,
    string_value,
)
from mcpmigrate.rules._kits.method_mentions import HANDLE, MethodMentions
from mcpmigrate.rules._kits.spec import MCP_METHODS
from mcpmigrate.rules._kits.shapes import METHOD_HANDLED
from mcpmigrate.steps import Side, Step

DISCOVER = "server/discover"
MESSAGE = (
    "this server answers `initialize` but not `server/discover`: 2026-07-28 clients never send "
    "`initialize`, and servers must implement `server/discover`"
)
SHARED = (
    "`server/discover` is answered by the `initialize` branch: a discover result is not an `initialize` "
    "result (it has `supportedVersions` and `resultType`; no `protocolVersion`, `serverInfo` moves into `_meta`)"
)
HELP = (
    "Answer `server/discover` with `{\"resultType\": \"complete\", \"supportedVersions\": [\"2026-07-28\", ...], "
    "\"capabilities\": {...}, \"ttlMs\": ..., \"cacheScope\": \"public\", \"_meta\": "
    "{\"io.modelcontextprotocol/serverInfo\": {...}}}`, and read each request's version and capabilities "
    "from its `_meta`"
)


HANDSHAKE = frozenset({"initialize", "notifications/initialized"})
HANDLE_HELP = (
    "Serve each request on its own: answer `server/discover`, read the version and capabilities from each "
    "request's `_meta`, and keep the handshake only for older clients"
)


class InitializeHandler(Rule):
    code = "MCP102"
    name = "initialize-handler"
    step = Step.META_AND_DISCOVER
    side = Side.SERVER
    summary = "Hand-rolled servers that answer `initialize` and have no `server/discover` handler"
    why = (
        "2026-07-28 removed the handshake: a modern client sends `server/discover` (or goes straight to "
        "`tools/list` with `_meta`), never `initialize`, and servers MUST implement `server/discover`. A "
        "server that only dispatches `initialize` cannot be discovered by 2026-07-28 clients. (Servers on "
        "the mcp 2.x SDK answer both; this rule is about JSON-RPC dispatch written by hand.)"
    )
    fix_summary = "`server/discover` routed beside `initialize` (unsafe: the result differs)"
    fix_description = (
        "Routes `server/discover` to the same code: `method == \"initialize\"` becomes `method in "
        "(\"initialize\", \"server/discover\")`, a `case \"initialize\":` gains `| \"server/discover\"`, a handler "
        "table or decorator gets a `server/discover` entry beside the `initialize` one."
    )
    fix_safety = (
        "Always unsafe: a `server/discover` result is not an `initialize` result. It needs `resultType`, "
        "`supportedVersions`, `capabilities`, `ttlMs` and `cacheScope` (and `serverInfo` goes into `_meta`), "
        "so the shared handler must branch on the method. The fix gives both methods one entry point to "
        "edit; it is no substitute for that edit, and a branch that answers both without looking at the "
        "method again stays a finding until it does."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/server/discover",
        "../shared/reference/spec-2026-07-28-details.md sections 2.2 and 7",
    )
    answers = ((METHOD_HANDLED, "initialize"), (METHOD_HANDLED, "notifications/initialized"))
    tokens = ("initialize",)
    context_tokens = EVIDENCE_TOKENS
    gathers = (MethodMentions,)
    examples = (
        Valid(
            """
            import json

            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("apps")


            def handle_view_message(raw: str) -> dict:
                # MCP Apps: the view in the iframe speaks its own JSON-RPC to the host (`ui/*` methods)
                message = json.loads(raw)
                if message["method"] == "ui/initialize":
                    return {"jsonrpc": "2.0", "id": message["id"], "result": {"hostCapabilities": {}}}
                return {}


            def initialize_view(send) -> None:
                send({"jsonrpc": "2.0", "id": 1, "method": "ui/initialize", "params": {"appInfo": {"name": "v"}}})
            """
        ),
        Invalid(
            """
            from starlette.requests import Request

            async def handle(request: Request) -> dict:
                body = await request.json()
                method = body["method"]
                if method == "initialize":
                    return {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}}
                elif method == "tools/list":
                    return {"tools": []}
                raise ValueError(method)
            """,
            findings=[(6, 18)],
            unsafe_fixed="""
            from starlette.requests import Request

            async def handle(request: Request) -> dict:
                body = await request.json()
                method = body["method"]
                if method in ("initialize", "server/discover"):
                    return {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}}
                elif method == "tools/list":
                    return {"tools": []}
                raise ValueError(method)
            """,
        ),
        Invalid(
            """
            from starlette.requests import Request

            async def handle(request: Request) -> dict:
                method = (await request.json())["method"]
                if method in ("initialize", "server/discover"):
                    return {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}}
                elif method == "tools/list":
                    return {"tools": []}
                raise ValueError(method)
            """,
            findings=[(5, 33)],
            note="the fix's shape, one branch answering both with the `initialize` result: still to do (no fix)",
        ),
        Invalid(
            """
            def dispatch(message: dict) -> dict:
                match message["method"]:
                    case "initialize":
                        return initialize(message)
                    case "tools/call" | "tools/list":
                        return tools(message)
                return {}

            HANDLERS = {
                "initialize": on_initialize,
                "tools/list": on_list_tools,
            }
            """,
            findings=[(3, 14), (10, 5)],
            unsafe_fixed="""
            def dispatch(message: dict) -> dict:
                match message["method"]:
                    case "initialize" | "server/discover":
                        return initialize(message)
                    case "tools/call" | "tools/list":
                        return tools(message)
                return {}

            HANDLERS = {
                "server/discover": on_initialize, "initialize": on_initialize,
                "tools/list": on_list_tools,
            }
            """,
            note="`match` dispatch and a handler table",
        ),
        Invalid(
            """
            from enum import Enum


            class Method(str, Enum):
                INITIALIZE = "initialize"
                TOOLS_LIST = "tools/list"


            def dispatch(message: dict) -> dict:
                if message["method"] == Method.INITIALIZE:
                    return initialize(message)
                if message["method"] == Method.TOOLS_LIST:
                    return {"tools": []}
            """,
            findings=[(10, 29)],
            note="a dispatch on an enum member (no fix: add `Method.DISCOVER` and route it by hand)",
        ),
        Invalid(
            """
            from jsonrpcserver import method as rpc

            handlers = {}
            handlers["initialize"] = lambda params: {"capabilities": {}}

            @rpc(name="initialize")
            def initialize(params) -> dict:
                return {"serverInfo": {"name": "x"}, "tools/list": None}
            """,
            findings=[(4, 10), (6, 11)],
            unsafe_fixed="""
            from jsonrpcserver import method as rpc

            handlers = {}
            handlers["initialize"] = lambda params: {"capabilities": {}}
            handlers["server/discover"] = lambda params: {"capabilities": {}}

            @rpc(name="server/discover")
            @rpc(name="initialize")
            def initialize(params) -> dict:
                return {"serverInfo": {"name": "x"}, "tools/list": None}
            """,
            note="registration by subscript and by decorator",
        ),
        Valid(
            """
            async def handle(method: str, params: dict) -> dict:
                if method in ("initialize", "server/discover"):
                    return describe(method)
                if method == "tools/list":
                    return {"tools": []}
                return {}
            """
        ),
        Invalid(
            """
            from mcp.types import JSONRPCRequest

            def is_initialization(message) -> bool:
                return isinstance(message, JSONRPCRequest) and message.method == "initialize"

            def test_parse(request):
                assert request.method == "initialize"
                assert request.params["name"] == "tools/list"
            """,
            findings=[(4, 70), (7, 30)],
            note="code that picks the handshake out (a transport creating its session on it, a test of it): "
            "reported without a fix, since 2026-07-28 clients never send it",
        ),
        Valid(
            """
            from mcp import ClientSession

            class Middleware:
                # a client's middleware: its table routes the calls the client sends
                def hooks(self):
                    return {"initialize": self.on_initialize, "tools/call": self.on_call_tool}
            """
        ),
        Valid(
            """
            from pygls.server import LanguageServer

            def on_message(msg):
                if msg["method"] == "initialize":
                    return {"capabilities": {"hoverProvider": True}}
            """
        ),
        Valid(
            """
            from mcp.server.lowlevel import Server

            class Plugin:
                def run(self, phase: str) -> None:
                    if phase == "initialize":
                        self.setup()
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        text = context.text
        self.has_discover = f'"{DISCOVER}"' in text or f"'{DISCOVER}'" in text
        # (`initialize` in the text, or in a constant the file imports from another module)
        self.active = not self.has_discover and ("initialize" in text or "initialize" in context.options.project.mentions)
        self.subjects: list[bool] = []  # per enclosing match: is its subject a method expression?
        self.dispatch_tests: set[int] = set()
        self.reported: set[int] = set()  # nodes reported as a dispatch, not again as a mention

    def _report(self, node: cst.CSTNode, edits: tuple | None) -> None:
        """`edits` None: the method is named by a constant or an enum member, whose spelling the fix
        cannot mirror; the finding says what to add."""
        if mcp_evidence(self.context) and not builds_on_client_session(self.context):
            fix = None if edits is None else NodeFix("Route `server/discover` here too", Applicability.UNSAFE, edits)
            self.reported.add(id(node))
            self.report(node, MESSAGE, fix=fix, help=HELP)

    def leave_Module(self, original_node: cst.Module) -> None:
        """Every other place the file handles the handshake (the one mentions model): a comparison that
        picks `initialize` out (`is_init = msg.method == "initialize"`, `!=`, `not in`), the
        `notifications/initialized` branch, a typed handler (`handlers[InitializedNotification] = f`).
        None in a file that answers `server/discover`: there the handshake is kept for older clients."""
        if self.has_discover or not mcp_evidence(self.context) or builds_on_client_session(self.context):
            return
        for mention in self.context.shared(MethodMentions).mentions:
            if mention.role == HANDLE and mention.method in HANDSHAKE and id(mention.node) not in self.reported:
                self.reported.add(id(mention.node))
                self.report(mention.node, f"this code handles `{mention.method}`, which 2026-07-28 clients never send: "
                            "there is no handshake", help=HANDLE_HELP)

    # The tests of `if` / `elif` (and their `and` / `or` operands): where a server dispatches.
    def visit_If(self, node: cst.If) -> None:
        test = node.test
        if (
            self.has_discover and isinstance(test, cst.Comparison) and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.In) and is_method_expression(test.left)
            and isinstance(test.comparisons[0].comparator, (cst.Tuple, cst.List, cst.Set))
        ):
            self._shared([element.value for element in test.comparisons[0].comparator.elements], test.left, node.body)
        # the same operands the result rules read (`if method == "tools/list" and authorized:`)
        self.dispatch_tests.update(id(comparison) for comparison in dispatch_comparisons(node.test))

    def _shared(self, literals: list[cst.BaseExpression], subject: cst.BaseExpression, body: cst.CSTNode) -> None:
        """One branch for `initialize` and `server/discover` whose body never looks at the method again (as
        this rule's fix leaves it): it still answers both with the `initialize` result, so the work is not done."""
        values = [string_value(literal) for literal in literals]
        if "initialize" not in values or DISCOVER not in values or not mcp_evidence(self.context):
            return
        if self.context.code_for(subject) not in self.context.code_for(body):
            self.report(literals[values.index(DISCOVER)], SHARED, help=HELP)

    # if method == "initialize" / method in (...), also through a constant: the comparisons the
    # dispatch gatherer reads, read the same way
    def visit_Comparison(self, node: cst.Comparison) -> None:
        if id(node) not in self.dispatch_tests or not self.active:
            return  # `return method == "initialize"` or an `assert` checks a message; it answers nothing
        membership = isinstance(node.comparisons[0].operator, cst.In)
        for method, named, subject in compared_methods(self.context, node):
            if method != "initialize":
                continue
            if not isinstance(named, cst.SimpleString):
                self._report(named, None)
            elif membership:
                self._report(named, (insert_after(named, ", " + string_literal(named, DISCOVER)),))
            else:
                literal = named
                self._report(literal, (replace_between(node, "start", node, "end", lambda view: _membership(view, subject, literal)),))
            if not membership:
                return

    # match method: case "initialize":
    def visit_Match(self, node: cst.Match) -> None:
        self.subjects.append(is_method_expression(node.subject))
        if self.has_discover and self.subjects[-1]:
            for case in node.cases:
                if isinstance(case.pattern, cst.MatchOr):
                    values = [p.pattern.value for p in case.pattern.patterns if isinstance(p.pattern, cst.MatchValue)]
                    self._shared(values, node.subject, case.body)

    def leave_Match(self, original_node: cst.Match) -> None:
        self.subjects.pop()

    def visit_MatchValue(self, node: cst.MatchValue) -> None:
        if self.active and self.subjects and self.subjects[-1] and constant_value(self.context, node.value) == "initialize":
            literal = node.value
            edits = (insert_after(literal, " | " + string_literal(literal, DISCOVER)),) if isinstance(literal, cst.SimpleString) else None
            self._report(literal, edits)

    # {"initialize": handler, "tools/list": ...}
    def visit_Dict(self, node: cst.Dict) -> None:
        if not self.active:
            return
        entries = dict_entries(node)
        element = entries.get("initialize")
        if element is None or len(MCP_METHODS & entries.keys()) < 2:
            return
        value = element.value

        def entry(view: SourceView) -> str:
            return f"{string_literal(element.key, DISCOVER)}: {view.text[view.start(value):view.end(value)]}, "

        self._report(element.key, (insert_before(element, entry),))

    # handlers["initialize"] = handler
    def visit_Assign(self, node: cst.Assign) -> None:
        if not self.active or len(node.targets) != 1 or self.context.statement is None or len(self.context.statement.body) != 1:
            return
        target = node.targets[0].target
        if not (isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index)):
            return
        key = target.slice[0].slice.value
        if string_value(key) != "initialize":
            return
        statement = self.context.statement
        newline = self.context.module.default_newline

        def line(view: SourceView) -> str:
            return view.line_indent(statement) + _copy_with(view, statement, key, DISCOVER) + newline

        self._report(key, (replace_between(statement, "next_line", statement, "next_line", line),))

    # @rpc.method("initialize") / @rpc(name="initialize")
    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if not self.active or not isinstance(call, cst.Call):
            return
        for arg in call.args:
            if string_value(arg.value) == "initialize" and (arg.keyword is None or arg.keyword.value in ("name", "method")):
                literal = arg.value
                newline = self.context.module.default_newline

                def line(view: SourceView, literal=literal) -> str:
                    return _copy_with(view, node, literal, DISCOVER) + newline + view.line_indent(node)

                self._report(literal, (insert_before(node, line),))
                return


def _membership(view: SourceView, subject: cst.BaseExpression, literal: cst.SimpleString) -> str:
    """`subject in ("initialize", "server/discover")` in the literal's quotes."""
    text = view.text[view.start(subject) : view.end(subject)]
    return f"{text} in ({string_literal(literal, 'initialize')}, {string_literal(literal, DISCOVER)})"


def _copy_with(view: SourceView, node: cst.CSTNode, literal: cst.SimpleString, value: str) -> str:
    """The source of `node` with `literal` (inside it) replaced by `value` in the same quotes."""
    start = view.start(node)
    before = view.text[start : view.start(literal)]
    after = view.text[view.end(literal) : view.end(node)]
    return before + string_literal(literal, value) + after
