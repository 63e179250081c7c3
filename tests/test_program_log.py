"""The session log is a real database: two processes writing at once lose nothing, a
writer killed mid-write leaves every committed entry, a damaged file is one clear
error (exit 1), and a log from an older version is upgraded in place."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from coach.cli import cli
from coach.program.log import FILE_NAME, Log, NewEntry

WRITER = """
import sys, time
from coach.program.log import Log, NewEntry
name, count, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with Log() as log:
    while time.time() < start:
        time.sleep(0.001)
    for index in range(count):
        log.add(NewEntry(how="played", routine=name, title=f"{name} {index}"))
        time.sleep(0.002)  # a moment between writes, as between two commands
"""

KILLED = """
import sys
from coach.program.log import Log, NewEntry
batch = int(sys.argv[1])
with Log() as log:
    done = 0
    while True:
        def write(log):
            for index in range(batch):
                log.insert(NewEntry(how="played", routine="killed", title=str(done + index)))
        log.change(write)
        done += batch
        print(done, flush=True)
"""


def _env(data: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "COACH_DATA_DIR": str(data)}


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    count = 300
    start = time.time() + 2.0  # both start writing at the same moment
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(count), str(start)],
            env=_env(tmp_path),
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    with Log(tmp_path / FILE_NAME) as log:
        entries = log.entries()
    titles = {e.title for e in entries}
    assert len(entries) == 2 * count
    assert titles == {f"{name} {i}" for name in ("first", "second") for i in range(count)}
    # they really ran at the same time: the two writers' entries interleave
    order = [e.routine for e in entries]
    switches = sum(1 for a, b in itertools.pairwise(order) if a != b)
    assert switches > 1


def test_two_log_done_at_once_mark_different_sessions(tmp_path: Path) -> None:
    # the gym class has 4 sessions: 2 processes x 2 marks take all four, each once
    env = _env(tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _MARK_TWICE],
            env=env,
            cwd=tmp_path,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    with Log(tmp_path / FILE_NAME) as log:
        marked = sorted((e.week, e.day) for e in log.entries("gym-class-month"))
    assert marked == [(1, 1), (2, 1), (3, 1), (4, 1)]


_MARK_TWICE = """
from coach.cli import cli
for _ in range(2):
    try:
        cli(["log", "done", "gym-class-month"], standalone_mode=False)
    except SystemExit:
        pass
"""


def test_a_writer_killed_mid_write_loses_nothing_it_committed(tmp_path: Path) -> None:
    batch = 200
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(batch)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    committed = 0
    for _ in range(5):  # let it commit a few batches, then kill it in the middle of one
        committed = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    path = tmp_path / FILE_NAME
    with Log(path) as log:
        entries = log.entries()
    # every batch it reported is there, and no batch is there in part
    assert len(entries) >= committed
    assert len(entries) % batch == 0
    assert sorted(int(e.title) for e in entries) == list(range(len(entries)))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # and it takes new entries
    with Log(path) as log:
        log.add(NewEntry(how="marked", routine="after", title="after"))
        assert log.entries()[-1].title == "after"


def _damage_message(result_stderr: str, path: Path) -> None:
    assert result_stderr.startswith(f"Error: the session log {path} is damaged")
    assert "Move it aside" in result_stderr
    assert "Traceback" not in result_stderr
    assert len(result_stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [["log"], ["log", "done", "gym-class-month"], ["log", "undo"], ["next", "gym-class-month"]],
)
def test_a_file_of_garbage_is_one_clear_error(
    command: list[str], tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    path = tmp_path / FILE_NAME
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    result = runner.invoke(cli, command)
    assert result.exit_code == 1, result.output
    _damage_message(result.stderr, path)
    assert path.read_bytes() == garbage  # nothing was written over it


def test_a_database_damaged_inside_is_one_clear_error(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    path = tmp_path / FILE_NAME
    with Log(path) as log:
        for index in range(400):
            log.add(NewEntry(how="played", routine="r", title="x" * 200 + str(index)))
    with sqlite3.connect(path) as db:  # fold the WAL in, so the pages are in the file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[2 * page : 6 * page] = os.urandom(4 * page)  # the header is fine, the pages are not
    path.write_bytes(bytes(data))
    result = runner.invoke(cli, ["log"])
    assert result.exit_code == 1, result.output
    _damage_message(result.stderr, path)


def test_a_data_folder_that_is_a_file_is_one_clear_error(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("COACH_DATA_DIR", str(blocker))
    result = runner.invoke(cli, ["log"])
    assert result.exit_code == 1
    assert "COACH_DATA_DIR" in result.stderr and "Traceback" not in result.output


# The first schema, written out here by hand (not taken from the code), as a coach of
# that version left it.
V1_SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program TEXT NOT NULL,
    week INTEGER NOT NULL,
    day INTEGER NOT NULL,
    done_at TEXT NOT NULL,
    how TEXT NOT NULL
);
PRAGMA user_version = 1;
"""


def test_a_log_from_the_first_version_is_upgraded_and_kept(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    path = tmp_path / FILE_NAME
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.executemany(
        "INSERT INTO sessions (program, week, day, done_at, how) VALUES (?, ?, ?, ?, ?)",
        [
            ("gym-class-month", 1, 1, "2026-01-05T18:00:00Z", "marked"),
            ("gym-class-month", 2, 1, "2026-01-12T18:00:00Z", "played"),
        ],
    )
    db.commit()
    db.close()
    upcoming = runner.invoke(cli, ["next", "gym-class-month", "--json"])
    assert upcoming.exit_code == 0, upcoming.output
    data = json.loads(upcoming.stdout)
    assert (data["week"], data["day"], data["done"]) == (3, 1, 2)
    listed = json.loads(runner.invoke(cli, ["log", "--json"]).stdout)
    assert [(e["id"], e["week"], e["when"], e["how"], e["finished"]) for e in listed] == [
        (1, 1, "2026-01-05T18:00:00Z", "marked", True),
        (2, 2, "2026-01-12T18:00:00Z", "played", True),
    ]
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (2,)
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master")}
    assert "sessions" not in tables and "entries" in tables
    # new entries follow the old ones
    assert runner.invoke(cli, ["log", "done", "gym-class-month"]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["log", "--json"]).stdout)[-1]["id"] == 3


def test_a_log_from_a_newer_coach_is_refused_untouched(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    path = tmp_path / FILE_NAME
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute("PRAGMA user_version = 99")
    result = runner.invoke(cli, ["log"])
    assert result.exit_code == 1
    assert "newer coach" in result.stderr and str(path) in result.stderr
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (99,)
