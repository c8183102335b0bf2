"""Where a hand-rolled server dispatches MCP methods and builds their results.

A result is a dict literal that a handler returns, bare or in a JSON-RPC response envelope
(`{"jsonrpc": "2.0", "id": ..., "result": {...}}`, also wrapped in `JSONResponse(...)` and the like),
where the method is known:

- in the branch of a dispatch on it: `if method == "tools/list":`, `elif req["method"] in (...)`,
  `case "tools/list":` under `match method:`;
- in a function registered for it: a handler table `{"tools/list": list_tools, "tools/call": ...}`,
  `handlers["tools/list"] = list_tools`, or a decorator `@rpc.method("tools/list")`.

Error responses (`"error"` instead of `"result"`) are no results. Nested functions and classes are
not entered: what they return is not the handler's result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from mcpmigrate.rule.base import FileContext, Gatherer, NodeEdit, Rule, SourceView, insert_before, replace
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.jsonrpc import (
    builds_on_client_session,
    compared_methods,
    constant_value,
    dict_entries,
    is_method_expression,
    mcp_evidence,
    returned_parameters,
    string_value,
)
from mcpmigrate.rules._kits.method_mentions import SEND, MethodMentions
from mcpmigrate.rules._kits.spec import MCP_METHODS, RESULT_MEMBERS, RESULT_METHODS, SERVER_METHODS

# Calls that only wrap a response body: their first argument is the body.
RESPONSE_WRAPPERS = frozenset({"JSONResponse", "json_response", "jsonify", "ORJSONResponse", "UJSONResponse", "Response"})


def _wrapper_body(node: cst.BaseExpression) -> cst.BaseExpression | None:
    if isinstance(node, cst.Call) and node.args and node.args[0].keyword is None:
        if last_name(node.func) in RESPONSE_WRAPPERS:
            return node.args[0].value
    return None


def result_of(value: cst.BaseExpression) -> cst.Dict | None:
    """The result dict a returned or sent value carries, or None (an error, or not a literal)."""
    inner = _wrapper_body(value)
    if inner is not None:
        value = inner
    if not isinstance(value, cst.Dict):
        return None
    entries = dict_entries(value)
    if "error" in entries and ({"jsonrpc", "id"} & entries.keys()):
        return None
    if "result" in entries and ({"jsonrpc", "id"} & entries.keys()):
        result = entries["result"].value
        return result if isinstance(result, cst.Dict) else None
    if "jsonrpc" in entries or "method" in entries:
        return None  # a request or notification, not a result
    return value


class _Envelopes(cst.CSTVisitor):
    """Response envelopes anywhere in a statement: `send({"jsonrpc": "2.0", "id": i, "result": ...})`,
    `JSONRPCResponse(id=i, result={...})`, and `ok(i, {...})` where the module's own `ok` helper
    returns an envelope around that parameter."""

    def __init__(self, helpers: dict[str, int]) -> None:
        super().__init__()
        self.helpers = helpers
        self.results: list[cst.Dict] = []

    def visit_Dict(self, node: cst.Dict) -> bool:
        entries = dict_entries(node)
        if "result" in entries and ({"jsonrpc", "id"} & entries.keys()) and isinstance(entries["result"].value, cst.Dict):
            self.results.append(entries["result"].value)
            return False
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        if "id" in keywords and isinstance(keywords.get("result"), cst.Dict):
            self.results.append(keywords["result"])
            return False
        position = self.helpers.get(node.func.value) if isinstance(node.func, cst.Name) else None
        if position is not None and position < len(node.args) and isinstance(node.args[position].value, cst.Dict):
            self.results.append(node.args[position].value)
            return False
        # `self.build_success(req.id, {...})`, `make_response(id_, {...})`: a helper named for what it
        # answers, with one dict handed in
        dicts = [arg.value for arg in node.args if arg.keyword is None and isinstance(arg.value, cst.Dict)]
        if len(dicts) == 1 and any(word in (last_name(node.func) or "").lower() for word in RESULT_CALL_WORDS):
            self.results.append(dicts[0])
            return False
        return True

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def result_method(methods: list[str], result: cst.Dict, registered: bool = False) -> str | None:
    """Which of the methods a branch answers this dict is a result of: the first whose result
    members it has (a `**spread` may hold them), else None (span attributes, a summary, a log record).
    What a registered handler returns is its result, whatever its members."""
    if registered or any(isinstance(element, cst.StarredDictElement) for element in result.elements):
        return methods[0] if methods else None
    keys = dict_entries(result).keys()
    return next((method for method in methods if RESULT_MEMBERS.get(method, frozenset()) & keys), None)


def result_helpers(context: FileContext) -> dict[str, int]:
    """Module-level functions that wrap one of their parameters in a response envelope
    (`def ok(id_, result): return {"jsonrpc": "2.0", "id": id_, "result": result}`): name -> its position."""
    return {name: position for name, (position, _) in returned_parameters(context, "result").items()}


def branch_results(body: cst.BaseSuite | cst.CSTNode, helpers: dict[str, int] | None = None) -> list[cst.Dict]:
    """The results a block of a handler returns or sends, in source order."""
    helpers = helpers or {}
    found: list[cst.Dict] = []
    statements = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else [body]
    for statement in statements:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in statement.body:
                if isinstance(small, cst.Return) and small.value is not None:
                    result = result_of(small.value)
                    if result is not None:
                        found.append(result)
                        continue
                envelopes = _Envelopes(helpers)
                small.visit(envelopes)
                found.extend(envelopes.results)
            continue
        for block in _blocks(statement):
            found.extend(branch_results(block, helpers))
    return found


def _blocks(statement: cst.CSTNode) -> list[cst.BaseSuite]:
    blocks: list[cst.BaseSuite] = []
    body = getattr(statement, "body", None)
    if isinstance(body, cst.BaseSuite):
        blocks.append(body)
    elif isinstance(statement, cst.Match):
        blocks.extend(case.body for case in statement.cases)
    orelse = getattr(statement, "orelse", None)
    while orelse is not None:
        blocks.append(orelse.body)
        orelse = getattr(orelse, "orelse", None)
    blocks.extend(handler.body for handler in getattr(statement, "handlers", ()))
    final = getattr(statement, "finalbody", None)
    if final is not None:
        blocks.append(final.body)
    return blocks


def dispatch_comparisons(test: cst.BaseExpression) -> list[cst.Comparison]:
    """The comparisons of an `if` test, also the operands of `and` / `or` (`if method == "tools/list"
    and authorized:`): where a dispatch's methods are (MCP102 reads the same operands)."""
    if isinstance(test, cst.BooleanOperation):
        return dispatch_comparisons(test.left) + dispatch_comparisons(test.right)
    return [test] if isinstance(test, cst.Comparison) else []


