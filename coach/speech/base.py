"""The engine interface, the clip type and the engine registry.

Every engine turns one text into one mono 16-bit `Clip`. Clips are trimmed of
leading and trailing silence by the engine wrapper, so a cue's start time is the
moment its sound starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from coach.audio.clip import Clip
from coach.errors import CoachError, InputError


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineOptions:
    """What the user chose on the command line; None means the engine's default."""

    voice: str | None = None
    rate: int | None = None  # words per minute
    volume: float | None = None  # 0.0 to 1.0


class Engine(Protocol):
    """A speech engine. Constructing one checks that it can run (CoachError if not)."""

    name: str

    def synthesize(self, text: str) -> Clip:
        """Speak `text` into a clip at SAMPLE_RATE."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine offers."""
        ...

    def identity(self) -> str:
        """Everything that changes the sound: engine, its version, voice, rate, volume.

        Used as part of the clip cache key."""
        ...


EngineFactory = Callable[[EngineOptions], Engine]

ENGINES: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under `name` (--engine NAME)."""
    ENGINES[name] = factory


def create_engine(name: str, options: EngineOptions | None = None) -> Engine:
    """Build the engine called `name`; an unknown name lists the known ones."""
    _register_builtin_engines()
    factory = ENGINES.get(name)
    if factory is None:
        known = ", ".join(sorted(ENGINES))
        raise InputError(f"unknown engine {name!r}; known engines: {known}")
    try:
        return factory(options or EngineOptions())
    except CoachError:
        raise


def _register_builtin_engines() -> None:
    if "fake" in ENGINES:
        return
    from coach.speech import engines, fake

    register_engine("fake", fake.FakeEngine)
    register_engine("pyttsx3", engines.pyttsx3)
    register_engine("piper", engines.piper)
