"""Which names hold the SDK's client session: the `ClientSessions` gatherer.

A client reaches its `ClientSession` through names whose type is seldom written down: entered
(`async with ClientSession(read, write) as session:`), assigned (`self.session = await
stack.enter_async_context(ClientSession(...))`), annotated (a parameter, `session: ClientSession |
None`, a class-level annotation that describes `self.session`), or built from a subclass (the
module's own, or one another module of the project defines). Every rule about what a client does
with its session asks here, so they agree on which receivers are sessions.
"""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Gatherer
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rules._kits.jsonrpc import CLIENT_SESSIONS


class ClientSessions(Gatherer):
    """The dotted names holding a `ClientSession` (`session`, `self.session`), gathered as the
    traversal goes: a rule asking at a call knows the names bound above it, and at `leave_Module`
    every one. `wrapped` are names bound to some other class whose name ends in `ClientSession` (a
    test helper wrapping one): no SDK type, a guess at most."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.sessions: set[str] = set()
        self.wrapped: set[str] = set()
        self.classes: set[str] = set()  # the module's subclasses of ClientSession
        self.entered: set[int] = set()  # the `with` items that open a session (`as` a name)

    def holds_session(self, receiver: cst.BaseExpression) -> bool:
        return dotted_name(receiver) in self.sessions

    def is_session_class(self, node: cst.BaseExpression | None) -> bool:
        """`ClientSession`, `ClientSession | None`, `Optional[ClientSession]`, or a subclass."""
        if node is None:
            return False
        if isinstance(node, cst.BinaryOperation):
            return self.is_session_class(node.left) or self.is_session_class(node.right)
        if isinstance(node, cst.Subscript):
            return any(isinstance(element.slice, cst.Index) and self.is_session_class(element.slice.value) for element in node.slice)
        if isinstance(node, cst.Name) and node.value in self.classes:
            return True
        qualified = self.context.qualified_name(node)
        return qualified in CLIENT_SESSIONS or self.context.options.project.derives_from(qualified, CLIENT_SESSIONS)

    def creates_session(self, value: cst.BaseExpression | None) -> bool:
        """`ClientSession(...)`, awaited or not, also inside `stack.enter_async_context(...)`."""
        if isinstance(value, cst.Await):
            value = value.expression
        if not isinstance(value, cst.Call):
            return False
        if self.is_session_class(value.func):
            return True
        return (
            isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "enter_async_context"
            and bool(value.args)
            and self.creates_session(value.args[0].value)
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(self.is_session_class(base.value) for base in node.bases):
            self.classes.add(node.name.value)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None and self.creates_session(item.item):
                name = dotted_name(item.asname.name)
                if name:
                    self.sessions.add(name)
                    self.entered.add(id(item))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.creates_session(node.value):
            found = self.sessions
        elif isinstance(node.value, cst.Call) and (dotted_name(node.value.func) or "").endswith("ClientSession"):
            found = self.wrapped  # test_client = CallbackClientSession(session, ...)
        else:
            return
        for target in node.targets:
            if (name := dotted_name(target.target)) is not None:
                found.add(name)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self.is_session_class(node.annotation.annotation) or self.creates_session(node.value):
            if (name := dotted_name(node.target)) is not None:
                self.sessions.add(name)
                self.sessions.add(f"self.{name}")  # a class-level annotation describes instances

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is not None and self.is_session_class(node.annotation.annotation):
            self.sessions.add(node.name.value)
