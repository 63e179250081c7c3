"""The session plan: exact rigid time, a labelled estimate for speech."""

from __future__ import annotations

import pytest

from coach.audio.clip import SAMPLE_RATE
from coach.compiler import compile_routine
from coach.resolve import resolve
from coach.routine import parse_routine
from coach.routine.durations import format_duration, format_estimate
from coach.routine.model import Routine
from coach.routine.plan import Plan, format_plan, plan_routine
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

ENGINE = FakeEngine()  # 50 ms of speech a character


def fake_seconds(text: str) -> float:
    return ENGINE.frames_for(text) / SAMPLE_RATE


def routine_of(text: str) -> Routine:
    return parse_routine(text.encode(), "p.yaml", "p")


def plan_of(text: str, level: int | None = None) -> Plan:
    return plan_routine(routine_of(text), fake_seconds, level)


QUIET = "settings: {countdown: 0, switch: 5s}\n"


def test_counted_sets_take_reps_times_tempo_plus_hold_per_side() -> None:
    plan = plan_of(
        "title: T\n" + QUIET + "exercises:\n"
        "  - {name: Clam, sets: 2, reps: 20, hold: 1s, sides: [right, left], rest: 30s}\n"
    )
    (ex,) = plan.sections[0].exercises
    assert ex.set_seconds == 20 * (3 + 1)
    # at least two sets of (right, switch, left) and one rest between the sets
    assert ex.seconds >= 2 * (80 + 5 + 80) + 30
    assert ex.amount() == "2 sets x 20 reps per side (right, left), hold 1 s"


def test_alternating_reps_are_one_pass() -> None:
    plan = plan_of(
        "title: T\n" + QUIET + "exercises:\n  - {name: Taps, reps: 10, alternate: true}\n"
    )
    (ex,) = plan.sections[0].exercises
    assert ex.passes == 1
    assert ex.amount() == "1 set of 10 reps, alternating right / left"


@pytest.mark.parametrize("level", [1, 2])
def test_the_plan_lasts_what_the_resolver_makes_of_the_same_voice(level: int) -> None:
    text = (
        "title: T\nsections:\n"
        "  - title: C\n    rounds: 3\n    rest_between_rounds: 10s\n"
        "    exercises:\n      - {name: Jumps, work: 20s}\n"
        "      - {name: Bridge, sets: 2, reps: 5, rest: 0, notch: {hold: 2s}}\n"
    )
    plan = plan_of(text, level)
    script = compile_routine(routine_of(text), level)
    timeline = resolve(script, MemoryVoice(FakeEngine()))
    assert plan.seconds == pytest.approx(timeline.duration, abs=0.01)
    # every window of the session belongs to one of its exercises
    assert sum(ex.seconds for ex in plan.sections[0].exercises) <= plan.seconds
    assert plan.sections[0].rounds == 3


def test_level_two_uses_the_notch_numbers() -> None:
    text = "title: T\nexercises:\n  - {name: Bridge, reps: 20, hold: 1s, notch: {hold: 5s}}\n"
    one, two = plan_of(text, 1), plan_of(text, 2)
    assert two.sections[0].exercises[0].set_seconds == 20 * 8
    assert two.seconds - one.seconds >= 20 * 4  # four more seconds of hold a rep
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
