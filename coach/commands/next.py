"""`coach next PROGRAM`: the next session of a program, and what changes since the last."""

from __future__ import annotations

import click

from coach.terminal import printable


@click.command("next")
@click.argument("program", metavar="PROGRAM")
@click.option("--json", "as_json", is_flag=True, help="Print the next session as JSON.")
def next_command(program: str, as_json: bool) -> None:
    """Show the next session of PROGRAM not yet done, from the log.

    After a session stopped early, the same session comes again. `coach play
    PROGRAM` plays it and logs it; `coach log done PROGRAM` marks it done.
    """
    from coach.commands.routines import default_voice_speech
    from coach.program.reader import load_program
    from coach.program.schedule import build_schedule
    from coach.program.summary import Lengths, session_dict, session_lines
    from coach.program.upcoming import changes, upcoming_for
    from coach.routine.durations import format_duration

    loaded = load_program(program)
    sessions = build_schedule(loaded)
    upcoming = upcoming_for(loaded, sessions)
    session = upcoming.session
    lengths = Lengths(default_voice_speech())
    differences: list[str] = []
    if session is not None and upcoming.last_session is not None and not upcoming.again:
        differences = changes(upcoming.last_session, session)
    if as_json:
        import json

        data = {
            "program": loaded.name,
            "program_title": loaded.title,
            "sessions": len(sessions),
            "done": upcoming.done,
            "complete": upcoming.complete,
            "again": upcoming.again,
            "last": None if upcoming.last is None else upcoming.last.to_dict(),
            "changes": differences,
        }
        if session is not None:
            data.update(session_dict(session, lengths.of(session)))
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if session is None:
        click.echo(
            printable(
                f"Every session of {loaded.title} is done ({len(sessions)} of "
                f"{len(sessions)}). Well done."
            )
        )
        return
    lines = [
        f"Next: week {session.week}, day {session.day} of {loaded.title} "
        f"({session.label}; {upcoming.done} of {len(sessions)} done)",
    ]
    body = session_lines(session, lengths.of(session), "  ")
    lines += [body[0], *body[1:]]
    last = upcoming.last
    if upcoming.again and last is not None:
        where = f" at {format_duration(round(last.seconds))}" if last.seconds else ""
        if last.chapter is not None and last.chapters:
            where += f", in chapter {last.chapter} of {last.chapters}"
            if last.chapter_title:
                where += f" ({last.chapter_title})"
        lines += ["", f"Last time this session stopped{where}: it comes again."]
    elif differences and upcoming.last_session is not None:
        lines += ["", f"Since {upcoming.last_session.label}:"]
        lines += [f"  {line}" for line in differences]
    elif upcoming.last_session is not None:
        lines += ["", f"The same numbers as {upcoming.last_session.label}."]
    lines += ["", f"Play it: coach play {program}   Done it from the MP3: coach log done {program}"]
    click.echo(printable("\n".join(lines)))
