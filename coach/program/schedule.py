"""From a program to its sessions: every week's routines with their numbers grown.

Session `n` of week `w` is the routine the program gives there, at the level that
applies (the session's, the week's, the level step's from its week on, the
program's, else the routine's own), with every exercise grown by the rules for the
weeks of progress before `w` (`coach.program.progression`). Each session is checked
against the routine format's limits, so a rule that grows past them is an error
located at the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from coach.errors import InputError, Problem
from coach.program.model import PlannedSession, Program
from coach.program.progression import Rules, progress_of, progress_routine
from coach.routine import spec as routine_spec
from coach.routine.durations import format_duration
from coach.routine.model import NOWHERE, Location, Routine


@dataclass(frozen=True)
class Session:
    """One session of a program, ready to compile: `routine` is already grown."""

    week: int
    day: int
    index: int  # 0-based, in program order
    routine: Routine
    level: int
    base: Routine  # the routine as written, before the week's growth
    deload: bool = False

    @property
    def label(self) -> str:
        """`W2D1`: week and day, for file names and lists."""
        return f"W{self.week}D{self.day}"


def build_schedule(program: Program) -> tuple[Session, ...]:
    """Every session of `program` in order; `InputError` if a rule grows past a limit."""
    sessions: list[Session] = []
    problems: list[Problem] = []
    for week_index, week in enumerate(program.weeks):
        number = week_index + 1
        progress = progress_of(number, program.deloads)
        for day_index, planned in enumerate(week):
            day = day_index + 1
            level = _level(program, planned, number, progress is None)
            rules = planned.rules if planned.rules is not None else program.rules
            grown = progress_routine(planned.routine, program.exercise_rules, rules, progress)
            session_routine = replace(
                grown,
                name=f"w{number}d{day}-{program.name}",
                title=f"{planned.routine.title}, week {number}, day {day}",
                level=level,
            )
            problems.extend(_limits(session_routine, program, planned, rules, number))
            sessions.append(
                Session(
                    week=number,
                    day=day,
                    index=len(sessions),
                    routine=session_routine,
                    level=level,
                    base=planned.routine,
                    deload=progress is None,
                )
            )
    if problems:
        unique = list(dict.fromkeys(problems))
        raise InputError(unique[:20])
    return tuple(sessions)


def _level(program: Program, planned: PlannedSession, week: int, deload: bool) -> int:
    if planned.level is not None:
        return planned.level
    if week - 1 < len(program.week_levels) and program.week_levels[week - 1] is not None:
        return program.week_levels[week - 1] or 1
    step = program.level_step
    if step is not None and week >= step.week and not deload:
        return step.level
    if program.level is not None:
        return program.level
    return planned.routine.level


def _limits(
    routine: Routine, program: Program, planned: PlannedSession, rules: Rules, week: int
) -> list[Problem]:
    """What in a grown session is past the routine format's limits, located at the rule."""
    from coach.compiler.compile import count_seconds
    from coach.routine.plan import declared_seconds

    keys = routine_spec.keys_of("exercise")
    out: list[Problem] = []
    for section in routine.sections:
        for base in section.exercises:
            for ex in (base, base.notch):
                if ex is None:
                    continue
                own = program.exercise_rules.get(ex.name.casefold(), rules)
                for name, value, step in (
                    ("reps", ex.reps, own.reps),
                    ("sets", ex.sets, own.sets),
                    ("work", ex.work, own.work),
                ):
                    high = keys[name].maximum
                    if value is not None and high is not None and value > high:
                        shown = format_duration(value) if name == "work" else str(int(value))
                        limit = format_duration(high) if name == "work" else str(int(high))
                        out.append(
                            _at(
                                step.where if step else planned.where,
                                f"in week {week}, {ex.name} would have {name} {shown}, past "
                                f"the limit of {limit}: add max_{name} to the progression "
                                "or use a smaller step",
                            )
                        )
                if ex.reps is not None and not ex.to_failure and ex.reps <= 500:
                    need, word = count_seconds(ex.reps)
                    if ex.tempo < need and own.reps is not None:
                        out.append(
                            _at(
                                own.reps.where,
                                f"in week {week}, {ex.name} has {ex.reps} reps, and saying "
                                f"'{word}' takes longer than its tempo of "
                                f"{format_duration(ex.tempo)}: add max_reps",
                            )
                        )
        if section.rounds > 50:
            where = rules.rounds.where if rules.rounds else planned.where
            out.append(
                _at(
                    where,
                    f"in week {week}, a circuit would have {section.rounds} rounds, "
                    "past the limit of 50: add max_rounds",
                )
            )
    if not out:
        for level in (1, 2):
            seconds = declared_seconds(routine, level)
            if seconds > routine_spec.MAX_SESSION:
                out.append(
                    _at(
                        planned.where,
                        f"in week {week}, the session would last about "
                        f"{format_duration(seconds)} at level {level}; the limit is "
                        f"{format_duration(routine_spec.MAX_SESSION)}: add caps "
                        "(max_sets, max_reps, max_work) to the progression",
                    )
                )
                break
    return out


def _at(where: Location, message: str) -> Problem:
    if where is NOWHERE:
        return Problem("<program>", 1, 1, message)
    return Problem(where.file, where.line, where.column, message)
