"""Which of the mcp 1.x SDK's own examples import under mcp 2.x, before and after mcpmigrate's fixes.

    python scripts/sdk_examples_against_mcp2.py [--version 1.26.0] [--keep DIR]

Needs network (PyPI) for the sdist, and mcp 2.x installed in the running interpreter (the `test`
extra pins 2.3.0). The examples are third-party code: they are downloaded here, never committed.
Each module is imported in its own subprocess (top-level code runs; `__main__` blocks do not);
a failure on a package other than `mcp` (uvicorn, click, ...), or on the example's own settings class
(its API keys, read from the environment), is counted apart, as the environment's.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

IMPORT = r"""
import importlib, json, sys
name = sys.argv[1]
# A package's `__main__` runs its command line when imported: asked for its help, it exits 0 once
# everything it imports has loaded (with no arguments a click command exits 2, which says nothing).
sys.argv = [name, "--help"]
try:
    importlib.import_module(name)
    print(json.dumps(None))
except SystemExit as done:
    print(json.dumps(None if done.code in (0, None) else {"type": "SystemExit", "message": str(done.code), "missing": None}))
except BaseException as error:
    missing = getattr(error, "name", None) if isinstance(error, ModuleNotFoundError) else None
    print(json.dumps({"type": type(error).__name__, "message": str(error).splitlines()[0][:200] if str(error) else "",
                      "missing": missing}))
"""


def module_of(path: Path) -> tuple[Path, str]:
    """The folder to put on sys.path and the dotted module name for a file."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def try_imports(root: Path) -> dict[str, dict | None]:
    results = {}
    for path in sorted(root.rglob("*.py")):
        if path.name == "__init__.py" or "tests" in path.parts:
            continue
        folder, name = module_of(path)
        completed = subprocess.run(
            [sys.executable, "-c", IMPORT, name], cwd=folder, capture_output=True, text=True, timeout=60,
            env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        )
        lines = completed.stdout.strip().splitlines()
        outcome = json.loads(lines[-1]) if lines else {"type": "Crash", "message": completed.stderr[-200:], "missing": None}
        if outcome and outcome["type"] == "ValidationError":
            # `5 validation errors for SurgeSettings`: the example's own settings class, read from the
            # environment it expects (its API keys), is the environment's matter, not mcp's
            model = re.search(r"validation errors? for (\w+)", outcome["message"])
            if model and re.search(rf"^class {model.group(1)}\b", path.read_text(), re.MULTILINE):
                outcome["missing"] = f"settings: {model.group(1)}"
        results[str(path.relative_to(root))] = outcome
    return results


def environment_problem(outcome: dict | None) -> bool:
    """A package other than mcp is missing, or the example's own settings are (its environment)."""
    missing = outcome and outcome.get("missing")
    return bool(missing) and not str(missing).startswith("mcp")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="1.26.0")
    parser.add_argument("--keep", type=Path, help="keep the work folder here")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mcp-examples-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", f"mcp=={options.version}", "-d", str(work)],
        check=True,
    )
    with tarfile.open(next(work.glob("mcp-*.tar.gz"))) as archive:
        archive.extractall(work, filter="data")
    examples = next(work.glob("mcp-*/examples"))
    before_root = work / "before"
    after_root = work / "after"
    shutil.copytree(examples, before_root)
    shutil.copytree(examples, after_root)
    (work / "mcpmigrate.toml").write_text('target-sdk = "2"\n')
    fix = subprocess.run(
        [sys.executable, "-m", "mcpmigrate", "check", "--fix", "--unsafe-fixes", "--config", str(work / "mcpmigrate.toml"),
         "--output-format", "concise", "--statistics", str(after_root)],
        capture_output=True, text=True,
    )
    before = try_imports(before_root)
    after = try_imports(after_root)

    def summary(results: dict[str, dict | None]) -> tuple[int, int, int]:
        clean = sum(1 for outcome in results.values() if outcome is None)
        environment = sum(1 for outcome in results.values() if environment_problem(outcome))
        return clean, environment, len(results) - clean - environment

    print(f"mcp {options.version} examples, imported under the installed mcp 2.x ({len(before)} modules)")
    print(f"{'':24}{'import cleanly':>16}{'need other packages or settings':>33}{'fail on mcp':>14}")
    for label, results in (("as shipped", before), ("after mcpmigrate --fix", after)):
        clean, environment, failing = summary(results)
        print(f"{label:24}{clean:>16}{environment:>33}{failing:>14}")
    print("\nfindings left after the fix, per rule:")
    print(fix.stdout or "  (none)")
    now_clean = sorted(path for path, outcome in after.items() if outcome is None and before[path] is not None)
    print(f"now import cleanly ({len(now_clean)}):")
    for path in now_clean:
        print(f"  {path}")
    reasons = Counter(
        f"{outcome['type']}: {outcome['message']}" for outcome in after.values() if outcome and not environment_problem(outcome)
    )
    print("\nstill failing on mcp, by reason:")
    for reason, count in reasons.most_common():
        print(f"  {count:3} {reason}")
    print("\nevery module left after the fix, and why:")
    for path, outcome in sorted(after.items()):
        if outcome is not None:
            kind = "needs its environment" if environment_problem(outcome) else "fails on mcp"
            print(f"  {path}: {kind}: {outcome['type']}: {outcome['message']}")
    if options.keep:
        shutil.copytree(work, options.keep, dirs_exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
