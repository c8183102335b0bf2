"""Which of the mcp 1.x SDK's own examples import under mcp 2.x, before and after mcpmigrate's fixes.

    python scripts/sdk_examples_against_mcp2.py [--version 1.26.0] [--keep DIR] [--with-environment [--extra PKG]]

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
import importlib, importlib.util, json, os, re, sys
name = sys.argv[1]
environment = os.environ.get("EXAMPLES_DEPENDENCIES")
if environment:  # the examples' own dependencies, after site-packages: the installed mcp 2.x comes first
    sys.path.append(environment)
# A package's `__main__` runs its command line when imported: asked for its help, it exits 0 once
# everything it imports has loaded (with no arguments a click command exits 2, which says nothing).
sys.argv = [name, "--help"]


def placeholder_settings(error):
    # With --with-environment: the example's own settings class misses values its user sets (API
    # keys): give each missing field a placeholder under the class's env prefix, once.
    if not environment or type(error).__name__ != "ValidationError":
        return False
    source = open(importlib.util.find_spec(name).origin, encoding="utf-8").read()
    prefix = re.search(r"env_prefix\s*=\s*[\"']([^\"']*)[\"']", source)
    errors = error.errors()
    if prefix is None or not all(e["type"] == "missing" and e["loc"] for e in errors):
        return False
    for e in errors:
        os.environ[(prefix.group(1) + str(e["loc"][0])).upper()] = "placeholder"
    return True


try:
    try:
        importlib.import_module(name)
    except Exception as error:
        if not placeholder_settings(error):
            raise
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


def declared_dependencies(examples: Path) -> list[str]:
    """The third-party packages the examples declare (their `pyproject.toml`, a script's PEP 723
    block), without mcp itself."""
    import tomllib

    found: set[str] = set()
    for pyproject in examples.rglob("pyproject.toml"):
        found.update(tomllib.loads(pyproject.read_text()).get("project", {}).get("dependencies", []))
    for script in examples.rglob("*.py"):
        block = re.search(r"^# /// script\n((?:#.*\n)*?)# ///", script.read_text(encoding="utf-8"), re.MULTILINE)
        if block:  # PEP 723: TOML in comment lines
            toml = "".join(line[2:] if line.startswith("# ") else line[1:] for line in block.group(1).splitlines(True))
            found.update(tomllib.loads(toml).get("dependencies", []))
    return sorted(d for d in found if not re.match(r"mcp\b", re.split(r"[<>=!~\[; ]", d)[0]))


def try_imports(root: Path, dependencies: Path | None = None) -> dict[str, dict | None]:
    results = {}
    for path in sorted(root.rglob("*.py")):
        if path.name == "__init__.py" or "tests" in path.parts:
            continue
        folder, name = module_of(path)
        completed = subprocess.run(
            [sys.executable, "-c", IMPORT, name], cwd=folder, capture_output=True, text=True, timeout=60,
            env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin",
                 **({"EXAMPLES_DEPENDENCIES": str(dependencies)} if dependencies else {})},
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
    parser.add_argument("--with-environment", action="store_true",
                        help="install the examples' own dependencies (after site-packages) and give their settings "
                             "classes placeholder values, as a user running them would set them")
    parser.add_argument("--extra", action="append", default=[], metavar="PACKAGE",
                        help="with --with-environment, also install PACKAGE (one an example imports without declaring it)")
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
    dependencies = None
    if options.with_environment:
        dependencies = work / "dependencies"
        wanted = declared_dependencies(examples) + options.extra
        print(f"installing the examples' own dependencies: {', '.join(wanted)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", str(dependencies), *wanted], check=True)
    before = try_imports(before_root, dependencies)
    after = try_imports(after_root, dependencies)

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
