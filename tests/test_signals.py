"""Stopping `check --fix` with SIGTERM or Ctrl-C (SIGINT) in the middle of 1,000 files: a real process,
its real workers. No process may be left, each file is wholly old or wholly new, and one line says
how many files were written: exactly as many as the disk holds fixed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import LEGACY, LEGACY_FIXED, PYPROJECT, REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and /proc"),
]

FILES = 1000
OLD = textwrap.dedent(LEGACY).lstrip("\n").encode()
NEW = textwrap.dedent(LEGACY_FIXED).lstrip("\n").encode()
DEADLINE = 120  # seconds: for the run to write its first files, and to end once signalled


def _processes_of(pid: int, folder: Path) -> list[str]:
    """Processes whose parent is `pid`, or that work in `folder` (an orphaned worker's parent is init)."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            status = (entry / "status").read_text()
            working = os.readlink(entry / "cwd")
        except OSError:  # gone meanwhile, or not ours to look at
            continue
        parent = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:"))
        zombie = any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())
        if not zombie and (parent == pid or working == str(folder)):
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            left.append(f"{entry.name}: {command}")
    return left


def _wait_until(condition, deadline: float, what: str) -> None:
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("signum", "status", "jobs"),
    [(signal.SIGTERM, 143, "2"), (signal.SIGINT, 130, "2"), (signal.SIGTERM, 143, "1")],  # -j 1: no workers
)
def test_a_signal_during_fix_ends_the_workers_and_says_how_many_files_were_written(tmp_path, signum, status, jobs):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    paths = [tmp_path / f"m{index:04}.py" for index in range(FILES)]
    for path in paths:
        path.write_bytes(OLD)
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment.pop("CI", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mcpmigrate", "check", "--fix", "--no-cache", "--jobs", jobs, "."],
        cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    try:
        deadline = time.monotonic() + DEADLINE
        _wait_until(lambda: sum(p.read_bytes() == NEW for p in paths[:50]) >= 3 or process.poll() is not None, deadline, "writes")
        assert process.poll() is None, "the run ended before it could be signalled"
        if signum == signal.SIGINT:
            os.killpg(process.pid, signum)  # Ctrl-C reaches the whole foreground group, workers too
        else:
            os.kill(process.pid, signum)  # a service manager's stop: the main process only
        out, err = process.communicate(timeout=DEADLINE)
        _wait_until(lambda: not _processes_of(process.pid, tmp_path), time.monotonic() + 10, "the workers to end")
    finally:  # whatever failed, leave no process behind (a worker keeps the group of the run)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if process.poll() is None:
            process.communicate()

    contents = [path.read_bytes() for path in paths]
    assert all(content in (OLD, NEW) for content in contents)
    written = sum(content == NEW for content in contents)
    assert 3 <= written < FILES
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("m")) == ["pyproject.toml"]  # no temporary file
    assert process.returncode == status
    name = signal.Signals(signum).name
    assert err.decode().splitlines() == [f"Interrupted by {name}: {written} files written, the others unchanged."]
    assert out == b""
