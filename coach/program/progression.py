"""The arithmetic of getting harder: a routine's numbers in a given week.

A week's *progress* is how many weeks of progress came before it: deload weeks do not
count, and are themselves done at week 1's numbers. A step applies once every
`every` weeks of progress. A percentage compounds on the number as written and is
rounded once, half up, to a whole number (reps, seconds of work), so rounding never
accumulates. A cap stops growth but never lowers a number the routine wrote.

A start (`start_reps: 12`) makes week 1 begin below the routine's number, which is
then the cap unless a max is given: a program that builds up to the routine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

from coach.program.steps import Step
from coach.routine.model import Exercise, Routine


@dataclass(frozen=True)
class Rules:
    """How one exercise (or every exercise) grows week by week."""

    reps: Step | None = None
    sets: Step | None = None
    work: Step | None = None
    rounds: Step | None = None
    max_reps: int | None = None
    max_sets: int | None = None
    max_work: float | None = None
    max_rounds: int | None = None
    start_reps: int | None = None  # week 1 starts here (if below the routine's)
    start_sets: int | None = None
    start_work: float | None = None


NO_RULES = Rules()


def progress_of(week: int, deloads: frozenset[int]) -> int | None:
    """Weeks of progress before `week` (1-based), or None when `week` is a deload week."""
    if week in deloads:
        return None
    return sum(1 for earlier in range(1, week) if earlier not in deloads)


def half_up(value: Fraction) -> int:
    """`value` rounded to the nearest whole number, halves up (49.5 -> 50)."""
    return math.floor(value + Fraction(1, 2))


def grow(base: float, step: Step | None, progress: int, cap: float | None) -> float:
    """`base` after `progress` weeks of `step`, capped at `cap` (or at `base`, if larger)."""
    if step is None or progress <= 0:
        return base
    times = step.times(progress)
    if times == 0:
        return base
    exact = Fraction(str(base))
    if step.percent:
        grown: float = half_up(exact * (1 + step.amount) ** times)
    else:
        value = exact + step.amount * times
        grown = int(value) if value.denominator == 1 else float(value)
    if cap is not None:
        grown = min(grown, max(cap, base))
    return grown


def grow_from(
    written: float, start: float | None, step: Step | None, progress: int, cap: float | None
) -> float:
    """Like `grow`, from `start` when it is below `written`, then capped at `written`
    (or at `cap`, when one is given)."""
    if start is None or start >= written:
        return grow(written, step, progress, cap)
    return grow(start, step, progress, written if cap is None else cap)


def progress_exercise(exercise: Exercise, rules: Rules, progress: int) -> Exercise:
    """`exercise` (and its harder variant) in a week with `progress` weeks of progress."""
    notch = exercise.notch
    if notch is not None:
        notch = progress_exercise(notch, rules, progress)
    changes: dict[str, object] = {"notch": notch}
    changes["sets"] = int(
        grow_from(exercise.sets, rules.start_sets, rules.sets, progress, rules.max_sets)
    )
    if exercise.reps is not None and not exercise.to_failure:
        changes["reps"] = int(
            grow_from(exercise.reps, rules.start_reps, rules.reps, progress, rules.max_reps)
        )
    if exercise.work is not None and not exercise.to_failure:
        changes["work"] = float(
            grow_from(exercise.work, rules.start_work, rules.work, progress, rules.max_work)
        )
    return replace(exercise, **changes)  # type: ignore[arg-type]


def progress_routine(
    routine: Routine, rules_for: dict[str, Rules], default: Rules, progress: int | None
) -> Routine:
    """`routine` with every exercise grown for `progress` (None: a deload week, as week 1).

    `rules_for` maps an exercise's name (or its harder variant's) to its own rules.
    """
    if progress is None:
        progress = 0  # a deload week: week 1's numbers
    sections = []
    for section in routine.sections:
        exercises = tuple(
            progress_exercise(ex, _rules_of(ex, rules_for, default), progress)
            for ex in section.exercises
        )
        rounds = section.rounds
        if section.is_circuit:
            rounds = int(grow(rounds, default.rounds, progress, default.max_rounds))
        sections.append(replace(section, exercises=exercises, rounds=rounds))
    return replace(routine, sections=tuple(sections))


def _rules_of(exercise: Exercise, rules_for: dict[str, Rules], default: Rules) -> Rules:
    for name in (exercise.name, exercise.notch.name if exercise.notch else None):
        if name is not None and name.casefold() in rules_for:
            return rules_for[name.casefold()]
    return default
