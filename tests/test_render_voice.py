"""With the real offline voice, every cue's sound starts on time in the decoded MP3."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render_support import RATE, decode, loudness, onset, read_json

from coach.cues.model import Chapter, Cue, CueScript, Say, Window
from coach.errors import CoachError
from coach.render.render import render_timeline
from coach.resolve import resolve
from coach.speech.cache import CachedVoice


def _voice() -> CachedVoice:
    from coach.speech import open_voice

    try:
        return open_voice("pyttsx3")
    except CoachError as error:
        pytest.skip(f"pyttsx3 cannot speak here: {error}")


@pytest.mark.slow
def test_real_voice_onsets_length_and_loudness(tmp_path: Path) -> None:
    script = CueScript(
        title="Real Voice",
        routine="real-voice",
        steps=[
            Chapter("Warm up"),
            Say("Three rounds of squats. Stand tall."),
            Window(5.0, cues=(Cue(1.0, "three"), Cue(2.0, "two"), Cue(3.0, "one"))),
            Chapter("Rest"),
            Say("Rest now, breathe."),
            Window(3.0, kind="rest"),
        ],
    )
    timeline = resolve(script, _voice())
    render_timeline(timeline, tmp_path)
    audio = decode(tmp_path / "real-voice.mp3")
    doc = read_json(tmp_path / "real-voice.timeline.json")
    assert abs(audio.shape[0] - timeline.length) <= 0.030 * RATE
    previous_end = 0
    for cue in doc["cues"]:
        start = round(cue["start"] * RATE)
        assert abs(onset(audio, start, after=previous_end) - start) <= 0.020 * RATE, cue
        previous_end = round(cue["end"] * RATE) + RATE // 50
    assert loudness(tmp_path / "real-voice.mp3") == pytest.approx(-16.0, abs=1.0)
