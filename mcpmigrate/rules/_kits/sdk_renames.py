"""SDK names that moved, were renamed or were removed in mcp 2.x: one mechanism for every such rule.

A rule lists its moves as qualified-name prefixes, old -> new (None: removed); the longest prefix
wins. The mechanism finds the imports and uses of those names, however they are spelled
(`from mcp import X as Y`, `import mcp`, `mcp.X`), and rewrites each in place. A name already moved
to its new module but not renamed yet (`mcp.server.mcpserver.FastMCP`) is still recognised, so
half-migrated code stays reported.

Fixes are all or nothing per local name: if one use of a name cannot be rewritten, none of its uses
(nor its import) are, so the code keeps resolving and every use stays reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Gatherer, NodeFix, Rule, replace, replace_between
from mcpmigrate.rule.imports import dotted_name


class _Removed:
    def __repr__(self) -> str:
        return "REMOVED"


REMOVED = _Removed()


class NameTable:
    """Maps old qualified names to new ones by the longest matching prefix."""

    def __init__(self, moves: Mapping[str, str | None]) -> None:
        self.moves = dict(moves)
        self.mapped: dict[str, str | _Removed] = {}  # a run asks about the same few names again and again
        self.targets = sorted(((new, old) for old, new in self.moves.items() if new is not None), key=lambda p: -len(p[0]))

    @staticmethod
    def _longest(name: str, prefixes) -> str | None:
        best = None
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > len(best)):
                best = prefix
        return best

    def canonical(self, name: str) -> str:
        """`name` written in the old namespace, if it is in a new one."""
        for new, old in self.targets:
            if name == new or name.startswith(new + "."):
                return old + name[len(new) :]
        return name

    def map(self, name: str) -> str | _Removed:
        """The mcp 2.x name for `name` (itself when nothing changes), or REMOVED."""
        mapped = self.mapped.get(name)
        if mapped is None:
            mapped = self.mapped[name] = self._map(name)
        return mapped

    def _map(self, name: str) -> str | _Removed:
        old_form = self.canonical(name)
        prefix = self._longest(old_form, self.moves)
        if prefix is None:
            return name
        new = self.moves[prefix]
        if new is None:
            return REMOVED
        return new + old_form[len(prefix) :]

    def note_key(self, name: str) -> str | None:
        return self._longest(self.canonical(name), self.moves)


@dataclass(frozen=True, slots=True)
class _Pending:
    binding: str | None  # the local name the finding depends on; fixes are all or nothing per name
    node: cst.CSTNode
    message: str
    fix: NodeFix | None
    help: str | None


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[-1]


class ImportedNames(Gatherer):
    """Each name that refers to an import, handed to the rename rules that subscribed: a name is
    looked up in the import map once here, not once per rule (six rules would each visit every name
    of the file). It runs ahead of the rules on each name, which changes nothing for them: a rule
    claims a name (`handled`) while visiting what encloses it, before the name itself is visited."""

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.bindings = context.imports.bindings  # filled as imports are met, also inside functions
        self.subscribers: list[Callable[[cst.Name, str], None]] = []

    def visit_Name(self, node: cst.Name) -> None:
        target = self.bindings.get(node.value)
        if target is not None:
            for subscriber in self.subscribers:
                subscriber(node, target)


class RenameRule(Rule, register=False):
    """Base of the rules whose subject is a set of SDK names that moved in mcp 2.x."""

    gathers = (ImportedNames,)

    moves: ClassVar[Mapping[str, str | None]] = {}
    # What to do instead (removed names) or what else changed (moved ones), by the old qualified name.
    notes: ClassVar[Mapping[str, str]] = {}
    # Old names whose replacement behaves differently: their rewrite is always unsafe.
    unsafe: ClassVar[frozenset[str]] = frozenset()
    version_label: ClassVar[str] = "mcp 2.x"
    rename_note: ClassVar[str] = ""  # appended to every rename message, e.g. why the old name fails
    # Qualified names an override of `_use` looks at besides the moves (uses of them are visited too).
    watched: ClassVar[frozenset[str]] = frozenset()
    uses_target_sdk = True

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.handled: set[int] = set()
        self.pending: list[_Pending] = []
        self.blocked: set[str] = set()
        context.shared(ImportedNames).subscribers.append(self.on_imported_name)

    @classmethod
    def table(cls) -> NameTable:
        table = cls.__dict__.get("_table")
        if table is None:
            table = NameTable(cls.moves)
            cls._table = table
        return table

    @property
    def fix_applicability(self) -> Applicability:
        """Renamed names only exist in mcp 2.x: safe when the project targets it, else unsafe."""
        return Applicability.SAFE if self.context.options.target_sdk == 2 else Applicability.UNSAFE

    # -- reporting, all or nothing per local name ------------------------------------------------

    def defer(
        self, binding: str | None, node: cst.CSTNode, message: str, fix: NodeFix | None = None, help: str | None = None
    ) -> None:
        self.pending.append(_Pending(binding, node, message, fix, help))

    def block(self, binding: str | None) -> None:
        if binding is not None:
            self.blocked.add(binding)

    def leave_Module(self, original_node: cst.Module) -> None:
        blocked = self.blocked | {p.binding for p in self.pending if p.binding is not None and p.fix is None}
        for item in self.pending:
            fix, help = item.fix, item.help
            if item.binding in blocked and fix is not None:
                fix, help = None, f"{fix.message} once the uses of `{item.binding}` that need a manual change are done"
            self.report(item.node, item.message, fix=fix, help=help)

    def removed_message(self, text: str, qualified: str) -> str:
        note = self.notes.get(self.table().note_key(qualified) or "", "")
        return f"`{text}` was removed in {self.version_label}" + (f"; {note}" if note else "")

    def rename_message(self, old: str, new: str, qualified: str | None = None) -> str:
        note = self.notes.get(self.table().note_key(qualified) or "", "") if qualified else ""
        note = note or self.rename_note
        return f"`{old}` is `{new}` in {self.version_label}" + (f"; {note}" if note else "")

    def applicability_for(self, qualified: str | None) -> Applicability:
        if qualified is not None and self.table().note_key(qualified) in self.unsafe:
            return Applicability.UNSAFE
        return self.fix_applicability

    def rename_fix(self, node: cst.CSTNode, new_text: str, qualified: str | None = None) -> NodeFix:
        return NodeFix(f"Rename to `{new_text}`", self.applicability_for(qualified), (replace(node, new_text),))

    # -- what a use becomes ----------------------------------------------------------------------

    def claim(self, node: cst.BaseExpression) -> None:
        """Mark a Name/Attribute chain as dealt with, so the use visitors skip it."""
        while isinstance(node, cst.Attribute):
            self.handled.add(id(node))
            node = node.value
        self.handled.add(id(node))

    def changed(self, node: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(node)
        return qualified is not None and self.table().map(qualified) != qualified

    def new_text(self, node: cst.BaseExpression) -> str | _Removed | None:
        """The expression's text once its import is migrated; REMOVED; or None if no import of
        the new name can express it (it moved to another module)."""
        qualified = self.context.qualified_name(node)
        head = node
        while isinstance(head, cst.Attribute):
            head = head.value
        if qualified is None or not isinstance(head, cst.Name):
            return None
        table = self.table()
        binding = head.value
        target = self.context.imports.bindings[binding]
        new_target = table.map(target)
        new_name = table.map(qualified)
        if new_target is REMOVED or new_name is REMOVED:
            return REMOVED
        new_binding = binding
        if binding not in self.context.imports.aliased and _leaf(target) == binding:
            new_binding = _leaf(new_target)  # `from m import Old` becomes `from m2 import New`
        if new_name == new_target:
            return new_binding
        if new_name.startswith(new_target + "."):
            return new_binding + new_name[len(new_target) :]
        return None

    # -- imports ---------------------------------------------------------------------------------

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module)
        if module is None:
            return
        table = self.table()
        new_module = table.map(module)
        locals_ = [
            (alias, alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else alias.name.value)
            for alias in node.names
            if isinstance(alias.name, cst.Name)
        ]
        if new_module is REMOVED:
            self.defer(None, node.module, self.removed_message(module, module))
            for _, local in locals_:
                self.block(local)
            return
        mapped = [table.map(f"{module}.{alias.name.value}") for alias, _ in locals_]
        homes = {new.rpartition(".")[0] for new in mapped if new is not REMOVED}
        if len(homes) == 1 and REMOVED not in mapped and homes != {new_module} and len(locals_) > 1:
            # Every name moved to one other module (`Context` is exported by `mcp.server.mcpserver`,
            # not by its `server` module): the statement imports from there.
            home = homes.pop()
            self.defer(None, node.module, f"{self.rename_message(module, new_module)}; import "
                       f"{', '.join(f'`{_leaf(new)}`' for new in mapped)} from `{home}`, which exports it",
                       self.rename_fix(node.module, home))
            new_module = home
        elif new_module != module and not (len(locals_) == 1 and mapped[0] is not REMOVED
                                           and mapped[0].rpartition(".")[0] != new_module):
            self.defer(None, node.module, self.rename_message(module, new_module),
                       self.rename_fix(node.module, new_module))
        for alias, local in locals_:
            name = alias.name.value
            qualified = f"{module}.{name}"
            new = table.map(qualified)
            if new is REMOVED:
                self.defer(local, alias.name, self.removed_message(name, qualified))
            elif new.startswith(f"{new_module}.") and "." not in new[len(new_module) + 1 :]:
                leaf = new[len(new_module) + 1 :]
                if leaf != name:
                    self.defer(local, alias.name, self.rename_message(name, leaf, qualified), self.rename_fix(alias.name, leaf, qualified))
            elif new != qualified and len(locals_) == 1:
                # The only name of the statement moved to another module: rewrite the whole import.
                target_module, leaf = new.rsplit(".", 1)
                edits = (replace(node.module, target_module), replace(alias.name, leaf))
                fix = NodeFix(f"Import `{leaf}` from `{target_module}`", self.applicability_for(qualified), edits)
                self.defer(local, alias.name, self.rename_message(name, new, qualified), fix)
            elif new != qualified:
                # One of several moved elsewhere: out of the statement, onto a line of its own below it.
                target_module, leaf = new.rsplit(".", 1)
                names = list(node.names)
                at = names.index(alias)
                removal = (replace_between(names[at - 1], "end", alias, "end", "") if at
                           else replace_between(alias, "start", names[1], "start", ""))
                line = f"from {target_module} import {leaf}" + (f" as {local}" if alias.asname is not None and leaf != local else "")
                added = replace_between(node, "next_line", node, "next_line",
                                        lambda view: view.line_indent(node) + line + self.context.module.default_newline)
                fix = NodeFix(f"Import `{leaf}` from `{target_module}`", self.applicability_for(qualified), (removal, added))
                self.defer(local, alias.name, self.rename_message(name, new, qualified), fix)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
            new = self.table().map(name)
            if new is REMOVED:
                self.defer(local, alias.name, self.removed_message(name, name))
                self.block(local or name.split(".")[0])
            elif new != name:
                self.defer(local, alias.name, self.rename_message(name, new, name), self.rename_fix(alias.name, new, name))

    # -- uses ------------------------------------------------------------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.imported(node) and id(node) not in self.handled:
            self._use(node)

    def on_imported_name(self, node: cst.Name, target: str) -> None:
        """A name bound to `target` by an import (from `ImportedNames`, as each name is visited)."""
        if self.touches(target) and id(node) not in self.handled:
            self._use(node)

    def imported(self, node: cst.BaseExpression) -> bool:
        """Whether the chain starts at a name imported from where this rule's names are: most names
        are not, and cost nothing more."""
        head = node
        while type(head) is cst.Attribute:
            head = head.value
        if type(head) is not cst.Name:
            return False
        target = self.context.imports.bindings.get(head.value)
        return target is not None and self.touches(target)

    @classmethod
    def touches(cls, target: str) -> bool:
        """Whether some name `target` or an attribute chain on it can spell is one this rule maps (or
        watches): no move (old or new name) and no watched name is `target`, around it or under it.
        Most imported names (`Tool`, `TextContent`) are none of these."""
        known = cls.__dict__.get("_touched")
        if known is None:
            known = cls._touched = {}
        touched = known.get(target)
        if touched is None:
            names = {*cls.moves, *(new for new in cls.moves.values() if new is not None), *cls.watched}
            touched = known[target] = any(
                name == target or target.startswith(name + ".") or name.startswith(target + ".") for name in names
            )
        return touched

    def _use(self, outer: cst.BaseExpression) -> None:
        chain = [outer]
        while isinstance(chain[-1], cst.Attribute):
            chain.append(chain[-1].value)
        if not isinstance(chain[-1], cst.Name) or not self.changed(outer):
            return
        self.claim(outer)
        binding = chain[-1].value
        outer_text = dotted_name(outer) or ""
        outer_new = self.new_text(outer)
        for node in reversed(chain):  # innermost first: report the smallest part that changes
            old = dotted_name(node) or ""
            new = self.new_text(node)
            if new == old:
                continue
            qualified = self.context.qualified_name(node) or old
            if new is REMOVED:
                self.defer(binding, node, self.removed_message(old, qualified))
                return
            if new is None:
                target = self.table().map(qualified)
                self.defer(binding, node, self.rename_message(old, str(target), qualified),
                           help=f"Import `{_leaf(str(target))}` from `{str(target).rsplit('.', 1)[0]}`")
                return
            suffix = outer_text[len(old) :]
            if isinstance(outer_new, str) and outer_new == new + suffix:
                self.defer(binding, node, self.rename_message(old, new, qualified), self.rename_fix(node, new, qualified))
                return
