"""Helpers rules share to build fixes that keep the user's formatting."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from mcpmigrate.lines import LINE_BREAK
from mcpmigrate.rule.base import FileContext, NodeEdit, SourceView, insert_after, insert_before, replace_between
from mcpmigrate.rule.imports import dotted_name


class _MultilineStrings(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.found = self.found or "\n" in node.value or "\r" in node.value

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.found = self.found or "\n" in node.value or "\r" in node.value


def has_multiline_string(node: cst.CSTNode) -> bool:
    visitor = _MultilineStrings()
    node.visit(visitor)
    return visitor.found


def hoisted_arguments(view: SourceView, outer: cst.Call, inner: cst.Call) -> str:
    """The text of `inner`'s parenthesized arguments, re-indented to stand where `outer`'s did.

    For `raise E(\\n    Data(\\n        code=1,\\n    )\\n)` that is `(\\n    code=1,\\n)`: each
    continuation line loses the extra indentation `inner` had over the line `outer` starts on. Lines
    inside a multi-line string are part of its value, so with one of those nothing is re-indented.
    """
    text = view.text[view.end(inner.func) : view.end(inner)]
    outer_indent = view.line_indent(outer)
    inner_indent = view.line_indent(inner)
    extra = inner_indent[len(outer_indent) :] if inner_indent.startswith(outer_indent) else ""
    if not extra or has_multiline_string(inner):
        return text
    lines = LINE_BREAK.split(text)
    breaks = LINE_BREAK.findall(text)
    width = len(outer_indent)
    for index in range(1, len(lines)):
        line = lines[index]
        if line.startswith(outer_indent) and line[width:].startswith(extra):
            lines[index] = outer_indent + line[width + len(extra) :]
    return "".join(line + newline for line, newline in zip(lines, [*breaks, ""]))


def remove_arguments(call: cst.Call, remove: set[int]) -> list:
    """Edits deleting the arguments at `remove` (indices) with their commas, keeping valid syntax.

    A run followed by a kept argument goes up to that argument; a trailing run goes from the end of
    the kept argument before it (so a trailing comma stays where it was); removing all leaves `()`.
    """
    args = list(call.args)
    edits = []
    index = 0
    while index < len(args):
        if index not in remove:
            index += 1
            continue
        first = index
        while index + 1 < len(args) and index + 1 in remove:
            index += 1
        last = index
        if last + 1 < len(args):
            edits.append(replace_between(args[first], "start", args[last + 1], "start", ""))
        elif first > 0:
            edits.append(replace_between(args[first - 1], "end", args[last], "end", ""))
        else:
            end_node = args[last].comma if isinstance(args[last].comma, cst.Comma) else args[last]
            edits.append(replace_between(args[first], "start", end_node, "end", ""))
        index += 1
    return edits


def append_arguments(call: cst.Call, text: Callable[[SourceView], str]):
    """An edit adding `text` (`a=1, b=2`) as the call's last arguments."""
    if not call.args:
        return replace_between(call.func, "end", call, "end", lambda view: "(" + text(view) + ")")
    return insert_after(call.args[-1].value, lambda view: ", " + text(view))


def add_import(context: FileContext, module: str, name: str) -> tuple[str, list] | None:
    """How to refer to `module.name` in this file, and the edits (if any) that make it importable."""
    result = add_imports(context, [(module, name)])
    return None if result is None else (result[0][0], result[1])


def add_imports(context: FileContext, wanted: list[tuple[str, str]]) -> tuple[list[str], list] | None:
    """How to refer to each `module.name` here, and one edit importing those not importable yet.

    An existing import is reused (`from module import name`, or `module` bound as a module: then
    `alias.name`); the others are imported. `--fix` files them with the module's imports (joining a
    `from module import ...`, or in their section); the edit's own text, for whoever applies it
    alone, puts `from module import a, b` lines after the last import at the top of the module.
    None if a name is already bound to something else.
    """
    bindings = context.imports.bindings
    locals_: list[str] = []
    missing: dict[str, list[str]] = {}
    for module, name in wanted:
        existing = next((local for local, target in bindings.items() if target == f"{module}.{name}"), None)
        if existing is None:
            module_alias = next((local for local, target in bindings.items() if target == module), None)
            existing = f"{module_alias}.{name}" if module_alias is not None else None
        if existing is None:
            if name in bindings:
                return None
            missing.setdefault(module, []).append(name)
            existing = name
        locals_.append(existing)
    if not missing:
        return locals_, []
    newline = context.module.default_newline
    statements = newline.join(f"from {module} import {', '.join(names)}" for module, names in missing.items())
    imports = tuple((module, name) for module, names in missing.items() for name in names)
    edit = _import_edit(context, {module.split(".")[0] for module in missing}, statements, imports)
    return None if edit is None else (locals_, [edit])


