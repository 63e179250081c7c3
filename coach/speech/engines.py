"""The speech engines by name (--engine NAME), each imported only when it is used.

One table, as for the audio outputs (`coach.live.outputs`): a name maps to a
function that imports the engine's module and returns its class, whose `NAME` is
that name. Engines import only `coach.speech.base`, never this table.

`auto` (the default) is not an engine of its own: it is the neural piper voice when
its packages import, else pyttsx3, else one error naming both.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.errors import CoachError, InputError
from coach.speech.auto import AUTO, AUTO_ORDER
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
    name lists the known ones. `auto` builds the first of AUTO_ORDER that runs."""
    if name == AUTO:
        failures: list[str] = []
        for choice in AUTO_ORDER:
            try:
                return create_engine(choice, options)
            except InputError:
                raise  # a bad --voice or --rate: the user's to fix, not a reason to switch
            except CoachError as error:
                failures.append(f"{choice}: {error}")
        raise CoachError("no speech engine works here. Tried:\n  " + "\n  ".join(failures))
    load = ENGINES.get(name)
    if load is None:
        known = ", ".join([AUTO, *sorted(ENGINES)])
        raise InputError(f"unknown engine {name!r}; known engines: {known}")
    return load()(options or EngineOptions())
