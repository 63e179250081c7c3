"""Which session of a program comes next, from the log, and what changes from the last one.

The next session follows the last one logged for the program. When that one was
stopped before its end, the same session comes again. Entries whose week and day are
no longer in the program (the file was edited) are passed over.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.program.log import Entry
from coach.program.model import Program
from coach.program.schedule import Session
from coach.routine.durations import format_duration
from coach.routine.model import Exercise


@dataclass(frozen=True)
class Upcoming:
    """The next session (None when every session is done) and the last one logged."""

    session: Session | None
    last: Entry | None
    last_session: Session | None
    again: bool  # the last session was stopped early: it is offered again
    done: int  # sessions of the program finished so far

    @property
    def complete(self) -> bool:
        return self.session is None


def next_session(sessions: tuple[Session, ...], entries: list[Entry]) -> Upcoming:
    """The session after the last one in `entries` (one program's, oldest first)."""
    places: dict[tuple[int | None, int | None], Session] = {(s.week, s.day): s for s in sessions}
    known = [e for e in entries if (e.week, e.day) in places]
    done = len({(e.week, e.day) for e in known if e.finished})
    if not known:
        return Upcoming(sessions[0] if sessions else None, None, None, False, 0)
    last = known[-1]
    last_session = places[(last.week, last.day)]
    if not last.finished:
        return Upcoming(last_session, last, last_session, True, done)
    following = last_session.index + 1
    session = sessions[following] if following < len(sessions) else None
    return Upcoming(session, last, last_session, False, done)


def amount(exercise: Exercise) -> str:
    """`3 x 12 reps`, `2 x 45 s`, `1 x to failure (60 s)`."""
    if exercise.to_failure:
        each = f"to failure (up to {format_duration(exercise.work or 0)})"
    elif exercise.reps is not None:
        each = f"{exercise.reps} reps"
    else:
        each = format_duration(exercise.work or 0)
    return f"{exercise.sets} x {each}"


def changes(before: Session, after: Session) -> list[str]:
    """What is different in `after` from `before`, one line per change, in words."""
    lines: list[str] = []
    if after.base.name != before.base.name or after.base.title != before.base.title:
        lines.append(f"a different routine: {after.base.title} (was {before.base.title})")
    if after.level != before.level:
        harder = "harder variants" if after.level > before.level else "the easier variants"
        lines.append(f"level {before.level} -> {after.level} ({harder})")
    old = {ex.name: ex for ex in before.routine.at_level(before.level).exercises}
    old_base = {ex.name: ex.at_level(before.level) for ex in before.routine.exercises}
    for base in after.routine.exercises:
        ex = base.at_level(after.level)
        previous = old.get(ex.name) or old_base.get(base.name)
        if previous is None:
            if lines and lines[0].startswith("a different routine"):
                continue
            lines.append(f"{ex.name}: new, {amount(ex)}")
            continue
        if amount(previous) != amount(ex):
            lines.append(f"{ex.name}: {amount(previous)} -> {amount(ex)}")
    if after.routine.sections and before.routine.sections:
        for a, b in zip(before.routine.sections, after.routine.sections, strict=False):
            if a.is_circuit and b.is_circuit and a.rounds != b.rounds:
                lines.append(f"{b.title or 'circuit'}: {a.rounds} -> {b.rounds} rounds")
    if after.deload:
        lines.insert(0, "a deload week: back to week 1's numbers, to recover")
    return lines


def upcoming_for(program: Program, sessions: tuple[Session, ...]) -> Upcoming:
    """The next session of `program`, from the session log in the data folder."""
    from coach.program.log import Log

    with Log() as log:
        return next_session(sessions, log.entries(program.key))
