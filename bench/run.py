"""mcpmigrate's benchmark: how close a check comes to the cost of merely parsing, on two trees.

    python bench/run.py [--repeat 3] [--jobs N] [--trees large,dense] [--work DIR]

It makes its own virtual environment (`bench/.work/env`, reused), installs this checkout into it
with the fastest peer scanner, `mcp-migration==0.1.0`, and builds two corpora (copies, so the cache
and nothing else is written beside them):

- large: the standard library of the running interpreter plus that environment's site-packages,
  most of it without any MCP code;
- dense: the `mcp` 1.26.0 and FastMCP 2.14.7 source distributions from PyPI (SDK, tests, examples).

For each tree it prints files, lines, and per step the median wall time, files per second, peak
memory (the largest process's resident set) and the ratio to the parse floor: the steps run in
rounds, each once per round, so a drift in the machine's speed touches them alike, and the ratio is
the median of each round's ratio to that round's floor (each round's is printed too): (1) reading every
file, (2) parsing every file with LibCST in one process (the floor), (3) `mcpmigrate check` with an
empty cache, (4) again with the cache that run left, (5) `check --fix --diff` (writes nothing),
(6) `mcp-migration scan`. Needs network (PyPI) the first time. Third-party code is downloaded here,
never committed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER = "mcp-migration==0.1.0"
DENSE_SDISTS = ("mcp==1.26.0", "fastmcp==2.14.7")

# Runs one command and prints its wall time and the peak RSS of its largest process (kB).
TIMED = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "code": code}))
"""

READ = r"""
import pathlib, sys
total = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    if path.is_file():
        total += len(path.read_bytes())
"""

PARSE = r"""
import pathlib, sys
import libcst
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    if not path.is_file():
        continue
    try:
        libcst.parse_module(path.read_bytes())
    except Exception:
        pass
"""


def sh(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def environment(work: Path) -> Path:
    """The benchmark's own environment, with this checkout and the peer installed."""
    env = work / "env"
    python = env / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(env)
    sh(str(python), "-m", "pip", "install", "-q", str(REPO), PEER)
    return env


def large_tree(work: Path, env: Path) -> Path:
    tree = work / "large"
    if tree.exists():
        return tree
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    purelib = next((env / "lib").glob("python3*/site-packages"))
    shutil.copytree(stdlib, tree / "stdlib", ignore=shutil.ignore_patterns("site-packages", "__pycache__"), symlinks=True)
    # Not named site-packages: mcpmigrate (like ruff) skips such folders by default.
    shutil.copytree(purelib, tree / "packages", ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
    return tree


def dense_tree(work: Path, env: Path) -> Path:
    tree = work / "dense"
    if tree.exists():
        return tree
    downloads = work / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    python = str(env / "bin" / "python")
    sh(python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", str(downloads), *DENSE_SDISTS)
    tree.mkdir()
    for archive in sorted(downloads.glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            tar.extractall(tree, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return tree


def run_once(command: list[str], cwd: Path, before: list[str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak MB of one run (`before` runs untimed ahead of it)."""
    if before:
        subprocess.run(before, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, "-c", TIMED, *command], cwd=cwd, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    return result["wall"], result["rss_kb"] / 1024


def count(tree: Path) -> tuple[int, int]:
    files = [path for path in tree.rglob("*.py") if path.is_file()]
    return len(files), sum(path.read_bytes().count(b"\n") for path in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="passed to mcpmigrate (default: one per core)")
    parser.add_argument("--trees", default="large,dense")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / ".work")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = environment(args.work)
    python, tool, peer = str(env / "bin" / "python"), str(env / "bin" / "mcpmigrate"), str(env / "bin" / "mcp-migration")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    builders = {"large": large_tree, "dense": dense_tree}
    print(f"mcpmigrate benchmark: {args.repeat} runs per step, medians; peak memory of the largest process")
    for name in args.trees.split(","):
        tree = builders[name](args.work, env)
        files, lines = count(tree)
        check = [tool, "check", "--quiet", "--output-format", "concise", "--exit-zero", *jobs, "."]
        clean = [tool, "clean"]
        steps = [
            ("read every file", [python, "-c", READ, "."], None),
            ("LibCST parse, 1 process (floor)", [python, "-c", PARSE, "."], None),
            ("check, empty cache", check, clean),
            ("check, warm cache", check, None),
            ("check --fix --diff", [*check, "--fix", "--diff"], None),
            (PEER.split("=")[0] + " scan", [peer, "scan", "."], None),
        ]
        print(f"\n{name}: {tree} — {files:,} files, {lines:,} lines", flush=True)
        # In rounds, each step once per round: a shared machine's speed drifts over minutes, and
        # this way the drift touches every step alike instead of skewing one step's ratio.
        walls: dict[str, list[float]] = {label: [] for label, _, _ in steps}
        peaks: dict[str, float] = dict.fromkeys(walls, 0.0)
        for _ in range(args.repeat):
            for label, command, before in steps:
                wall, peak = run_once(command, tree, before)
                walls[label].append(wall)
                peaks[label] = max(peaks[label], peak)
        print("| step | wall s | files/s | peak MB | x floor | per round |\n|---|---:|---:|---:|---:|---|")
        floors = walls[steps[1][0]]
        for label, _, _ in steps:
            wall = statistics.median(walls[label])
            # Each round's ratio to that round's floor, then their median: the floor ran minutes from
            # the other rounds' steps, but only seconds from its own round's.
            ratios = [step / floor for step, floor in zip(walls[label], floors)]
            ratio, spread = ("", "") if label == steps[0][0] else (
                f"{statistics.median(ratios):.3f}", " ".join(f"{r:.3f}" for r in ratios))
            print(f"| {label} | {wall:.2f} | {files / wall:,.0f} | {peaks[label]:.0f} | {ratio} | {spread} |", flush=True)
        subprocess.run(clean, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
