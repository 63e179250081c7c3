"""`coach program list` and `coach program show`: programs, week by week."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from coach.terminal import printable

if TYPE_CHECKING:
    from coach.program.model import Program
    from coach.program.schedule import Session


@click.group("program")
def program_group() -> None:
    """Programs: weeks of sessions that get harder (docs/programs.md)."""


@program_group.command("list")
def list_command() -> None:
    """List the built-in programs: weeks, sessions and the routines they use."""
    from coach.program.reader import builtin_programs, load_program

    rows = [("NAME", "TITLE", "WEEKS", "SESSIONS")]
    for name in builtin_programs():
        program = load_program(name)
        rows.append((name, program.title, str(len(program.weeks)), str(program.session_count)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo(printable("  ".join([*cells, row[3]])))


@program_group.command("show")
@click.argument("program", metavar="PROGRAM")
@click.option("--json", "as_json", is_flag=True, help="Print the schedule as JSON.")
def show_command(program: str, as_json: bool) -> None:
    """Print the schedule of PROGRAM (a .program.yaml file or a built-in name).

    Week by week and session by session: each exercise's sets and reps or work,
    and the length of each session; the sessions done and the next one, from the log.
    """
    from coach.commands.routines import default_voice_speech
    from coach.program.reader import load_program
    from coach.program.schedule import build_schedule
    from coach.program.summary import Lengths, program_rules_text, session_dict, session_lines

    loaded = load_program(program)
    sessions = build_schedule(loaded)
    lengths = Lengths(default_voice_speech())
    if as_json:
        import json

        data = {
            "name": loaded.name,
            "title": loaded.title,
            "description": loaded.description,
            "weeks": len(loaded.weeks),
            "sessions": [session_dict(s, lengths.of(s)) for s in sessions],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    marks = _marks(loaded, sessions)
    lines = [f"{loaded.title} ({loaded.name})"]
    if loaded.description:
        lines.append(loaded.description)
    lines.append(
        f"{len(loaded.weeks)} weeks · {len(sessions)} sessions · {program_rules_text(loaded)}"
    )
    week = 0
    for session in sessions:
        if session.week != week:
            week = session.week
            lines += ["", f"Week {week}"]
        mark = marks.get(session.index, "")
        body = session_lines(session, lengths.of(session), indent="")
        lines.append(f"  {session.label:<6} {mark:<5} {body[0]}")
        lines += [f"               {line}" for line in body[1:]]
    click.echo(printable("\n".join(lines)))


def _marks(program: Program, sessions: tuple[Session, ...]) -> dict[int, str]:
    """`done` and `next` by session index, from the log; nothing when it cannot be read."""
    from coach.errors import CoachError
    from coach.program.log import Log
    from coach.program.upcoming import next_session

    try:
        with Log() as log:
            entries = log.entries(program.key)
    except CoachError as error:
        click.echo(printable(f"warning: {error}"), err=True)
        return {}
    places: dict[tuple[int | None, int | None], int] = {(s.week, s.day): s.index for s in sessions}
    marks = {
        places[(e.week, e.day)]: "done" for e in entries if e.finished and (e.week, e.day) in places
    }
    upcoming = next_session(sessions, entries)
    if upcoming.session is not None:
        marks[upcoming.session.index] = "next"
    return marks
