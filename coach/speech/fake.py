"""A fake engine with exactly known clip lengths, for tests and timing previews.

Each character of the text becomes `ms_per_char` milliseconds of a quiet tone,
so a test knows the length of every clip without a real voice.
"""

from __future__ import annotations

import numpy as np

from coach.audio.clip import SAMPLE_RATE, Clip
from coach.speech.base import EngineOptions, VoiceInfo


class FakeEngine:
    """Speaks `ms_per_char` ms of tone per character of text."""

    NAME = "fake"

    def __init__(self, options: EngineOptions | None = None, ms_per_char: int = 50) -> None:
        self.options = options or EngineOptions()
        self.ms_per_char = ms_per_char
        self.calls: list[str] = []

    def frames_for(self, text: str) -> int:
        """Exact clip length in samples for `text`."""
        return len(text) * self.ms_per_char * SAMPLE_RATE // 1000

    def synthesize(self, text: str) -> Clip:
        self.calls.append(text)
        frames = self.frames_for(text)
        t = np.arange(frames, dtype=np.float64) / SAMPLE_RATE
        wave = 8000.0 * np.sin(2 * np.pi * 220.0 * t)
        return Clip(wave.astype(np.int16))

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(id="fake", name="Fake tone voice", languages=("en",))]

    def identity(self) -> str:
        return f"fake/{self.ms_per_char}"
