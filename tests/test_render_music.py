"""The music bed loops under the whole session, ducks under speech, and the mix is normalised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_render_support import RATE, decode, lavfi_mp3, loudness, make_timeline

from coach.audio.levels import plan_mix
from coach.audio.music import DuckEnvelope
from coach.render.render import render_timeline

BED_HZ = 1000.0


@pytest.fixture(scope="module")
def music_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seconds of a 1 kHz tone: shorter than the session, so it must loop."""
    path = tmp_path_factory.mktemp("music") / "bed.mp3"
    lavfi_mp3(path, f"sine=frequency={BED_HZ:.0f}:duration=3", "128k", "-ar", "44100", "-ac", "2")
    return path


def _bed_level(audio: np.ndarray, center: int, width: int = RATE // 10) -> float:
    """dB of the 1 kHz component around `center` (the fake voice is at 220 Hz)."""
    part = audio[center - width // 2 : center + width // 2].astype(np.float64)
    t = np.arange(part.shape[0]) / RATE
    amplitude = abs(np.sum(part * np.exp(-2j * np.pi * BED_HZ * t))) * 2 / part.shape[0]
    return float(20 * np.log10(max(amplitude, 1e-9) / 32768))


def test_bed_ducks_under_speech_and_loops(tmp_path: Path, music_file: Path) -> None:
    timeline = make_timeline(chapters=2, cues_per_chapter=3, gap=3.0)
    render_timeline(timeline, tmp_path, music=music_file)
    audio = decode(tmp_path / "morning-test.mp3")
    assert abs(audio.shape[0] - timeline.length) <= 0.030 * RATE
    under = [_bed_level(audio, (cue.start + cue.end) // 2) for cue in timeline.cues]
    clear = [_bed_level(audio, cue.end + int(1.5 * RATE)) for cue in timeline.cues[:-1]]
    assert max(under) < min(clear) - 10.0  # ducked by more than 10 dB under every cue
    assert max(clear) - min(clear) < 3.0  # the bed keeps its level as it loops
    assert timeline.length > 3 * 3 * RATE  # the session really is longer than the bed


def test_mix_with_music_is_near_minus_16_lufs(tmp_path: Path, music_file: Path) -> None:
    timeline = make_timeline(chapters=2, cues_per_chapter=3, gap=2.0)
    render_timeline(timeline, tmp_path, music=music_file)
    assert loudness(tmp_path / "morning-test.mp3") == pytest.approx(-16.0, abs=1.0)


def test_mixer_blocks_do_not_depend_on_block_size(music_file: Path) -> None:
    timeline = make_timeline(chapters=1, cues_per_chapter=3, gap=1.0)
    plan = plan_mix(timeline, music_file)
    whole = plan.mixer()
    small = plan.mixer()
    try:
        a = np.concatenate(list(whole.blocks(timeline.length)))
        b = np.concatenate(list(small.blocks(777)))
    finally:
        whole.close()
        small.close()
    assert np.array_equal(a, b)


def test_envelope_ramps_down_before_speech_and_back_up_after() -> None:
    envelope = DuckEnvelope([(10_000, 20_000)], RATE, depth_db=12.0, ramp_seconds=0.1)
    ramp = RATE // 10
    gains = envelope.gains(0, 30_000)
    assert gains[10_000 - ramp - 1] == pytest.approx(1.0)
    assert gains[10_000] == pytest.approx(10 ** (-12 / 20), rel=1e-4)
    assert gains[19_999] == pytest.approx(10 ** (-12 / 20), rel=1e-4)
    assert gains[20_000 + ramp] == pytest.approx(1.0)
    assert np.all(np.diff(gains[10_000 - ramp : 10_000]) <= 0)  # smooth and monotonic
    assert np.all(np.diff(gains[20_000 : 20_000 + ramp]) >= 0)
    assert np.max(np.abs(np.diff(gains))) < 0.02  # no step big enough to click


def test_the_next_loop_s_decoder_is_started_ahead_not_by_the_reader(
    music_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At each loop the reader (the live player's audio thread) gets a decoder that is
    already running: it never starts ffmpeg itself after the first one."""
    import threading

    from coach.audio import ffmpeg, music

    started: list[str] = []
    original = ffmpeg.start_decoder

    def counting(*args: object) -> object:
        started.append(threading.current_thread().name)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(music, "start_decoder", counting)
    info = music.analyse_music(music_file, RATE)
    started.clear()
    bed = music.MusicBed(info, RATE)
    try:
        for _ in range(4 * info.frames // 4096):  # four loops
            bed.read(4096)
    finally:
        bed.close()
    reader = threading.current_thread().name
    assert started.count(reader) == 1, started
    assert len(started) >= 5
