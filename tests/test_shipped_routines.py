"""The built-in routines play without fit warnings: a user never sees a warning for them."""

from __future__ import annotations

import pytest

from coach.compiler import compile_routine
from coach.resolve import resolve
from coach.routine import builtin_routines, load_routine
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

NAMES = [path.stem for path in builtin_routines()]


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_shipped_routine_resolves_without_fit_warnings(name: str, level: int) -> None:
    script = compile_routine(load_routine(name), level=level)
    timeline = resolve(script, MemoryVoice(FakeEngine()))
    assert timeline.warnings == []
