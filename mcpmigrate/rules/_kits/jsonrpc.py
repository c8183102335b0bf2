"""Recognising hand-rolled MCP JSON-RPC: message dicts, method dispatch, and when a file is about MCP.

A string alone is never evidence: `"initialize"` is also a Language Server Protocol method. A rule
acts on a literal only when it sits in a JSON-RPC message shape, a method-dispatch comparison or an
MCP header, and, for names other protocols share, when the file shows MCP evidence (imports `mcp` or
`fastmcp`, mentions an MCP-only method or header, or belongs to a project that declares `mcp` or
`fastmcp`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from mcpmigrate.rule.base import FileContext
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rule.syntax import simple_assignment
from mcpmigrate.rules._kits.spec import MCP_ONLY_METHODS

_EVIDENCE = re.compile(
    r"""["'](?:"""
    + "|".join(re.escape(m) for m in sorted(MCP_ONLY_METHODS))
    + r""")["']|mcp-session-id|mcp-protocol-version|mcp-method|modelcontextprotocol""",
    re.IGNORECASE,
)
METHOD_NAMES = frozenset({"method", "method_name", "rpc_method", "mcp_method"})
# Lowercase text one of which every file with MCP evidence contains (see `mcp_evidence`): the
# pre-filter tokens of rules that only report in such files.
EVIDENCE_TOKENS = ("mcp", "modelcontextprotocol", *sorted(method.lower() for method in MCP_ONLY_METHODS))


def string_value(node: cst.CSTNode | None) -> str | None:
    """The value of a plain string literal (no f-string), else None. An ASCII bytes literal counts as
    its text: ASGI headers are bytes (`headers.get(b"mcp-session-id")`)."""
    if isinstance(node, cst.SimpleString):
        literal = node.value
        # Plain, raw and `u` literals are read here: `literal_eval` (LibCST's `evaluated_value`) costs
        # far more, and leaves a reference cycle behind on every call.
        body = literal.lstrip("rRuU")
        raw = len(body) < len(literal) and literal[0] in "rR"
        if body[0] in "'\"" and "\r" not in body and (raw or "\\" not in body):
            quote = 3 if len(body) >= 6 and body[:3] in ("'''", '"""') else 1
            return body[quote:-quote]
        value = node.evaluated_value
        if isinstance(value, bytes):
            return value.decode("ascii") if value.isascii() else None
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return left + right if left is not None and right is not None else None
    return None


def string_shape(node: cst.CSTNode | None) -> str | None:
    """A literal's value, or an f-string's text with each placeholder as `x` (`f"http://{host}/sse"` gives
    `http://x/sse`): what a path or URL looks like, where only its fixed parts matter."""
    text = string_value(node)
    if text is None and isinstance(node, cst.FormattedString):
        text = "".join(part.value if isinstance(part, cst.FormattedStringText) else "x" for part in node.parts)
    return text


def dict_entries(node: cst.Dict) -> dict[str, cst.DictElement]:
    """The entries of a dict literal whose keys are plain strings, by key."""
    return {
        key: element
        for element in node.elements
        if isinstance(element, cst.DictElement) and (key := string_value(element.key)) is not None
    }


def module_constants(context: FileContext) -> dict[str, str]:
    """The module's string constants bound once: `NAME = "..."` at module level, `Class.NAME` in a
    class body (an enum's members)."""
    found: dict[str, str] = {}
    twice: set[str] = set()
    # A work list, not a recursive local function: that is a reference cycle, left for the collector.
    bodies: list[tuple[Sequence[cst.CSTNode], str]] = [(context.module.body, "")]
    while bodies:
        body, prefix = bodies.pop()
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    target, value = simple_assignment(small) or (None, None)
                    if isinstance(target, cst.Name):
                        name = prefix + target.value
                        text = string_value(value)
                        if name in found or text is None:
                            twice.add(name)
                        else:
                            found[name] = text
            elif isinstance(statement, cst.ClassDef) and not prefix and isinstance(statement.body, cst.IndentedBlock):
                bodies.append((statement.body.body, statement.name.value + "."))
    return {name: value for name, value in found.items() if name not in twice}


