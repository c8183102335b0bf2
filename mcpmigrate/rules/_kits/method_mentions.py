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
    is_method_expression,
    message_method,
)
from mcpmigrate.rules._kits.spec import MCP_METHODS, TYPED_MESSAGES

SEND, HANDLE = "send", "handle"
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


def carried_method(context: FileContext, call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    """The MCP method a call hands on as the method to send: `method="x"` (also `method_name=`), or
    the first argument of an RPC verb (`self.request("ping", {})`); a literal, or a constant or enum
    member holding it (`self.request(Method.PING)`)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in METHOD_NAMES:
            method = constant_value(context, arg.value)
            return (arg.value, method) if method in MCP_METHODS else None
    if call.args and call.args[0].keyword is None and not call.args[0].star and last_name(call.func) in RPC_VERBS:
        method = constant_value(context, call.args[0].value)
        if method in MCP_METHODS:
            return call.args[0].value, method
    return None


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

    def _add(self, node: cst.CSTNode, method: str | None, role: str, typed_send: bool = False) -> None:
        if method is not None:
            self.mentions.append(Mention(node, method, role, typed_send))

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
        for kind, method in checked:
            self._add(kind, method, HANDLE)
        self._add(original_node.func, built, SEND, typed_send=True)

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
