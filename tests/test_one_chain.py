"""The live player and the renderer play one mix chain: the same samples, gain, limiter
and music bed included, before the device and before the encoder.

The renderer's samples are what ffmpeg really reads: ffmpeg is replaced (COACH_FFMPEG)
by a script that copies its standard input to a file and then runs the real one.
"""

from __future__ import annotations

import stat
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from test_render_support import RATE, make_timeline

from coach.audio import ffmpeg
from coach.audio.mixer import BlockMixer
from coach.audio.music import analyse_music
from coach.live.growing import GrowingTimeline
from coach.live.player import Player
from coach.render.render import render_timeline
from coach.timeline import Timeline


@pytest.fixture
def captured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder where every ffmpeg run leaves a copy of the bytes it was fed."""
    real = ffmpeg.find_ffmpeg()
    folder = tmp_path / "fed"
    folder.mkdir()
    wrapper = tmp_path / "ffmpeg"
    wrapper.write_text(f'#!/bin/sh\ntee "{folder}/$$.pcm" | exec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("COACH_FFMPEG", str(wrapper))
    ffmpeg.find_ffmpeg.cache_clear()
    try:
        yield folder
    finally:
        ffmpeg.find_ffmpeg.cache_clear()


def _encoded(folder: Path) -> np.ndarray:
    """What the encoder was fed (the decoders of a music bed are fed nothing)."""
    fed = max(folder.iterdir(), key=lambda path: path.stat().st_size)
    return np.frombuffer(fed.read_bytes(), dtype="<i2")


def _live(program: GrowingTimeline) -> np.ndarray:
    """What the player hands the sound card, pulled in device-sized blocks."""
    player = Player(program, preroll=0, clock=lambda: 0.0)
    blocks = []
    try:
        while not player.finished.is_set():
            blocks.append(player.pull(512, 0.0))
    finally:
        player.close()
    return np.concatenate(blocks)[: program.timeline.length]


def _bed(path: Path) -> Path:
    t = np.arange(3 * RATE) / RATE
    tone = 9000 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone.astype("<i2").tobytes())
    return path


def _loud_timeline() -> Timeline:
    """Quiet fake speech that the plan must raise by several dB, so the gain matters."""
    return make_timeline(chapters=3, cues_per_chapter=3)


@pytest.mark.parametrize("with_music", [False, True], ids=["voice", "music"])
def test_the_player_plays_the_samples_the_encoder_is_fed(
    captured: Path, tmp_path: Path, with_music: bool
) -> None:
    timeline = _loud_timeline()
    music = _bed(tmp_path / "bed.wav") if with_music else None
    render_timeline(timeline, tmp_path / "out", music=music, cover=False, remember_plan=False)
    encoded = _encoded(captured)
    assert encoded.shape[0] == timeline.length
    info = analyse_music(music, RATE) if music is not None else None
    live = _live(GrowingTimeline.from_timeline(timeline, music=info))
    raw = BlockMixer(timeline).render(0, timeline.length)
    assert np.abs(live).max() > 1.5 * np.abs(raw).max()  # the gain is applied live, as in the file
    for span in timeline.chapters:  # chapter by chapter, sample for sample
        chapter = slice(span.start, span.end)
        assert np.array_equal(live[chapter], encoded[chapter]), span.title


def test_while_later_chapters_resolve_the_first_plays_at_its_own_levels_then_the_file_s() -> None:
    """A program that grows chapter by chapter plays its first chapter at the levels
    planned from it, and the chapters it enters once the whole session is known at the
    file's levels, exactly."""
    timeline = _loud_timeline()
    whole = GrowingTimeline.from_timeline(timeline)
    growing = GrowingTimeline(timeline.title, timeline.routine)
    first = timeline.chapters[0]
    growing.add(first, [c for c in timeline.cues if c.chapter == 0], [timeline.tones[0]], [])
    player = Player(growing, preroll=0, clock=lambda: 0.0)
    played = [player.pull(512, 0.0) for _ in range(first.end // 512)]
    for index, span in enumerate(timeline.chapters[1:], start=1):
        tones = [t for t in timeline.tones if span.start <= t.start < span.end]
        growing.add(span, [c for c in timeline.cues if c.chapter == index], tones, [])
    growing.finish()
    while not player.finished.is_set():
        played.append(player.pull(512, 0.0))
    live = np.concatenate(played)[: timeline.length]
    file = _live(whole)
    second = slice(timeline.chapters[1].start, timeline.length)
    assert np.array_equal(live[second], file[second])
    ratio = np.abs(live[: first.end]).max() / np.abs(file[: first.end]).max()
    assert 10 ** (-1 / 20) < ratio < 10 ** (1 / 20)  # within 1 dB: see docs/live.md
