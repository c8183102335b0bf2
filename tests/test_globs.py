"""Exclude globs: the combined test a walk asks of every entry must say what the patterns one by one say."""

from __future__ import annotations

import itertools

import pytest

from mcpmigrate.run.config import DEFAULT_EXCLUDE
from mcpmigrate.run.globs import any_matches, matches

PATTERNS = (
    *DEFAULT_EXCLUDE, "build/", "/generated", "docs/**/conf.py", "tests/fixtures/*.py", "*_pb2.py",
    "legacy?", "[!a]*.pyi", "src/**", "**/migrations", "a\\*b",
)
PATHS = (
    ".git", "src/.venv", "build", "pkg/build", "generated", "pkg/generated", "docs/conf.py", "docs/a/b/conf.py",
    "tests/fixtures/x.py", "tests/fixtures/deep/x.py", "api_pb2.py", "pkg/api_pb2.py", "legacy1", "legacy12",
    "b.pyi", "a.pyi", "src/x.py", "app/migrations", "a*b", "ab", "node_modules", "x/node_modules", "ok.py",
)


@pytest.mark.parametrize("size", [0, 1, 3, len(PATTERNS)])
def test_combined_patterns_match_what_each_pattern_matches(size):
    for patterns in itertools.islice(itertools.combinations(PATTERNS, size), 200):
        test = any_matches(patterns)
        for path in PATHS:
            assert test(path) == any(matches(pattern, path) for pattern in patterns), (patterns, path)
