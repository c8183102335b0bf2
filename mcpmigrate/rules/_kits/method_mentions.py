"""A base for rules about particular MCP methods, wherever code names one.

It finds each method where code sends it (a message literal; a call that carries the method as its
argument: `self.request("ping", {})`, `rpc(client, "initialize")`, `send(method="tools/list")`; the
SDK's typed message built: `types.PingRequest()`), dispatches on it (`method ==`, `method in (...)`,
`match method: case ...`, `isinstance(request, types.PingRequest)`), registers it (a handler table
with other MCP methods, `handlers["x"] = ...`, `request_handlers[types.X] = ...`, a decorator
argument, a handler parameter annotated with the typed request), and hands it to the rule with what
kind of place it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from mcpmigrate.rule.base import FileContext, Gatherer, Rule
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import (
    METHOD_NAMES,
    compared_methods,
    constant_value,
    dict_entries,
    string_value,
    is_method_expression,
    message_method,
)
from mcpmigrate.rules._kits.spec import MCP_METHODS, TYPED_MESSAGES

SEND, HANDLE = "send", "handle"
PAIR, JSON_TEXT = "pair", "json-text"  # `("initialize", {...})`, `'{"jsonrpc": "2.0", "method": "ping"}'`
# Calls that take a JSON-RPC method as their first argument: `session.request("ping")`,
# `self.notify("notifications/message", params)`, `rpc("initialize", ...)`.
RPC_VERBS = frozenset(
    {
        "request", "notify", "send_request", "send_notification", "_send_request", "_request", "_send", "_notify",
        "rpc", "_rpc", "call", "_call", "send_rpc", "jsonrpc", "call_method", "invoke",
    }
)
TYPED_MODULES = ("mcp.types.", "mcp_types.", "mcp.")


def typed_message(context: FileContext, node: cst.BaseExpression) -> str | None:
    """The method of the SDK's typed message class an expression names (`types.PingRequest`), or None."""
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    last = node.attr.value if isinstance(node, cst.Attribute) else node.value
    method = TYPED_MESSAGES.get(last)
    if method is None:
        return None
    qualified = context.qualified_name(node)
    return method if qualified is not None and qualified.startswith(TYPED_MODULES) else None


# A helper named like one that sends a message (`mcp_post`, `send_jsonrpc`, `rpc_call`): an MCP method
# among its positional arguments is the one it sends.
RPC_HELPER = re.compile(r"rpc|request|send|post|call|notify|invoke", re.IGNORECASE)
# Calls that record a method rather than send it (`self._log_mcp(method="tools/list")`, `audit(method=...)`,
# `span.set(method=...)`): a method named there is no message.
RECORDING = re.compile(r"(?:^|_)(?:log|audit|record|trace|metrics?|track|span|stats?)(?:_|$)|logger|logging", re.IGNORECASE)
_JSON_METHOD = re.compile(r"""["']method["']\s*:\s*["']([\w/$.-]+)["']""")


def method_positions(context: FileContext) -> dict[str, frozenset[int]]:
    """The file's functions and methods that take a method parameter (`def rpc(session, method, params)`),
    by name: the positions a caller passes it at (`self` and `cls` not counted)."""
    return context.shared(_method_positions)


def _method_positions(context: FileContext) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    pending: list[cst.CSTNode] = [context.module]
    while pending:  # a work list: the module's functions, classes' methods, nested definitions
        node = pending.pop()
        body = getattr(node, "body", None)
        statements = body.body if isinstance(body, cst.IndentedBlock) else body if isinstance(body, (list, tuple)) else ()
        for statement in statements:
            if isinstance(statement, cst.FunctionDef):
                names = [param.name.value for param in statement.params.params]
                if names and names[0] in ("self", "cls"):
                    names = names[1:]
                positions = {index for index, name in enumerate(names) if name in METHOD_NAMES}
                if positions:
                    found.setdefault(statement.name.value, set()).update(positions)
                pending.append(statement)
            elif isinstance(statement, (cst.ClassDef, cst.If, cst.Try)):
                pending.append(statement)
    return {name: frozenset(positions) for name, positions in found.items()}