def dispatched_methods(context: FileContext, test: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression, cst.BaseExpression]]:
    """The MCP methods an `if` test selects, as (method, what names it, the method expression):
    `method == "x"`, `"x" == msg.method`, `method in ("x", METHOD)`, also as an operand of `and` / `or`."""
    return [
        found
        for comparison in dispatch_comparisons(test)
        for found in compared_methods(context, comparison)
        if found[0] in MCP_METHODS
    ]


def case_methods(context: FileContext, pattern: cst.MatchPattern) -> list[tuple[str, cst.BaseExpression]]:
    """The MCP methods a `case` selects: `case "x":`, `case Method.X:`, `case "x" | "y":`."""
    if isinstance(pattern, cst.MatchValue):
        method = constant_value(context, pattern.value)
        return [(method, pattern.value)] if method in MCP_METHODS else []
    if isinstance(pattern, cst.MatchOr):
        return [found for element in pattern.patterns for found in case_methods(context, element.pattern)]
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        return case_methods(context, pattern.pattern)
    return []


def subscript_key(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The key of `x[key]` (one plain index), else None."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _handler_name(value: cst.BaseExpression) -> str | None:
    """`list_tools` or `self.list_tools`: the name of the function a table registers."""
    if isinstance(value, cst.Name):
        return value.value
    if isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name) and value.value.value in ("self", "cls"):
        return value.attr.value
    return None


# Where a dispatch's method comes from: a raw JSON-RPC message (`message["method"]`, `body.get("method")`,
# a request model's `.method`, or a name bound to one), an SDK typed message (`request.root.method`:
# a proxy or an instrumentation looking at what the SDK already parsed), a function's parameter (the
# caller decides), or a handler registration (a table, `handlers[...] = f`, a decorator).
RAW, SDK_MESSAGE, PARAMETER, REGISTERED = "raw", "sdk message", "parameter", "registered"
_UNBOUND = object()


