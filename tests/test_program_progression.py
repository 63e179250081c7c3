"""Progression arithmetic against tables worked out by hand: steps every N weeks,
percentages compounded and rounded half up once, caps, starts and deload weeks."""

from __future__ import annotations

from fractions import Fraction

import pytest

from coach.program.progression import Rules, grow, grow_from, half_up, progress_of
from coach.program.reader import parse_program
from coach.program.schedule import build_schedule
from coach.program.steps import Step, StepError, parse_step


def test_half_up_rounds_halves_up_not_to_even() -> None:
    # not Python's round(), which rounds halves to even: round(52.5) is 52
    assert [half_up(Fraction(x)) for x in ("49.5", "52.5", "54.45", "59.895", "0.5")] == [
        50,
        53,
        54,
        60,
        1,
    ]


def test_work_grows_ten_percent_a_week_compounded_and_rounded_once() -> None:
    # by hand: 45 * 1.1 = 49.5 -> 50; 45 * 1.21 = 54.45 -> 54; 45 * 1.331 = 59.895 -> 60;
    # 45 * 1.4641 = 65.88 -> 66. Rounding each week instead would give 50, 55, 61, 67.
    step = parse_step("+10%", "work", whole=False, timed=True)
    assert [grow(45.0, step, week - 1, None) for week in range(1, 6)] == [45.0, 50, 54, 60, 66]


def test_reps_grow_two_a_week_and_sets_one_every_two_weeks() -> None:
    reps = parse_step("+2", "reps", whole=False)
    sets = parse_step("+1 every 2 weeks", "sets", whole=True)
    assert [grow(12, reps, p, None) for p in range(6)] == [12, 14, 16, 18, 20, 22]
    assert [grow(3, sets, p, None) for p in range(6)] == [3, 3, 4, 4, 5, 5]


def test_seconds_steps_and_spellings() -> None:
    assert parse_step("+5s every 3 weeks", "work", whole=False, timed=True) == Step(
        Fraction(5), False, 3
    )
    assert parse_step("+1m", "work", whole=False, timed=True) == Step(Fraction(60))
    assert parse_step("2 a week", "reps", whole=False) == Step(Fraction(2))
    assert parse_step("none", "reps", whole=False) is None
    step = parse_step("+15s", "work", whole=False, timed=True)
    assert [grow(30.0, step, p, None) for p in range(4)] == [30.0, 45, 60, 75]


@pytest.mark.parametrize(
    ("text", "whole"),
    [("lots", False), ("+2.5", False), ("+10%", True), ("-1", False), ("+200%", False)],
)
def test_steps_that_are_not_steps(text: str, whole: bool) -> None:
    with pytest.raises(StepError):
        parse_step(text, "reps", whole=whole)


def test_a_cap_stops_growth_but_never_lowers_the_routine() -> None:
    step = Step(Fraction(3))
    assert [grow(10, step, p, 16) for p in range(5)] == [10, 13, 16, 16, 16]
    assert grow(20, step, 3, 16) == 20  # the routine already has more than the cap


def test_a_start_builds_up_to_the_routine() -> None:
    # from 12 reps to the routine's 20, +2 a week: 12, 14, 16, 18, 20, 20
    step = Step(Fraction(2))
    assert [grow_from(20, 12, step, p, None) for p in range(6)] == [12, 14, 16, 18, 20, 20]
    assert grow_from(20, 12, step, 6, 22) == 22  # a max lets it go past the routine
    assert grow_from(10, 12, step, 0, None) == 10  # a start above the routine is the routine


def test_deload_weeks_are_week_one_and_pause_progress() -> None:
    deloads = frozenset({4})
    assert [progress_of(week, deloads) for week in range(1, 8)] == [0, 1, 2, None, 3, 4, 5]


ROUTINE = """\
title: Lower body
settings: {tempo: 2s}
exercises:
  - name: Squat
    sets: 3
    reps: 12
  - name: Wall sit
    sets: 2
    work: 45s
  - name: Plank to failure
    work: 60s
    to_failure: true
"""


def _table(program: str) -> list[tuple[int, int, int, float, float]]:
    """(week, squat sets, squat reps, wall-sit work, plank cap) of each week's first session."""
    from pathlib import Path
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as folder:
        (Path(folder) / "lower-body.yaml").write_text(ROUTINE, encoding="utf-8")
        loaded = parse_program(program, "t.program.yaml", "t", "t", Path(folder))
        rows = []
        for session in build_schedule(loaded):
            if session.day != 1:
                continue
            squat, wall, plank = session.routine.exercises
            assert wall.work is not None and plank.work is not None and squat.reps is not None
            rows.append((session.week, squat.sets, squat.reps, wall.work, plank.work))
        return rows


def test_a_program_with_caps_and_a_deload_week() -> None:
    rows = _table(
        "title: T\nroutine: lower-body.yaml\nweeks: 6\nsessions_per_week: 2\n"
        "progression:\n  reps: +3\n  sets: +1 every 2 weeks\n  work: +10%\n"
        "  max_reps: 20\n  max_sets: 4\n  max_work: 1m\n  deload: [4]\n"
    )
    # progress by week: 0 1 2 (deload) 3 4
    # reps 12 15 18 | 12 | 20(cap of 21) 20(cap)
    # sets 3 3 4 | 3 | 4 4(cap of 5)
    # work 45 50 54 | 45 | 60 (59.895) 60 (cap of 65.88 -> 66)
    # the plank is a set to failure: its cap is not progressed
    assert rows == [
        (1, 3, 12, 45.0, 60.0),
        (2, 3, 15, 50.0, 60.0),
        (3, 4, 18, 54.0, 60.0),
        (4, 3, 12, 45.0, 60.0),
        (5, 4, 20, 60.0, 60.0),
        (6, 4, 20, 60.0, 60.0),
    ]


def test_per_exercise_rules_replace_the_programs_key_by_key() -> None:
    rows = _table(
        "title: T\nroutine: lower-body.yaml\nweeks: 3\nsessions_per_week: 1\n"
        "progression:\n  reps: +2\n  sets: +1\n  work: +10%\n"
        "exercises:\n  squat:\n    reps: +4\n  Wall sit:\n    work: +15s\n    sets: none\n"
    )
    # squat: reps +4 (its own), sets +1 (the program's); wall sit: +15 s, sets stay 2
    assert rows == [(1, 3, 12, 45.0, 60.0), (2, 4, 16, 60.0, 60.0), (3, 5, 20, 75.0, 60.0)]


def test_rules_for_one_session_of_an_explicit_schedule() -> None:
    program = (
        "title: T\nprogression:\n  reps: +2\nschedule:\n"
        "  - sessions: [lower-body.yaml, lower-body.yaml]\n"
        "  - sessions:\n      - lower-body.yaml\n"
        "      - routine: lower-body.yaml\n        progression: {reps: +5}\n        level: 2\n"
    )
    from pathlib import Path
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as folder:
        (Path(folder) / "lower-body.yaml").write_text(ROUTINE, encoding="utf-8")
        sessions = build_schedule(parse_program(program, "t.program.yaml", "t", "t", Path(folder)))
    reps = [(s.label, s.routine.exercises[0].reps, s.level) for s in sessions]
    assert reps == [("W1D1", 12, 1), ("W1D2", 12, 1), ("W2D1", 14, 1), ("W2D2", 17, 2)]


def test_rules_without_steps_change_nothing() -> None:
    assert grow(12, None, 5, None) == 12
    assert Rules().reps is None