def import_module(context: FileContext, module: str) -> NodeEdit | None:
    """An edit adding `import module` (filed in its section by `--fix`); None in an empty module.

    Its own text goes before the first top-level import after any `from __future__` ones, so it
    never lands where a rule inserts code after the imports (MCP601's `logger = ...`)."""
    imports = ((module, None),)
    newline = context.module.default_newline
    for statement in context.module.body:
        if isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            small = statement.body[0]
            if not (isinstance(small, cst.ImportFrom) and small.module is not None and dotted_name(small.module) == "__future__"):
                return NodeEdit(statement, "line_start", statement, "line_start", f"import {module}{newline}", imports)
    return _import_edit(context, {module.split(".")[0]}, f"import {module}", imports)


def _import_edit(context: FileContext, packages: set[str], statements: str, imports: tuple) -> NodeEdit | None:
    newline = context.module.default_newline
    body = context.module.body
    anchor = _import_anchor(body, packages)
    if anchor is not None:
        return NodeEdit(anchor, "next_line", anchor, "next_line", lambda view: _line(view, anchor, statements, newline), imports)
    if body:
        return NodeEdit(body[0], "start", body[0], "start", statements + newline, imports)
    return None  # an empty module has nothing to import for


def insert_after_imports(context: FileContext, block: str) -> NodeEdit | None:
    """An edit putting a top-level definition (text ending with a newline) after the imports at the
    top of the module with exactly two blank lines on each side, as PEP 8 and black space them: the
    blank lines that stood after the imports make way (comments there stay, below the block). None in
    a module with nothing to put it after."""
    body = context.module.body
    anchor = _import_anchor(body, set())
    newline = context.module.default_newline
    block = block.rstrip("\r\n") + newline
    if anchor is None:
        return insert_before(body[0], block + newline + newline) if body else None
    following = next((body[index + 1] for index, node in enumerate(body[:-1]) if node is anchor), None)
    if following is None:
        return replace_between(anchor, "next_line", anchor, "next_line", lambda view: _line(view, anchor, newline + newline + block.rstrip("\r\n"), newline))

    def spaced(view: SourceView) -> str:
        between = view.text[view.next_line(anchor) : view.line_start(following)]
        lines = LINE_BREAK.split(between)
        ends = LINE_BREAK.findall(between)
        blank = 0
        while blank < len(ends) and not lines[blank].strip():
            blank += 1
        comments = "".join(line + end for line, end in zip(lines[blank:], ends[blank:]))
        return newline + newline + block + newline + newline + comments

    return replace_between(anchor, "next_line", following, "line_start", spaced)


def _imported_packages(statement: cst.SimpleStatementLine) -> set[str]:
    packages = set()
    for small in statement.body:
        if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
            packages.add((dotted_name(small.module) or "").split(".")[0])
        elif isinstance(small, cst.Import):
            packages.update((dotted_name(alias.name) or "").split(".")[0] for alias in small.names)
    return packages


def _import_anchor(body, packages: set[str]) -> cst.CSTNode | None:
    """Where a new import line goes: after the last top-level import of the same package; else after
    the imports at the top of the module; else after the docstring. None: at the very top."""
    imports = [
        node for node in body
        if isinstance(node, cst.SimpleStatementLine) and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in node.body)
    ]
    related = [node for node in imports if _imported_packages(node) & packages]
    if related:
        return related[-1]
    last_import = None
    for node in body:
        if node in imports:
            last_import = node
        elif last_import is not None or not _is_docstring(node):
            break
    if last_import is not None:
        return last_import
    return body[0] if body and _is_docstring(body[0]) else None


def _is_docstring(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.SimpleStatementLine)
        and len(node.body) == 1
        and isinstance(node.body[0], cst.Expr)
        and isinstance(node.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _line(view: SourceView, after: cst.CSTNode, statement: str, newline: str) -> str:
    at_end_without_newline = view.next_line(after) == len(view.text) and not view.text.endswith(("\n", "\r"))
    return (newline + statement) if at_end_without_newline else statement + newline


def positionals_as_keywords(call: cst.Call, names: tuple[str, ...]) -> tuple[list[tuple[cst.Arg, str]], cst.Arg | None]:
    """Positional arguments after the first, each with the parameter name it had (`names` is the old
    positional order), and the `*args` that stops the mapping, if there is one."""
    pairs: list[tuple[cst.Arg, str]] = []
    for index, arg in enumerate(call.args):
        if arg.keyword is not None or arg.star == "**":
            break
        if arg.star == "*":
            return pairs, arg
        if 0 < index < len(names):
            pairs.append((arg, names[index]))
    return pairs, None


def remove_statement(statement: cst.SimpleStatementLine, alone_in_block: bool):
    """An edit deleting a statement's whole line(s); `pass` takes its place if it was alone in its block."""
    if alone_in_block:
        return replace_between(statement, "start", statement, "end", "pass")
    return replace_between(statement, "line_start", statement, "next_line", "")


def string_literal(like: cst.SimpleString, value: str) -> str:
    """`value` as a literal in the same quotes (and prefix) as `like`."""
    quote = like.quote
    prefix = like.prefix.replace("f", "").replace("F", "")
    escaped = value.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0]) if len(quote) == 1 else value
    return f"{prefix}{quote}{escaped}{quote}"
