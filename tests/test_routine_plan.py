"""The session plan: exact rigid time, a labelled estimate for speech."""

from __future__ import annotations

import pytest

from coach.routine import parse_routine
from coach.routine.durations import format_duration, format_estimate
from coach.routine.plan import (
    PAUSE_SECONDS,
    PLAN_WORDS,
    WORDS_PER_SECOND,
    Plan,
    format_plan,
    plan_routine,
)


def plan_of(text: str, level: int | None = None) -> Plan:
    return plan_routine(parse_routine(text.encode(), "p.yaml", "p"), level)


QUIET = "settings: {countdown: 0, switch: 5s}\n"


def test_counted_sets_take_reps_times_tempo_plus_hold_per_side() -> None:
    plan = plan_of(
        "title: T\n" + QUIET + "exercises:\n"
        "  - {name: Clam, sets: 2, reps: 20, hold: 1s, sides: [right, left], rest: 30s}\n"
    )
    (ex,) = plan.sections[0].exercises
    assert ex.set_seconds == 20 * (3 + 1)
    # two sets of (right, switch, left), one rest between the sets
    assert ex.seconds == 2 * (80 + 5 + 80) + 30
    assert ex.amount() == "2 sets x 20 reps per side (right, left), hold 1 s"


def test_alternating_reps_are_one_pass() -> None:
    plan = plan_of(
        "title: T\n" + QUIET + "exercises:\n  - {name: Taps, reps: 10, alternate: true}\n"
    )
    (ex,) = plan.sections[0].exercises
    assert (ex.passes, ex.seconds) == (1, 30.0)
    assert ex.amount() == "1 set of 10 reps, alternating right / left"


def test_a_circuit_counts_rounds_and_the_rests_between_them() -> None:
    plan = plan_of(
        "title: T\n" + QUIET + "sections:\n"
        "  - title: C\n    rounds: 8\n    rest_between_rounds: 10s\n"
        "    exercises: [{name: Jumps, work: 20s}]\n"
    )
    rigid = 8 * 20 + 7 * 10
    # one-word title, section title and name, each with its pause, and the plan sentence once;
    # later rounds start inside the rest before them
    line = 1 / WORDS_PER_SECOND + PAUSE_SECONDS
    assert plan.seconds == pytest.approx(rigid + 3 * line + PLAN_WORDS / WORDS_PER_SECOND)
    assert plan.sections[0].rounds == 8


def test_level_two_uses_the_notch_numbers() -> None:
    text = "title: T\nexercises:\n  - {name: Bridge, reps: 20, hold: 1s, notch: {hold: 5s}}\n"
    one, two = plan_of(text, 1), plan_of(text, 2)
    assert two.sections[0].exercises[0].set_seconds == 20 * 8
    assert two.seconds - one.seconds == pytest.approx(20 * 4)
    assert "(up a notch from Bridge)" not in format_plan(one)
    assert two.sections[0].exercises[0].variant_of == "Bridge"


def test_to_failure_is_planned_at_its_cap() -> None:
    plan = plan_of("title: T\nexercises:\n  - {name: Jumps, work: 60s, to_failure: true}\n")
    ex = plan.sections[0].exercises[0]
    assert (ex.set_seconds, ex.amount()) == (60.0, "1 set to failure (up to 1 min)")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(20, "about 1 min"), (89, "about 1 min"), (1440, "about 24 min"), (3900, "about 1 h 5 min")],
)
def test_estimates_are_labelled(seconds: float, text: str) -> None:
    assert format_estimate(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(1.5, "1.5 s"), (30, "30 s"), (90, "1 min 30 s"), (3600, "1 h")]
)
def test_durations_are_formatted_for_people(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
