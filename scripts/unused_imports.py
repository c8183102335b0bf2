"""How many imports pyflakes finds unused in a tree before and after `mcpmigrate check --fix --unsafe-fixes`.

    python scripts/unused_imports.py [DIR] [--version 1.26.0] [--pyflakes PYTHON] [--keep DIR] [--enforce]

Without DIR, the `examples/` tree of the mcp 1.x SDK's source distribution (needs network, PyPI; the
examples are third-party code: downloaded here, never committed). The tree is copied and the copy
fixed; the count is of pyflakes' "imported but unused" lines. PYTHON is an interpreter with pyflakes
(default: this one). With --enforce the exit code is 1 if the count rose, or if a fixed file no
longer compiles.
"""

from __future__ import annotations

import argparse
import py_compile
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UNUSED = "imported but unused"


def unused_imports(python: str, root: Path) -> list[str]:
    """pyflakes' unused-import lines for the tree, paths relative to it, sorted."""
    completed = subprocess.run([python, "-m", "pyflakes", "."], cwd=root, capture_output=True, text=True)
    if completed.returncode not in (0, 1) or "No module named pyflakes" in completed.stderr:
        raise SystemExit(f"pyflakes did not run with {python}: {completed.stderr.strip()}")
    return sorted(line.removeprefix("./") for line in completed.stdout.splitlines() if UNUSED in line)


def not_compiling(root: Path) -> list[str]:
    failures = []
    for path in sorted(root.rglob("*.py")):
        try:
            py_compile.compile(str(path), cfile=str(path) + "c.unused", doraise=True)
        except py_compile.PyCompileError as error:
            failures.append(f"{path.relative_to(root)}: {error.msg.strip().splitlines()[-1]}")
        finally:
            Path(str(path) + "c.unused").unlink(missing_ok=True)
    return failures


def sdk_examples(version: str, work: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", f"mcp=={version}", "-d", str(work)],
        check=True,
    )
    with tarfile.open(next(work.glob("mcp-*.tar.gz"))) as archive:
        archive.extractall(work, filter="data")
    return next(work.glob("mcp-*/examples"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, help="the tree to measure (default: the SDK's examples)")
    parser.add_argument("--version", default="1.26.0", help="the mcp 1.x release whose examples to measure")
    parser.add_argument("--pyflakes", default=sys.executable, help="a Python interpreter with pyflakes installed")
    parser.add_argument("--keep", type=Path, help="keep the fixed copy here")
    parser.add_argument("--enforce", action="store_true", help="exit 1 if the count rose or a fixed file does not compile")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        source = options.tree if options.tree is not None else sdk_examples(options.version, work / "sdist")
        fixed = options.keep or work / "fixed"
        if fixed.exists():
            shutil.rmtree(fixed)
        shutil.copytree(source, fixed)
        before = unused_imports(options.pyflakes, fixed)
        subprocess.run(
            [sys.executable, "-m", "mcpmigrate", "check", "--fix", "--unsafe-fixes", "--no-cache", "--exit-zero", "--quiet", str(fixed)],
            cwd=REPO, check=True, stdout=subprocess.DEVNULL,
        )
        after = unused_imports(options.pyflakes, fixed)
        broken = not_compiling(fixed)
    print(f"unused imports before: {len(before)}")
    print(f"unused imports after:  {len(after)}")
    for line in sorted(set(after) - set(before)):
        print(f"  new: {line}")
    print(f"fixed files that do not compile: {len(broken)}")
    for line in broken:
        print(f"  {line}")
    return 1 if options.enforce and (len(after) > len(before) or broken) else 0


if __name__ == "__main__":
    sys.exit(main())
