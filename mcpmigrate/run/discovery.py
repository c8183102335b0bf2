"""Which files to check: walk the named paths, honour `.gitignore` and the exclude globs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mcpmigrate.findings import FileProblem
from mcpmigrate.run.config import SettingsResolver
from mcpmigrate.run.globs import any_matches, glob_regex, matches_here_or_above

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True, slots=True)
class _IgnoreRule:
    pattern: object  # compiled regex
    negated: bool
    directory_only: bool


@dataclass(frozen=True, slots=True)
class GitIgnore:
    """The rules of one `.gitignore` (or `.git/info/exclude`), relative to `base`."""

    base: Path
    rules: tuple[_IgnoreRule, ...]

    @classmethod
    def read(cls, path: Path, base: Path) -> GitIgnore | None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        rules = []
        for raw in text.splitlines():
            line = raw.rstrip()
            if raw.endswith("\\ "):
                line += " "
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            elif line.startswith("\\"):
                line = line[1:]
            directory_only = line.endswith("/")
            line = line.rstrip("/")
            if not line:
                continue
            anchored = "/" in line
            line = line.lstrip("/")
            regex = glob_regex(line if anchored else f"**/{line}")
            rules.append(_IgnoreRule(regex, negated, directory_only))
        return cls(base, tuple(rules)) if rules else None

    def decide(self, path: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included) or None (no rule matches) for an absolute path."""
        relative = _relative(path, str(self.base))
        if relative is None or relative == ".":
            return None
        relative = relative.replace(os.sep, "/")
        verdict = None
        for rule in self.rules:
            if rule.directory_only and not is_dir:
                continue
            if rule.pattern.match(relative):
                verdict = not rule.negated
        return verdict


def _ignored(stack: tuple[GitIgnore, ...], path: str, is_dir: bool) -> bool:
    verdict = None
    for ignore in stack:  # outermost first, so a nearer file has the last word
        decided = ignore.decide(path, is_dir)
        if decided is not None:
            verdict = decided
    return bool(verdict)


def _repository_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _initial_ignores(folder: Path) -> tuple[GitIgnore, ...]:
    """The ignore files that apply to `folder` from above: from the repository root down to it."""
    root = _repository_root(folder)
    if root is None:
        return ()
    stack: list[GitIgnore] = []
    exclude = GitIgnore.read(root / ".git" / "info" / "exclude", root)
    if exclude is not None:
        stack.append(exclude)
    chain = [folder, *folder.parents]
    for ancestor in reversed(chain[: chain.index(root) + 1]):
        if ancestor == folder:
            break
        ignore = GitIgnore.read(ancestor / ".gitignore", ancestor)
        if ignore is not None:
            stack.append(ignore)
    return tuple(stack)


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    # Files found by walking that are symbolic links to a file outside their project root (the
    # folder of their configuration): checked, but `--fix` must not write through them, as Black
    # skips a link that "points outside the root". A path named on the command line is never here.
    links_out: dict[Path, tuple[Path, Path]] = field(default_factory=dict)  # link -> (its target, the root)


def _relative(path: str, base: str) -> str | None:
    """What `Path(path).relative_to(base)` says of two absolute paths, on strings (a walk asks it of
    every entry): None where `path` is not below `base`, "." where it is `base`."""
    base = base.rstrip(os.sep)
    if path.startswith(base + os.sep):
        return path[len(base) + 1 :]
    return "." if path == base else None


def display_path(path: Path, cwd: Path) -> str:
    """The path as the user should read it: relative to the working folder when inside it."""
    relative = _relative(str(path), str(cwd))
    return str(path) if relative is None else relative


def is_excluded(path: Path, resolver: SettingsResolver) -> bool:
    """Does an exclude glob of the governing configuration match this path or a folder above it?"""
    settings = resolver.for_path(path)
    try:
        relative = path.resolve().relative_to(settings.root).as_posix()
    except ValueError:
        relative = path.name
    return any(matches_here_or_above(pattern, relative) for pattern in settings.all_excludes)


def discover(paths: list[Path], resolver: SettingsResolver, *, force_exclude: bool, cwd: Path) -> Discovery:
    found = Discovery()
    seen: dict[str, Path] = {}

    def add(path: Path, link_out: tuple[Path, Path] | None = None) -> None:
        key = os.path.abspath(path)
        if key in seen:
            if link_out is None:  # a link out of the project, named on the command line too: it may be written
                found.links_out.pop(seen[key], None)
            return
        seen[key] = path
        found.files.append(path)
        if link_out is not None:
            found.links_out[path] = link_out

    for path in paths:
        absolute = path if path.is_absolute() else cwd / path
        if absolute.is_dir():
            if force_exclude and is_excluded(absolute, resolver):
                continue
            root = absolute.resolve()  # once here, so the walk below never resolves an entry
            _walk(root, resolver, _initial_ignores(root), add)
        elif absolute.exists() or absolute.is_symlink():
            # Named explicitly: checked whatever its suffix, excluded only with --force-exclude.
            if force_exclude and is_excluded(absolute, resolver):
                continue
            add(absolute)
        else:
            found.problems.append(FileProblem(display_path(absolute, cwd), "no such file or directory"))
    found.files.sort(key=lambda p: display_path(p, cwd))
    return found


def _walk(folder: Path, resolver: SettingsResolver, ignores: tuple[GitIgnore, ...], add) -> None:
    own = GitIgnore.read(folder / ".gitignore", folder)
    if own is not None:
        ignores = (*ignores, own)
    settings = resolver.for_path(folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    try:  # once per folder: the entries' paths relative to the configuration's root
        prefix = folder.relative_to(settings.root).as_posix() + "/"
    except ValueError:
        prefix = None
    if prefix == "./":
        prefix = ""
    excluded = any_matches(settings.all_excludes)
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if not is_dir and not entry.name.endswith(PYTHON_SUFFIXES):
            continue  # before any glob: most entries of a tree are not Python
        relative = entry.name if prefix is None else prefix + entry.name
        if excluded(relative) or _ignored(ignores, entry.path, is_dir):
            continue
        path = Path(entry.path)
        if is_dir:
            if (path / "pyvenv.cfg").exists():  # a virtual environment, whatever its name
                continue
            _walk(path, resolver, ignores, add)
        elif entry.is_symlink() and _relative(target := os.path.realpath(entry.path), str(settings.root)) is None:
            add(path, (Path(target), settings.root))
        else:
            add(path)
