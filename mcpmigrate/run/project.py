"""The project pass: what each module of the run defines that other modules import.

Real code reaches MCP through its own modules: a header name kept in `constants.py`, an enum of
transports, a `run_sse_client()` wrapper, a subclass of `ClientSession` in another file. Before any
file is checked, every module of the run that mentions `mcp` (and every package `__init__`) is read once
(names and values read off its lines, no rule logic: the rules still match with LibCST) into a
`ModuleIndex`:

- its string constants (`NAME = "..."`, and class-level ones: an enum's `SSE = "sse"`);
- its classes and the classes they derive from (as imported, resolved to dotted names);
- its functions and classes and the `mcp` / `fastmcp` names each uses.

Each file then gets `ProjectFacts` for exactly the names it imports from those modules, base classes
followed through the project to the SDK's. The run's other modules are known by name only: what a
file imports from one of them is the project's own, no SDK object (`from models import Result`).
Indexes are kept by file hash between runs (with the findings cache), so a warm run parses nothing;
and since the facts are part of each file's cache key, a file is checked again when what it imports
changes.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mcpmigrate.rule.project import NO_FACTS, ProjectFacts, absolute_name
from mcpmigrate.run.cache import code_hash

SDK_PREFIXES = ("mcp.", "fastmcp.")


def mentions_mcp(text: str) -> bool:
    """Which modules are indexed: three plain searches cost a fraction of lowering the text (or of a
    case-insensitive pattern, which gets no fast literal search)."""
    return "mcp" in text or "MCP" in text or "Mcp" in text
FORMAT = 5  # entries are keyed by the file's content hash itself; an index has its instances, imports after `;`


@dataclass(frozen=True, slots=True)
class ModuleIndex:
    imports: tuple[tuple[str, str], ...]  # local name -> dotted target (relative ones keep their dots)
    constants: tuple[tuple[str, str], ...]  # NAME or Class.NAME -> value
    bases: tuple[tuple[str, tuple[str, ...]], ...]  # class -> its bases as dotted names
    references: tuple[tuple[str, tuple[str, ...]], ...]  # function or class -> SDK names it uses
    # module-level NAME -> the class it is made from, as written (`mcp = FastMCP("x")`: an SDK class
    # resolved, or one of the module's own, or a relative import's target with its dots)
    instances: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> list:
        return [list(map(list, self.imports)), list(map(list, self.constants)),
                [[n, list(b)] for n, b in self.bases], [[n, list(r)] for n, r in self.references],
                list(map(list, self.instances))]

    @classmethod
    def from_json(cls, data: list) -> ModuleIndex:
        imports, constants, bases, references, instances = data
        return cls(tuple(map(tuple, imports)), tuple(map(tuple, constants)),
                   tuple((n, tuple(b)) for n, b in bases), tuple((n, tuple(r)) for n, r in references),
                   tuple(map(tuple, instances)))


# Each pattern starts with the line break before a line (the text is searched with one put in front):
# a search for a literal character skips to each line, where `^` in multi-line mode is tried at every
# character (measured: three times slower). A match's start is then the offset of its line. (An
# import also follows a `;`: `import mcp; from models import Result`.)
_IMPORT = re.compile(r"(?:\n|;[ \t]*)(?:from[ \t]+(?P<module>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]+)|import[ \t]+(?P<plain>[^\n#;]+))")
_CLASS = re.compile(r"\nclass[ \t]+(?P<name>\w+)[ \t]*(?:\((?P<bases>[^)]*)\))?[ \t]*:")
_DEFINITION = re.compile(r"\n(?:async[ \t]+)?(?:def|class)[ \t]+(?P<name>\w+)")
_CONSTANT = re.compile(r"""\n(?P<indent>[ \t]*)(?P<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=[ \t]*(?P<quote>['"])(?P<value>[^'"\\\n]*)(?P=quote)[ \t]*(?:#[^\n]*)?(?=\n|\Z)""")
_TOP = re.compile(r"\n[^\s#]")  # a line that starts a module-level statement
_INSTANCE = re.compile(r"\n(?P<name>[A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=[ \t]*(?P<callee>[A-Za-z_][\w.]*)\(")


_ASSIGNS_STRING = re.compile(r"""=[ \t]*['"]""")  # on every line `_CONSTANT` matches


def _constant_lines(text: str) -> Iterator[re.Match[str]]:
    """`_CONSTANT.finditer(text)`, trying only the lines that assign a string: trying every line
    costs a third of indexing a module."""
    tried = -1
    for hit in _ASSIGNS_STRING.finditer(text):
        line = text.rfind("\n", 0, hit.start())
        if line != tried:
            tried = line
            match = _CONSTANT.match(text, line)
            if match is not None:
                yield match


def index_module(text: str) -> ModuleIndex:
    """The module's index, read off its lines: module-level statements start at column 0, so imports,
    classes, definitions and constants are found without building a tree (a parse of every module
    would cost a fifth of the check). A module that does not parse gives facts no import resolves to."""
    text = "\n" + text  # see the patterns (offsets below are into this text)
    imports: dict[str, str] = {}
    for match in _IMPORT.finditer(text):
        if match["plain"] is not None:
            for part in match["plain"].split(","):
                name, _, alias = part.strip().partition(" as ")
                name, alias = name.strip(), alias.strip()
                if name:
                    imports[alias or name.split(".")[0]] = name if alias else name.split(".")[0]
            continue
        module = match["module"]
        if module == "__future__":
            continue
        for part in match["names"].strip("()").replace("\\", " ").split(","):
            name, _, alias = part.strip().partition(" as ")
            name, alias = name.strip(), alias.strip()
            if name and name != "*" and name.isidentifier():
                imports[alias or name] = f"{module}.{name}" if module.strip(".") else f"{module}{name}"

    def resolve(dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        target = imports.get(head)
        if target is None:
            return dotted  # a name of this module (or a builtin)
        return f"{target}.{rest}" if rest else target

    bases = tuple(
        (match["name"], tuple(resolve(b.strip()) for b in (match["bases"] or "").split(",") if b.strip().replace(".", "").isidentifier()))
        for match in _CLASS.finditer(text)
    )
    # Constants: at module level, and in a class body (its members) under the class they follow.
    classes = {match.start(): match["name"] for match in _CLASS.finditer(text)}
    tops = [match.start() for match in _TOP.finditer(text)]
    constants: list[tuple[str, str]] = []
    for match in _constant_lines(text):
        if not match["indent"]:
            constants.append((match["name"], match["value"]))
            continue
        at = bisect.bisect_left(tops, match.start()) - 1  # the module-level statement it sits in
        owner = classes.get(tops[at]) if at >= 0 else None
        if owner is not None and len(match["indent"].expandtabs()) <= 4:
            constants.append((f"{owner}.{match['name']}", match["value"]))
    # The SDK names each module-level definition uses, in its lines: the local names bound to `mcp`
    # / `fastmcp` imports, with any attributes after them.
    sdk_locals = sorted((local for local, target in imports.items() if (target + ".").startswith(SDK_PREFIXES)), key=len, reverse=True)
    references: list[tuple[str, tuple[str, ...]]] = []
    if sdk_locals:
        # One search of the whole text: a pattern that starts with the names is searched for by their
        # first letters (one that starts with a look-behind tries every position, four times slower),
        # so a use inside a longer name (`fastmcp.x` for `mcp`) is dropped after. Nothing is lost: a
        # dropped match spans only word characters and dots, where no use can start.
        uses = re.compile(r"(?:" + "|".join(map(re.escape, sdk_locals)) + r")(?:\.\w+)*")
        spans: list[tuple[int, int, str]] = []  # each definition's body: (start, end, name)
        for match in _DEFINITION.finditer(text):
            after = bisect.bisect_right(tops, match.start())
            spans.append((match.end(), tops[after] if after < len(tops) else len(text), match["name"]))
        starts = [start for start, _, _ in spans]
        used: dict[int, set[str]] = {}
        for match in uses.finditer(text, starts[0] if starts else len(text)):
            at = match.start()
            before = text[at - 1]
            if before == "." or before == "_" or before.isalnum():
                continue
            owner = bisect.bisect_right(starts, at) - 1
            if at < spans[owner][1]:
                used.setdefault(owner, set()).add(resolve(text[at : min(match.end(), spans[owner][1])]))
        references = [(spans[owner][2], tuple(sorted(names))) for owner, names in sorted(used.items())]
    # Module-level objects made from a class the SDK or the project defines (`mcp = FastMCP("x")`,
    # `server = MyServer()`), for the modules that import them (`from app.tools import mcp`).
    own_classes = {name for name, _ in bases}
    instances = [
        (match["name"], target)
        for match in _INSTANCE.finditer(text)
        if (target := resolve(match["callee"])).startswith(SDK_PREFIXES) or target in own_classes or target.startswith(".")
        or (target != match["callee"] and "." in target)  # imported from another module of the project
    ]
    return ModuleIndex(tuple(sorted(imports.items())), tuple(constants), bases, tuple(references), tuple(instances))


def module_name(path: Path, packages: dict[str, tuple[str, ...]] | None = None) -> str:
    """The dotted name `path` imports as: its folder's packages (those with `__init__.py`) and its stem.
    (The path as discovered, not resolved: resolving every file costs a system call per folder.)
    `packages` remembers each folder's packages between calls, so a folder is looked at once. On
    strings, not `Path`s: a warm run names every module, and a `Path`'s parent costs more than the rest."""
    folder, file = os.path.split(str(path))
    stem = os.path.splitext(file)[0]
    parts = _packages_of(folder, {} if packages is None else packages)
    return ".".join(parts if stem == "__init__" else (*parts, stem))


def _packages_of(folder: str, known: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The package names down to `folder`, outermost first; () if `folder` is no package."""
    found = known.get(folder)
    if found is None:
        found = ()
        parent, name = os.path.split(folder)
        if name and os.path.isfile(os.path.join(folder, "__init__.py")):
            found = (*_packages_of(parent, known), name)
        known[folder] = found
    return found


class ProjectIndex:
    """Every indexed module of the run, by dotted name; facts per file from it."""

    def __init__(self) -> None:
        self.modules: dict[str, ModuleIndex | list] = {}  # (a list: as cached, see _module)
        self.packages: dict[str, str] = {}  # module -> its package (for its relative imports)
        self.files: dict[Path, str] = {}  # file -> its module
        self.plain: set[str] = set()  # the run's modules that mention no MCP (not indexed)
        self._tables: dict[str, tuple[dict, dict, dict, dict, dict]] = {}  # module -> its index as dicts
        self._folders: dict[str, tuple[str, ...]] = {}  # folder -> its packages (module_name)
        self._named: dict[tuple[str, str], tuple[list, list, list, list, list]] = {}  # (module, name) -> its facts
        self._names: dict[str, list[str]] = {}  # module -> every name it has facts about
        self._added: list[str] = []  # "module|is a package|content hash" of each module (signature)

    def _table(self, module: str) -> tuple[dict, dict, dict, dict, dict]:
        """(imports, bases, references, constants by the name they start with, instances) of a module."""
        table = self._tables.get(module)
        if table is None:
            index = self._module(module)
            constants: dict[str, list[tuple[str, str]]] = {}
            for name, value in index.constants:
                constants.setdefault(name.split(".")[0], []).append((name, value))
            table = self._tables[module] = (
                dict(index.imports), dict(index.bases), dict(index.references), constants, dict(index.instances)
            )
        return table

    def _module(self, name: str) -> ModuleIndex:
        index = self.modules[name]
        if not isinstance(index, ModuleIndex):  # as the cache keeps it: read when first asked about
            try:
                index = ModuleIndex.from_json(index)
            except (TypeError, ValueError):  # a damaged cache: the module gives no facts
                index = ModuleIndex((), (), (), (), ())
            self.modules[name] = index
        return index

    def add(self, path: Path, index: ModuleIndex | list, digest: str = "") -> None:
        """Add the module at `path`: its index, or the index as the cache keeps it (`to_json`)."""
        name = module_name(path, self._folders)
        self.modules[name] = index
        self.packages[name] = name if path.stem == "__init__" else name.rpartition(".")[0]
        self.files[path] = name
        self._added.append(f"{name}|{path.stem == '__init__'}|{digest}")

    def add_plain(self, path: Path) -> None:
        """Add the module at `path`, which mentions no MCP: by name only, so what others import from it
        is known to be the project's own."""
        name = module_name(path, self._folders)
        self.plain.add(name)
        self._added.append(f"{name}|plain")

    def _in_plain_module(self, qualified: str) -> bool:
        """Is `qualified` a module of the run that mentions no MCP, or in one? (An indexed module of the
        same name wins.)"""
        name = qualified
        while name and name not in self.modules:
            if name in self.plain:
                return True
            name = name.rpartition(".")[0]
        return False

    def signature(self) -> str:
        """What every file's facts are a function of, besides the file itself: each indexed module's
        name, kind and content (an index is a function of the content), and this code."""
        text = "\n".join((f"{FORMAT}|{code_hash()}", *sorted(self._added)))
        return hashlib.sha256(text.encode()).hexdigest()

    def facts_key(self, path: Path, digest: str) -> str | None:
        """Under what a file's facts fingerprint is kept (None: a file outside the index has none)."""
        module = self.files.get(path)
        return None if module is None else f"{module}|{path.stem == '__init__'}|{digest}"

    def _split(self, qualified: str) -> tuple[str, str] | None:
        """(module, name inside it) for a dotted name in one of the project's modules."""
        module, _, name = qualified.rpartition(".")
        while module:
            if module in self.modules:
                return module, name
            module, _, head = module.rpartition(".")
            name = f"{head}.{name}"
        return None

    def _target(self, module: str, written: str) -> str:
        """A name as `module` wrote it (an import's target, or one of its own classes) made absolute."""
        if written.startswith("."):
            return absolute_name(self.packages[module], written)
        if "." not in written and written in self._table(module)[1]:
            return f"{module}.{written}"
        return written

    def _sdk_bases(self, qualified: str, seen: set[str]) -> set[str]:
        """Every SDK class a project class derives from, through the project's own classes."""
        if qualified.startswith(SDK_PREFIXES):
            return {qualified}
        place = self._split(qualified)
        if place is None or qualified in seen:
            return set()
        seen.add(qualified)
        module, name = place
        found: set[str] = set()
        for base in self._table(module)[1].get(name, ()):
            found |= self._sdk_bases(self._target(module, base), seen)
        return found

    def _defined_at(self, module: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        """Where `module.name` is defined: a package's `__init__` re-exports from its submodules."""
        imports, bases, references, constants, instances = self._table(module)
        if name in bases or name in references or name in constants or name in instances:
            return module, name
        target = imports.get(name)
        if target is None or depth > 8:
            return None
        place = self._split(self._target(module, target))
        return None if place is None else self._defined_at(place[0], place[1], depth + 1)

    def _facts_of(self, module: str, names: list[str], facts: tuple[list, list, list, list, list]) -> None:
        for asked in names:
            for gathered, found in zip(facts, self._facts_of_name(module, asked)):
                gathered += found

    def _facts_of_name(self, module: str, asked: str) -> tuple[list, list, list, list, list]:
        """(constants, bases, references, instances, own) of `module.asked`, worked out once: the files
        of a project import the same few names."""
        known = self._named.get((module, asked))
        if known is not None:
            return known
        known = self._named[module, asked] = ([], [], [], [], [])
        constants, bases, references, instances, own = known
        found = self._defined_at(module, asked)
        if found is None:
            return known
        origin, name = found
        _, origin_bases, origin_references, origin_constants, origin_instances = self._table(origin)
        made_from = origin_instances.get(name)
        if made_from is not None:
            # `mcp = FastMCP(...)` there: the SDK class, or the SDK classes a project class derives from
            qualified_class = self._target(origin, made_from)
            sdk = {qualified_class} if qualified_class.startswith(SDK_PREFIXES) else self._sdk_bases(qualified_class, set())
            for sdk_class in sorted(sdk):
                instances.append((f"{module}.{asked}", sdk_class))
        qualified = f"{module}.{asked}"  # as the importing file names it
        constants += [(qualified + n[len(name):], v) for n, v in origin_constants.get(name, ())]
        if name in origin_bases:
            sdk = self._sdk_bases(f"{origin}.{name}", set())
            if sdk:
                bases.append((qualified, tuple(sorted(sdk))))
            else:
                own.append(qualified)  # a class of the project's own: its fields are no SDK model's
        used = origin_references.get(name)
        if used:
            references.append((qualified, used))
        return known

    def facts_for(self, path: Path, text: str) -> ProjectFacts:
        """The facts about what the file at `path`, whose text is `text`, imports from the project."""
        module = self.files.get(path)
        if module is None:
            return NO_FACTS
        facts: tuple[list, list, list, list, list] = ([], [], [], [], [])
        plain: list[str] = []
        for local, target in self._table(module)[0].items():
            qualified = self._target(module, target)
            if self._in_plain_module(qualified):  # `from models import Result`: a module with no MCP in it
                plain.append(qualified)
                continue
            if qualified in self.modules:  # `from . import constants`: a whole module
                # Only the names the file reaches as `constants.NAME` (a module's every constant
                # would wake rules on each file that imports it, `from mcp import types` in the SDK).
                every = self._names.get(qualified)
                if every is None:
                    imported = self._module(qualified)
                    every = self._names[qualified] = sorted(
                        {n.split(".")[0] for n, _ in imported.constants} | {n for n, _ in imported.bases}
                        | {n for n, _ in imported.references} | {n for n, _ in imported.instances}
                    )
                reached = set(re.findall(re.escape(local) + r"\.(\w+)", text))  # (a longer name too: only more facts)
                self._facts_of(qualified, [name for name in every if name in reached], facts)
                continue
            place = self._split(qualified)
            if place is not None:
                self._facts_of(place[0], [place[1]], facts)
        constants, bases, references, instances, own = facts
        return ProjectFacts(self.packages[module], tuple(constants), tuple(bases), tuple(references), tuple(instances), tuple(own), tuple(plain))


UNINDEXED = object()  # IndexCache.known: a module to index


class IndexCache:
    """Module indexes by file hash, kept beside the findings cache so a warm run parses nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / "project.json" if folder is not None else None
        self.entries: dict[str, list | int] = {}  # key -> the index, or 0: mentions no MCP
        # Each indexed file's facts fingerprint (`ProjectIndex.facts_key`), valid while the project's
        # `signature` is the one they were worked out under: then a warm run works out no facts at all.
        self.signature = ""
        self.fingerprints: dict[str, str] = {}
        self.changed = False
        if self.file is not None:
            try:
                document = json.loads(self.file.read_text(encoding="utf-8"))
                if document.get("format") == FORMAT:
                    self.entries = document["entries"]
                    self.signature, self.fingerprints = str(document["signature"]), dict(document["fingerprints"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass

    def under(self, signature: str) -> None:
        """The run's project signature: fingerprints kept under another are dropped."""
        if signature != self.signature:
            self.signature, self.fingerprints, self.changed = signature, {}, True

    def fingerprint(self, key: str) -> str | None:
        found = self.fingerprints.get(key)
        return found if isinstance(found, str) else None

    def remember(self, key: str, fingerprint: str) -> None:
        if self.fingerprints.get(key) != fingerprint:
            self.fingerprints[key] = fingerprint
            self.changed = True

    def known(self, digest: str, text: str, package: bool = False) -> list | None | object:
        """The module's index as the cache keeps it; None for a module that does not mention MCP (not
        a package's `__init__`, which is indexed for its re-exports); UNINDEXED for one to index and
        `store`. Both answers are kept, so a warm run neither parses nor searches a file again."""
        data = self.entries.get(digest, ...)  # (the document's format says what its entries are)
        if data == 0 and not package:
            return None
        if isinstance(data, list) and len(data) == 5:
            # A package's `__init__` shares its entry with every module of the same text (an empty
            # file, most often): such a module is indexed only if it mentions MCP itself, as when the
            # entry was made, or a warm run would index more modules than the cold run it follows.
            return data if package or mentions_mcp(text) else None
        if not package and not mentions_mcp(text):
            self.entries[digest] = 0
            self.changed = True
            return None
        return UNINDEXED

    def store(self, digest: str, found: ModuleIndex) -> ModuleIndex:
        self.entries[digest] = found.to_json()
        self.changed = True
        return found

    def save(self, write) -> None:  # noqa: ANN001 - the findings cache's atomic writer
        # Only beside findings the run stored: a run that wrote no cache leaves no folder behind.
        if self.file is not None and self.changed and self.file.parent.is_dir():
            try:
                document = {"format": FORMAT, "entries": self.entries, "signature": self.signature, "fingerprints": self.fingerprints}
                write(self.file, json.dumps(document, separators=(",", ":")).encode("utf-8"))
            except OSError:
                pass
