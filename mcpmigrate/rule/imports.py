"""Cheap qualified-name resolution from a module's own import statements.

LibCST's QualifiedNameProvider runs full scope analysis, about ten times the cost of the parse. Rules
here only need to know that `CS`, `ClientSession` and `mcp.ClientSession` all mean
`mcp.ClientSession`, which the import statements alone tell. Local rebinding of an imported name is
not tracked; rules that care look at assignments themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst


def dotted_name(node: cst.BaseExpression | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def module_level_imports(module: cst.Module) -> Iterator[cst.Import | cst.ImportFrom]:
    """Import statements that run at import time, including under `if`, `try` and `with` blocks."""
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        statement = pending.pop(0)
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield small
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While)):
            pending[0:0] = _nested_statements(statement)


def _nested_statements(statement: cst.CSTNode) -> list[cst.CSTNode]:
    blocks: list[cst.BaseSuite] = []
    body = getattr(statement, "body", None)
    if isinstance(body, cst.BaseSuite):
        blocks.append(body)
    orelse = getattr(statement, "orelse", None)
    while orelse is not None:
        blocks.append(orelse.body)
        orelse = getattr(orelse, "orelse", None)  # elif chains
    for handler in getattr(statement, "handlers", ()):
        blocks.append(handler.body)
    final = getattr(statement, "finalbody", None)
    if final is not None:
        blocks.append(final.body)
    nested: list[cst.CSTNode] = []
    for block in blocks:
        if isinstance(block, cst.IndentedBlock):
            nested.extend(block.body)
        else:  # SimpleStatementSuite: `if x: import y`
            nested.append(cst.SimpleStatementLine(body=block.body))
    return nested


class ImportMap:
    """Local name -> fully qualified name, filled from import statements."""

    def __init__(self) -> None:
        self.bindings: dict[str, str] = {}
        self.modules: set[str] = set()
        self.aliased: set[str] = set()  # local names bound with `as`
        self._imports_from: dict[tuple[str, ...], bool] = {}  # asked on every call by some rules

    @classmethod
    def of_module(cls, module: cst.Module) -> ImportMap:
        imports = cls()
        for statement in module_level_imports(module):
            imports.add(statement)
        return imports

    def add(self, statement: cst.Import | cst.ImportFrom) -> None:
        self._imports_from.clear()
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                target = dotted_name(alias.name)
                if target is None:
                    continue
                self.modules.add(target)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.bindings[alias.asname.name.value] = target
                    self.aliased.add(alias.asname.name.value)
                else:
                    top = target.split(".", 1)[0]
                    self.bindings[top] = top
                    self.aliased.discard(top)
            return
        base = dotted_name(statement.module) if statement.module is not None else ""
        if base is None:
            return
        relative = "." * len(statement.relative)
        module = relative + base
        self.modules.add(module)
        if isinstance(statement.names, cst.ImportStar):
            return
        for alias in statement.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self.aliased.add(local)
            else:
                self.aliased.discard(local)
            # A relative import still shadows whatever the name meant before.
            self.bindings[local] = f"{module}.{alias.name.value}" if base else f"{relative}{alias.name.value}"

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The qualified name an expression refers to through the imports, or None."""
        head = node
        while type(head) is cst.Attribute:
            head = head.value
        if type(head) is not cst.Name:
            return None
        target = self.bindings.get(head.value)
        if target is None or head is node:  # most names are no import: answer before building text
            return target
        dotted = dotted_name(node)
        if dotted is None:
            return None
        return target + dotted[len(head.value) :]

    def imports_from(self, *packages: str) -> bool:
        """True if the module imports any of `packages` or their submodules."""
        known = self._imports_from.get(packages)
        if known is None:
            known = self._imports_from[packages] = any(
                module == package or module.startswith(package + ".") for module in self.modules for package in packages
            )
        return known
