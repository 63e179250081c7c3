"""What `coach serve` publishes: a fixed table from URL path to file, and nothing else.

The table is built from the sessions `find_sessions` finds (each MP3 with its
sidecars), the folder's `feed.xml` and `cover.png`, the page's own files and a
`sessions.json` listing the sessions for the page. A request is answered only
when its decoded path is a key of the table, so no path that was not published,
however it is spelt (`../`, `%2e%2e/`, a backslash, an absolute path), can name a
file. Only regular files are entered, never a link; the server opens each one
without following links and checks it is still inside the folder.

The table is rebuilt when the folder changes (a cheap signature of names, sizes
and times of its entries), so a session rendered while the server runs appears.

    table = Publication(Path("output"))
    table.current().get("/tabata.mp3")  # Resource(path=.../tabata.mp3, type="audio/mpeg")
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from coach.phone.sessions import MAX_DEPTH, Session, find_sessions

SIDECARS = {
    ".lrc": "text/plain; charset=utf-8",
    ".timeline.json": "application/json",
    ".chapters.json": "application/json+chapters",
    ".vtt": "text/vtt; charset=utf-8",
}
EXTRAS = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "cover.png": "image/png",
}
PAGE = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/page.js": ("page.js", "text/javascript; charset=utf-8"),
    "/page.css": ("page.css", "text/css; charset=utf-8"),
}
SESSIONS_URL = "/sessions.json"


@dataclass(frozen=True)
class Resource:
    """One published thing: a file in the folder (`path`) or bytes held in memory."""

    content_type: str
    path: Path | None = None
    data: bytes = b""
    modified: float = 0.0  # for held bytes; a file's own time is read when it is served

    @property
    def etag(self) -> str:
        """The held bytes' entity tag (files get theirs from size and time when served)."""
        return '"' + hashlib.sha256(self.data).hexdigest()[:20] + '"'


@dataclass(frozen=True)
class Table:
    """The published URL paths (decoded, starting with "/") and the sessions behind them."""

    resources: dict[str, Resource]
    sessions: list[Session]

    def get(self, path: str) -> Resource | None:
        return self.resources.get(path)


def url_of(relative: str) -> str:
    """The URL path of a file at `relative` (forward slashes) in the folder."""
    return "/" + quote(relative)


class Publication:
    """The table for one folder, rebuilt when the folder changes; safe across threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._page = _page_resources()
        self._signature: object = None
        self._table = Table({}, [])

    def current(self) -> Table:
        """The table as the folder is now (rebuilt first if anything in it changed)."""
        signature = _signature(self.root, MAX_DEPTH)
        with self._lock:
            if signature != self._signature:
                self._table = self._build()
                self._signature = signature
            return self._table

    def _build(self) -> Table:
        sessions = find_sessions(self.root)
        published: dict[str, Resource] = dict(self._page)
        for session in sessions:
            published["/" + session.mp3] = Resource("audio/mpeg", self.root / session.mp3)
            for suffix, content_type in SIDECARS.items():
                name = session.sidecar(suffix)
                if self._regular(name):
                    published["/" + name] = Resource(content_type, self.root / name)
        for name, content_type in EXTRAS.items():
            if self._regular(name):
                published["/" + name] = Resource(content_type, self.root / name)
        listing = _listing(sessions, published)
        published[SESSIONS_URL] = Resource("application/json", data=listing, modified=time.time())
        return Table(published, sessions)

    def _regular(self, relative: str) -> bool:
        try:
            info = (self.root / relative).lstat()
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode)


def _listing(sessions: list[Session], published: dict[str, Resource]) -> bytes:
    """sessions.json: what the page lists, with the URLs of each session's files."""

    def url(relative: str) -> str | None:
        return url_of(relative) if "/" + relative in published else None

    entries: list[dict[str, Any]] = []
    for number, session in enumerate(sessions):
        chapters = session.timeline.get("chapters")
        entries.append(
            {
                "id": number,
                "title": session.title,
                "album": session.album,
                "track": session.track,
                "tracks": session.tracks,
                "duration": session.duration,
                "modified": session.modified,
                "mp3": url_of(session.mp3),
                "timeline": url(session.sidecar(".timeline.json")),
                "chapters_json": url(session.sidecar(".chapters.json")),
                "vtt": url(session.sidecar(".vtt")),
                "lrc": url(session.sidecar(".lrc")),
                "chapters": [
                    {"title": str(c.get("title", "")), "start": float(c.get("start", 0.0))}
                    for c in (chapters if isinstance(chapters, list) else [])
                    if isinstance(c, dict) and isinstance(c.get("start"), int | float)
                ],
            }
        )
    document = {
        "sessions": entries,
        "feed": url("feed.xml"),
        "cover": url("cover.png"),
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _page_resources() -> dict[str, Resource]:
    folder = resources.files("coach.phone") / "page"
    started = time.time()
    return {
        url: Resource(content_type, data=(folder / name).read_bytes(), modified=started)
        for url, (name, content_type) in PAGE.items()
    }


def _signature(folder: Path, depth: int) -> tuple[tuple[str, int, int, int], ...]:
    """Names, kinds, sizes and times of everything the sessions could be read from
    (hidden entries are skipped, as find_sessions skips them)."""
    found: list[tuple[str, int, int, int]] = []
    try:
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda entry: entry.name)
    except OSError:
        return ()
    for entry in listed:
        if entry.name.startswith("."):
            continue  # a render's temporaries grow for minutes: no rebuild until renamed
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        found.append((entry.path, info.st_mode, info.st_size, info.st_mtime_ns))
        if depth > 0 and stat.S_ISDIR(info.st_mode):
            found.extend(_signature(Path(entry.path), depth - 1))
    return tuple(found)
