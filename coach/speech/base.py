"""The engine interface: what every speech engine offers.

Every engine turns one text into one mono 16-bit `Clip`. Clips are trimmed of
leading and trailing silence by the engine wrapper, so a cue's start time is the
moment its sound starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coach.audio.clip import Clip


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

    NAME: str  # its key in coach.speech.engines.ENGINES (--engine NAME)

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
