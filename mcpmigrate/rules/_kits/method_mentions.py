"""A base for rules about particular MCP methods in hand-rolled JSON-RPC.

It finds each method string where code sends it (a message literal), dispatches on it (`method ==`,
`method in (...)`, `match method: case ...`), registers it (a handler table with other MCP methods,
`handlers["x"] = ...`, a decorator argument), and hands it to the rule with what kind of place it is.
"""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from mcpmigrate.rule.base import FileContext, Rule
from mcpmigrate.rules._kits.jsonrpc import dict_entries, is_method_expression, message_method, string_value
from mcpmigrate.rules._kits.spec import MCP_METHODS

SEND, HANDLE = "send", "handle"


class MethodMentionRule(Rule, register=False):
    methods: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.subjects: list[bool] = []

    def on_method(self, literal: cst.CSTNode, method: str, role: str) -> None:
        """Called for each mention; `role` is SEND (a message) or HANDLE (dispatch or registration)."""

    def visit_Dict(self, node: cst.Dict) -> None:
        method = message_method(node)
        if method in self.methods:
            self.on_method(dict_entries(node)["method"].value, method, SEND)
            return
        entries = dict_entries(node)
        if len(MCP_METHODS & entries.keys()) >= 2:
            for key, element in entries.items():
                if key in self.methods:
                    self.on_method(element.key, key, HANDLE)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        left, right = node.left, target.comparator
        if isinstance(target.operator, (cst.Equal, cst.NotEqual)):
            for literal, subject in ((right, left), (left, right)):
                method = string_value(literal)
                if method in self.methods and is_method_expression(subject):
                    self.on_method(literal, method, HANDLE)
        elif isinstance(target.operator, cst.In) and is_method_expression(left) and isinstance(right, (cst.Tuple, cst.List, cst.Set)):
            for element in right.elements:
                method = string_value(element.value)
                if method in self.methods:
                    self.on_method(element.value, method, HANDLE)

    def visit_Match(self, node: cst.Match) -> None:
        self.subjects.append(is_method_expression(node.subject))

    def leave_Match(self, original_node: cst.Match) -> None:
        self.subjects.pop()

    def visit_MatchValue(self, node: cst.MatchValue) -> None:
        method = string_value(node.value)
        if self.subjects and self.subjects[-1] and method in self.methods:
            self.on_method(node.value, method, HANDLE)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = target.slice[0].slice.value
            method = string_value(key)
            if method in self.methods:
                self.on_method(key, method, HANDLE)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        if isinstance(node.decorator, cst.Call):
            for arg in node.decorator.args:
                method = string_value(arg.value)
                if method in self.methods and (arg.keyword is None or arg.keyword.value in ("name", "method")):
                    self.on_method(arg.value, method, HANDLE)