def _value_origin(node: cst.BaseExpression) -> str:
    while True:
        if isinstance(node, cst.Attribute):
            if node.attr.value == "root":
                return SDK_MESSAGE
            node = node.value
        elif isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        else:
            return RAW


@dataclass(frozen=True)
class Dispatch:
    """One place a server dispatches on methods or registers a handler: the methods with their
    literals, where the method comes from, and the results the branch or handler is seen returning."""

    found: tuple[tuple[str, cst.CSTNode], ...]
    origin: str  # RAW, SDK_MESSAGE, PARAMETER or REGISTERED
    results: tuple[tuple[str, cst.Dict], ...]


class Dispatches(Gatherer):
    """Where the file's server dispatches each method (`if`/`elif` tests and their `and`/`or` operands,
    `match` cases, decorators, handler tables and `handlers[...] = f`), with the results each answers,
    gathered once for every result rule. Handler tables are resolved at the end of the file."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.dispatches: list[Dispatch] = []
        self.functions: dict[str, cst.FunctionDef] = {}  # module-level handlers by name
        self.registered: list[tuple[str, cst.CSTNode, str]] = []  # (method, its literal, function name)
        # What the names of each enclosing function are bound to (None: a parameter).
        self.scopes: list[dict[str, cst.BaseExpression | None]] = []

    def _dispatch(self, found: list[tuple[str, cst.CSTNode]], body: cst.CSTNode | None, origin: str) -> None:
        if not found:
            return
        methods = [method for method, _ in found]
        results = []
        if body is not None and origin != SDK_MESSAGE and mcp_evidence(self.context):
            results = [
                (method, result)
                for result in branch_results(body, result_helpers(self.context))
                if (method := result_method(methods, result, origin == REGISTERED)) is not None
            ]
        self.dispatches.append(Dispatch(tuple(found), origin, tuple(results)))

    def _subject_origin(self, subject: cst.BaseExpression) -> str:
        if isinstance(subject, cst.Name):
            bound = next((scope[subject.value] for scope in reversed(self.scopes) if subject.value in scope), _UNBOUND)
            if bound is None:
                return PARAMETER
            return RAW if bound is _UNBOUND else _value_origin(bound)  # type: ignore[arg-type]
        return _value_origin(subject)

    def visit_If(self, node: cst.If) -> None:
        for comparison in dispatch_comparisons(node.test):
            found = dispatched_methods(self.context, comparison)
            if found:
                subject = found[0][2]
                self._dispatch([(method, named) for method, named, _ in found], node.body, self._subject_origin(subject))

    def visit_Match(self, node: cst.Match) -> None:
        if is_method_expression(node.subject):
            origin = self._subject_origin(node.subject)
            for case in node.cases:
                self._dispatch(case_methods(self.context, case.pattern), case.body, origin)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)
        parameters = node.params
        every = [*parameters.posonly_params, *parameters.params, *parameters.kwonly_params]
        for star in (parameters.star_arg, parameters.star_kwarg):
            if isinstance(star, cst.Param):
                every.append(star)
        self.scopes.append({param.name.value: None for param in every})
        for decorator in node.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call):
                for arg in call.args:
                    method = constant_value(self.context, arg.value)
                    if method in MCP_METHODS and (arg.keyword is None or arg.keyword.value in ("name", "method")):
                        self._dispatch([(method, arg.value)], node.body, REGISTERED)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Dict(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        if len(MCP_METHODS & entries.keys()) >= 2:  # a handler table: methods to functions
            for method, element in entries.items():
                name = _handler_name(element.value)
                if method in MCP_METHODS and name is not None:
                    self.registered.append((method, element.key, name))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.scopes:
            for target in node.targets:
                _bind(self.scopes[-1], target.target, node.value)
        name = _handler_name(node.value)
        if name is None:
            return
        for target in node.targets:  # `handlers["tools/list"] = list_tools`
            key = subscript_key(target.target)
            method = None if key is None else constant_value(self.context, key)
            if key is not None and method in MCP_METHODS:
                self.registered.append((method, key, name))

    def leave_Module(self, original_node: cst.Module) -> None:
        for method, literal, name in self.registered:
            function = self.functions.get(name)
            self._dispatch([(method, literal)], function.body if function is not None else None, REGISTERED)


# What a result of each method may hold besides its own members (RESULT_MEMBERS): a dict whose keys
# are all of these and one of the method's members is that result, wherever the server builds it.
RESULT_EXTRAS = frozenset({"_meta", "nextCursor", "resultType", "ttlMs", "cacheScope"})
METHOD_EXTRAS = {"prompts/get": frozenset({"description"}), "tools/call": frozenset({"content"})}
# Members other JSON than an MCP result carries too (`{"messages": [...]}` to a chat model, `{"content":
# ...}`): such a dict counts only in a file that names the method itself.
SHARED_MEMBERS = {"prompts/get": frozenset({"messages"}), "tools/call": frozenset({"content"})}
RESULT_NAMES = ("result", "response", "reply", "answer")
# what a call that answers with a result is named for
RESULT_CALL_WORDS = ("result", "response", "reply", "respond", "answer", "success")


def shaped_method(context: FileContext, node: cst.Dict, nested: bool = False) -> str | None:
    """The method whose result a dict literal is, known from its keys alone (`{"tools": [...]}`,
    `{"content": [...], "isError": False}`), or None. In a `nested` function (a route in an app
    factory, a callback) it takes a member of MCP's own, not one other JSON shares."""
    keys = set()
    for element in node.elements:
        key = string_value(element.key) if isinstance(element, cst.DictElement) else None
        if key is None:
            return None  # a spread or a computed key: what it holds is unknown
        if isinstance(element.value, cst.Dict) and key != "_meta":
            return None  # `{"tools": {}, "resources": {...}}` declares capabilities; result members are lists and values
        keys.add(key)
    for method, members in RESULT_MEMBERS.items():
        if method == "server/discover" or not (members & keys):
            continue
        if not keys <= members | RESULT_EXTRAS | METHOD_EXTRAS.get(method, frozenset()):
            continue
        shared = SHARED_MEMBERS.get(method, frozenset())
        if members & keys <= shared and (nested or (f'"{method}"' not in context.text and f"'{method}'" not in context.text)):
            continue
        return method
    return None


