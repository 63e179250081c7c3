"""Signals that end coach, turned into exceptions so every `finally` block runs.

SIGINT raises KeyboardInterrupt as Python does by default; SIGTERM, SIGHUP and
SIGQUIT raise `Stopped`. Either way the stack unwinds, temporaries are removed
and the terminal is restored, and the CLI exits with 128 + the signal number.
A second signal while that cleanup runs is ignored, so the cleanup finishes.

`held()` marks a step that must not be cut in half (renaming a render's finished
files into place): a signal that arrives inside it takes effect when it ends.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# SIGHUP and SIGQUIT do not exist on Windows.
HANDLED = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)
)


def exit_code(number: int) -> int:
    """The shell's exit status for a process ended by signal `number`."""
    return 128 + number


class _State:
    """What the handler needs to know: whether a held step runs, and what arrived in it."""

    holding = 0
    arrived: int | None = None


class Stopped(BaseException):
    """A signal other than SIGINT asked coach to stop; `code` is the exit status."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number
        self.code = exit_code(number)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn the handled signals into exceptions (the first one only) while inside."""
    stopping = False

    def handler(number: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        if _State.holding:
            _State.arrived = number
            return
        _raise_for(number)

    old = {number: signal.signal(number, handler) for number in HANDLED}
    try:
        yield
    finally:
        for number, previous in old.items():
            signal.signal(number, previous)


def _raise_for(number: int) -> None:
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise Stopped(number)


@contextmanager
def held() -> Iterator[None]:
    """Inside, a handled signal waits: it is raised when the block ends (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _State.holding += 1
    try:
        yield
    finally:
        _State.holding -= 1
        if not _State.holding and _State.arrived is not None:
            number, _State.arrived = _State.arrived, None
            _raise_for(number)
