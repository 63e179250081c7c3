"""Factories for the built-in engines that import their heavy libraries only when used."""

from __future__ import annotations

from coach.speech.base import Engine, EngineOptions


def pyttsx3(options: EngineOptions) -> Engine:
    """The default engine: pyttsx3 (libespeak-ng on Linux)."""
    from coach.speech.pyttsx3_engine import Pyttsx3Engine

    return Pyttsx3Engine(options)


def piper(options: EngineOptions) -> Engine:
    """The optional neural engine (extra `neural`)."""
    from coach.speech.piper_engine import PiperEngine

    return PiperEngine(options)
