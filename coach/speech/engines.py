"""The speech engines by name (--engine NAME), each imported only when it is used.

One table, as for the audio outputs (`coach.live.outputs`): a name maps to a
function that imports the engine's module and returns its class, whose `NAME` is
that name. Engines import only `coach.speech.base`, never this table.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.errors import InputError
from coach.speech.base import Engine, EngineOptions

EngineClass = Callable[[EngineOptions], Engine]


def _fake() -> EngineClass:
    from coach.speech.fake import FakeEngine

    return FakeEngine


def _pyttsx3() -> EngineClass:
    """The default engine: pyttsx3 (libespeak-ng on Linux)."""
    from coach.speech.pyttsx3_engine import Pyttsx3Engine

    return Pyttsx3Engine


def _piper() -> EngineClass:
    """The optional neural engine (extra `neural`)."""
    from coach.speech.piper_engine import PiperEngine

    return PiperEngine


ENGINES: dict[str, Callable[[], EngineClass]] = {
    "fake": _fake,
    "pyttsx3": _pyttsx3,
    "piper": _piper,
}


def create_engine(name: str, options: EngineOptions | None = None) -> Engine:
    """Build the engine called `name` (CoachError if it cannot run here); an unknown
    name lists the known ones."""
    load = ENGINES.get(name)
    if load is None:
        known = ", ".join(sorted(ENGINES))
        raise InputError(f"unknown engine {name!r}; known engines: {known}")
    return load()(options or EngineOptions())
