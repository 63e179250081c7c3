"""The log of sessions done: an SQLite database in the user's data folder.

Every change is one transaction (`BEGIN IMMEDIATE`, so a read-then-write such as
"mark the next session done" cannot interleave with another process's); the
database runs in WAL mode with a busy timeout, so two coach processes at once wait
for each other instead of failing, and a process killed mid-write leaves the last
committed state. The schema has a version (`PRAGMA user_version`) and the
migrations in `coach.program.migrations` bring an older file up to date. Nothing is
deleted: `undo` marks an entry undone. A file that is not a readable coach log is
one `CoachError` (exit 1) naming the file and what to do.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from coach.errors import CoachError
from coach.paths import default_data_dir
from coach.program.migrations import MIGRATIONS, SCHEMA_VERSION

FILE_NAME = "log.sqlite3"
BUSY_SECONDS = 30.0  # how long a writer waits for another one before giving up

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One session in the log."""

    id: int
    when: str  # ISO 8601, UTC
    how: str  # played | marked
    program: str | None  # the program's key (built-in name or file path); None: a routine alone
    program_title: str
    week: int | None
    day: int | None
    routine: str
    title: str
    level: int
    seconds: float | None  # how long it ran (played sessions)
    finished: bool
    chapter: int | None  # the chapter it stopped in (1-based)
    chapters: int | None
    chapter_title: str
    undone_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "when": self.when,
            "how": self.how,
            "program": self.program,
            "program_title": self.program_title,
            "week": self.week,
            "day": self.day,
            "routine": self.routine,
            "title": self.title,
            "level": self.level,
            "seconds": self.seconds,
            "finished": self.finished,
            "chapter": self.chapter,
            "chapters": self.chapters,
            "chapter_title": self.chapter_title,
            "undone_at": self.undone_at,
        }


@dataclass(frozen=True)
class NewEntry:
    """What `Log.add` records; the id and the time are the log's."""

    how: str
    routine: str
    title: str
    level: int = 1
    program: str | None = None
    program_title: str = ""
    week: int | None = None
    day: int | None = None
    seconds: float | None = None
    finished: bool = True
    chapter: int | None = None
    chapters: int | None = None
    chapter_title: str = ""


_COLUMNS = (
    "id, done_at, how, program, program_title, week, day, routine, title, level, seconds, "
    "finished, chapter, chapters, chapter_title, undone_at"
)


def default_log_path() -> Path:
    return default_data_dir() / FILE_NAME


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Log:
    """The session log at `path` (default: the data folder's), opened and upgraded."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_log_path()
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> Log:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        if self._db is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CoachError(
                f"cannot make the folder for the session log {self.path.parent}: "
                f"{error.strerror or error}; set COACH_DATA_DIR to a folder you can write"
            ) from None
        with self._errors():
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            self._db = db
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            self._migrate(db)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- reading and writing ------------------------------------------------------

    def entries(self, program: str | None = None, undone: bool = False) -> list[Entry]:
        """Entries oldest first: every one, or one program's; undone ones only if asked."""
        where, args = [], []
        if program is not None:
            where.append("program = ?")
            args.append(program)
        if not undone:
            where.append("undone_at IS NULL")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._errors():
            rows = (
                self._conn()
                .execute(f"SELECT {_COLUMNS} FROM entries{clause} ORDER BY id", args)
                .fetchall()
            )
        return [_entry(row) for row in rows]

    def add(self, entry: NewEntry) -> Entry:
        """Record `entry` in one transaction."""
        return self.change(lambda log: log.insert(entry))

    def change(self, work: Callable[[Log], T]) -> T:
        """Run `work` (reads and writes through this log) as one write transaction."""
        db = self._conn()
        with self._errors():
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        return result

    def insert(self, entry: NewEntry) -> Entry:
        """Insert inside a `change`."""
        when = now()
        with self._errors():
            cursor = self._conn().execute(
                "INSERT INTO entries (done_at, how, program, program_title, week, day, routine,"
                " title, level, seconds, finished, chapter, chapters, chapter_title)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    when,
                    entry.how,
                    entry.program,
                    entry.program_title,
                    entry.week,
                    entry.day,
                    entry.routine,
                    entry.title,
                    entry.level,
                    entry.seconds,
                    int(entry.finished),
                    entry.chapter,
                    entry.chapters,
                    entry.chapter_title,
                ),
            )
            row = (
                self._conn()
                .execute(f"SELECT {_COLUMNS} FROM entries WHERE id = ?", (cursor.lastrowid,))
                .fetchone()
            )
        return _entry(row)

    def undo(self) -> Entry | None:
        """Mark the latest entry that is not undone as undone (it stays in the file)."""

        def mark(log: Log) -> Entry | None:
            db = log._conn()
            row = db.execute(
                f"SELECT {_COLUMNS} FROM entries WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            stamp = now()
            db.execute("UPDATE entries SET undone_at = ? WHERE id = ?", (stamp, row[0]))
            return _entry((*row[:-1], stamp))

        return self.change(mark)

    # -- the file ---------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.open()
        assert self._db is not None
        return self._db

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise CoachError(
                f"the session log {self.path} was written by a newer coach (schema "
                f"{version}; this one knows up to {SCHEMA_VERSION}): upgrade coach to use it"
            )
        db.execute("BEGIN IMMEDIATE")
        try:
            # read again inside the lock: another process may have just upgraded it
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as one message that names the file and says what to do."""
        try:
            yield
        except sqlite3.OperationalError as error:
            text = str(error)
            if "locked" in text or "busy" in text:
                raise CoachError(
                    f"the session log {self.path} is busy: another coach kept it locked for "
                    f"{BUSY_SECONDS:.0f} s; try again when it has finished"
                ) from None
            if "unable to open" in text or "readonly" in text:
                raise CoachError(
                    f"cannot open the session log {self.path} ({text}); check that the folder "
                    "can be written, or set COACH_DATA_DIR to one that can"
                ) from None
            raise self._damaged(text) from None
        except sqlite3.DatabaseError as error:
            raise self._damaged(str(error)) from None

    def _damaged(self, reason: str) -> CoachError:
        return CoachError(
            f"the session log {self.path} is damaged or not a coach log ({reason}). "
            f"Nothing was changed. Move it aside (mv '{self.path}' '{self.path}.damaged') and "
            "coach starts a new, empty log; the old file may still open with the sqlite3 tool"
        )


def _entry(row: Any) -> Entry:
    return Entry(
        id=row[0],
        when=row[1],
        how=row[2],
        program=row[3],
        program_title=row[4],
        week=row[5],
        day=row[6],
        routine=row[7],
        title=row[8],
        level=row[9],
        seconds=row[10],
        finished=bool(row[11]),
        chapter=row[12],
        chapters=row[13],
        chapter_title=row[14],
        undone_at=row[15],
    )
