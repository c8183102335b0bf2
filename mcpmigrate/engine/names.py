"""Name tracking during the rules' traversal: imports, references and the statement being visited.

It runs first on every node, so a rule sees the imports met so far (also inside functions and
classes), never resolves a name that only names something (an attribute, a keyword, a parameter, a
definition, an import path), and knows the simple statement line it is in.
"""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, OwnVisitors


class NameTracker(OwnVisitors):
    """Runs before the rules on every node: adds imports met inside functions and classes to the
    map, marks the names that are not references so rules never resolve them, and keeps track of
    the statement being visited."""

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context
        self.imports = context.imports
        self.non_references = context.non_references
        self.blocks: list[cst.Module | cst.BaseSuite] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.blocks.append(node)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.blocks.append(node)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self.blocks.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.context.statement = node
        self.context.alone_in_block = bool(self.blocks) and len(self.blocks[-1].body) == 1

    def _mark_chain(self, node: cst.BaseExpression | None) -> None:
        while isinstance(node, cst.Attribute):
            self.non_references.add(id(node))
            node = node.value
        if node is not None:
            self.non_references.add(id(node))

    def visit_Import(self, node: cst.Import) -> None:
        self.imports.add(node)
        for alias in node.names:
            self._mark_chain(alias.name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.add(node)
        self._mark_chain(node.module)
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self._mark_chain(alias.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is not None:
            self.non_references.add(id(node.asname.name))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.non_references.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.non_references.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.non_references.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.non_references.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.non_references.add(id(node.name))
