"""Property tests: whatever the input, the loader gives a Routine or one clean InputError."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import InputError
from coach.routine import Routine, parse_routine
from coach.routine.spec import OBJECTS

KEYS = sorted({key.name for keys in OBJECTS.values() for key in keys})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(1, 6000).map(lambda n: "9" * n),  # past Python's int-from-text limit
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["30s", "1:30", "1m30s", "2m", "ten", "", "right leg", "-5", "0"]),
    st.text(max_size=20),
)
names = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(names, inner, max_size=6)),
    max_leaves=30,
)

durations = st.one_of(
    st.integers(0, 90),
    st.sampled_from(["30s", "1:30", "2m", "1m30s"]),
    st.integers(-5, 4000),
    st.sampled_from(["0", "x"]),
)
extras = {
    "sets": st.integers(0, 60),
    "sides": st.lists(st.sampled_from(["right", "left", "middle"]), max_size=3),
    "alternate": st.booleans(),
    "tempo": durations,
    "rest": durations,
    "rest_after": durations,
    "cues": st.lists(st.text(min_size=1, max_size=10), max_size=2),
}
counted = st.fixed_dictionaries(
    {"name": st.sampled_from(["Squat", "Lunge", "Bridge"]), "reps": st.integers(0, 600)},
    optional={**extras, "hold": durations},
)
timed = st.fixed_dictionaries(
    {"name": st.sampled_from(["Plank", "Jumps"]), "work": durations},
    optional={**extras, "to_failure": st.booleans()},
)
exercise = st.one_of(counted, timed)


def _with_notches(doc: dict[str, Any]) -> dict[str, Any]:
    """Give every second exercise a notch made of two of its own fields."""
    exercises: list[dict[str, Any]] = doc["exercises"]
    return {
        **doc,
        "exercises": [
            {**ex, "notch": dict(list(ex.items())[1:3])} if i % 2 else ex
            for i, ex in enumerate(exercises)
        ],
    }


routines = st.fixed_dictionaries(
    {"title": st.text(max_size=10), "exercises": st.lists(exercise, max_size=4)},
    optional={
        "level": st.integers(0, 3),
        "settings": st.fixed_dictionaries({}, optional={"tempo": durations, "switch": durations}),
    },
).map(_with_notches)


def check(data: bytes) -> None:
    try:
        routine = parse_routine(data, "p.yaml", "p")
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert str(problem).startswith("p.yaml:")
    else:
        assert isinstance(routine, Routine)
        assert routine.sections


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(documents)
def test_any_yaml_document_loads_or_fails_cleanly(doc: object) -> None:
    check(yaml.safe_dump(doc, allow_unicode=True).encode())


@FAST
@given(routines)
def test_routine_shaped_documents_load_or_fail_cleanly(doc: object) -> None:
    check(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode())


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_load_or_fail_cleanly(data: bytes) -> None:
    check(data)


@FAST
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\n\t ,?0123456789")), max_size=80))
def test_yaml_punctuation_soup_loads_or_fails_cleanly(text: str) -> None:
    check(text.encode())


TAGS = [
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!str",
    "!!timestamp",
    "!!seq",
    "!!map",
    "!!binary",
]
KEY_VALUES = {
    "reps": "5",
    "work": "30s",
    "to_failure": "true",
    "hold": "1s",
    "sides": "[a, b]",
    "alternate": "yes",
    "name": "A",
    "sets": "2",
}


@FAST
@given(
    st.sampled_from(sorted(KEY_VALUES)),
    st.sampled_from(TAGS),
    st.sampled_from(["maybe", "abc", "1:30", "2020-01-01", "0x1f", "", "[1]", "{a: 1}", "~"]),
)
def test_explicit_tags_on_any_value_load_or_fail_cleanly(key: str, tag: str, value: str) -> None:
    others = "".join(f"    {k}: {v}\n" for k, v in KEY_VALUES.items() if k in ("name", "reps"))
    check(f"title: T\nexercises:\n  -\n{others}    {key}: {tag} {value}\n".encode())
