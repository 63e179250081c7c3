"""Where coach keeps things: the built-in routines, the cache and the data folder.

Imports nothing heavy, so start-up paths (`coach list`) can use it.
"""

from __future__ import annotations

import os
from pathlib import Path

import coach

CACHE_ENV = "COACH_CACHE_DIR"
DATA_ENV = "COACH_DATA_DIR"
ROUTINE_SUFFIXES = (".yaml", ".yml")
# where a wheel puts the top-level routines/ folder (see package-dir in pyproject.toml)
PACKAGED_ROUTINES = "builtin_routines"


def default_cache_dir() -> Path:
    """COACH_CACHE_DIR if set, else the user's cache folder for coach."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("coach"))


def default_data_dir() -> Path:
    """COACH_DATA_DIR if set, else the user's data folder for coach (where the log is)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("coach"))


def routines_dir() -> Path:
    """The folder of the built-in routines that belong to this copy of coach.

    An installed wheel carries them as package data, `coach/builtin_routines/`. A source
    checkout (and an editable install of one) has them in the top-level `routines/`
    folder beside the package, the one copy the wheel is built from. Both are found from
    the package coach actually imported, never through the import system, so a checkout
    never reads the routines of another checkout installed in the same Python.
    """
    package = Path(coach.__file__).resolve().parent
    packaged = package / PACKAGED_ROUTINES
    if packaged.is_dir():
        return packaged
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "routines"
    return packaged


def builtin_routines() -> list[Path]:
    """The built-in routine files, sorted by name."""
    folder = routines_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in ROUTINE_SUFFIXES and p.is_file())
