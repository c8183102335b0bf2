"""The module's imports after a fix pass, as a careful person would leave them.

Fixes ask for imports (`Edit.imports`) instead of inserting lines where they stand: after a pass's
edits are applied, each wanted name joins an existing `from module import ...` at the top of the
module, and a new statement goes into its isort section (`__future__`, standard library, third
party, relative), in sorted order where that section is sorted. LibCST's `AddImportsVisitor` merges
the same way but puts every new statement after the last import. Then a top-level import that the
pass left unused (its name was used before the pass and is not after) is removed, as LibCST's
`RemoveImportsVisitor` would: a name still loaded anywhere, listed in `__all__` or named in a
string annotation stays; nothing is removed from an `__init__.py`, whose imports are its interface.
Both visitors need scope metadata, whose reference cycles would keep every fixed tree alive in a
run without the cyclic collector: tests/test_fix_imports.py checks ours against them instead.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Sequence
from pathlib import PurePath

import libcst as cst
from libcst.helpers import get_full_name_for_node

from mcpmigrate.rule.imports import dotted_name

FUTURE, STANDARD_LIBRARY, THIRD_PARTY, RELATIVE = range(4)


def file_imports(text: str, wanted: Iterable[tuple[str, str | None]]) -> str | None:
    """`text` with each wanted import present: (module, name) for `from module import name`,
    (module, None) for `import module`. None for a text LibCST cannot parse or give back byte for
    byte (it loses blank lines at the end of some files): the caller inserts lines instead."""
    wanted = sorted(set(wanted), key=lambda item: (item[0], item[1] or ""))
    if not wanted:
        return text
    module = _module(text)
    if module is None:
        return None
    body = list(module.body)
    names: dict[str, list[str]] = {}
    original = list(body)
    for module_name, name in wanted:
        if name is None:
            if not _binds_module(body, module_name):
                _insert(body, cst.Import([cst.ImportAlias(_dotted(module_name))]), module_name)
        elif not _binds_name(body, module_name, name):
            names.setdefault(module_name, []).append(name)
    for module_name, added in names.items():
        statement = _mergeable(body, module_name)
        if statement is None:
            aliases = [cst.ImportAlias(cst.Name(name)) for name in sorted(added, key=_name_key)]
            new = cst.ImportFrom(_dotted(module_name), _with_commas(aliases))
            _insert(body, new, module_name)
            continue
        index = body.index(statement)
        small = statement.body[0]
        body[index] = statement.with_changes(body=[small.with_changes(names=_merged(list(small.names), added))])
    return text if body == original else _code(module.with_changes(body=body), text)


def remove_unused_imports(before: str, after: str, path: str) -> str:
    """`after` without the top-level imports the pass from `before` left unused."""
    if PurePath(path).name == "__init__.py":
        return after
    uses_before, uses_after = _uses(before), _uses(after)
    if uses_before is None or uses_after is None:
        return after
    lost = uses_before - uses_after
    if not lost:
        return after
    module = _module(after)
    if module is None:
        return after
    changed = False
    body: list = []
    carried: list[cst.EmptyLine] | None = None  # the lines above statements just removed
    for statement in module.body:
        kept = _without(statement, lost) if isinstance(statement, cst.SimpleStatementLine) else statement
        if kept is not statement:
            changed = True
        if kept is None:
            carried = [*(carried or []), *statement.leading_lines]
            continue
        if carried is not None:
            kept = kept.with_changes(leading_lines=_joined(carried, kept.leading_lines, at_top=not body))
            carried = None
        body.append(kept)
    return _code(module.with_changes(body=body, footer=[*(carried or []), *module.footer]), after) if changed else after


def _joined(removed: Sequence[cst.EmptyLine], following: Sequence[cst.EmptyLine], *, at_top: bool) -> list[cst.EmptyLine]:
    """The lines above a statement once the one above it is gone: its comments kept, and as many
    blank lines as the wider of the two gaps (none at the top of the module)."""
    removed_blank, removed_rest = _blank_only(removed)
    following_blank, following_rest = _blank_only(following)
    blank = removed_blank if at_top else max(removed_blank, following_blank, key=len)
    return [*blank, *removed_rest, *(following_blank if removed_rest else []), *following_rest]


def _code(module: cst.Module, text: str) -> str:
    """The module's code, ending as `text` did (LibCST drops the last newline of a `\\r` file)."""
    code = module.code
    if text.endswith(("\n", "\r")) and not code.endswith(("\n", "\r")):
        code += module.default_newline
    return code


