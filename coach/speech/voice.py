"""A Voice: what the timeline resolver and the players ask for clips.

A Voice wraps an engine with caching. `prepare` lets it synthesize a batch of
texts ahead of time (in parallel where the engine allows); `clip` returns the
clip for one text, synthesizing it if it is not ready yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from coach.audio.clip import Clip
from coach.speech.base import Engine


class Voice(Protocol):
    """Clips for texts, ready before they are needed."""

    def clip(self, text: str) -> Clip:
        """The clip for `text` (trimmed of leading and trailing silence)."""
        ...

    def prepare(self, texts: Iterable[str]) -> None:
        """Make the clips for `texts` ready; later `clip` calls for them cost nothing."""
        ...


class MemoryVoice:
    """An engine with an in-memory clip cache: each distinct text is synthesized once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._clips: dict[str, Clip] = {}

    def clip(self, text: str) -> Clip:
        found = self._clips.get(text)
        if found is None:
            found = self._clips[text] = self.engine.synthesize(text)
        return found

    def prepare(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.clip(text)
