"""Single keys from a terminal in cbreak mode, with the terminal always restored."""

from __future__ import annotations

import contextlib
import os
import select
import termios
import tty
from types import TracebackType
from typing import Any

# What a key press means to the player; arrows arrive as escape sequences.
KEYS = {
    " ": "pause",
    "n": "next",
    "N": "next",
    "\x1b[C": "next",
    "\x1bOC": "next",
    "p": "back",
    "P": "back",
    "\x1b[D": "back",
    "\x1bOD": "back",
    "+": "louder",
    "=": "louder",
    "-": "softer",
    "_": "softer",
    "q": "quit",
    "Q": "quit",
}


def decode(data: str) -> list[str]:
    """The actions in a chunk of typed characters (unknown keys are ignored)."""
    actions = []
    index = 0
    while index < len(data):
        for size in (3, 1):
            action = KEYS.get(data[index : index + size])
            if action is not None:
                actions.append(action)
                index += size
                break
        else:
            index += 3 if data[index] == "\x1b" else 1
    return actions


class Keys:
    """Reads key presses from `fd` without echo or line buffering.

    A context manager: the terminal's settings are restored on exit, whatever
    the reason (an exception, Ctrl-C, SIGTERM turned into an exception).
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None

    def __enter__(self) -> Keys:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd, termios.TCSANOW)
        return self

    def suspend(self) -> None:
        """Give the terminal back as it was (before a stop), keeping what to restore."""
        if self._saved is not None:
            with contextlib.suppress(termios.error):  # the terminal has gone
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def resume(self) -> None:
        """Single keys again (after a continue: the shell may have reset the terminal).

        A hang-up sends SIGCONT too, after the terminal has gone: then nothing is done.
        """
        if self._saved is not None:
            with contextlib.suppress(termios.error):
                tty.setcbreak(self.fd, termios.TCSANOW)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.restore()

    def restore(self) -> None:
        saved, self._saved = self._saved, None
        if saved is not None:
            # A terminal that has gone (a hang-up) has nothing left to restore.
            with contextlib.suppress(termios.error):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)

    def read(self, timeout: float) -> list[str]:
        """The actions typed within `timeout` seconds (possibly none)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return []
        data = os.read(self.fd, 64)
        if not data:  # the terminal went away
            return ["quit"]
        return decode(data.decode("utf-8", "replace"))