def constant_value(context: FileContext, node: cst.BaseExpression) -> str | None:
    """The string an expression certainly holds: a literal, one of the module's constants
    (`SESSION_HEADER`, `Transport.SSE`), or a constant it imports from another module of the project."""
    value = string_value(node)
    if value is not None or not isinstance(node, (cst.Name, cst.Attribute)) or id(node) in context.non_references:
        return value
    dotted = dotted_name(node)
    if dotted is not None and dotted.split(".")[0] not in context.imports.bindings:
        local = context.shared(module_constants).get(dotted)
        if local is not None:
            return local
    return context.options.project.constant(context.qualified_name(node))


def message_method(node: cst.CSTNode) -> str | None:
    """The method of a JSON-RPC message literal (`{"jsonrpc": "2.0", "method": ...}` with `id` or
    `params`, or `dict(jsonrpc=..., method=...)`), else None."""
    if isinstance(node, cst.Dict):
        entries = dict_entries(node)
        method = entries.get("method")
        if method is None or not ({"jsonrpc", "id", "params"} & entries.keys()):
            return None
        return string_value(method.value)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        if "method" in keywords and ({"jsonrpc", "id", "params"} & keywords.keys()):
            return string_value(keywords["method"])
    return None


def message_entry(node: cst.Dict, key: str) -> cst.DictElement | None:
    return dict_entries(node).get(key)


def is_method_expression(node: cst.BaseExpression) -> bool:
    """`method`, `msg.method`, `request["method"]`, `data.get("method")`: what dispatch compares."""
    if isinstance(node, cst.Name):
        return node.value in METHOD_NAMES
    if isinstance(node, cst.Attribute):
        return node.attr.value in METHOD_NAMES
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return string_value(node.slice[0].slice.value) == "method"
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "get"
        and node.args
    ):
        return string_value(node.args[0].value) == "method"
    return False


def compared_methods(
    context: FileContext, comparison: cst.Comparison, *, unequal: bool = False
) -> list[tuple[str, cst.BaseExpression, cst.BaseExpression]]:
    """What a comparison of a method expression names, as (method, the expression naming it, the
    method expression): `method == "x"`, `"x" == msg.method`, `method in ("x", "y")`, the method a
    literal, a constant or an enum member (`Method.PING`); `!=` too with `unequal` (a mention, not a
    dispatch). The one reading of such comparisons: the gatherers of mentions and of dispatches both
    use it, so they agree on which methods a test selects."""
    if len(comparison.comparisons) != 1:
        return []
    target = comparison.comparisons[0]
    left, right = comparison.left, target.comparator
    if isinstance(target.operator, cst.Equal) or (unequal and isinstance(target.operator, cst.NotEqual)):
        return [
            (method, named, subject)
            for named, subject in ((right, left), (left, right))
            if is_method_expression(subject) and (method := constant_value(context, named)) is not None
        ]
    membership = isinstance(target.operator, cst.In) or (unequal and isinstance(target.operator, cst.NotIn))
    if membership and is_method_expression(left) and isinstance(right, (cst.Tuple, cst.List, cst.Set)):
        return [
            (method, element.value, left)
            for element in right.elements
            if (method := constant_value(context, element.value)) is not None
        ]
    return []


def mcp_evidence(context: FileContext) -> bool:
    """Does the file show it is about MCP, beyond names other protocols share?"""
    return context.shared(_has_mcp_evidence)


# A folder or module named for MCP (`bolt_mcp/types.py`, `mcp/server.py`, `src/mcp_gateway/`): code
# written for MCP, where the SDK is not used (a framework of its own says so in its package's name).
_MCP_PATH = re.compile(r"(?:^|[/\\_.-])mcp(?:[/\\_.-]|$)", re.IGNORECASE)


def _has_mcp_evidence(context: FileContext) -> bool:
    return (
        context.options.project_requires_mcp
        or context.imports.imports_from("mcp", "fastmcp")
        or bool(_MCP_PATH.search(context.path))
        or bool(_EVIDENCE.search(context.text))
    )


# The SDK's client session under its public spellings.
CLIENT_SESSIONS = frozenset({"mcp.ClientSession", "mcp.client.session.ClientSession"})
# What makes a module a client besides the session: mcp 2.x's `Client` (what MCP101's fix writes) and
# FastMCP's.
CLIENTS = CLIENT_SESSIONS | frozenset({"mcp.Client", "mcp.client.Client", "mcp.client.client.Client", "fastmcp.Client"})


