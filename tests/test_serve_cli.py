"""`coach serve` as a user runs it: what it prints, how it stops, how it refuses.

Each test starts the real command in a child process (`python -m coach serve`) on a
free port and talks to it over the loopback interface.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from serve_support import render_sessions

REPO = Path(__file__).resolve().parent.parent
QR_BLOCKS = re.compile(r"^[█▀▄ ]{21,}$", re.MULTILINE)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="POSIX signals only"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("serve-cli")
    render_sessions(base / "out", base, "tabata")
    return base / "out"


def _env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "COACH_CACHE_DIR": str(tmp / "cache"),
        "COACH_DATA_DIR": str(tmp / "data"),
    }


class Running:
    """A `coach serve` child process and the lines it printed up to its page's URL."""

    def __init__(self, args: list[str], tmp: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(tmp),
            cwd=tmp,
            text=True,
        )
        self.printed: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.printed.append(line)
            if line.startswith("Ctrl-C stops"):
                break
        found = re.search(r"page: (http://\S+)", "".join(self.printed))
        assert found, "".join(self.printed) + self.process.stderr.read()  # type: ignore[union-attr]
        self.page = found.group(1)
        self.port = urlsplit(self.page).port

    def stop(self, number: int) -> tuple[int, str]:
        """Send signal `number`; the exit status and what it wrote on stderr."""
        self.process.send_signal(number)
        _, err = self.process.communicate(timeout=20)
        return self.process.returncode, err


@pytest.fixture
def serving(folder: Path, tmp_path: Path) -> Iterator[Running]:
    running = Running([str(folder), "--host", "127.0.0.1", "--port", "0"], tmp_path)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.communicate()


def _status(url: str) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=20)
    try:
        connection.request("GET", parts.path or "/")
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("name", "code", "message"), [("SIGTERM", 143, "Stopped."), ("SIGINT", 130, "Interrupted.")]
)
def test_a_signal_stops_the_server_with_its_exit_code_and_one_line(
    serving: Running, name: str, code: int, message: str
) -> None:
    assert _status(serving.page) == 200
    # A client in the middle of a download must not hold the server up.
    slow = socket.create_connection(("127.0.0.1", serving.port or 0), timeout=20)
    slow.sendall(b"GET /tabata.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert slow.recv(100).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    status, err = serving.stop(getattr(signal, name))
    slow.close()
    assert status == code
    assert err.strip().splitlines() == [message]
    assert time.monotonic() - started < 10


def test_it_prints_the_page_and_a_qr_code_and_serves_at_the_printed_address(
    folder: Path, tmp_path: Path
) -> None:
    running = Running([str(folder), "--port", "0"], tmp_path)  # every interface
    try:
        printed = "".join(running.printed)
        host = urlsplit(running.page).hostname or ""
        assert ipaddress.ip_address(host).version == 4 and host != "0.0.0.0"
        assert _status(running.page) == 200  # the printed address answers
        assert "Serving 1 session from" in printed
        assert "coach feed" in printed  # no feed.xml yet: how to make one
        assert len(QR_BLOCKS.findall(printed)) >= 10
    finally:
        running.process.kill()
        running.process.communicate()


def test_with_a_feed_it_prints_the_feeds_url_and_no_qr_with_no_qr(
    folder: Path, tmp_path: Path
) -> None:
    served = _copy_of(folder, tmp_path / "served")
    (served / "feed.xml").write_text("<rss version='2.0'><channel/></rss>\n")
    running = Running([str(served), "--host", "127.0.0.1", "--port", "0", "--no-qr"], tmp_path)
    try:
        printed = "".join(running.printed)
        feed = f"http://127.0.0.1:{running.port}/feed.xml"
        assert f"feed: {feed}\n" in printed
        assert _status(feed) == 200
        assert QR_BLOCKS.search(printed) is None
    finally:
        running.process.kill()
        running.process.communicate()


def test_a_feed_written_for_another_address_is_pointed_out_with_the_fix(
    folder: Path, tmp_path: Path
) -> None:
    served = _copy_of(folder, tmp_path / "served")
    written = subprocess.run(
        [
            sys.executable,
            "-m",
            "coach",
            "feed",
            str(served),
            "--base-url",
            "http://192.0.2.9:8000/",
        ],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert written.returncode == 0, written.stderr
    running = Running([str(served), "--host", "127.0.0.1", "--port", "0", "--no-qr"], tmp_path)
    try:
        printed = "".join(running.printed)
        base = f"http://127.0.0.1:{running.port}"
        assert (
            "feed.xml links its episodes to http://192.0.2.9:8000/, not to this server" in printed
        )
        assert f"coach feed {served} --base-url {base}/\n" in printed
    finally:
        running.process.kill()
        running.process.communicate()


def _copy_of(folder: Path, copy: Path) -> Path:
    """A copy of the rendered files, for a test that adds a feed of its own."""
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    return copy


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "serve", *args],
        capture_output=True,
        text=True,
        env=_env(tmp),
        cwd=tmp,
        timeout=60,
    )


def test_a_port_in_use_is_one_message_naming_it_and_the_fix(folder: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run([str(folder), "--host", "127.0.0.1", "--port", str(port)], tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port}" in lines[0] and "--port" in lines[0]


def test_a_missing_or_empty_folder_is_one_message(tmp_path: Path) -> None:
    missing = _run([str(tmp_path / "nowhere"), "--port", "0"], tmp_path)
    (tmp_path / "empty").mkdir()
    empty = _run([str(tmp_path / "empty"), "--port", "0"], tmp_path)
    for result, words in ((missing, "no such folder"), (empty, "no rendered sessions")):
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], result.stderr
        assert "coach render" in lines[0]
        assert result.stdout == ""
