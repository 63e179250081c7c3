"""--engine, --voice, --rate and --volume: the same speech options on every speaking command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from coach.speech.voice import Voice

DEFAULT_ENGINE = "auto"  # mirrors coach.speech.DEFAULT_ENGINE without importing it


def engine_help(what: str = "Speech engine") -> str:
    """--engine's help, saying which engine `auto` picks on this machine."""
    from coach.speech.auto import auto_choice

    return (
        f"{what}: auto (default: piper when the neural extra is installed, else pyttsx3;"
        f" here {auto_choice()}), piper (neural), pyttsx3 (espeak-ng, offline) or fake"
        " (test tones). Env: COACH_ENGINE."
    )


@dataclass(frozen=True)
class SpeechChoice:
    """What --engine, --voice, --rate and --volume asked for."""

    engine: str = DEFAULT_ENGINE
    voice: str | None = None
    rate: int | None = None
    volume: float | None = None

    def open(self) -> Voice:
        """The disk-cached Voice asked for (InputError/CoachError if it cannot start)."""
        from coach.speech import open_voice
        from coach.speech.base import EngineOptions

        options = EngineOptions(voice=self.voice, rate=self.rate, volume=self.volume)
        return open_voice(self.engine, options)


def speech_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --engine, --voice, --rate and --volume to a click command, which gets them
    as one `speech: SpeechChoice` argument."""

    @functools.wraps(command)
    def with_speech(
        *args: Any,
        engine: str,
        voice: str | None,
        rate: int | None,
        volume: float | None,
        **kw: Any,
    ) -> Any:
        return command(*args, speech=SpeechChoice(engine, voice, rate, volume), **kw)

    options = [
        click.option(
            "--engine",
            default=DEFAULT_ENGINE,
            show_default=True,
            envvar="COACH_ENGINE",
            metavar="NAME",
            help=engine_help(),
        ),
        click.option(
            "--voice",
            default=None,
            metavar="ID",
            help="Voice id or name from `coach voices` (default: the engine's own).",
        ),
        click.option(
            "--rate",
            type=click.IntRange(40, 600),
            default=None,
            metavar="WPM",
            help="Pace of instructions in words per minute, as measured on the clips"
            " (default: 160; counts and one- or two-word calls go about 1.5 times faster).",
        ),
        click.option(
            "--volume",
            type=click.FloatRange(0.0, 1.0),
            default=None,
            metavar="0-1",
            help="Speech volume from 0 to 1 (default: 1).",
        ),
    ]
    wrapped: Callable[..., Any] = with_speech
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped
