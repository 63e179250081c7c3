"""The engine interface: what every speech engine offers.

Every engine turns one text into one mono 16-bit `Clip`. Clips are trimmed of
leading and trailing silence by the engine wrapper, so a cue's start time is the
moment its sound starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coach.audio.clip import Clip

# The pace of instructions by default, in words per minute measured on the trimmed
# clips (scripts/voice_pace.py): a human coach explains at about 150-170.
DEFAULT_WPM = 160
CALL_WORDS = 2  # a text of this many words or fewer is a call: a count, "Go!", "Down."


def is_call(text: str) -> bool:
    """A count or a one- or two-word call, which an engine may say crisper than instructions."""
    return len(text.split()) <= CALL_WORDS


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
    rate: int | None = None  # words per minute of instructions, measured on the clips
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
