"""Server-to-client requests (elicitation, sampling, roots): where a server asks its client mid-request.

2026-07-28 connections have no back channel for them; they become Multi Round-Trip Requests. This
base finds them through the SDKs (a `Context` parameter, `ctx.session`, `request_context.session`, a
`ServerSession`) and in hand-rolled JSON-RPC; each rule names its methods.

It also holds the one rewrite mcp 2.x makes possible for all three: in an `@mcp.tool()`, the request
moves into a resolver (`async def ask_book(date) -> Elicit[Confirm]: return Elicit(...)`) and its
result becomes a parameter, `answer: Annotated[ElicitationResult[Confirm], Resolve(ask_book)]`, which
the SDK fills on either protocol era (a Multi Round-Trip Request on 2026-07-28, the old request
before). Each rule says how its call becomes a request marker (`ResolverParts`).
"""

from __future__ import annotations

import re

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Gatherer, NodeFix, Rule, SourceView, insert_after, replace_between
from mcpmigrate.rule.edits import add_imports, remove_statement
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
SDK_SERVERS = ("mcp.server.fastmcp", "mcp.server.mcpserver")
RESOLVER_MODULE = "mcp.server.mcpserver"


@dataclass(frozen=True)
class ResolverParts:
    """How one server-to-client call becomes a resolver's request marker.

    `imports` are the (module, name) pairs the texts need; each text function gets the local names
    they are bound to here, in that order, and the original source.
    """

    prefix: str  # the resolver is `<prefix>_<tool>`
    uses: Sequence[cst.CSTNode]  # what the marker is built from (only the tool's parameters may appear)
    imports: Sequence[tuple[str, str]]
    marker_type: Callable[[SourceView, list[str]], str]  # Elicit[Confirm]
    marker: Callable[[SourceView, list[str]], str]  # Elicit(f"Book {date}?", Confirm)
    result_type: Callable[[SourceView, list[str]], str]  # ElicitationResult[Confirm]


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