def builds_on_client_session(context: FileContext) -> bool:
    """Does the module import the SDK's `ClientSession` (or a high-level `Client`)? Then its method tables and comparisons
    route what it *sends* (a client's middleware, a wrapper around the session), not what it answers."""
    return context.shared(_imports_client_session)


def _imports_client_session(context: FileContext) -> bool:
    return any(target in CLIENTS for target in context.imports.bindings.values())


class ReturnedDicts:
    """The file's module-level functions that return a dict literal, read once per file and key."""

    def __init__(self, context: FileContext) -> None:
        self.module = context.module
        self._found: dict[tuple[str, frozenset[str]], dict[str, tuple[int, str]]] = {}

    def returning(self, key: str, shape: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
        """Functions whose returned dict's `key` entry is one of their parameters (and that has one of
        `shape`'s keys, if given): name -> (that parameter's position, its name)."""
        found = self._found.get((key, shape))
        if found is None:
            found = self._found[key, shape] = self._returning(key, shape)
        return found

    def _returning(self, key: str, shape: frozenset[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for statement in self.module.body:
            if not isinstance(statement, cst.FunctionDef) or not isinstance(statement.body, cst.IndentedBlock):
                continue
            parameters = [param.name.value for param in statement.params.params]
            built: dict[str, cst.Dict] = {}  # `msg: dict = {...}` before `return msg` (or `return json.dumps(msg)`)
            for line in statement.body.body:
                if not isinstance(line, cst.SimpleStatementLine):
                    continue
                for small in line.body:
                    target, value = _assigned(small)
                    if isinstance(target, cst.Name) and isinstance(value, cst.Dict):
                        built[target.value] = value
                    returned = _returned_dict(small.value, built) if isinstance(small, cst.Return) else None
                    if returned is not None:
                        entries = dict_entries(returned)
                        value = entries.get(key)
                        if value is None or (shape and not shape & entries.keys()) or not isinstance(value.value, cst.Name):
                            continue
                        if value.value.value in parameters:
                            found[statement.name.value] = (parameters.index(value.value.value), value.value.value)
        return found


def _assigned(small: cst.BaseSmallStatement) -> tuple[cst.BaseExpression | None, cst.BaseExpression | None]:
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.targets[0].target, small.value
    if isinstance(small, cst.AnnAssign):
        return small.target, small.value
    return None, None


def _returned_dict(value: cst.BaseExpression | None, built: dict[str, cst.Dict]) -> cst.Dict | None:
    """The dict a return statement gives: a literal, a name bound to one, or either encoded
    (`json.dumps(msg)`, `msgspec.json.encode(msg)`)."""
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in ("dumps", "encode") and value.args:
        value = value.args[0].value
    if isinstance(value, cst.Dict):
        return value
    if isinstance(value, cst.Name):
        return built.get(value.value)
    return None


def returned_parameters(context: FileContext, key: str, shape: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Module-level functions that return a dict literal whose `key` entry is one of their parameters
    (see `ReturnedDicts.returning`)."""
    return context.shared(ReturnedDicts).returning(key, shape)


MESSAGE_SHAPE = frozenset({"jsonrpc", "id", "params"})


def built_message_method(context: FileContext, node: cst.CSTNode | None) -> str | None:
    """For `rpc("tools/list")`, where `rpc` builds a JSON-RPC message around its argument: the method."""
    return string_value(built_message_argument(context, node))


def built_message_argument(context: FileContext, node: cst.CSTNode | None) -> cst.BaseExpression | None:
    """For `rpc(method, params)`, where `rpc` builds a JSON-RPC message around its method argument: the
    expression handed in as the method (a literal, or a name when the caller's own caller chose it)."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Name):
        return None
    # helpers that build a JSON-RPC message around their method parameter
    builder = returned_parameters(context, "method", MESSAGE_SHAPE).get(node.func.value)
    if builder is None:
        return None
    position, name = builder
    for index, arg in enumerate(node.args):
        if (arg.keyword is None and index == position and not arg.star) or (arg.keyword is not None and arg.keyword.value == name):
            return arg.value
    return None
