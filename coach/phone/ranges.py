"""HTTP byte ranges (RFC 9110, section 14): which bytes of a file a request asks for.

Only single ranges are answered with 206: `bytes=a-b`, `bytes=a-` and `bytes=-n`. A
request for several ranges gets the whole file (200), which RFC 9110 allows (a
server may ignore Range); players and podcast apps ask for one range at a time.
A Range that cannot be parsed, or in another unit, is ignored the same way.

    parse_range("bytes=100-199", 1000)  # Span(100, 199)
    parse_range("bytes=-10", 1000)      # Span(990, 999)
    parse_range("bytes=5000-", 1000)    # UNSATISFIABLE: answer 416
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Span:
    """Bytes `first` to `last` of a file, both included."""

    first: int
    last: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.first}-{self.last}/{size}"


class _Unsatisfiable:
    def __repr__(self) -> str:
        return "UNSATISFIABLE"


UNSATISFIABLE: Final = _Unsatisfiable()
_MAX_DIGITS = 19  # more than any file's size; longer numbers are not worth parsing


def parse_range(header: str | None, size: int) -> Span | _Unsatisfiable | None:
    """The span `header` asks for in a file of `size` bytes; None for the whole file
    (no Range, one this server ignores, or several ranges); UNSATISFIABLE for 416."""
    if header is None:
        return None
    unit, equals, specs = header.strip().partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    parts = [part.strip() for part in specs.split(",") if part.strip()]
    if len(parts) != 1:
        return None
    first_text, dash, last_text = parts[0].partition("-")
    first_text, last_text = first_text.strip(), last_text.strip()
    if not dash or not _digits(first_text, empty=True) or not _digits(last_text, empty=True):
        return None
    if not first_text:  # a suffix: the last n bytes
        if not last_text:
            return None
        wanted = int(last_text)
        if wanted == 0 or size == 0:
            return UNSATISFIABLE
        return Span(max(0, size - wanted), size - 1)
    first = int(first_text)
    last = int(last_text) if last_text else None
    if last is not None and last < first:
        return None  # invalid syntax (RFC 9110, 14.1.1): ignored
    if first >= size:
        return UNSATISFIABLE
    return Span(first, size - 1 if last is None else min(last, size - 1))


def _digits(text: str, empty: bool) -> bool:
    if not text:
        return empty
    return len(text) <= _MAX_DIGITS and text.isascii() and text.isdigit()
