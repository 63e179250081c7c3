"""Where coach keeps things: the built-in routines and the cache folder.

Imports nothing heavy, so start-up paths (`coach list`) can use it.
"""

from __future__ import annotations

import os
from pathlib import Path

import coach

CACHE_ENV = "COACH_CACHE_DIR"
ROUTINE_SUFFIXES = (".yaml", ".yml")


def default_cache_dir() -> Path:
    """COACH_CACHE_DIR if set, else the user's cache folder for coach."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("coach"))


def routines_dir() -> Path:
    """The repository's top-level routines/ folder, where the built-in routines live."""
    return Path(coach.__file__).resolve().parent.parent / "routines"


def builtin_routines() -> list[Path]:
    """The built-in routine files, sorted by name."""
    folder = routines_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in ROUTINE_SUFFIXES and p.is_file())
