"""Signals that end coach, turned into exceptions so every `finally` block runs.

SIGINT raises KeyboardInterrupt as Python does by default; SIGTERM, SIGHUP and
SIGQUIT raise `Stopped`. Either way the stack unwinds, temporaries are removed
and the terminal is restored, and the CLI exits with 128 + the signal number.
A second signal while that cleanup runs is ignored, so the cleanup finishes.

Once a command starts putting its finished outputs in place (`finishing()`), a signal
no longer stops it: the files are (about to be) complete, and exiting 128+n would say
they are not. The renames take microseconds; the command then exits normally.
"""

from __future__ import annotations

import _thread
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

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
    """Whether coach's handlers are installed, and whether the command is finishing."""

    active = 0
    finishing = False
    deferring = 0  # inside deferred(): a signal waits in `pending` until the block ends
    pending: int | None = None


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
        if stopping or _State.finishing:
            return
        if _State.deferring:
            _State.pending = _State.pending or number
            return
        stopping = True
        if number == signal.SIGINT:
            raise KeyboardInterrupt
        raise Stopped(number)

    previous_hook = sys.unraisablehook

    def unraisable(info: Any) -> None:
        # The handler ran inside a callback that cannot raise (a weakref callback of the
        # import system, a __del__): Python would print the exception and go on. Deliver
        # the signal again instead, where it can unwind the stack. interrupt_main only
        # marks the signal as arrived: its handler runs once this hook has returned, in
        # ordinary code (raise_signal would run it here, inside the hook, which cannot raise).
        nonlocal stopping
        error = info.exc_value
        if isinstance(error, Stopped | KeyboardInterrupt):
            stopping = False
            number = error.number if isinstance(error, Stopped) else signal.SIGINT
            _thread.interrupt_main(signal.Signals(number))
            return
        previous_hook(info)

    old = {number: signal.signal(number, handler) for number in HANDLED}
    sys.unraisablehook = unraisable
    _State.finishing = False
    _State.active += 1
    try:
        yield
    finally:
        _State.active -= 1
        sys.unraisablehook = previous_hook
        if not _State.finishing:
            for number, previous in old.items():
                signal.signal(number, previous)


def finishing() -> None:
    """The outputs are going into place: from now on the handled signals are ignored.

    Ignored for good (SIG_IGN), not just by the handler: while the interpreter shuts
    down it puts the default action back on signals that have a Python handler, and a
    late signal would then kill the process after its work was done."""
    _State.finishing = True
    if _State.active and threading.current_thread() is threading.main_thread():
        for number in HANDLED:
            signal.signal(number, signal.SIG_IGN)


def interruption(error: BaseException) -> BaseException | None:
    """The KeyboardInterrupt or Stopped that `error` wraps, if any.

    A signal raised while Python runs certain hooks comes out wrapped: an exception in
    a descriptor's __set_name__ (as a dataclass is defined during an import) becomes a
    RuntimeError whose cause is the interruption."""
    seen = 0
    found: BaseException | None = error
    while found is not None and seen < 20:
        if isinstance(found, KeyboardInterrupt | Stopped):
            return found
        found = found.__cause__ or found.__context__
        seen += 1
    return None


@contextmanager
def deferred() -> Iterator[None]:
    """Hold the handled signals until the block ends, then deliver the first one.

    For steps that must not be cut in two, such as starting a child process and
    recording it: interrupted between the two, the child would run on unseen."""
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
        number, _State.pending = _State.pending, None
        if number is not None and not _State.deferring:
            signal.raise_signal(number)
        elif number is not None:
            _State.pending = number
