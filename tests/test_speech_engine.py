"""The real pyttsx3 engine (libespeak-ng on Linux): synthesis, trimming, options, errors."""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from coach.audio.clip import SAMPLE_RATE
from coach.errors import InputError
from coach.speech.base import EngineOptions
from coach.speech.engines import create_engine
from coach.speech.pcm import read_audio, sound_bounds, trim_silence

HAS_SYSTEM_ESPEAK = ctypes.util.find_library("espeak-ng") is not None
HAS_WHEEL_ESPEAK = importlib.util.find_spec("espeakng_loader") is not None

needs_espeak = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not (HAS_SYSTEM_ESPEAK or HAS_WHEEL_ESPEAK),
    reason="libespeak-ng is not available (neither espeak-ng nor espeakng-loader)",
)

MS = SAMPLE_RATE // 1000


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


@needs_espeak
def test_three_is_trimmed_to_start_within_ten_ms_of_its_sound() -> None:
    from coach.speech.pyttsx3_session import session_or_start

    engine = create_engine("pyttsx3")
    clip = engine.synthesize("three")
    assert clip.sample_rate == SAMPLE_RATE
    assert 0.2 < clip.seconds < 1.0
    bounds = sound_bounds(clip.samples / 32768.0)
    assert bounds is not None
    assert bounds[0] <= 10 * MS  # no leading silence beyond ~10 ms
    assert clip.frames - bounds[1] <= 30 * MS  # nor a long silent tail

    # Nothing of the word itself is cut: trim the engine's raw output the same way and
    # find every sample from its first to its last sound window inside the trimmed clip.
    with tempfile.TemporaryDirectory() as folder:
        raw_path = Path(folder) / "raw.wav"
        session = session_or_start()
        session.apply(engine.voice, engine.rate)  # type: ignore[attr-defined]
        for _ in range(2):  # a session's first utterance can come out empty: the engine retries too
            session.speak_to_file("three", raw_path)
            raw, rate = read_audio(raw_path)
            if sound_bounds(raw) is not None:
                break
    assert rate == SAMPLE_RATE
    raw_bounds = sound_bounds(raw)
    assert raw_bounds is not None and raw_bounds[0] > 0  # espeak does start with silence
    trimmed = trim_silence(raw)
    lead = raw_bounds[0] - (raw.shape[0] - trimmed.shape[0] - _tail(raw, trimmed))
    assert 0 < lead <= 10 * MS
    assert np.array_equal(trimmed[lead : lead + 200], raw[raw_bounds[0] : raw_bounds[0] + 200])


def _tail(raw: np.ndarray, trimmed: np.ndarray) -> int:
    """How many samples trim_silence cut from the end of `raw`."""
    for start in range(raw.shape[0] - trimmed.shape[0] + 1):
        if np.array_equal(raw[start : start + trimmed.shape[0]], trimmed):
            return int(raw.shape[0] - trimmed.shape[0] - start)
    raise AssertionError("the trimmed clip is not a slice of the raw output")


@needs_espeak
def test_stdout_stays_clean_while_speaking() -> None:
    result = _run(
        "from coach.speech.engines import create_engine\n"
        "e = create_engine('pyttsx3')\n"
        "print(e.synthesize('Rest for thirty seconds.').frames > 0)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "True\n"


@needs_espeak
def test_each_utterance_gets_its_own_clip() -> None:
    engine = create_engine("pyttsx3")
    short, long_, again = (engine.synthesize(t) for t in ("one", "Keep your back straight", "one"))
    assert long_.frames > 2 * short.frames
    assert np.array_equal(short.samples, again.samples)  # the same text, the same clip


SPEAK_ONE = """
import sys
from coach.speech.engines import create_engine
sys.stdout.buffer.write(create_engine("pyttsx3").synthesize(sys.argv[1]).samples.tobytes())
"""


@needs_espeak
def test_what_was_said_before_does_not_change_a_clip() -> None:
    # libespeak-ng keeps state between utterances; every clip must come out the same anyway.
    engine = create_engine("pyttsx3")
    texts = ["Squats.", "Three sets of ten, keep your back straight.", "Go!", "Squats."]
    clips = [engine.synthesize(text).samples.tobytes() for text in texts]
    alone = {
        text: subprocess.run(
            [sys.executable, "-c", SPEAK_ONE, text], capture_output=True, timeout=60, check=True
        ).stdout
        for text in ("Squats.", "Go!")
    }
    assert clips[0] == clips[3] == alone["Squats."]  # B after A is B alone
    assert clips[2] == alone["Go!"]


@needs_espeak
def test_rate_volume_and_voice_change_the_sound_and_the_identity() -> None:
    base = create_engine("pyttsx3")
    slow = create_engine("pyttsx3", EngineOptions(rate=120))
    quiet = create_engine("pyttsx3", EngineOptions(volume=0.25))
    us = create_engine("pyttsx3", EngineOptions(voice="en-us"))
    text = "Rest for thirty seconds"
    assert slow.synthesize(text).frames > 1.3 * base.synthesize(text).frames
    loud_peak = int(np.abs(base.synthesize(text).samples.astype(np.int32)).max())
    quiet_peak = int(np.abs(quiet.synthesize(text).samples.astype(np.int32)).max())
    assert 0.2 < quiet_peak / loud_peak < 0.3
    assert not np.array_equal(us.synthesize(text).samples, base.synthesize(text).samples)
    identities = {e.identity() for e in (base, slow, quiet, us)}
    assert len(identities) == 4
    assert all("pyttsx3" in i for i in identities)


@needs_espeak
def test_voices_are_listed_and_an_unknown_voice_is_refused() -> None:
    engine = create_engine("pyttsx3")
    voices = engine.voices()
    assert any(v.id.endswith("/en-us") for v in voices)
    with pytest.raises(InputError, match="unknown voice 'martian'"):
        create_engine("pyttsx3", EngineOptions(voice="martian"))


def test_out_of_range_options_are_input_errors() -> None:
    with pytest.raises(InputError, match="rate"):
        create_engine("pyttsx3", EngineOptions(rate=5))
    with pytest.raises(InputError, match="volume"):
        create_engine("pyttsx3", EngineOptions(volume=1.5))


def test_unknown_engine_lists_the_known_ones() -> None:
    with pytest.raises(InputError) as caught:
        create_engine("festival")
    message = str(caught.value)
    assert "unknown engine 'festival'" in message
    for name in ("fake", "piper", "pyttsx3"):
        assert name in message
