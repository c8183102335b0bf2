"""The baseline: findings a team accepts for now, so that `check` reports and fails only on new ones.

A finding is known by its rule, its file and the flagged code itself (whitespace folded), never by
its line: lines move when code is added above, and a renamed variable elsewhere in the file changes
nothing. The same flagged code can occur several times in a file; the baseline counts them, and the
first that many in the file are accepted. The file is sorted JSON, paths relative to its own folder.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mcpmigrate.findings import Finding
from mcpmigrate.lines import LineIndex
from mcpmigrate.run.config import ConfigError
from mcpmigrate.run.source import write_text_atomic

FORMAT = 1
MAX_TEXT = 200  # a fingerprint keeps this much of the flagged code (a whole function would not diff well)

Key = tuple[str, str, str]  # (path relative to the baseline's folder, rule code, flagged code)


def flagged_texts(text: str | None, findings: Sequence[Finding]) -> list[str]:
    """The code each of a file's findings flags, whitespace folded to single spaces ("" without the text)."""
    if text is None:
        return ["" for _ in findings]
    lines = LineIndex(text)
    texts = []
    for finding in findings:
        start = lines.offset(finding.location.row, finding.location.column - 1)
        end = lines.offset(finding.end_location.row, finding.end_location.column - 1)
        texts.append(re.sub(r"\s+", " ", text[start:end]).strip()[:MAX_TEXT])
    return texts


@dataclass
class Baseline:
    path: Path  # the baseline file (absolute)
    shown: str = ""  # as the user named it, for messages
    counts: Counter[Key] = field(default_factory=Counter)
    matched: Counter[Key] = field(default_factory=Counter)  # accepted so far in this run
    checked: set[str] = field(default_factory=set)  # paths (as keys) of the files this run checked

    @classmethod
    def load(cls, path: Path, shown: str | None = None) -> Baseline:
        """The baseline in `path`; a missing, unreadable or malformed file is a ConfigError."""
        shown = shown or str(path)
        path = path.absolute()
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"baseline {shown}: no such file (write one with `--write-baseline {shown}`)") from None
        except OSError as error:
            raise ConfigError(f"baseline {shown}: cannot read: {error.strerror or error}") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ConfigError(f"baseline {shown}: not JSON: {error}") from None
        counts: Counter[Key] = Counter()
        try:
            if document.get("format") != FORMAT:
                raise ValueError(f"format {document.get('format')!r}, expected {FORMAT}")
            for entry in document["findings"]:
                key = (str(entry["path"]), str(entry["code"]), str(entry["text"]))
                count = entry["count"]
                if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                    raise ValueError(f"count {count!r} of {key[0]} {key[1]}")
                counts[key] += count
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"baseline {shown}: not an mcpmigrate baseline ({type(error).__name__}: {error})") from None
        return cls(path, shown, counts)

    def key_path(self, display: str, cwd: Path) -> str:
        absolute = os.path.abspath(cwd / display)
        return Path(os.path.relpath(absolute, self.path.parent)).as_posix()

    def split(self, display: str, cwd: Path, text: str | None, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        """The file's findings the baseline does not hold, and those it does (accepted)."""
        path = self.key_path(display, cwd)
        self.checked.add(path)
        new, accepted = [], []
        for finding, flagged in zip(findings, flagged_texts(text, findings)):
            key = (path, finding.code, flagged)
            if self.matched[key] < self.counts[key]:
                self.matched[key] += 1
                accepted.append(finding)
            else:
                new.append(finding)
        return new, accepted

    @property
    def gone(self) -> int:
        """Entries of the files checked that no finding matched any more: fixed."""
        return sum(count - self.matched[key] for key, count in self.counts.items() if key[0] in self.checked)


def write(
    path: Path, files: Iterable[tuple[str, str | None, Sequence[Finding]]], cwd: Path, checked: Iterable[str]
) -> tuple[int, int, int]:
    """Record the findings of `files` (display path, text, findings) in the baseline at `path`. Entries
    of files this run did not check are kept; those of the files it checked are replaced, which
    prunes what was fixed. Returns (findings recorded, entries added, entries pruned)."""
    path = path.absolute()
    old = Baseline.load(path) if path.exists() else Baseline(path.absolute())
    checked_paths = {old.key_path(display, cwd) for display in checked}
    counts: Counter[Key] = Counter({key: count for key, count in old.counts.items() if key[0] not in checked_paths})
    for display, text, findings in files:
        key_path = old.key_path(display, cwd)
        for finding, flagged in zip(findings, flagged_texts(text, findings)):
            counts[(key_path, finding.code, flagged)] += 1
    document = {
        "format": FORMAT,
        "tool": "mcpmigrate",
        "findings": [
            {"path": key[0], "code": key[1], "text": key[2], "count": count} for key, count in sorted(counts.items())
        ],
    }
    problem = write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if problem is not None:
        raise ConfigError(f"baseline {path}: cannot write: {problem}")
    added = sum(max(0, count - old.counts[key]) for key, count in counts.items())
    pruned = sum(max(0, count - counts[key]) for key, count in old.counts.items())
    return sum(counts.values()), added, pruned