def _module(text: str) -> cst.Module | None:
    """The module, if LibCST parses it and gives it back byte for byte."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    return module if _code(module, text) == text else None


def _uses(text: str) -> frozenset[str] | None:
    """The names the module loads, lists in `__all__`, or names in a string that is an expression
    (a string annotation, `cast("T", x)`); scopes are not told apart, so a name is kept if any
    scope uses it. None for a text that does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            used.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 1000:
            used.update(_names_in_expression(node.value))
    return frozenset(used)


def _names_in_expression(value: str) -> set[str]:
    """The names in a string that is an expression (`"Session"`, `"list[Session]"`), else none."""
    try:
        expression = ast.parse(value.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {node.id for node in ast.walk(expression) if isinstance(node, ast.Name)}


def _without(statement: cst.SimpleStatementLine, unused: frozenset[str]) -> cst.SimpleStatementLine | None:
    """The statement without the import names in `unused`; None if nothing is left of it."""
    smalls = []
    for small in statement.body:
        if not isinstance(small, (cst.Import, cst.ImportFrom)) or isinstance(small.names, cst.ImportStar):
            smalls.append(small)
            continue
        aliases = [alias for alias in small.names if _bound(alias) not in unused]
        if len(aliases) == len(small.names):
            smalls.append(small)
        elif aliases:
            if aliases[-1] is not small.names[-1]:  # the last one keeps what followed the old last
                aliases[-1] = aliases[-1].with_changes(comma=small.names[-1].comma)
            smalls.append(small.with_changes(names=aliases))
    if len(smalls) == len(statement.body) and all(a is b for a, b in zip(smalls, statement.body)):
        return statement
    if not smalls:
        return None
    smalls[-1] = smalls[-1].with_changes(semicolon=statement.body[-1].semicolon)
    return statement.with_changes(body=smalls)


def _bound(alias: cst.ImportAlias) -> str:
    """The name an import alias binds (`import a.b` binds `a`)."""
    return (alias.evaluated_alias or alias.evaluated_name).split(".")[0]


def _imported(small: cst.BaseSmallStatement) -> list[tuple[str, str | None, str | None]]:
    """(module, name, alias) for each name a top-level import binds; none for a star or relative one."""
    if isinstance(small, cst.Import):
        return [(get_full_name_for_node(alias.name) or "", None, alias.evaluated_alias) for alias in small.names]
    if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None and not isinstance(small.names, cst.ImportStar):
        module_name = dotted_name(small.module) or ""
        return [(module_name, alias.evaluated_name, alias.evaluated_alias) for alias in small.names]
    return []


def _dotted(module_name: str) -> cst.Attribute | cst.Name:
    parts = module_name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(node, cst.Name(part))
    return node


def _block(body: list, module_name: str) -> tuple[int, int]:
    """The run of import statements `body[start:end]` that an import of `module_name` joins: the
    imports at the top of the module (after its docstring); where the module starts otherwise, the
    run holding the last import of the same package, else the first run. start == end where the
    module imports nothing at the top level."""
    first = 1 if body and _is_docstring(body[0]) else 0
    runs: list[tuple[int, int]] = []
    index = first
    while index < len(body):
        if not _is_import(body[index]):
            index += 1
            continue
        start = index
        while index < len(body) and _is_import(body[index]):
            index += 1
        runs.append((start, index))
    if not runs:
        return first, first
    if runs[0][0] == first:
        return runs[0]
    package = module_name.split(".")[0]
    related = [run for run in runs if any(_package(body[i]) == package for i in range(*run))]
    return related[-1] if related else runs[0]


def _package(statement: cst.SimpleStatementLine) -> str:
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        return "" if small.relative else (dotted_name(small.module) or "").split(".")[0]
    return (get_full_name_for_node(small.names[0].name) or "").split(".")[0]


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _binds_module(body: list, module_name: str) -> bool:
    return any(
        imported == (module_name, None, None)
        for statement in body if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body for imported in _imported(small)
    )


def _binds_name(body: list, module_name: str, name: str) -> bool:
    return any(
        imported == (module_name, name, None)
        for statement in body if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body for imported in _imported(small)
    )


def _mergeable(body: list, module_name: str) -> cst.SimpleStatementLine | None:
    """The first statement of its run of imports (`_block`) that is only `from module_name import a, b`."""
    start, end = _block(body, module_name)
    for statement in body[start:end]:
        small = statement.body[0]
        if (
            len(statement.body) == 1
            and isinstance(small, cst.ImportFrom)
            and not small.relative
            and small.module is not None
            and dotted_name(small.module) == module_name
            and not isinstance(small.names, cst.ImportStar)
        ):
            return statement
    return None


def _name_key(name: str) -> tuple[int, str]:
    """isort's default order of imported names: constants, then classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return 0, name
    return (1 if name[:1].isupper() else 2), name.lower()


def _merged(aliases: list[cst.ImportAlias], added: list[str]) -> list[cst.ImportAlias]:
    """The aliases with `added` among them: each at its sorted place if the aliases are sorted,
    else after them; separators copied from the aliases there, so a one-per-line list stays one."""
    keys = [_name_key(alias.evaluated_alias or alias.evaluated_name) for alias in aliases]
    in_order = keys == sorted(keys)
    between = next((alias.comma for alias in aliases[:-1] if isinstance(alias.comma, cst.Comma)), cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    for name in sorted(added, key=_name_key):
        key = _name_key(name)
        index = next((i for i, alias in enumerate(aliases) if _name_key(alias.evaluated_alias or alias.evaluated_name) > key), len(aliases)) if in_order else len(aliases)
        if index < len(aliases):
            aliases.insert(index, cst.ImportAlias(cst.Name(name), comma=between))
        else:
            last = aliases[-1]
            aliases[-1] = last.with_changes(comma=between)
            aliases.append(cst.ImportAlias(cst.Name(name), comma=last.comma))
    return aliases


def _with_commas(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [alias.with_changes(comma=comma) for alias in aliases[:-1]] + aliases[-1:]


def _section(statement: cst.CSTNode) -> int:
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        if small.relative:
            return RELATIVE
        top = (dotted_name(small.module) or "").split(".")[0]
        if top == "__future__":
            return FUTURE
    else:
        top = (get_full_name_for_node(small.names[0].name) or "").split(".")[0]
    return STANDARD_LIBRARY if top in sys.stdlib_module_names else THIRD_PARTY


def _sort_key(statement: cst.CSTNode) -> tuple[int, str]:
    """isort's default order within a section: `import x` lines before `from x import y` lines,
    each by module."""
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        return 1, ("." * len(small.relative) + (dotted_name(small.module) or "") if small.module else ".").lower()
    return 0, (get_full_name_for_node(small.names[0].name) or "").lower()


def _blank_only(lines: Iterable[cst.EmptyLine]) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """The blank lines before the first comment line, and the rest."""
    lines = list(lines)
    index = next((i for i, line in enumerate(lines) if line.comment is not None), len(lines))
    return lines[:index], lines[index:]


def _insert(body: list, small: cst.Import | cst.ImportFrom, module_name: str) -> None:
    """Put a new import statement into its section of its run of imports: at its sorted place where
    the section is sorted, else after the section's last statement; a new section is set apart by
    a blank line. With no imports, after the docstring, a blank line between them and the code."""
    new = cst.SimpleStatementLine([small])
    start, end = _block(body, module_name)
    section = _section(new)
    key = _sort_key(new)
    same = [index for index in range(start, end) if _section(body[index]) == section]
    if same:
        keys = [_sort_key(body[index]) for index in same]
        place = same[-1] + 1
        if keys == sorted(keys):
            place = next((index for index in same if _sort_key(body[index]) > key), place)
        if place <= same[-1]:
            _insert_before(body, place, new, separate=False)
        else:
            body.insert(place, new)
        return
    before = [index for index in range(start, end) if _section(body[index]) < section]
    if before:
        body.insert(before[-1] + 1, new.with_changes(leading_lines=[cst.EmptyLine()]))
        _set_apart(body, before[-1] + 2)
        return
    if start < end:
        _insert_before(body, start, new, separate=True)
        return
    # no imports at the top: after the docstring (or first), set apart from what follows
    if start == 1:
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    body.insert(start, new)
    _set_apart(body, start + 1)


def _set_apart(body: list, index: int) -> None:
    """A blank line above `body[index]` if it has none."""
    if index < len(body):
        blank, rest = _blank_only(body[index].leading_lines)
        if not blank:
            body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine(), *rest])


def _insert_before(body: list, index: int, new: cst.SimpleStatementLine, *, separate: bool) -> None:
    """Insert `new` before `body[index]`, taking over the lines above it up to its last blank one
    (the comment lines right above it stay with it); with `separate`, a blank line sets the two
    apart (they are different sections)."""
    lines = list(body[index].leading_lines)
    cut = max((i + 1 for i, line in enumerate(lines) if line.comment is None), default=0)
    above, attached = lines[:cut], lines[cut:]
    body[index] = body[index].with_changes(leading_lines=[*([cst.EmptyLine()] if separate else []), *attached])
    body.insert(index, new.with_changes(leading_lines=above))
