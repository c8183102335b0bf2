"""Stopping a run on SIGINT or SIGTERM: nothing more is started, the jobs already running finish
(each file is written wholly or not at all), the workers end, and the run says how many files it wrote.

While `raising_on_stop_signals()` is in force (the CLI puts it around a run), either signal raises
`Interrupted` in the main process; without it Ctrl-C raises `KeyboardInterrupt`, its base, which
the runner handles the same way. `held()` defers both over a few lines that must not be cut in two
(a file written and counted). Workers ignore both (`ignore_in_worker`): the main process decides.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by `signum`, after writing `written` files."""

    def __init__(self, signum: int = signal.SIGINT, written: int = 0) -> None:
        super().__init__(signum, written)
        self.signum, self.written = signum, written

    @property
    def exit_status(self) -> int:
        return 128 + self.signum  # as a shell reports a process the signal ended: 130, 143

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name


class _State:
    holding = 0  # how many `held()` blocks are open
    pending: int | None = None  # a stop signal that came during one


_state = _State()


def _raise(signum: int, frame: object) -> None:
    if _state.holding:
        _state.pending = signum
        return
    raise Interrupted(signum)


@contextmanager
def held() -> Iterator[None]:
    """Defer a stop signal to the end of the block. A flag, not the thread's signal mask: a
    process-wide signal may be delivered to any thread, and Python runs its handler in the main one.
    A worker forked inside the block inherits the flag, so a signal before it ignores them is lost."""
    _state.holding += 1
    try:
        yield
    finally:
        _state.holding -= 1
        if not _state.holding and _state.pending is not None:
            signum, _state.pending = _state.pending, None
            raise Interrupted(signum)


@contextmanager
def raising_on_stop_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` in the main thread for the block's duration (elsewhere
    signal handlers cannot be set, and the block runs as it is)."""
    try:
        previous = {signum: signal.signal(signum, _raise) for signum in STOP_SIGNALS}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state.pending = None


def ignore_in_worker() -> None:
    """A worker process's initializer: a Ctrl-C sent to the whole process group, or a SIGTERM, is the
    main process's to handle; it ends the workers itself once their running jobs are done."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
