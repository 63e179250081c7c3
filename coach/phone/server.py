"""The home-network server behind `coach serve`: the published files, with byte ranges.

Standard library only (http.server, one thread per connection). Every request is
looked up in the Publication's table by its decoded path; anything else is 404.
Files are sent in chunks from an open descriptor, so an MP3 of any length costs
the same memory. GET and HEAD; byte ranges (coach.phone.ranges); ETag and
Last-Modified with If-None-Match, If-Modified-Since and If-Range.

    server = make_server(Path("output"), "0.0.0.0", 8000)
    server.serve_forever()  # until Ctrl-C or SIGTERM (coach.signals)
"""

from __future__ import annotations

import os
import stat
import sys
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socket import AF_INET6
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from coach.phone.published import Publication, Resource
from coach.phone.ranges import UNSATISFIABLE, Span, parse_range
from coach.terminal import printable

CHUNK = 64 * 1024
IDLE_SECONDS = 60  # a connection that sends nothing for this long is closed
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)
_PAGE_POLICY = (
    "default-src 'self'; img-src 'self'; media-src 'self'; script-src 'self'; "
    "style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'"
)


class CoachServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its folder's publication."""

    daemon_threads = True  # a stalled client never keeps coach from exiting
    block_on_close = False

    def __init__(self, address: tuple[str, int], publication: Publication, log: bool) -> None:
        if ":" in address[0]:
            self.address_family = AF_INET6
        self.publication = publication
        self.log = log
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that drops its connection is routine, not worth a traceback."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Gone(Exception):
    """The published file vanished or changed kind between the table and the request."""


class Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the publication's table, and nothing else."""

    server: CoachServer
    protocol_version = "HTTP/1.1"  # keep-alive: players make many range requests
    timeout = IDLE_SECONDS

    def version_string(self) -> str:
        return "coach"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = _request_path(self.path)
        table = self.server.publication.current()
        resource = table.get(path) if path is not None else None
        if resource is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            if resource.path is None:
                self._send_held(resource, body)
            else:
                self._send_file(resource, resource.path, body)
        except _Gone:
            self.send_error(HTTPStatus.NOT_FOUND)
        except OSError:
            # The player moved on (a seek, a closed tab), or the socket timed out.
            self.close_connection = True

    def _send_held(self, resource: Resource, body: bool) -> None:
        data = resource.data
        if self._not_modified(resource.etag, resource.modified):
            return
        self.send_response(HTTPStatus.OK)
        self._common_headers(resource, resource.etag, resource.modified)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _send_file(self, resource: Resource, path: Path, body: bool) -> None:
        stream = _open_inside(path, self.server.publication.root)
        with stream:
            info = os.fstat(stream.fileno())
            size, modified = info.st_size, info.st_mtime
            etag = f'"{size:x}-{info.st_mtime_ns:x}"'
            if self._not_modified(etag, modified):
                return
            span = parse_range(self.headers.get("Range"), size)
            if span is not None and not self._range_still_valid(etag, modified):
                span = None
            if span is UNSATISFIABLE:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            first, length = 0, size
            if isinstance(span, Span):
                first, length = span.first, span.length
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", span.content_range(size))
            else:
                self.send_response(HTTPStatus.OK)
            self._common_headers(resource, etag, modified)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if body:
                self._copy(stream, first, length)

    def _copy(self, stream: IO[bytes], first: int, length: int) -> None:
        stream.seek(first)
        left = length
        while left > 0:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:  # the file shrank while being sent: the length cannot be kept
                self.close_connection = True
                return
            self.wfile.write(chunk)
            left -= len(chunk)

    def _common_headers(self, resource: Resource, etag: str, modified: float) -> None:
        self.send_header("Content-Type", resource.content_type)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.send_header("Cache-Control", "no-cache")  # revalidate: a re-render is new
        self.send_header("X-Content-Type-Options", "nosniff")
        if resource.content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", _PAGE_POLICY)
            self.send_header("Referrer-Policy", "no-referrer")

    def _not_modified(self, etag: str, modified: float) -> bool:
        """Answer 304 (and say so) when the client's copy is current."""
        if not _fresh(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified
        ):
            return False
        self.send_response(HTTPStatus.NOT_MODIFIED)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.end_headers()
        return True

    def _range_still_valid(self, etag: str, modified: float) -> bool:
        """If-Range: the range applies only to the version the client names."""
        condition = self.headers.get("If-Range")
        if condition is None:
            return True
        condition = condition.strip()
        if condition.startswith('"'):
            return condition == etag
        return condition == formatdate(modified, usegmt=True)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log:
            line = f"{self.address_string()} {format % args}"
            sys.stderr.write(printable(line) + "\n")


def make_server(root: Path, host: str, port: int, log: bool = False) -> CoachServer:
    """A server for `root` bound to host:port (port 0: any free one); OSError if it
    cannot bind, with errno EADDRINUSE when the port is taken."""
    return CoachServer((host, port), Publication(root), log)


def _request_path(target: str) -> str | None:
    """The decoded path a request-target names, or None when it names none."""
    if target.startswith("/"):
        path = target.split("?", 1)[0].split("#", 1)[0]
    else:
        parts = urlsplit(target)  # absolute-form: http://host:port/path
        if parts.scheme not in ("http", "https"):
            return None
        path = parts.path or "/"
    try:
        decoded = unquote(path, errors="strict") if "%" in path else path
    except UnicodeDecodeError:
        return None  # percent-escapes that are not UTF-8 name nothing published
    return decoded if decoded.startswith("/") else None


def _open_inside(path: Path, root: Path) -> IO[bytes]:
    """`path` opened for reading: a regular file, not a link, still inside `root`."""
    try:
        inside = Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
        if not inside:
            raise _Gone
        handle = os.open(path, _OPEN_FLAGS)
    except OSError:
        raise _Gone from None  # a link (ELOOP), gone, unreadable: not published now
    stream = os.fdopen(handle, "rb")
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        stream.close()
        raise _Gone
    return stream


def _fresh(none_match: str | None, modified_since: str | None, etag: str, mtime: float) -> bool:
    """RFC 9110 13.1: If-None-Match wins; else If-Modified-Since by whole seconds."""
    if none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in none_match.split(",")]
        return "*" in tags or etag in tags
    if modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(modified_since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    return int(mtime) <= since
