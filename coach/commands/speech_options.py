"""--engine, --voice, --rate and --volume: the same speech options on every speaking command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from coach.speech.voice import Voice

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_ENGINE = "auto"  # mirrors coach.speech.DEFAULT_ENGINE without importing it


def engine_help(what: str = "Speech engine") -> str:
    """--engine's help, saying which engine `auto` picks on this machine."""
    from coach.speech.auto import auto_choice

    return (
        f"{what}: auto (default: piper when the neural extra is installed, else pyttsx3;"
        f" here {auto_choice()}), piper (neural), pyttsx3 (espeak-ng, offline) or fake"
        " (test tones). Env: COACH_ENGINE."
    )


def speech_options(command: F) -> F:
    """Add --engine, --voice, --rate and --volume to a click command."""
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
    for option in reversed(options):
        command = option(command)
    return command


def voice_from_options(
    engine: str, voice: str | None, rate: int | None, volume: float | None
) -> Voice:
    """The disk-cached Voice the options describe (InputError/CoachError if it cannot start)."""
    from coach.speech import open_voice
    from coach.speech.base import EngineOptions

    return open_voice(engine, EngineOptions(voice=voice, rate=rate, volume=volume))
