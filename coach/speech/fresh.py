"""Speak each utterance in a process of its own, so nothing said before can change it.

libespeak-ng keeps state from one utterance to the next that no call resets (the
phase of its pitch flutter, a cycle counter): the same text gives other samples
depending on what was spoken before. coach wants the same clip for the same text,
always. So a small server process (this module, run with `python -m`) that has
imported coach's speech code but never started the speech library forks one child
per utterance; each child starts the library, speaks, answers and exits. A fork costs
a few milliseconds and the library starts in about 40.

The server runs in its own session, so Ctrl-C reaches only coach, which stops it (and
the child speaking) before the interruption goes on; it also exits when coach does.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import coach
from coach.errors import CoachError

_SIZE = struct.Struct("<Q")
_lock = threading.Lock()
_server: subprocess.Popen[bytes] | None = None


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value)
    stream.write(_SIZE.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        raise EOFError
    size = _SIZE.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def speak_fresh(voice: str, rate: int, volume: float, text: str) -> tuple[bytes, int]:
    """The samples (int16 bytes) and rate of `text`, spoken by a process that spoke nothing else."""
    global _server
    with _lock:
        if _server is None or _server.poll() is not None:
            _server = _start()
        server = _server
        assert server.stdin is not None and server.stdout is not None
        answered = False
        try:
            _send(server.stdin, (voice, rate, volume, text))
            ok, value = _receive(server.stdout)
            answered = True
        except (EOFError, OSError):
            raise CoachError("the speech process ended without an answer") from None
        finally:
            if not answered:
                _stop(server)
                _server = None
    if not ok:
        raise CoachError(value)
    return value  # type: ignore[no-any-return]


def _start() -> subprocess.Popen[bytes]:
    # The server must run this very copy of coach, wherever it was imported from.
    home = str(Path(coach.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (home, os.environ.get("PYTHONPATH", "")) if p)
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", "coach.speech.fresh"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": path},
        )
    except OSError as error:
        raise CoachError(f"could not start the speech process: {error}") from None
    atexit.register(_stop, server)
    return server


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and the child it may be waiting for (they share a process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    for stream in (server.stdin, server.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _serve() -> None:
    """The server: each request goes to a child forked for it alone, until stdin closes.

    A spare child is always forked ahead and starts the speech library while the
    current one speaks, so the start-up costs no time on a second core."""
    from coach.speech import pyttsx3_session

    pyttsx3_session.load_driver()  # once here; each child only starts it
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the speech library prints must not reach the answers
    spare = _Child()
    while True:
        try:
            request = _receive(requests)
        except EOFError:
            spare.stop()
            return
        current, spare = spare, _Child()
        _send(answers, current.ask(request))


class _Child:
    """A forked process that starts the speech library, then speaks one request."""

    def __init__(self) -> None:
        request_read, self._requests = os.pipe()
        self._answers, answer_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._requests)
            os.close(self._answers)
            _speak_one(os.fdopen(request_read, "rb"), os.fdopen(answer_write, "wb"))
            os._exit(0)
        os.close(request_read)
        os.close(answer_write)

    def ask(self, request: Any) -> Any:
        with os.fdopen(self._requests, "wb") as out, os.fdopen(self._answers, "rb") as back:
            _send(out, request)
            try:
                answer = _receive(back)
            except EOFError:
                answer = (False, "the speech process ended without an answer")
        os.waitpid(self.pid, 0)
        return answer

    def stop(self) -> None:
        os.close(self._requests)  # the child reads EOF and exits
        os.close(self._answers)
        os.waitpid(self.pid, 0)


def _speak_one(requests: IO[bytes], answers: IO[bytes]) -> None:
    from coach.speech import pyttsx3_session

    try:
        failure: CoachError | None = None
        try:
            pyttsx3_session.start_session()  # before the request: the same start every time
        except CoachError as error:
            failure = error
        request = _receive(requests)
        if failure is not None:
            raise failure
        result: tuple[bool, Any] = (True, pyttsx3_session.speak_once(*request))
    except EOFError:
        return  # stopped before a request came
    except CoachError as error:
        result = (False, str(error))
    except Exception as error:  # one message for the parent, never a traceback
        result = (False, f"{type(error).__name__}: {error}")
    with contextlib.suppress(OSError):
        _send(answers, result)


if __name__ == "__main__":
    _serve()
