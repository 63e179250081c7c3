"""A whole live session in a child process: chapter lines, signals, the terminal restored."""

from __future__ import annotations

import os
import pty
import shutil
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# A 30 s session of three chapters through the null output, no screen unless on a terminal.
SESSION = """
import sys
from coach.live.player import Player
from coach.live.growing import GrowingTimeline
from coach.live.session import is_interactive, play
from coach.live.sinks import NullSink
from coach.audio.clip import SAMPLE_RATE as R
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice
from coach.timeline import ChapterSpan, TimedCue, Timeline

voice = MemoryVoice(FakeEngine())
length = int(float(sys.argv[1]) * R)
third = length // 3
titles = ["Warm-up", "Squats", "Cool-down"]
timeline = Timeline(
    length=length,
    cues=[TimedCue(i * third + 100, t, "say", i, voice.clip(t)) for i, t in enumerate(titles)],
    chapters=[ChapterSpan(t, i * third, (i + 1) * third if i < 2 else length)
              for i, t in enumerate(titles)],
    title="Test session",
)
player = Player(GrowingTimeline.from_timeline(timeline), preroll=0.05)
sys.exit(play(player, NullSink(R), is_interactive()))
"""


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "session.py"
    path.write_text(SESSION)
    return path


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_without_a_terminal_one_line_per_chapter(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(_script(tmp_path)), "1.5"],
        capture_output=True,
        text=True,
        timeout=30,
        env=_env(),
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "0:00  1/3  Warm-up",
        "0:00  2/3  Squats",
        "0:01  3/3  Cool-down",
        "0:02  done",
    ]


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_at_once_with_its_exit_code(
    tmp_path: Path, number: signal.Signals, code: int
) -> None:
    with subprocess.Popen(
        [sys.executable, str(_script(tmp_path)), "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_env(),
    ) as child:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert "Warm-up" in first
        sent = time.monotonic()
        child.send_signal(number)
        _out, errors = child.communicate(timeout=10)
        assert time.monotonic() - sent < 1.0
        assert child.returncode == code, errors
        assert "Traceback" not in errors


@pytest.mark.parametrize(
    ("number", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGQUIT, 131), (signal.SIGHUP, 129)],
)
def test_on_a_terminal_the_screen_shows_and_the_terminal_is_restored(
    tmp_path: Path, number: signal.Signals, code: int
) -> None:
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    child = subprocess.Popen(
        [sys.executable, str(_script(tmp_path)), "30"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env() | {"COLUMNS": "100", "LINES": "30"},
        start_new_session=True,
    )
    try:
        screen = _read_until(master, b"[q] quit", 10)
        assert b"Warm-up" in screen and b"Test session" in screen
        during = termios.tcgetattr(slave)
        assert not during[3] & termios.ICANON and not during[3] & termios.ECHO
        os.write(master, b" ")  # pause: the screen says so
        assert b"paused" in _read_until(master, b"paused", 5)
        child.send_signal(number)
        assert child.wait(timeout=10) == code
        after = termios.tcgetattr(slave)
        assert after == before
        rest = _read_until(master, b"\x1b[?1049l", 5)
        assert rest.endswith(b"\x1b[?25h\x1b[?1049l"), rest  # cursor shown, screen left
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
        os.close(slave)


def test_a_real_hang_up_ends_quietly_with_129(tmp_path: Path) -> None:
    """The terminal goes away (its master side closed): SIGHUP, nothing to restore on,
    exit 129 and no traceback."""
    errors = tmp_path / "stderr.txt"
    pid, master = pty.fork()
    if pid == 0:  # the child: the session on its own controlling terminal
        os.dup2(os.open(errors, os.O_WRONLY | os.O_CREAT), 2)
        os.execve(sys.executable, [sys.executable, str(_script(tmp_path)), "30"], _env())
    try:
        assert b"[q] quit" in _read_until(master, b"[q] quit", 15)
    finally:
        os.close(master)  # the hang-up
    deadline = time.monotonic() + 10
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the session did not end after the hang-up")
    assert os.waitstatus_to_exitcode(done[1]) == 129
    assert "Traceback" not in errors.read_text()


def test_on_a_terminal_q_quits_cleanly(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    child = subprocess.Popen(
        [sys.executable, str(_script(tmp_path)), "30"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(),
        start_new_session=True,
    )
    try:
        _read_until(master, b"[q] quit", 10)
        os.write(master, b"n")
        assert b"2/3" in _read_until(master, b"2/3", 5)
        os.write(master, b"q")
        assert child.wait(timeout=10) == 0
        assert termios.tcgetattr(slave) == before
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
        os.close(slave)


def _read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    import select

    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_ctrl_z_gives_the_terminal_back_and_fg_takes_it_again(tmp_path: Path) -> None:
    """In an interactive bash (job control): Ctrl-Z leaves the alternate screen and shows
    the cursor before the stop; after `fg` the screen is drawn again and `q` quits at once,
    without Enter (single-key mode is back)."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    script = _script(tmp_path)
    env = _env() | {"PS1": "ready> ", "COLUMNS": "100", "LINES": "30", "TERM": "xterm"}
    pid, master = pty.fork()
    if pid == 0:  # the child: an interactive shell on the pseudo-terminal
        os.execve(bash, [bash, "--norc", "--noprofile", "-i"], env)
    try:
        _read_until(master, b"ready> ", 10)
        os.write(master, f"{sys.executable} {script} 30\n".encode())
        assert b"[q] quit" in _read_until(master, b"[q] quit", 15)
        os.write(master, b"\x1a")  # Ctrl-Z
        stopped = _read_until(master, b"ready> ", 10)
        assert b"Stopped" in stopped, stopped
        assert stopped.index(b"\x1b[?1049l") < stopped.index(b"Stopped"), stopped
        assert b"\x1b[?25h" in stopped.split(b"Stopped")[0], stopped
        os.write(master, b"fg\n")
        again = _read_until(master, b"[q] quit", 10)
        assert b"\x1b[?1049h" in again and b"Test session" in again, again
        os.write(master, b"q")  # no Enter
        assert b"ready> " in _read_until(master, b"ready> ", 5), "q was not read at once"
        os.write(master, b"echo EXIT=$?\n")
        assert b"EXIT=0" in _read_until(master, b"EXIT=0", 5)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(master)