class ShapedResults(Gatherer):
    """Results a server builds away from any dispatch this file shows (a handler registered in another
    module, a helper that formats a result), known by their shape: a dict whose keys are one method's
    result members, returned, assigned to a `result`-like name or carried as a JSON-RPC `result`.
    Only in files about MCP that are no client (a client reads results; it does not build them)."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.results: list[tuple[str, cst.Dict]] = []
        self.active = mcp_evidence(context) and not builds_on_client_session(context)
        self.depth = 0

    def _consider(self, value: cst.BaseExpression | None) -> None:
        if not self.active or value is None or not self.depth:
            return
        inner = _wrapper_body(value)
        value = inner if inner is not None else value
        if not isinstance(value, cst.Dict):
            return
        entries = dict_entries(value)
        if "result" in entries and ({"jsonrpc", "id"} & entries.keys()):
            value = entries["result"].value
            if not isinstance(value, cst.Dict):
                return
        method = shaped_method(self.context, value, nested=self.depth > 1)
        if method is not None:
            self.results.append((method, value))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Return(self, node: cst.Return) -> None:
        self._consider(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = last_name(target.target) if isinstance(target.target, (cst.Name, cst.Attribute)) else None
            if name is not None and any(word in name.lower() for word in RESULT_NAMES):
                self._consider(node.value)
                return

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        name = last_name(node.target) if isinstance(node.target, (cst.Name, cst.Attribute)) else None
        if name is not None and any(word in name.lower() for word in RESULT_NAMES):
            self._consider(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        """`reply({...})`, `jsonrpc_result(request_id, {...})`: a result handed straight to what answers."""
        name = (last_name(node.func) or "").lower()
        if any(word in name for word in RESULT_CALL_WORDS):
            for arg in node.args:
                if arg.keyword is None and isinstance(arg.value, cst.Dict):
                    self._consider(arg.value)

    def visit_Dict(self, node: cst.Dict) -> None:
        """`{"jsonrpc": "2.0", "id": ..., "result": {...}}` wherever it is built (sent, queued, yielded)."""
        entries = dict_entries(node)
        if "result" in entries and "jsonrpc" in entries and isinstance(entries["result"].value, cst.Dict):
            self._consider(node)


def _sends_requests(context: FileContext) -> bool:
    """Does the file send requests a server answers (`tools/list`, `resources/read`)? Then it is a client,
    a gateway or a test of one, and a result-shaped dict in it is a server's answer played back to it,
    which a 2026-07-28 client takes as complete without `resultType`."""
    return any(m.role == SEND and m.method in SERVER_METHODS for m in context.shared(MethodMentions).mentions)


class ResultRule(Rule, register=False):
    """Calls `on_dispatch` for each method the file dispatches on or registers, and `on_result(method,
    result)` once for each result dict of a method in `result_methods` (a result that several methods
    share comes with the first of them), once the file is walked."""

    result_methods: ClassVar[frozenset[str]] = frozenset()
    # Whether results known only by their shape (`ShapedResults`) count: not for a rule whose advice
    # needs the dispatch itself (MCP909's order of `tools/list` only matters where it is answered).
    shaped_results: ClassVar[bool] = True
    gathers = (MethodMentions, Dispatches, ShapedResults)

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.by_shape: set[int] = set()  # results known by their shape alone (`ShapedResults`): fixes stay unsafe

    def on_result(self, method: str, result: cst.Dict) -> None:
        """Called once for each result of one of `result_methods`."""

    def on_dispatch(self, method: str, literal: cst.CSTNode, origin: str, answered: bool) -> None:
        """Called for each MCP method the file dispatches on or registers a handler for, with where
        the method comes from (RAW, SDK_MESSAGE, PARAMETER, REGISTERED) and whether the branch or
        handler is seen returning a result of it."""

    def leave_Module(self, original_node: cst.Module) -> None:
        seen: set[int] = set()
        for dispatch in self.context.shared(Dispatches).dispatches:
            for method, literal in dispatch.found:
                self.on_dispatch(method, literal, dispatch.origin, any(answer == method for answer, _ in dispatch.results))
            for method, result in dispatch.results:
                if method in self.result_methods and id(result) not in seen:  # a result serving several methods: once
                    seen.add(id(result))
                    self.on_result(method, result)
        shaped = self.context.shared(ShapedResults).results if self.shaped_results else []
        if shaped and _sends_requests(self.context):
            shaped = []  # a client or a gateway (or its test): the results it builds stand in for a server's
        for method, result in shaped:
            if method in self.result_methods and id(result) not in seen:
                seen.add(id(result))
                self.by_shape.add(id(result))
                self.on_result(method, result)


def _bind(scope: dict[str, cst.BaseExpression | None], target: cst.BaseExpression, value: cst.BaseExpression) -> None:
    """Record what `name = value` (also `a, b = x, y`) binds in a function."""
    if isinstance(target, cst.Name):
        scope[target.value] = value
    elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) and len(target.elements) == len(value.elements):
        for element, bound in zip(target.elements, value.elements):
            _bind(scope, element.value, bound.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            if isinstance(element.value, cst.Name):
                scope[element.value.value] = value


def add_entries(context: FileContext, node: cst.Dict, entries: list[str]) -> NodeEdit:
    """Add `"key": value` entries to a dict literal: first, on their own lines if its entries are."""
    if not node.elements:
        return replace(node, "{" + ", ".join(entries) + "}")
    first = node.elements[0]
    newline = context.module.default_newline

    def text(view: SourceView) -> str:
        between = view.text[view.start(node) : view.start(first)]
        if "\n" in between or "\r" in between:
            indent = view.line_indent(first)
            return "".join(f"{entry},{newline}{indent}" for entry in entries)
        return "".join(f"{entry}, " for entry in entries)

    return insert_before(first, text)


# A result known by its shape names no method: its members' keys stand for it in the pre-filter.
SHAPE_TOKENS = tuple(sorted({f'"{member.lower()}"' for members in RESULT_MEMBERS.values() for member in members}
                            | {f"'{member.lower()}'" for members in RESULT_MEMBERS.values() for member in members}))
RESULT_TOKENS = tuple(sorted(RESULT_METHODS)) + SHAPE_TOKENS
