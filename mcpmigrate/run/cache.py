"""Findings per file, kept between runs under `.mcpmigrate_cache/` in the project root.

An entry is keyed by what decides a file's findings and nothing else: mcpmigrate's own code (a hash
of its source, so an edited rule never serves stale results, released or not), the rules enabled
for the file, the project facts the rules read (the target SDK) and the hash of the file's bytes.
Content hashes rather than modification times, so a cache restored in CI still hits. The path is
not part of the key: identical files share an entry, and findings get their path back on load.

The cache is JSON, not pickle: a cache folder can come from anywhere (a restored CI cache, an
archive), and reading it must never run code. It is written once per run, atomically.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mcpmigrate.findings import Applicability, Edit, FileProblem, Finding, Fix, Location, RuleInfo, Severity
from mcpmigrate.rule.options import RuleOptions
from mcpmigrate.run.source import replace_atomically

CACHE_DIR = ".mcpmigrate_cache"
CACHE_FILE = "findings.json"
FORMAT = 2  # 2: an edit's imports
# Entries not used by a run are kept, so checking one folder does not forget another, up to this many.
MAX_ENTRIES = 100_000
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mcpmigrate.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

_CODE_HASH: str | None = None


def code_hash() -> str:
    """A hash of mcpmigrate's own source: any change to a rule or the engine makes a new cache."""
    global _CODE_HASH
    if _CODE_HASH is None:
        package = Path(__file__).resolve().parent.parent  # all of mcpmigrate, not only run/
        digest = hashlib.sha256(f"format {FORMAT}".encode())
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        _CODE_HASH = digest.hexdigest()
    return _CODE_HASH


@dataclass(frozen=True, slots=True)
class Cached:
    findings: tuple[Finding, ...]
    problems: tuple[FileProblem, ...]


def _location(location: Location) -> list[int]:
    return [location.row, location.column]


def _finding_data(finding: Finding) -> dict:
    fix = None
    if finding.fix is not None:
        fix = {
            "message": finding.fix.message,
            "applicability": finding.fix.applicability.value,
            "edits": [
                [edit.start, edit.end, edit.content, _location(edit.location), _location(edit.end_location), [list(item) for item in edit.imports]]
                for edit in finding.fix.edits
            ],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": _location(finding.location),
        "end_location": _location(finding.end_location),
        "fix": fix,
        "help": finding.help,
    }


def _finding(data: dict, path: str) -> Finding:
    fix = data["fix"]
    return Finding(
        code=data["code"],
        name=data["name"],
        severity=Severity(data["severity"]),
        message=data["message"],
        path=path,
        location=Location(*data["location"]),
        end_location=Location(*data["end_location"]),
        fix=None
        if fix is None
        else Fix(
            fix["message"],
            Applicability(fix["applicability"]),
            tuple(
                Edit(start, end, content, Location(*at), Location(*until), tuple((module, name) for module, name in imports))
                for start, end, content, at, until, imports in fix["edits"]
            ),
        ),
        help=data["help"],
    )


def _problem_data(problem: FileProblem) -> dict:
    return {"message": problem.message, "location": _location(problem.location) if problem.location else None}


def _problem(data: dict, path: str) -> FileProblem:
    location = data["location"]
    return FileProblem(path, data["message"], Location(*location) if location else None)


class FindingsCache:
    """Load once, look up and add during the run, `save()` at its end. Never raises for I/O."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        self.file = self.folder / CACHE_FILE
        self.entries: dict[str, dict] = {}
        self.rules: dict[str, dict] | None = None
        self.used: set[str] = set()
        self.changed = False
        try:
            document = json.loads(self.file.read_text(encoding="utf-8"))
            if document.get("format") == FORMAT and document.get("code") == code_hash():
                self.entries = document["entries"]
                self.rules = document.get("rules")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache, another version's, or damaged: start afresh

    def catalog(self) -> dict[str, RuleInfo] | None:
        """Every rule's `RuleInfo`, in code order, as the run that wrote the cache knew them (the
        same code: the cache is mcpmigrate's own-source hash's), or None."""
        try:
            return {code: RuleInfo.from_json(code, info) for code, info in (self.rules or {}).items()} or None
        except (KeyError, TypeError, AttributeError, ValueError):
            return None

    @staticmethod
    def key(digest: str, codes: Sequence[str], options: RuleOptions, project: str | None = None) -> str:
        """The entry's key; `project`: the fingerprint of the file's project facts, if `options` lacks them."""
        return hashlib.sha256(f"{digest}|{','.join(codes)}|{options.cache_key(project)}".encode()).hexdigest()

    def get(self, key: str, path: str) -> Cached | None:
        data = self.entries.get(key)
        if data is None:
            return None
        try:
            cached = Cached(
                tuple(_finding(item, path) for item in data["findings"]),
                tuple(_problem(item, path) for item in data["problems"]),
            )
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry is a miss
        self.used.add(key)
        return cached

    def put(self, key: str, findings: Sequence[Finding], problems: Sequence[FileProblem]) -> None:
        if any(problem.internal for problem in problems):
            return  # a rule crashed: run it again next time, so the crash is reported again
        self.entries[key] = {
            "findings": [_finding_data(finding) for finding in findings],
            "problems": [_problem_data(problem) for problem in problems],
        }
        self.used.add(key)
        self.changed = True

    def save(self, catalog: dict[str, RuleInfo]) -> None:
        """Write the entries, and `catalog` (the run's rule metadata) where the cache has none yet."""
        if not self.changed:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            kept = {key: entries[key] for key in self.used if key in entries}
            for key, value in entries.items():
                if len(kept) >= MAX_ENTRIES:
                    break
                kept.setdefault(key, value)
            entries = kept
        if self.catalog() is None:
            self.rules = {code: info.to_json() for code, info in catalog.items()}
        document = {"format": FORMAT, "code": code_hash(), "rules": self.rules, "entries": entries}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, content in ((".gitignore", "# Created by mcpmigrate.\n*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                marker = self.folder / name
                if not marker.exists():
                    marker.write_text(content, encoding="utf-8")
            # A read-only checkout still gets its findings, just no cache: a failure is not reported.
            replace_atomically(self.file, json.dumps(document, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass


def clean(root: Path) -> Path | None:
    """Remove the cache folder under `root`; the folder removed, or None if there was none."""
    folder = root / CACHE_DIR
    if not folder.is_dir():
        return None
    shutil.rmtree(folder)
    return folder
