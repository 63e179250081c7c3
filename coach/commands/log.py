"""`coach log`: the history of sessions; `log done` marks one done, `log undo` takes one back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from coach.terminal import printable

if TYPE_CHECKING:
    from coach.pipeline import Loaded
    from coach.program.log import Entry


@click.group("log", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print every entry as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print every entry as CSV.")
@click.option("--all", "show_all", is_flag=True, help="Include entries taken back with undo.")
@click.option("--path", "show_path", is_flag=True, help="Print where the log is, and nothing else.")
@click.pass_context
def log_group(
    ctx: click.Context, as_json: bool, as_csv: bool, show_all: bool, show_path: bool
) -> None:
    """The sessions done: when, what, level, how long, finished or where it stopped.

    `coach play` adds an entry when a session ends or is stopped. The log is an
    SQLite file in your data folder (COACH_DATA_DIR overrides it); nothing in it is
    ever deleted.
    """
    if ctx.invoked_subcommand is not None:
        return
    from coach.program.log import Log, default_log_path

    if show_path:
        click.echo(printable(str(default_log_path())))
        return
    with Log() as log:
        entries = log.entries(undone=show_all or as_json or as_csv)
    if as_json:
        import json

        click.echo(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False))
    elif as_csv:
        _write_csv(entries)
    elif not entries:
        click.echo("No sessions in the log yet: `coach play` adds one when a session ends.")
    else:
        _print_table(entries)


def _write_csv(entries: list[Entry]) -> None:
    import csv
    import io

    from coach.program.log import Entry

    out = io.StringIO()
    fields = list(Entry.__dataclass_fields__)
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = entry.to_dict()
        row["finished"] = int(entry.finished)
        writer.writerow(row)
    click.echo(out.getvalue(), nl=False)


def _print_table(entries: list[Entry]) -> None:
    rows = [("WHEN", "WHAT", "LEVEL", "REACHED", "RESULT")]
    for entry in entries:
        rows.append(
            (
                local_time(entry.when),
                what(entry),
                str(entry.level),
                _length(entry.seconds),
                result(entry) + (" (undone)" if entry.undone_at else ""),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo(printable("  ".join([*cells, row[4]])))


def local_time(stamp: str) -> str:
    """An entry's UTC time as the local date and time, to the minute."""
    from datetime import datetime

    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def what(entry: Entry) -> str:
    if entry.program is not None and entry.week is not None:
        name = entry.program_title or entry.program
        return f"W{entry.week}D{entry.day} {name}"
    return entry.title or entry.routine


def result(entry: Entry) -> str:
    if entry.how == "marked":
        return "marked done"
    if entry.finished:
        return "finished"
    where = "stopped"
    if entry.chapter is not None and entry.chapters:
        where += f" in chapter {entry.chapter}/{entry.chapters}"
        if entry.chapter_title:
            where += f" ({entry.chapter_title})"
    return where


def _length(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


@log_group.command("done")
@click.argument("program", metavar="PROGRAM")
def done_command(program: str) -> None:
    """Mark the next session of PROGRAM as done (you did it from the MP3)."""
    from coach.errors import CoachError
    from coach.program.log import Log, NewEntry
    from coach.program.reader import load_program
    from coach.program.schedule import build_schedule
    from coach.program.upcoming import next_session

    loaded = load_program(program)
    sessions = build_schedule(loaded)

    def mark(log: Log) -> tuple[Entry, str]:
        # read and write in one transaction: two `log done` at once mark two sessions
        upcoming = next_session(sessions, log.entries(loaded.key))
        session = upcoming.session
        if session is None:
            raise CoachError(
                f"every session of {loaded.title!r} is already done ({len(sessions)}); "
                "nothing to mark"
            )
        entry = log.insert(
            NewEntry(
                how="marked",
                routine=session.routine.name,
                title=session.routine.title,
                level=session.level,
                program=loaded.key,
                program_title=loaded.title,
                week=session.week,
                day=session.day,
            )
        )
        following = sessions[session.index + 1] if session.index + 1 < len(sessions) else None
        after = f"next: {following.label}" if following else "that was the last session"
        return entry, after

    with Log() as log:
        entry, after = log.change(mark)
    click.echo(printable(f"Marked W{entry.week}D{entry.day} of {loaded.title} done; {after}."))


@log_group.command("undo")
def undo_command() -> None:
    """Take back the latest entry (it stays in the file, marked undone)."""
    from coach.program.log import Log

    with Log() as log:
        entry = log.undo()
    if entry is None:
        click.echo("Nothing to undo: the log has no entries.")
        return
    click.echo(
        printable(
            f"Undone: {local_time(entry.when)} {what(entry)}, {result(entry)}. "
            "It stays in the file (coach log --all shows it)."
        )
    )


def record_session(
    loaded: Loaded,
    finished: bool,
    seconds: float,
    chapter: int | None,
    chapters: int | None,
    chapter_title: str,
) -> None:
    """Log a played session; a log that cannot be written is a warning, not a failure."""
    from coach.errors import CoachError
    from coach.program.log import Log, NewEntry

    script, program, session = loaded.script, loaded.program, loaded.session
    entry = NewEntry(
        how="played",
        routine=script.routine,
        title=script.title,
        level=script.level,
        program=program.key if program else None,
        program_title=program.title if program else "",
        week=session.week if session else None,
        day=session.day if session else None,
        seconds=round(seconds, 1),
        finished=finished,
        chapter=chapter,
        chapters=chapters,
        chapter_title=chapter_title,
    )
    try:
        with Log() as log:
            log.add(entry)
    except CoachError as error:
        click.echo(printable(f"warning: the session was not logged: {error}"), err=True)
