"""Safe file names from titles a person wrote.

A name is made of lower-case letters and digits (any script) joined by hyphens:
no path separators, no dots (so never `..` or a hidden file), no control
characters, at most `limit` bytes of UTF-8, never empty and never a name that
Windows reserves (phones often mount as FAT or exFAT).
"""

from __future__ import annotations

import re
import unicodedata

_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}
_SEPARATORS = re.compile(r"[^\w]+|_+")


def slugify(title: str, fallback: str = "session", limit: int = 60) -> str:
    """`title` as a safe file name stem, or `fallback` when nothing usable is left."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = _SEPARATORS.sub("-", text).strip("-")
    text = _truncate(text, limit).strip("-")
    if not text:
        text = _truncate(_SEPARATORS.sub("-", fallback.casefold()).strip("-"), limit) or "track"
    if text in _RESERVED:
        text += "-"
    return text


def _truncate(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")
