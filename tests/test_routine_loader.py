"""The routine loader: durations, the format, located problems, safety limits."""

from __future__ import annotations

import pytest

from coach.errors import InputError
from coach.routine import builtin_routines, load_routine, parse_routine
from coach.routine.durations import DurationError, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (30, 30.0),
        (2.5, 2.5),
        ("30", 30.0),
        ("30s", 30.0),
        ("1m30s", 90.0),
        ("1m 30s", 90.0),
        ("1:30", 90.0),
        ("2m", 120.0),
        ("2 min", 120.0),
        ("1h", 3600.0),
        ("1:02:03", 3723.0),
        ("1.5s", 1.5),
    ],
)
def test_durations_parse(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1:60", "m", "30 s m", "-5s", True, None, [1]])
def test_bad_durations_say_what_to_write(text: object) -> None:
    with pytest.raises(DurationError, match="30s"):
        parse_duration(text)


def test_negative_number_is_not_a_duration() -> None:
    with pytest.raises(DurationError, match="negative"):
        parse_duration(-5)


MINIMAL = b"title: T\nexercises:\n  - name: Squat\n    reps: 10\n"


def test_minimal_routine_takes_defaults() -> None:
    routine = parse_routine(MINIMAL, "r.yaml", "r")
    (exercise,) = routine.exercises
    assert (routine.title, routine.name, routine.source) == ("T", "r", "r.yaml")
    assert (exercise.name, exercise.sets, exercise.reps, exercise.tempo) == ("Squat", 1, 10, 3.0)
    assert routine.sections[0].title is None
    assert (exercise.location.line, exercise.location.column) == (3, 5)


def test_unquoted_clock_duration_is_minutes_and_seconds() -> None:
    routine = parse_routine(b"title: T\nexercises:\n  - name: Plank\n    work: 1:30\n")
    assert routine.exercises[0].work == 90.0


def test_every_builtin_routine_loads() -> None:
    paths = builtin_routines()
    assert paths
    for path in paths:
        assert load_routine(path.stem).name == path.stem


def test_unknown_key_names_the_closest_valid_key() -> None:
    with pytest.raises(InputError) as caught:
        parse_routine(b"title: T\nexercises:\n  - name: Squat\n    rep: 10\n", "r.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("r.yaml:4:5:") and "'reps'" in m for m in messages)
