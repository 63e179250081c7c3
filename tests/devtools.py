"""A headless Chromium driven over the DevTools protocol, with nothing but the stdlib.

`--remote-debugging-pipe` makes Chromium read commands on its fd 3 and write
answers on its fd 4, each a JSON message ended by a NUL byte; no websocket client
is needed. A small trampoline puts the two pipe ends on fds 3 and 4 and then
executes the browser, so no `preexec_fn` runs in this (threaded) process.

    with Chromium(profile) as browser:
        page = browser.open("http://127.0.0.1:8000/")
        page.wait_for("document.readyState === 'complete'")
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root in CI; the sandbox refuses root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
)


def chromium_path() -> str | None:
    """The Chromium (Debian's `chromium` package) on this machine, if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DevToolsError(Exception):
    """The browser answered a command with an error, or went away."""


def _high(fd: int) -> int:
    """`fd` moved above the fds a child's trampoline writes to (3 and 4)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Chromium:
    """A headless Chromium process and its DevTools pipe."""

    def __init__(self, profile: Path, timeout: float = 30.0) -> None:
        binary = chromium_path()
        if binary is None:
            raise FileNotFoundError("chromium")
        self.timeout = timeout
        theirs_in, self._to_browser = os.pipe()
        self._from_browser, theirs_out = os.pipe()
        theirs_in, theirs_out = _high(theirs_in), _high(theirs_out)
        trampoline = (
            f"import os, sys; os.dup2({theirs_in}, 3); os.dup2({theirs_out}, 4); "
            f"os.close({theirs_in}); os.close({theirs_out}); os.execv(sys.argv[1], sys.argv[1:])"
        )
        args = [binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}"]
        self.log = profile.with_name(profile.name + ".log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", trampoline, *args, "about:blank"],
                pass_fds=(theirs_in, theirs_out),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(theirs_in)
        os.close(theirs_out)
        self._buffer = b""
        self._last_id = 0

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def command(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send one command and wait for its answer's `result`."""
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        answer = self._read_until(self._last_id)
        if "error" in answer:
            raise DevToolsError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def _read_until(self, wanted: int) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" in self._buffer:
                line, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(line)
                if message.get("id") == wanted:
                    return dict(message)
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(0.0, left))
            if not ready:
                raise DevToolsError(f"no answer from the browser in {self.timeout} s")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise DevToolsError(f"the browser exited; its log:\n{self._log_tail()}")
            self._buffer += chunk

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-3000:]
        return ""

    def open(self, url: str) -> Page:
        """A new tab at `url`, attached so that scripts can run in it."""
        target = self.command("Target.createTarget", {"url": url})["targetId"]
        attached = self.command("Target.attachToTarget", {"targetId": target, "flatten": True})
        return Page(self, attached["sessionId"])

    def close(self) -> None:
        with contextlib.suppress(DevToolsError, OSError):
            self.command("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)


class Page:
    """One tab: evaluate JavaScript in it and wait for conditions."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` (a promise is awaited), as JSON would carry it."""
        result = self.browser.command(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        """Poll `expression` until it is truthy; its value, or AssertionError."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"still {value!r} after {timeout} s: {expression}")