class _Bound(cst.CSTVisitor):
    """Names a function body binds (its locals)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def _target(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.names.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._target(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)


class _Exits(cst.CSTVisitor):
    """Whether a statement can leave the function (`return`, `raise`), outside nested definitions."""

    def __init__(self) -> None:
        self.exits = False

    def visit_Return(self, node: cst.Return) -> None:
        self.exits = True

    def visit_Raise(self, node: cst.Raise) -> None:
        self.exits = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _names_in(nodes: Sequence[cst.CSTNode]) -> set[str]:
    visitor = _Names()
    for node in nodes:
        node.visit(visitor)
    return visitor.names


def _can_exit(statement: cst.CSTNode) -> bool:
    visitor = _Exits()
    statement.visit(visitor)
    return visitor.exits


def _is_tool(function: cst.FunctionDef) -> bool:
    """Decorated `@<server>.tool(...)` or `@<server>.tool`."""
    for decorator in function.decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if isinstance(target, cst.Attribute) and target.attr.value == "tool":
            return True
    return False


def _param_end(param: cst.Param) -> cst.CSTNode:
    """The last node of a parameter as written (`name`, `name: T`); it has no default here."""
    return param.annotation.annotation if param.annotation is not None else param.name


_MCP_MODULE = re.compile(r"(?:^|[._])mcp(?:[._]|$)")


def _framework_context(qualified: str) -> bool:
    """`bolt_mcp.Context`, `dedalus_mcp.context.Context`, `.context.Context` in an MCP package: a class
    named `Context` from a module named for MCP (the SDK's own are in CONTEXT_CLASSES)."""
    module, _, name = qualified.rpartition(".")
    return name == "Context" and bool(_MCP_MODULE.search(module))


class RequestScopes(Gatherer):
    """The server's request objects in scope, per function: the names holding a request `Context` (a
    parameter annotated with one, also `Context[...]` and `Context | None`, or `ctx = mcp.get_context()`)
    and those holding a `ServerSession`; with the functions and classes around the node."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.contexts: list[set[str]] = [set()]  # per function: names holding a request Context
        self.sessions: list[set[str]] = [set()]  # per function: names holding a ServerSession
        self.functions: list[cst.FunctionDef] = []
        self.class_depth = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.class_depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_depth -= 1

    def _annotated(self, annotation: cst.BaseExpression | None, classes: frozenset[str]) -> bool:
        if annotation is None:
            return False
        if isinstance(annotation, cst.Subscript):  # Context[ServerSession, None]
            annotation = annotation.value
        if isinstance(annotation, cst.BinaryOperation):  # Context | None
            return self._annotated(annotation.left, classes) or self._annotated(annotation.right, classes)
        qualified = self.context.qualified_name(annotation)
        if qualified in classes or self.context.options.project.derives_from(qualified, classes):
            return True  # the SDK's, or a project subclass of it (this module's or another's)
        # An MCP framework's own request context (`from bolt_mcp import Context`): it offers the same
        # `info`, `sample`, `elicit` the SDK's does, and sends the same requests.
        return classes is CONTEXT_CLASSES and qualified is not None and _framework_context(qualified)

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


class ServerRequestRule(Rule, register=False):
    gathers = (RequestScopes,)
    context_methods: ClassVar[frozenset[str]] = frozenset()  # ctx.<method>(...)
    session_methods: ClassVar[frozenset[str]] = frozenset()  # ctx.session.<method>(...), session.<method>(...)
    wire_method: ClassVar[str] = ""  # the JSON-RPC method a hand-rolled server sends
    request_kind: ClassVar[str] = ""  # "elicitation", for messages
    help_text: ClassVar[str] = ""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.scopes = context.shared(RequestScopes)
        self.module_names: set[str] | None = None  # top-level definitions and imports, when first needed
        self.resolvers: set[str] = set()  # resolver names this pass's fixes define

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if (method in self.context_methods and self.scopes.is_context(func.value)) or (
            method in self.session_methods and self.scopes.is_session(func.value)
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

    def resolver_parts(self, call: cst.Call) -> ResolverParts | None:
        """How this rule's call becomes a resolver's request marker; None where it has no such shape."""
        return None

    def fix_for(self, call: cst.Call) -> NodeFix | None:
        """The resolver rewrite, for `result = await <request>(...)` at the top level of an SDK tool whose
        request uses only the tool's parameters, with nothing above it that can leave the tool (the
        request would then have been conditional). A request that uses an earlier one's result is
        rewritten in a later pass, once that result is a parameter the resolver can depend on."""
        scopes = self.scopes
        function = scopes.functions[-1] if len(scopes.functions) == 1 and not scopes.class_depth else None
        statement = self.context.statement
        if function is None or statement is None or not isinstance(function.body, cst.IndentedBlock):
            return None
        if not self.context.imports.imports_from(*SDK_SERVERS) or not _is_tool(function):
            return None
        body = function.body.body
        if statement not in body or len(statement.body) != 1:
            return None
        assign = statement.body[0]
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(assign.value, cst.Await)
            and assign.value.expression is call
        ):
            return None
        if any(_can_exit(earlier) for earlier in body[: body.index(statement)]):
            return None
        parts = self.resolver_parts(call)
        params = function.params
        if parts is None or not params.params or params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) or params.kwonly_params or params.posonly_params:
            return None
        if params.star_kwarg is not None or any(param.default is not None for param in params.params):
            return None
        bound = _Bound()
        function.body.visit(bound)
        used = _names_in(parts.uses)
        if used & (bound.names | scopes.contexts[-1] | scopes.sessions[-1]):
            return None
        if self.module_names is None:
            self.module_names = {
                node.name.value for node in self.context.module.body if isinstance(node, (cst.FunctionDef, cst.ClassDef))
            } | set(self.context.imports.bindings)
        result = assign.targets[0].target.value
        taken = self.module_names | self.resolvers
        resolver = next(
            (name for name in (f"{parts.prefix}_{function.name.value}", f"{parts.prefix}_{function.name.value}_{result}")
             if name not in taken),
            None,
        )
        if resolver is None:
            return None
        imported = add_imports(self.context, [("typing", "Annotated"), *parts.imports, (RESOLVER_MODULE, "Resolve")])
        if imported is None:
            return None
        (annotated, *names, resolve), import_edits = imported
        self.resolvers.add(resolver)
        used_params = [param for param in params.params if param.name.value in used]
        newline = self.context.module.default_newline
        indent = self.context.module.default_indent
        is_async = function.asynchronous is not None
        anchor = function.decorators[0] if function.decorators else function

        def parameter_source(view: SourceView, param: cst.Param) -> str:
            # A Param's own range is its name; the annotation lies beyond it.
            return view.text[view.start(param.name) : view.end(_param_end(param))]

        def resolver_text(view: SourceView) -> str:
            signature = ", ".join(parameter_source(view, param) for param in used_params)
            return (
                f"{'async ' if is_async else ''}def {resolver}({signature}) -> {parts.marker_type(view, names)}:{newline}"
                f"{indent}return {parts.marker(view, names)}{newline}{newline}{newline}"
            )

        def parameter_text(view: SourceView) -> str:
            return f", {result}: {annotated}[{parts.result_type(view, names)}, {resolve}({resolver})]"

        edits = (
            replace_between(anchor, "line_start", anchor, "line_start", resolver_text),
            insert_after(_param_end(params.params[-1]), parameter_text),
            remove_statement(statement, len(body) == 1),
            *import_edits,
        )
        return NodeFix(f"Ask through a resolver, `{resolver}`", Applicability.UNSAFE, edits)


def source_of(view: SourceView, node: cst.CSTNode) -> str:
    return view.text[view.start(node) : view.end(node)]
