"""The session log's schema, version by version.

`MIGRATIONS[n]` takes a database at version n - 1 to version n; a new database runs
them all. Never edit a released step: add the next one. Version 1 was the first log
(a program, a week, a day and a time); version 2 logs any session, played or marked,
with how far it got, and undo marks rather than deletes. SQLite cannot drop NOT NULL
from a column, so version 2 copies the rows into a new table.
"""

from __future__ import annotations

SCHEMA_VERSION = 2

V1 = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        program TEXT NOT NULL,
        week INTEGER NOT NULL,
        day INTEGER NOT NULL,
        done_at TEXT NOT NULL,
        how TEXT NOT NULL
    )""",
)

V2 = (
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        done_at TEXT NOT NULL,
        how TEXT NOT NULL,
        program TEXT,
        program_title TEXT NOT NULL DEFAULT '',
        week INTEGER,
        day INTEGER,
        routine TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        level INTEGER NOT NULL DEFAULT 1,
        seconds REAL,
        finished INTEGER NOT NULL DEFAULT 1,
        chapter INTEGER,
        chapters INTEGER,
        chapter_title TEXT NOT NULL DEFAULT '',
        undone_at TEXT
    )""",
    """INSERT INTO entries (id, done_at, how, program, week, day)
        SELECT id, done_at, how, program, week, day FROM sessions ORDER BY id""",
    "DROP TABLE sessions",
    "CREATE INDEX entries_program ON entries (program, id)",
)

MIGRATIONS: dict[int, tuple[str, ...]] = {1: V1, 2: V2}