def carried_method(context: FileContext, call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    """The MCP method a call hands on as the method to send: `method="x"` (also `method_name=`); the
    first argument of an RPC verb (`self.request("ping", {})`); the argument a helper of this file
    takes as its method parameter (`mcp_post(http, sid, "initialize", params)` where `def mcp_post(client,
    session_id, method, params)`); or an MCP method literal among the arguments of a helper named like
    one that sends (`rpc(session, "tools/list")`). A literal, or a constant or enum member holding it
    (`self.request(Method.PING)`)."""
    name = last_name(call.func)
    if name is not None and (RECORDING.search(name) or REGISTERING.search(name)):
        return None  # a method recorded, or a handler registered for it: no message sent
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in METHOD_NAMES:
            method = constant_value(context, arg.value)
            return (arg.value, method) if method in MCP_METHODS else None
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if not positional or len(positional) < sum(1 for arg in call.args if arg.keyword is None):
        return None  # no positional argument, or one after a `*args` (its position is unknown)
    if name in RPC_VERBS:
        method = constant_value(context, positional[0].value)
        if method in MCP_METHODS:
            return positional[0].value, method
    at = method_positions(context).get(name or "")
    if at:
        for index in sorted(at):
            if index < len(positional) and (method := constant_value(context, positional[index].value)) in MCP_METHODS:
                return positional[index].value, method
        return None
    if name is not None and RPC_HELPER.search(name):
        for arg in positional:
            method = string_value(arg.value)
            if method in MCP_METHODS:
                return arg.value, method
    return None


# Calls that register a handler for a method: `router.register("initialize", handle)`,
# `server.add_handler("ping", f)`, `rpc.on("tools/list", f)`.
# `server.add_request_handler("tools/call", Params, f)` (mcp 2.x) too: a name that registers is no send.
REGISTERING = re.compile(r"^(?:on|route|method)$|register|handler|add_route|add_method", re.IGNORECASE)


def registered_method(context: FileContext, call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    """The method a registration call hands a handler for, or None."""
    if not REGISTERING.search(last_name(call.func) or "") or len(call.args) < 2 or call.args[0].keyword is not None:
        return None
    method = constant_value(context, call.args[0].value)
    return (call.args[0].value, method) if method in MCP_METHODS else None


def json_text_method(node: cst.BaseExpression) -> str | None:
    """The method of a JSON-RPC message written as JSON text (`'{"jsonrpc": "2.0", "method": "ping", "id": 1}'`)."""
    text = string_value(node)
    if text is None or "jsonrpc" not in text:
        return None
    found = _JSON_METHOD.search(text)
    return found.group(1) if found is not None and found.group(1) in MCP_METHODS else None


def paired_method(context: FileContext, node: cst.Tuple) -> tuple[cst.BaseExpression, str] | None:
    """`("initialize", {...})`: a method and its params, as a list of steps fed to a sending loop holds them."""
    if len(node.elements) != 2 or not isinstance(node.elements[1].value, (cst.Dict, cst.Name, cst.Call)):
        return None
    first = node.elements[0].value
    if isinstance(node.elements[1].value, cst.Call) and last_name(node.elements[1].value.func) != "dict":
        return None
    method = string_value(first)
    return (first, method) if method in MCP_METHODS else None


class CallMentions:
    """What each call names, worked out once per file however many rules ask (a dozen do, on every
    call): the method it carries, the typed message it builds, the typed messages an `isinstance`
    checks for."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.known: dict[int, tuple] = {}

    def of(self, call: cst.Call) -> tuple[tuple[cst.BaseExpression, str] | None, str | None, list[tuple[cst.BaseExpression, str]]]:
        found = self.known.get(id(call))
        if found is None:
            carried = carried_method(self.context, call)
            built = typed_message(self.context, call.func) if carried is None else None
            checked: list[tuple[cst.BaseExpression, str]] = []
            func = call.func
            if isinstance(func, cst.Name) and func.value == "isinstance" and len(call.args) == 2:
                kinds = call.args[1].value
                for kind in kinds.elements if isinstance(kinds, cst.Tuple) else [cst.Element(kinds)]:
                    method = typed_message(self.context, kind.value)
                    if method is not None:
                        checked.append((kind.value, method))
            found = self.known[id(call)] = (carried, built, checked)
        return found


def annotation_classes(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Every class an annotation names: `X`, `X | None`, `Optional[X]`, `Context[X]`."""
    found: list[cst.BaseExpression] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, (cst.Name, cst.Attribute)):
            found.append(current)
        elif isinstance(current, cst.Subscript):
            pending.append(current.value)
            pending += [e.slice.value for e in current.slice if isinstance(e.slice, cst.Index)]
        elif isinstance(current, cst.BinaryOperation):
            pending += [current.left, current.right]
    return found


@dataclass(frozen=True)
class Mention:
    """One place the file names an MCP method."""

    node: cst.CSTNode  # what names it: the literal, the constant, the typed message's class
    method: str
    role: str  # SEND (a message, a call carrying it, a typed message built) or HANDLE (dispatch, registration)
    typed_send: bool = False  # SEND by building the SDK's typed message (`types.PingRequest()`)
    written: str = ""  # PAIR or JSON_TEXT: a shape no call or dict shows (rules that read those read these)


class MethodMentions(Gatherer):
    """Every place the file sends or handles a JSON-RPC method, gathered once however many rules ask
    (each method rule filters by its methods): message literals, calls that carry a method, typed
    messages built or checked with `isinstance`, `if`/`elif`/`match` on a method expression (a
    literal, a constant or an enum member), handler tables, `handlers[...] = `, decorator arguments
    and handler parameters annotated with a typed request."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.mentions: list[Mention] = []
        self.subjects: list[bool] = []  # per enclosing match: is its subject a method expression?

    def _add(self, node: cst.CSTNode, method: str | None, role: str, typed_send: bool = False, written: str = "") -> None:
        if method is not None:
            self.mentions.append(Mention(node, method, role, typed_send, written))

    def visit_Dict(self, node: cst.Dict) -> None:
        method = message_method(node)
        entries = dict_entries(node)
        if method is not None:
            self._add(entries["method"].value, method, SEND)
            return
        if len(MCP_METHODS & entries.keys()) >= 2:
            for key, element in entries.items():
                self._add(element.key, key, HANDLE)

    def leave_Call(self, original_node: cst.Call) -> None:
        carried, built, checked = self.context.shared(CallMentions).of(original_node)
        if carried is not None:
            self._add(carried[0], carried[1], SEND)
            return
        registered = registered_method(self.context, original_node)
        if registered is not None:
            self._add(registered[0], registered[1], HANDLE)
            return
        for kind, method in checked:
            self._add(kind, method, HANDLE)
        self._add(original_node.func, built, SEND, typed_send=True)

    def visit_Tuple(self, node: cst.Tuple) -> None:
        paired = paired_method(self.context, node)
        if paired is not None:
            self._add(paired[0], paired[1], SEND, written=PAIR)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._add(node, json_text_method(node), SEND, written=JSON_TEXT)

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is not None:
            for name in annotation_classes(node.annotation.annotation):
                method = typed_message(self.context, name)
                if method is not None:
                    self._add(name, method, HANDLE)
                    return

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for method, named, _ in compared_methods(self.context, node, unequal=True):
            self._add(named, method, HANDLE)

    def visit_Match(self, node: cst.Match) -> None:
        self.subjects.append(is_method_expression(node.subject))

    def leave_Match(self, original_node: cst.Match) -> None:
        self.subjects.pop()

    def visit_MatchValue(self, node: cst.MatchValue) -> None:
        if self.subjects and self.subjects[-1]:
            self._add(node.value, constant_value(self.context, node.value), HANDLE)  # `case Method.PING:` too

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = target.slice[0].slice.value
            self._add(key, constant_value(self.context, key) or typed_message(self.context, key), HANDLE)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        if isinstance(node.decorator, cst.Call):
            for arg in node.decorator.args:
                if arg.keyword is None or arg.keyword.value in ("name", "method"):
                    self._add(arg.value, constant_value(self.context, arg.value), HANDLE)


class MethodMentionRule(Rule, register=False):
    """A rule about particular methods: `on_method` is called for each place the file names one of
    them, once the file is walked (so a rule's file-wide facts, such as "this module listens", are
    complete by then)."""

    methods: ClassVar[frozenset[str]] = frozenset()
    # Whether building the SDK's typed message (`types.PingRequest()`) counts as sending it: not for
    # rules about what hand-rolled code must do around a send (the SDK does that itself).
    typed_sends: ClassVar[bool] = True
    gathers = (MethodMentions,)

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        """Called for each mention; `role` is SEND (a message) or HANDLE (dispatch or registration)."""

    def leave_Module(self, original_node: cst.Module) -> None:
        for mention in self.context.shared(MethodMentions).mentions:
            if mention.method in self.methods and (self.typed_sends or not mention.typed_send):
                self.on_method(mention.node, mention.method, mention.role)


def typed_tokens(methods: frozenset[str]) -> tuple[str, ...]:
    """Pre-filter tokens for the typed messages of `methods` (lowercased class names)."""
    return tuple(sorted(name.lower() for name, method in TYPED_MESSAGES.items() if method in methods))
