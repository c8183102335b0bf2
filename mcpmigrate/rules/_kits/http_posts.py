"""MCP messages that hand-rolled HTTP clients POST: `httpx.post(url, json=message, headers=...)`.

The message is a dict literal in the call, a name assigned one earlier in the same function, a
`json.dumps(...)` of either as `data=` / `content=`, or a call of a module-level helper that builds
the message around its method argument (`rpc("tools/list")`), in the call or assigned to the name.
The POST is `.post(...)` (httpx, requests, aiohttp) or `.stream("POST", ...)` / `.request("POST", ...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from mcpmigrate.rule.base import FileContext, NodeEdit, Rule, SourceView, insert_before, replace
from mcpmigrate.rule.edits import append_arguments
from mcpmigrate.rules._kits.jsonrpc import built_message_argument, built_message_method, dict_entries, message_method, string_value

POST_FUNCTIONS = frozenset({"httpx.post", "requests.post", "httpx.AsyncClient.post"})


def is_post(context: FileContext, call: cst.Call) -> bool:
    """`client.post(...)`, `httpx.post(...)`, `requests.post(...)`, aiohttp's `session.post(...)`, and
    `client.stream("POST", ...)` / `client.request("POST", ...)`."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("stream", "request") and call.args:
        return string_value(call.args[0].value) in ("POST", "post")
    return (isinstance(func, cst.Attribute) and func.attr.value == "post") or context.qualified_name(func) in POST_FUNCTIONS


def _dumps_argument(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The argument of `json.dumps(x)`, else None."""
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "dumps" and value.args:
        return value.args[0].value
    return None


@dataclass(frozen=True)
class Post:
    call: cst.Call
    where: cst.BaseExpression  # the message as the call names it: the literal, the name, the helper call
    message: cst.Dict | None  # the literal, where there is one
    method: str
    headers: cst.Arg | None


class PostRule(Rule, register=False):
    """Calls `on_post(post)` for each POST of a JSON-RPC message whose method is known."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # per function: names assigned a dict literal, or a call (a helper that builds the message)
        self.scopes: list[dict[str, cst.Dict | cst.Call]] = [{}]

    def on_post(self, post: Post) -> None:
        """Called for each POSTed message."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._bind(node.targets[0].target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:  # `body: dict[str, Any] = {...}`
            self._bind(node.target, node.value)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            value = value.expression if isinstance(value, cst.Await) else value
            if isinstance(value, (cst.Dict, cst.Call)):
                self.scopes[-1][target.value] = value
            else:
                self.scopes[-1].pop(target.value, None)

    def literal(self, value: cst.BaseExpression | None) -> cst.Dict | None:
        """The dict literal an argument is, or names in this function."""
        if isinstance(value, cst.Dict):
            return value
        if isinstance(value, cst.Name):
            assigned = self.scopes[-1].get(value.value)
            return assigned if isinstance(assigned, cst.Dict) else None
        return None

    def origin(self, value: cst.BaseExpression) -> cst.BaseExpression:
        """The call a name was assigned in this function (`payload = rpc("tools/list")`), else the value."""
        if isinstance(value, cst.Name):
            assigned = self.scopes[-1].get(value.value)
            if isinstance(assigned, cst.Call):
                return assigned
        return value

    def posted_body(self, node: cst.Call) -> tuple[cst.BaseExpression, cst.Dict | None, cst.Arg | None] | None:
        """What a POST sends, as the call names it (`json=x`, or `data=json.dumps(x)`), the dict literal
        that is, where one is (in the call, or assigned to the name earlier in the function), and the
        call's `headers=` argument."""
        if not is_post(self.context, node):
            return None
        arguments = {arg.keyword.value: arg for arg in node.args if arg.keyword is not None}
        body_arg = arguments.get("json")
        where = body_arg.value if body_arg else None
        if body_arg is None:
            for key in ("data", "content"):
                if key in arguments and (inner := _dumps_argument(arguments[key].value)) is not None:
                    where = inner
                elif key in arguments and built_message_argument(self.context, arguments[key].value) is not None:
                    where = arguments[key].value  # `content=rpc_body("tools/list")`: a helper that encodes the message
        return None if where is None else (where, self.literal(where), arguments.get("headers"))

    def on_any_post(self, call: cst.Call, where: cst.BaseExpression, message: cst.Dict | None, method: cst.BaseExpression, headers: cst.Arg | None) -> None:
        """Called for each POSTed request whose method is handed in (`{"jsonrpc": "2.0", "id": i, "method":
        method, ...}`): a client's one sending path for every request."""

    def visit_Call(self, node: cst.Call) -> None:
        posted = self.posted_body(node)
        if posted is None:
            return
        where, message, headers = posted
        method = message_method(message) if message is not None else built_message_method(self.context, self.origin(where))
        if method is not None:
            self.on_post(Post(node, where, message, method, headers))
        elif message is None:
            # `payload = build_request(method, params, id)`: a helper's message around the caller's method
            handed = built_message_argument(self.context, self.origin(where))
            if isinstance(handed, (cst.Name, cst.Attribute)):
                self.on_any_post(node, where, None, handed, headers)
        else:
            entries = dict_entries(message)
            handed = entries["method"].value if "method" in entries else None
            if handed is not None and isinstance(handed, (cst.Name, cst.Attribute)) and {"jsonrpc", "id"} <= entries.keys():
                self.on_any_post(node, where, message, handed, headers)


def add_headers(call: cst.Call, headers: cst.Dict | None, entries: Callable[[SourceView], str]) -> NodeEdit:
    """Add `"Name": value` entries to the call's `headers=` dict literal, or a `headers=` argument."""
    if headers is None:
        return append_arguments(call, lambda view: "headers={" + entries(view) + "}")
    if headers.elements:
        return insert_before(headers.elements[0], lambda view: entries(view) + ", ")
    return replace(headers, lambda view: "{" + entries(view) + "}")
