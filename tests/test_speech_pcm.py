"""Decoding, resampling and trimming engine output (no engine needed)."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from coach.audio.clip import SAMPLE_RATE
from coach.speech.pcm import (
    PRE_ROLL_MS,
    clip_from_file,
    read_audio,
    resample,
    trim_silence,
)

RATE = SAMPLE_RATE


def _tone(seconds: float, dbfs: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    tone: np.ndarray = (10 ** (dbfs / 20) * np.sqrt(2)) * np.cos(2 * np.pi * 300 * t)
    return tone


def _word() -> np.ndarray:
    """200 ms silence, 70 ms soft consonant at -45 dBFS, 200 ms vowel, 300 ms silence."""
    return np.concatenate(
        [np.zeros(RATE // 5), _tone(0.07, -45), _tone(0.2, -12), np.zeros(RATE * 3 // 10)]
    )


def _write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> None:
    data = np.repeat((samples * 32767).astype("<i2"), channels)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes())


def test_trim_keeps_the_soft_consonant_and_a_short_pre_roll() -> None:
    word = _word()
    trimmed = trim_silence(word)
    pre_roll = PRE_ROLL_MS * RATE // 1000
    consonant = RATE // 5
    window = RATE * 5 // 1000
    # The clip is a slice of the word that begins a few ms before the soft -45 dBFS onset
    # (the pre-roll, plus at most one analysis window), so nothing of the consonant is lost.
    lead = int(np.flatnonzero(trimmed)[0])
    assert pre_roll <= lead <= pre_roll + window
    cut = consonant - lead
    assert np.array_equal(trimmed, word[cut : cut + trimmed.shape[0]])


def test_trim_starts_within_ten_ms_of_sound_and_ends_soon_after() -> None:
    trimmed = trim_silence(_word())
    # 70 ms consonant + 200 ms vowel, plus at most 5 ms before and 25 ms after.
    assert round(0.27 * RATE) <= trimmed.shape[0] <= round(0.30 * RATE)


def test_silence_trims_to_nothing() -> None:
    assert trim_silence(np.zeros(RATE)).shape[0] == 0
    assert trim_silence(_tone(0.5, -60)).shape[0] == 0


def test_resample_keeps_duration_and_pitch() -> None:
    tone = _tone(1.0, -6, rate=16000)
    out = resample(tone, 16000)
    assert out.shape[0] == RATE
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(int(np.argmax(spectrum)) - 300) <= 1  # 1 s of audio: bin = Hz


def test_stereo_wav_at_another_rate_becomes_a_mono_clip(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    _write_wav(path, _word()[::2], RATE // 2, channels=2)
    clip = clip_from_file(path, volume=0.5)
    assert clip.sample_rate == RATE
    assert round(0.27 * RATE) - 4 <= clip.frames <= round(0.30 * RATE)
    assert 0.16 < abs(clip.samples).max() / 32768 < 0.19  # 0.355 peak at half volume


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
def test_aiff_as_written_on_macos_is_read(tmp_path: Path) -> None:
    wav, aiff = tmp_path / "x.wav", tmp_path / "x.aiff"
    _write_wav(wav, _word(), RATE)
    subprocess.run(["sox", str(wav), "-r", "44100", str(aiff)], check=True)
    samples, rate = read_audio(aiff)
    assert rate == 44100
    assert abs(samples.shape[0] - _word().shape[0] * 2) <= 2


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
@pytest.mark.parametrize("encoding", [["-t", "aifc"], ["-t", "aifc", "-e", "floating-point"]])
def test_aiff_c_is_read(tmp_path: Path, encoding: list[str]) -> None:
    wav, aifc = tmp_path / "x.wav", tmp_path / "x.aifc"
    _write_wav(wav, _word(), RATE)
    subprocess.run(["sox", str(wav), *encoding, str(aifc)], check=True)
    samples, rate = read_audio(aifc)
    assert rate == RATE
    assert np.allclose(samples, _word(), atol=1e-4)
