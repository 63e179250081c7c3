"""The loudness plan: limited lazily, on threads, and remembered, it plays the same samples."""

from __future__ import annotations

import json
import os
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from test_render_support import loudness

from coach.audio.clip import SAMPLE_RATE, Clip
from coach.audio.ffmpeg import find_ffmpeg
from coach.audio.levels import ENCODER_SCALE, MixPlan, plan_mix
from coach.audio.mixer import BlockMixer
from coach.render.encode import BLOCK_FRAMES
from coach.timeline import TimedCue, TimedTone, Timeline


def _spiky_clip(seed: int, seconds: float) -> Clip:
    """Speech-like noise with a few loud spikes, so the gain makes the limiter work."""
    rng = np.random.default_rng(seed)
    frames = int(seconds * SAMPLE_RATE)
    samples = rng.normal(0, 600, frames)
    for at in rng.integers(0, frames, 6):
        samples[at : at + 40] *= 25
    return Clip(np.clip(samples, -32768, 32767).astype(np.int16))


def _timeline(shift: int = 0) -> Timeline:
    clips = [_spiky_clip(seed, 0.4 + 0.3 * seed) for seed in range(4)]
    cues = []
    at = 1000
    for index in range(14):
        clip = clips[index % len(clips)]  # repeated clips, as counted reps are
        cues.append(TimedCue(at + (shift if index == 7 else 0), f"cue {index}", "say", 0, clip))
        at += clip.frames + 3333 + 17 * index
    tones = [TimedTone(at, 2205, 880.0)]
    return Timeline(at + 2 * SAMPLE_RATE, cues, tones)


def _pcm(plan: MixPlan, block: int = BLOCK_FRAMES) -> np.ndarray:
    mixer = plan.mixer()
    try:
        return np.concatenate(list(mixer.blocks(block)))
    finally:
        mixer.close()


PEAK = "astats=measure_overall=Peak_level:measure_perchannel=none"


def _peak_dbfs(path: Path) -> float:
    """The highest sample of a file by ffmpeg's astats filter, in dBFS."""
    err = subprocess.run(
        [
            find_ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            PEAK,
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    lines = [line for line in err.splitlines() if "Peak level dB" in line]
    return float(lines[-1].split(":")[-1])


def _wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def test_the_plan_meets_the_target_under_the_ceiling_by_ffmpegs_meters(tmp_path: Path) -> None:
    """The gain pushes the spikes far over full scale; what the plan plays meets the
    target (plus the 0.45 dB the encoder takes back) with no spoken sample over -1 dBFS,
    as ffmpeg's own meters measure it, in any block order."""
    timeline = _timeline()
    raw = _wav(tmp_path / "raw.wav", np.concatenate(list(BlockMixer(timeline).blocks(4096))))
    plan = plan_mix(timeline)
    assert _peak_dbfs(raw) + 20 * np.log10(plan.voice_gain) > 3.0  # the limiter has work
    played = _pcm(plan)
    assert np.array_equal(_pcm(plan, 777), played)  # clips limited in any block order
    speech = _wav(tmp_path / "speech.wav", played[: timeline.tones[0].start])
    assert _peak_dbfs(speech) <= -1.0 + 0.01  # tones are never limited
    measured = loudness(_wav(tmp_path / "mixed.wav", played))
    assert -16.1 <= measured <= -16.0 - 20 * np.log10(ENCODER_SCALE) + 0.1


def test_one_thread_or_two_give_the_same_plan() -> None:
    timeline = _timeline()
    one, two = plan_mix(timeline, workers=1), plan_mix(timeline, workers=2)
    assert one.voice_gain == two.voice_gain and one.loudness == two.loudness
    assert np.array_equal(_pcm(one), _pcm(two))


def test_a_remembered_plan_plays_the_same_samples(tmp_path: Path) -> None:
    timeline = _timeline()
    first = plan_mix(timeline, remember=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 1
    again = plan_mix(timeline, remember=tmp_path)
    assert again.voice_gain == first.voice_gain and again.loudness == first.loudness
    assert np.array_equal(_pcm(again), _pcm(first))


def test_a_different_session_is_planned_again(tmp_path: Path) -> None:
    plan_mix(_timeline(), remember=tmp_path)
    moved = _timeline(shift=5)
    plan = plan_mix(moved, remember=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2
    assert np.array_equal(_pcm(plan), _pcm(plan_mix(moved)))


def test_a_damaged_entry_is_planned_again(tmp_path: Path) -> None:
    timeline = _timeline()
    expected = plan_mix(timeline)
    plan_mix(timeline, remember=tmp_path)
    (entry,) = tmp_path.glob("*.json")
    entry.write_text('{"key": "x", "gain_db": 20', encoding="utf-8")
    plan = plan_mix(timeline, remember=tmp_path)
    assert plan.voice_gain == expected.voice_gain
    assert np.array_equal(_pcm(plan), _pcm(expected))


def test_an_edited_gain_is_caught_by_the_checksum_and_planned_again(tmp_path: Path) -> None:
    # Valid JSON with the right key: only the checksum can tell that the gain was changed.
    timeline = _timeline()
    expected = plan_mix(timeline)
    plan_mix(timeline, remember=tmp_path)
    (entry,) = tmp_path.glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["gain_db"] += 30
    entry.write_text(json.dumps(data), encoding="utf-8")
    plan = plan_mix(timeline, remember=tmp_path)
    assert plan.voice_gain == expected.voice_gain
    played = _pcm(plan)
    assert np.array_equal(played, _pcm(expected))
    speech = played[: timeline.tones[0].start].astype(np.int32)
    assert int(np.abs(speech).max()) <= 32767 * 10 ** (-1 / 20) + 1  # under the ceiling
    replanned = json.loads(entry.read_text(encoding="utf-8"))
    assert replanned["gain_db"] == pytest.approx(data["gain_db"] - 30)


def test_a_plan_copied_under_another_name_is_not_trusted(tmp_path: Path) -> None:
    plan_mix(_timeline(), remember=tmp_path)
    moved = _timeline(shift=5)
    plan_mix(moved, remember=tmp_path)
    first, second = sorted(tmp_path.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    data = json.loads(first.read_text(encoding="utf-8"))
    data["gain_db"] += 6
    second.write_text(json.dumps({**data, "key": second.stem}), encoding="utf-8")
    plan = plan_mix(moved, remember=tmp_path)
    assert np.array_equal(_pcm(plan), _pcm(plan_mix(moved)))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_where_a_plan_should_be_does_not_hang(tmp_path: Path) -> None:
    timeline = _timeline()
    plan_mix(timeline, remember=tmp_path)
    (entry,) = tmp_path.glob("*.json")
    entry.unlink()
    os.mkfifo(entry)
    plan = plan_mix(timeline, remember=tmp_path)  # would block forever opening the FIFO
    assert np.array_equal(_pcm(plan), _pcm(plan_mix(timeline)))
