"""Server-to-client requests (elicitation, sampling, roots): where a server asks its client mid-request.

2026-07-28 connections have no back channel for them; they become Multi Round-Trip Requests. This
base finds them through the SDKs (a `Context` parameter, `ctx.session`, `request_context.session`, a
`ServerSession`) and in hand-rolled JSON-RPC; each rule names its methods.
"""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from mcpmigrate.rule.base import FileContext, NodeFix, Rule
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rules._kits.jsonrpc import message_method
from mcpmigrate.rules._kits.method_mentions import CallMentions, typed_message

CONTEXT_CLASSES = frozenset(
    {
        "mcp.server.fastmcp.Context", "mcp.server.fastmcp.server.Context", "mcp.server.mcpserver.Context",
        "mcp.server.mcpserver.context.Context", "fastmcp.Context", "fastmcp.server.Context",
        "fastmcp.server.context.Context",
    }
)
SESSION_CLASSES = frozenset({"mcp.server.session.ServerSession", "mcp.server.ServerSession"})


class ServerRequestRule(Rule, register=False):
    context_methods: ClassVar[frozenset[str]] = frozenset()  # ctx.<method>(...)
    session_methods: ClassVar[frozenset[str]] = frozenset()  # ctx.session.<method>(...), session.<method>(...)
    wire_method: ClassVar[str] = ""  # the JSON-RPC method a hand-rolled server sends
    request_kind: ClassVar[str] = ""  # "elicitation", for messages
    help_text: ClassVar[str] = ""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.contexts: list[set[str]] = [set()]  # per function: names holding a request Context
        self.sessions: list[set[str]] = [set()]  # per function: names holding a ServerSession
        self.functions: list[cst.FunctionDef] = []

    def _annotated(self, annotation: cst.BaseExpression | None, classes: frozenset[str]) -> bool:
        if annotation is None:
            return False
        if isinstance(annotation, cst.Subscript):  # Context[ServerSession, None]
            annotation = annotation.value
        if isinstance(annotation, cst.BinaryOperation):  # Context | None
            return self._annotated(annotation.left, classes) or self._annotated(annotation.right, classes)
        return self.context.qualified_name(annotation) in classes

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)
        annotations = {p.name.value: p.annotation.annotation if p.annotation else None for p in params}
        self.contexts.append({name for name, a in annotations.items() if self._annotated(a, CONTEXT_CLASSES)})
        self.sessions.append({name for name, a in annotations.items() if self._annotated(a, SESSION_CLASSES)})
        self.functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.contexts.pop()
        self.sessions.pop()
        self.functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        # ctx = mcp.get_context()
        value = node.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "get_context"
            and self.context.imports.imports_from("mcp", "fastmcp")
        ):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.contexts[-1].add(target.target.value)

    def is_context(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value in self.contexts[-1]

    def is_session(self, node: cst.BaseExpression) -> bool:
        """`ctx.session`, `ctx.request_context.session`, `server.request_context.session`, a ServerSession."""
        if isinstance(node, cst.Name):
            return node.value in self.sessions[-1]
        if isinstance(node, cst.Attribute) and node.attr.value == "session":
            inner = node.value
            if self.is_context(inner):
                return True
            if isinstance(inner, cst.Attribute) and inner.attr.value == "request_context":
                return self.context.imports.imports_from("mcp")
        return False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if (method in self.context_methods and self.is_context(func.value)) or (
            method in self.session_methods and self.is_session(func.value)
        ):
            fix = self.fix_for(node)
            self.report(node, self.message(dotted_name(func) or method), fix=fix, help=None if fix else self.help_text)

    def visit_Dict(self, node: cst.Dict) -> None:
        if self.wire_method and message_method(node) == self.wire_method:
            self._wire(node)

    def leave_Call(self, original_node: cst.Call) -> None:
        """`self.request("roots/list", {})`, `CreateMessageRequest(method="sampling/createMessage", ...)`,
        `types.ListRootsRequest()`: the request built or handed to a sender."""
        if not self.wire_method:
            return
        mentions = self.context.shared(CallMentions)
        carried, built, _ = mentions.of(original_node)
        func = original_node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("send_request", "request") and original_node.args:
            # session.send_request(ServerRequest(CreateMessageRequest(...))): the typed request, sent
            sent = original_node.args[0].value
            if isinstance(sent, cst.Call) and len(sent.args) == 1 and mentions.of(sent)[1] is None:
                sent = sent.args[0].value  # the 1.x ServerRequest(...) wrapper
            if isinstance(sent, cst.Call) and typed_message(self.context, sent.func) == self.wire_method:
                self._wire(sent.func)
                return
        # A typed request built but not sent here may be mcp 2.x's input request (an `InputRequiredResult`
        # carries it back to the client): only its sending counts.
        if carried is not None and carried[1] == self.wire_method and typed_message(self.context, func) is None:
            self._wire(carried[0])

    def _wire(self, node: cst.CSTNode) -> None:
        self.report(node, f"a server that sends `{self.wire_method}` requests its client, which 2026-07-28 cannot carry",
                    help=self.help_text)

    def message(self, call: str) -> str:
        return (
            f"`{call}()` sends a server-to-client {self.request_kind} request: 2026-07-28 connections have no "
            "back channel for it (mcp 2.x raises NoBackChannelError)"
        )

    def fix_for(self, call: cst.Call) -> NodeFix | None:
        return None
