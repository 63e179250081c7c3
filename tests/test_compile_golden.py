"""Golden cue scripts for every shipped routine: a timing or wording change shows as a diff.

Regenerate after an intended change with `COACH_UPDATE_GOLDEN=1 python -m pytest
tests/test_compile_golden.py`, then read the diff: it is what the coach will say.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coach.compiler import compile_routine
from coach.cues.text import format_cues, read_cues
from coach.routine import builtin_routines, load_routine

GOLDEN = Path(__file__).parent / "golden"
CASES: list[tuple[Path, int | None]] = [(path, None) for path in builtin_routines()]
CASES += [(path, 2) for path in builtin_routines() if path.stem == "at-home-glutes"]


def golden_path(routine: Path, level: int | None) -> Path:
    suffix = f".level{level}" if level else ""
    return GOLDEN / f"{routine.stem}{suffix}.cues"


@pytest.mark.parametrize(
    ("routine", "level"), CASES, ids=[golden_path(p, lv).stem for p, lv in CASES]
)
def test_golden_cue_script(routine: Path, level: int | None) -> None:
    text = format_cues(compile_routine(load_routine(str(routine)), level=level))
    path = golden_path(routine, level)
    if os.environ.get("COACH_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file; run with COACH_UPDATE_GOLDEN=1 to write {path.name}"
    assert text == path.read_text(encoding="utf-8")
    assert format_cues(read_cues(path)) == text


def test_every_shipped_routine_has_a_golden_file() -> None:
    expected = {golden_path(p, lv).name for p, lv in CASES}
    assert {p.name for p in GOLDEN.glob("*.cues")} == expected
