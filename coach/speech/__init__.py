"""Speech engines: text in, a mono PCM clip out.

`open_voice` is the one entry point the rest of coach uses: an engine from the
registry wrapped in the disk clip cache. Engines are imported only when opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.speech.base import EngineOptions
    from coach.speech.cache import CachedVoice

DEFAULT_ENGINE = "auto"  # piper when installed, else pyttsx3 (coach.speech.engines)


def open_voice(engine: str = DEFAULT_ENGINE, options: EngineOptions | None = None) -> CachedVoice:
    """A disk-cached Voice speaking through `engine` (InputError lists the known engines)."""
    from coach.speech.cache import CachedVoice, ClipCache
    from coach.speech.engines import create_engine

    return CachedVoice(create_engine(engine, options), ClipCache())


def preload(engine: str = DEFAULT_ENGINE, voice: str | None = None) -> None:
    """Start loading the voice model `engine` and `voice` name on a thread, when the engine
    has one (piper): `coach play` calls this first, so it loads while the routine compiles."""
    from coach.speech.auto import AUTO, auto_choice

    if (auto_choice() if engine == AUTO else engine) == "piper":
        from coach.speech.piper_engine import preload as load_model

        load_model(voice)


__all__ = ["DEFAULT_ENGINE", "open_voice", "preload"]
