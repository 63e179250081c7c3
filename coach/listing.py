"""`coach list`, remembered: the rows of the built-in routines, reused while nothing changed.

Listing parses every built-in routine, which costs more than starting coach at all.
The rows are kept in the cache folder with a signature of everything they came from
(coach's version, the size and modification time of every routine file and of the
code that reads and plans them); any difference, or an unreadable file, means the
routines are loaded again. Only a listing without problems is kept. This module
imports nothing heavy, so a remembered listing costs little more than `coach --help`.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import coach
from coach.paths import builtin_routines, default_cache_dir, routines_dir

FILE_NAME = "list.json"

Row = tuple[str, str, str, str]


def _cache_file() -> Path:
    return default_cache_dir() / FILE_NAME


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{path.name}:{info.st_size}:{info.st_mtime_ns}"


def signature() -> list[str]:
    """What the listing depends on: coach's version, the routine files and the code."""
    package = Path(coach.__file__).resolve().parent
    parts = [f"coach {getattr(coach, '__version__', '?')}", str(routines_dir())]
    parts += [_stamp(path) for path in builtin_routines()]
    code = sorted((package / "routine").glob("*.py"))
    code += [package / "commands" / "routines.py", package / "paths.py", Path(__file__)]
    parts += [_stamp(path) for path in code]
    return parts


def remembered_rows() -> list[Row] | None:
    """The rows of the last clean listing, if nothing they came from has changed."""
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        if data.get("signature") != signature():
            return None
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in data["rows"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def remember_rows(rows: list[Row]) -> None:
    """Keep `rows` for the next listing (a cache that cannot be written is skipped)."""
    from coach.files import write_atomically

    target = _cache_file()
    with contextlib.suppress(OSError):
        text = json.dumps({"signature": signature(), "rows": rows})
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text.encode("utf-8"))
