"""Fuzzing the readers through the CLI: any routine, phrasebook or cue script gets an answer.

Every input must end, quickly, with exit 0, 1 or 2 and no traceback. The inputs and the
probe are in tests/fuzzing.py; scripts/fuzz.py runs the same for tens of thousands.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from fuzzing import HOSTILE, INPUT_ERROR, KINDS, NUMBERS, OK, WORDS, make_input
from fuzzing import probe as run_probe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_probe(kind, data, Path(folder), limit=30.0)  # a hang, not a busy machine
    assert outcome.status in (OK, INPUT_ERROR), outcome.detail


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_files_get_an_answer(kind: str, rng: random.Random) -> None:
    check(kind, make_input(kind, rng))


@pytest.mark.parametrize(
    ("kind", "data"),
    [(kind, data) for kind, cases in HOSTILE.items() for data in cases],
    ids=[f"{kind}-{i}" for kind, cases in HOSTILE.items() for i in range(len(cases))],
)
def test_hostile_files_from_the_issue_get_an_answer(kind: str, data: bytes) -> None:
    check(kind, data)


values = st.one_of(
    st.sampled_from(NUMBERS),
    st.sampled_from(WORDS),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
)
EXERCISE_KEYS = ["name", "reps", "work", "sets", "sides", "alternate", "hold", "tempo", "rest"]
exercise = st.dictionaries(st.sampled_from(EXERCISE_KEYS), values | st.lists(values, max_size=3))
routine = st.fixed_dictionaries(
    {"title": values, "exercises": st.lists(exercise, max_size=3)},
    optional={
        "settings": st.dictionaries(st.sampled_from(["tempo", "rest", "countdown"]), values),
        "phrases": st.dictionaries(st.sampled_from(["go", "rest", "next_up"]), values),
        "level": values,
    },
)


@FUZZ
@given(routine)
def test_generated_routines_get_an_answer(document: dict[str, object]) -> None:
    check("routine", yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "replace"))


@FUZZ
@given(st.dictionaries(st.sampled_from(["go", "rest", "next_up", "halfway", "bogus"]), values))
def test_generated_phrasebooks_get_an_answer(document: dict[str, object]) -> None:
    check("phrasebook", yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "replace"))


tokens = st.sampled_from(NUMBERS + WORDS + ["work", "rest", "p60", '"Go!"', "@0", "@1.5", "880"])
lines = st.lists(tokens, min_size=1, max_size=5).map(" ".join)
indented = st.tuples(st.sampled_from(["", "  "]), lines).map("".join)


@FUZZ
@given(st.lists(indented, max_size=12))
def test_generated_cue_scripts_get_an_answer(body: list[str]) -> None:
    text = 'coach-cues 1\ntitle "T"\n' + "\n".join(body) + "\n"
    check("cues", text.encode("utf-8", "surrogateescape"))


def test_the_fuzz_script_prints_a_table_of_counts(tmp_path: Path) -> None:
    command = [sys.executable, str(REPO / "scripts" / "fuzz.py"), "--count", "4"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.split(" | ") for line in result.stdout.splitlines() if line.startswith("| ")]
    assert rows[0][:6] == ["| kind", "inputs", "ok", "input errors", "crashes", "hangs"]
    assert [row[0] for row in rows[1:]] == ["| routine", "| phrasebook", "| cues"]
    for row in rows[1:]:
        inputs, ok, errors, crashes, hangs = map(int, row[1:6])
        assert inputs == ok + errors == 4 and crashes == hangs == 0
