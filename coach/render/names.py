"""Safe file names from titles a person wrote.

A name is made of lower-case letters and digits (any script) joined by hyphens:
no path separators, no dots (so never `..` or a hidden file), no control
characters, at most `limit` bytes of UTF-8, never empty and never a name that
Windows reserves (phones often mount as FAT or exFAT).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

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


def render_names(
    title: str, routine: str, level: int, edited: str | None = None
) -> tuple[str, str]:
    """The file name stem and the title of a render, telling its level and edits apart.

    Level 1 keeps the routine's name and title; another level adds it to both
    (`at-home-glutes-level-2`, "Glutes at home (level 2)"). A render of an edited
    `.cues` file (`edited`, its path) is named after that file, and marked "edited",
    so it never replaces the routine's own render."""
    stem = slugify(routine or title, fallback="session")
    notes = []
    if level > 1:
        stem = f"{stem}-level-{level}"
        notes.append(f"level {level}")
    if edited is not None:
        own = slugify(Path(edited).stem, fallback=stem)
        stem = own if own not in (stem, slugify(routine or title)) else f"{stem}-edited"
        notes.append("edited")
    shown = title or routine or "coach session"
    return stem, f"{shown} ({', '.join(notes)})" if notes else shown
