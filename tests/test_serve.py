"""`coach serve` over HTTP: exactly the published files, with byte ranges, and no others.

The server runs in this process on a free loopback port; requests go through
http.client or a raw socket (so that paths reach it exactly as written). Every body
is compared with the file on the disk.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from serve_support import render_sessions, timeline

from coach.phone.server import CoachServer, make_server

pytestmark = pytest.mark.slow

SECRET = b"TOP-SECRET: a file beside the served folder, never to be served\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two rendered sessions, a stand-in feed, small known sidecars, and hostile links."""
    base = tmp_path_factory.mktemp("serve")
    out = base / "out"
    render_sessions(out, base)
    (base / "secret.txt").write_bytes(SECRET)
    (out / "feed.xml").write_text("<rss version='2.0'><channel/></rss>\n", encoding="utf-8")
    (out / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (out / "tabata.chapters.json").write_text('{"version": "1.2.0", "chapters": []}\n')
    (out / "tabata.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nGo\n", encoding="utf-8")
    # A session whose MP3 is a link out of the folder: find_sessions sees its timeline.
    shutil.copy(out / "tabata.timeline.json", out / "leak.timeline.json")
    (out / "leak.mp3").symlink_to(base / "secret.txt")
    # a sidecar that is a link out of the folder, in place of the one the render wrote
    (out / "cool-down-stretch.vtt").unlink(missing_ok=True)
    (out / "cool-down-stretch.vtt").symlink_to(base / "secret.txt")
    outside = base / "outside"
    outside.mkdir()
    for name in ("tabata.mp3", "tabata.timeline.json"):
        shutil.copy(out / name, outside / name)
    (out / "linked").symlink_to(outside, target_is_directory=True)
    (out / "notes").mkdir()  # a plain subfolder: never listed
    (out / "notes" / "plan.txt").write_text("not published\n")
    return out


def _serve(root: Path) -> Iterator[tuple[CoachServer, int]]:
    server = make_server(root, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def port(folder: Path) -> Iterator[int]:
    for _server, number in _serve(folder):
        yield number


def _get(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def _raw(port: int, request: bytes) -> bytes:
    """Everything the server sends back for `request`, sent byte for byte."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        received = b""
        while chunk := conn.recv(1 << 16):
            received += chunk
    return received


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-0", 0, 0),
        ("bytes=0-99", 0, 99),
        ("bytes=1000-66535", 1000, 66535),
        ("bytes=-500", -500, -1),
        ("bytes=4096-", 4096, -1),
        ("bytes=100-999999999999", 100, -1),
        ("bytes=-999999999999", 0, -1),
        ("Bytes = 7-8", 7, 8),
    ],
)
def test_a_range_request_gets_206_and_exactly_those_bytes_of_the_file(
    folder: Path, port: int, header: str, first: int, last: int
) -> None:
    data = (folder / "tabata.mp3").read_bytes()
    size = len(data)
    start, end = first % size, last % size  # negatives count from the end
    status, headers, body = _get(port, "/tabata.mp3", {"Range": header})
    assert status == 206
    assert body == data[start : end + 1]
    assert headers["content-range"] == f"bytes {start}-{end}/{size}"
    assert headers["content-length"] == str(end - start + 1)
    assert headers["content-type"] == "audio/mpeg"
    assert headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=SIZE-", "bytes=-0", "bytes=SIZE-99999999999"])
def test_an_unsatisfiable_range_gets_416_with_the_files_size(
    folder: Path, port: int, header: str
) -> None:
    size = (folder / "tabata.mp3").stat().st_size
    status, headers, body = _get(port, "/tabata.mp3", {"Range": header.replace("SIZE", str(size))})
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"
    assert body == b""


@pytest.mark.parametrize(
    "header", ["bytes=0-9,20-29", "bytes=9-3", "bytes=a-b", "items=0-9", "bytes=1-2-3"]
)
def test_several_ranges_or_a_malformed_range_get_the_whole_file(
    folder: Path, port: int, header: str
) -> None:
    status, headers, body = _get(port, "/tabata.mp3", {"Range": header})
    assert status == 200
    assert body == (folder / "tabata.mp3").read_bytes()
    assert "content-range" not in headers


def test_head_gives_the_length_and_type_and_no_body(folder: Path, port: int) -> None:
    size = (folder / "tabata.mp3").stat().st_size
    answer = _raw(port, b"HEAD /tabata.mp3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, rest = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    fields = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert fields["content-length"] == str(size)
    assert fields["content-type"] == "audio/mpeg"
    assert fields["accept-ranges"] == "bytes"
    assert rest == b""


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/page.js", "text/javascript; charset=utf-8"),
        ("/page.css", "text/css; charset=utf-8"),
        ("/sessions.json", "application/json"),
        ("/tabata.mp3", "audio/mpeg"),
        ("/tabata.timeline.json", "application/json"),
        ("/tabata.lrc", "text/plain; charset=utf-8"),
        ("/tabata.chapters.json", "application/json+chapters"),
        ("/tabata.vtt", "text/vtt; charset=utf-8"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/cover.png", "image/png"),
    ],
)
def test_each_published_file_has_its_content_type_and_its_bytes(
    folder: Path, port: int, path: str, content_type: str
) -> None:
    status, headers, body = _get(port, path)
    assert status == 200
    assert headers["content-type"] == content_type
    assert headers["content-length"] == str(len(body))
    assert headers["etag"] and headers["last-modified"]
    if path.count(".") and not path.startswith(("/page", "/sessions")):
        assert body == (folder / path[1:]).read_bytes()


def test_a_client_with_the_current_version_gets_304_and_a_stale_if_range_the_whole_file(
    folder: Path, port: int
) -> None:
    _, headers, _ = _get(port, "/tabata.mp3", {"Range": "bytes=0-9"})
    status, _, body = _get(port, "/tabata.mp3", {"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    status, _, body = _get(port, "/tabata.mp3", {"If-Modified-Since": headers["last-modified"]})
    assert (status, body) == (304, b"")
    status, _, body = _get(port, "/tabata.mp3", {"Range": "bytes=0-9", "If-Range": headers["etag"]})
    assert (status, len(body)) == (206, 10)
    status, _, body = _get(port, "/tabata.mp3", {"Range": "bytes=0-9", "If-Range": '"old"'})
    assert (status, body) == (200, (folder / "tabata.mp3").read_bytes())


def test_sessions_json_lists_the_rendered_sessions_newest_first_with_urls_that_serve_them(
    folder: Path, port: int
) -> None:
    status, _, body = _get(port, "/sessions.json")
    listing = json.loads(body)
    titles = [entry["title"] for entry in listing["sessions"]]
    expected = [timeline(folder, name)["title"] for name in ("cool-down-stretch", "tabata")]
    assert status == 200 and titles == expected  # not "leak": its MP3 is a link out
    for entry in listing["sessions"]:
        stem = entry["mp3"][1:-4]
        assert _get(port, entry["mp3"])[2] == (folder / f"{stem}.mp3").read_bytes()
        assert json.loads(_get(port, entry["timeline"])[2]) == timeline(folder, stem)
        chapters = timeline(folder, stem)["chapters"]
        assert [c["title"] for c in entry["chapters"]] == [c["title"] for c in chapters]
    assert listing["feed"] == "/feed.xml"
    assert listing["sessions"][0]["vtt"] is None  # cool-down-stretch.vtt is a link out


TRAVERSALS = [
    b"/../secret.txt",
    b"/../../../../../../etc/passwd",
    b"/%2e%2e/secret.txt",
    b"/%2e%2e%2fsecret.txt",
    b"/..%2fsecret.txt",
    b"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    b"/%252e%252e/secret.txt",
    b"/%252e%252e%252fsecret.txt",
    b"/..%5csecret.txt",
    b"/..\\secret.txt",
    b"/.%2e/secret.txt",
    b"/etc/passwd",
    b"//etc/passwd",
    b"/tabata.mp3%00",
    b"/tabata.mp3\x00",
    b"/%00../secret.txt",
    b"/%c0%ae%c0%ae/secret.txt",
    b"/leak.mp3",
    b"/cool-down-stretch.vtt",
    b"/linked/tabata.mp3",
    b"/linked/",
    b"/notes/",
    b"/notes",
    b"/notes/plan.txt",
    b"/./tabata.mp3",
    b"/notes/../tabata.mp3",
    b"http://127.0.0.1/../secret.txt",
    b"file:///etc/passwd",
    b"*",
    b"secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[repr(t)[2:-1] for t in TRAVERSALS])
def test_no_spelling_of_a_path_reaches_a_file_that_is_not_published(
    folder: Path, port: int, target: bytes
) -> None:
    answer = _raw(port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status = answer.split(b" ", 2)[1]
    assert status in (b"400", b"404"), answer[:200]
    assert SECRET not in answer
    assert b"root:" not in answer
    assert b"ID3" not in answer  # not an MP3 either, under another name


def test_an_absolute_path_to_a_file_outside_is_refused(folder: Path, port: int) -> None:
    outside = str(folder.parent / "secret.txt").encode()
    answer = _raw(port, b"GET " + outside + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.split(b" ", 2)[1] == b"404"
    assert SECRET not in answer


def test_the_root_is_the_page_not_a_listing_of_the_folder(port: int) -> None:
    status, _, body = _get(port, "/")
    assert status == 200
    assert b'id="sessions"' in body
    assert b"tabata.mp3" not in body and b"notes" not in body


def test_a_session_rendered_while_the_server_runs_is_published(
    folder: Path, tmp_path: Path
) -> None:
    root = tmp_path / "out"
    root.mkdir()
    for name in ("tabata.mp3", "tabata.timeline.json", "tabata.lrc"):
        shutil.copy2(folder / name, root / name)
    for _server, number in _serve(root):
        before = json.loads(_get(number, "/sessions.json")[2])["sessions"]
        assert _get(number, "/seven-minute.mp3")[0] == 404
        render_sessions(root, tmp_path, "seven-minute")
        os.utime(root / "seven-minute.mp3")  # the newest
        after = json.loads(_get(number, "/sessions.json")[2])["sessions"]
        assert [s["mp3"] for s in before] == ["/tabata.mp3"]
        assert [s["mp3"] for s in after] == ["/seven-minute.mp3", "/tabata.mp3"]
        status, _, body = _get(number, "/seven-minute.mp3")
        assert (status, body) == (200, (root / "seven-minute.mp3").read_bytes())
        (root / "seven-minute.mp3").unlink()
        assert _get(number, "/seven-minute.mp3")[0] == 404


CLIENTS, REQUESTS = 50, 20


def test_many_concurrent_clients_all_get_the_right_bytes(folder: Path, port: int) -> None:
    files = {
        name: (folder / name).read_bytes()
        for name in ("tabata.mp3", "cool-down-stretch.mp3", "tabata.timeline.json", "tabata.lrc")
    }

    def client(seed: int) -> int:
        chooser = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # kept alive
        checked = 0
        try:
            for _ in range(REQUESTS):
                name = chooser.choice(list(files))
                data = files[name]
                headers = {}
                if name.endswith(".mp3") and chooser.random() < 0.9:
                    first = chooser.randrange(len(data))
                    last = min(len(data) - 1, first + chooser.randrange(1, 256 * 1024))
                    headers["Range"] = f"bytes={first}-{last}"
                    expected, status = data[first : last + 1], 206
                else:
                    expected, status = data, 200
                connection.request("GET", "/" + name, headers=headers)
                response = connection.getresponse()
                body = response.read()
                assert (response.status, body == expected) == (status, True), name
                checked += 1
        finally:
            connection.close()
        return checked

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        done = sum(pool.map(client, range(CLIENTS)))
    elapsed = time.monotonic() - started
    assert done == CLIENTS * REQUESTS
    assert elapsed < 50, f"{CLIENTS} clients x {REQUESTS} requests took {elapsed:.1f} s"
    print(f"{CLIENTS} clients x {REQUESTS} requests: {elapsed:.2f} s")
