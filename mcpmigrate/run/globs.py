"""Glob patterns as gitignore writes them: `*` and `?` stay within one path segment, `**` spans any number."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex matching whole `/`-separated relative paths against `pattern` (no leading slash)."""
    return re.compile(_glob_source(pattern) + r"\Z", re.DOTALL)


def _glob_source(pattern: str) -> str:
    """`glob_regex`'s expression, unanchored at the end (so several can be joined)."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("/**", index) and index + 3 == len(pattern):
            out.append("/.*")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[":
            end = pattern.find("]", index + 2 if pattern[index + 1 : index + 2] in ("!", "]") else index + 1)
            if end == -1:
                out.append(re.escape(char))
                index += 1
                continue
            body = pattern[index + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            index = end + 1
        elif char == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _exclude_glob(pattern: str) -> tuple[bool, str]:
    """ruff's reading of an exclude pattern: whether it is matched against the whole relative path
    (it has a `/`) rather than the name, and the glob to match."""
    pattern = pattern.rstrip("/")
    return ("/" in pattern, pattern.lstrip("/"))


@lru_cache(maxsize=64)
def any_matches(patterns: tuple[str, ...]):
    """`matches` for a whole tuple of patterns at once, as one test of a path (a tree's walk asks it
    of every entry): two regexes, one for the patterns that match names, one for those with a `/`."""
    globs = [_exclude_glob(pattern) for pattern in patterns]
    names = [_glob_source(glob) for on_path, glob in globs if not on_path]
    paths = [_glob_source(glob) for on_path, glob in globs if on_path]
    name_regex = re.compile("(?:" + "|".join(names) + r")\Z", re.DOTALL) if names else None
    path_regex = re.compile("(?:" + "|".join(paths) + r")\Z", re.DOTALL) if paths else None

    def test(relative_path: str) -> bool:
        if name_regex is not None and name_regex.match(relative_path.rsplit("/", 1)[-1]):
            return True
        return path_regex is not None and path_regex.match(relative_path) is not None

    return test


def matches(pattern: str, relative_path: str) -> bool:
    """ruff's exclude semantics for one path: a pattern without `/` matches its file or folder name,
    one with `/` the whole path relative to the project root. (Folders below a matching folder are
    not walked, so they need no pattern of their own.)"""
    on_path, glob = _exclude_glob(pattern)
    return bool(glob_regex(glob).match(relative_path if on_path else relative_path.rsplit("/", 1)[-1]))


def matches_here_or_above(pattern: str, relative_path: str) -> bool:
    """Does `pattern` match the path or any folder above it (up to the project root)?"""
    parts = relative_path.split("/")
    return any(matches(pattern, "/".join(parts[:end])) for end in range(len(parts), 0, -1))
