"""A session with a music bed is a stereo 44.1 kHz MP3 at 192 kb/s, the voice centred and
on time; plain voice stays mono 22.05 kHz. ffprobe and ffmpeg's decoder are the judges."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from test_render_support import lavfi_mp3, make_timeline, onset

from coach.audio.ffmpeg import find_ffmpeg
from coach.cli import cli
from coach.render.render import render_timeline

STEREO_RATE = 44100
BED_HZ = 5000.0  # far above the fake voice's 220 Hz, so a low-pass leaves the voice alone

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed")


@pytest.fixture(scope="module")
def stereo_bed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four seconds of a stereo tone: 5 kHz on the left, 5.5 kHz on the right."""
    path = tmp_path_factory.mktemp("music") / "bed.mp3"
    tone = f"aevalsrc=0.3*sin(2*PI*{BED_HZ:.0f}*t)|0.3*sin(2*PI*{BED_HZ + 500:.0f}*t):s=44100:d=4"
    lavfi_mp3(path, tone, "192k")
    return path


def _stream(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (stream,) = json.loads(out)["streams"]
    return dict(stream)


def _decode_stereo(path: Path) -> np.ndarray:
    """The decoded file at its own rate, as (frames, 2) int16."""
    out = subprocess.run(
        [find_ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "2", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype="<i2").reshape(-1, 2)


def _low_pass(samples: np.ndarray, rate: int, cutoff: float = 1500.0) -> np.ndarray:
    """`samples` with everything above `cutoff` Hz removed (the bed), the voice kept."""
    spectrum = np.fft.rfft(samples.astype(np.float64))
    spectrum[np.fft.rfftfreq(samples.shape[0], 1 / rate) > cutoff] = 0
    return np.fft.irfft(spectrum, samples.shape[0])


def test_a_session_with_music_is_stereo_at_44k_and_192k(
    runner: CliRunner, tmp_path: Path, stereo_bed: Path
) -> None:
    args = ["render", "tabata", "--engine", "fake", "-o", str(tmp_path), "-q", "--no-cover"]
    result = runner.invoke(cli, [*args, "--music", str(stereo_bed)])
    assert result.exit_code == 0, result.output
    stream = _stream(tmp_path / "tabata.mp3")
    assert stream["codec_name"] == "mp3"
    assert stream["channels"] == 2
    assert int(stream["sample_rate"]) == STEREO_RATE
    assert int(stream["bit_rate"]) == 192_000


def test_plain_voice_stays_mono_at_22k(runner: CliRunner, tmp_path: Path) -> None:
    args = ["render", "tabata", "--engine", "fake", "-o", str(tmp_path), "-q", "--no-cover"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    stream = _stream(tmp_path / "tabata.mp3")
    assert stream["channels"] == 1
    assert int(stream["sample_rate"]) == 22050
    assert int(stream["bit_rate"]) == 96_000


def test_bitrates_follow_the_format(runner: CliRunner, tmp_path: Path, stereo_bed: Path) -> None:
    timeline = make_timeline(chapters=1, cues_per_chapter=2)
    render_timeline(timeline, tmp_path, bitrate="320k", music=stereo_bed, cover=False)
    assert int(_stream(tmp_path / "morning-test.mp3")["bit_rate"]) == 320_000
    refused = runner.invoke(cli, ["render", "tabata", "--engine", "fake", "--bitrate", "320k"])
    assert refused.exit_code == 2
    assert "--bitrate 320k" in refused.output and "160k" in refused.output
    assert "--music" in refused.output or "22.05 kHz" in refused.output


def test_the_voice_is_centred_and_on_time_in_the_stereo_file(
    tmp_path: Path, stereo_bed: Path
) -> None:
    timeline = make_timeline(chapters=2, cues_per_chapter=3, gap=1.5)
    render_timeline(timeline, tmp_path, music=stereo_bed, cover=False)
    audio = _decode_stereo(tmp_path / "morning-test.mp3")
    scale = STEREO_RATE / timeline.sample_rate
    assert abs(audio.shape[0] - timeline.length * scale) <= 0.030 * STEREO_RATE
    left, right = audio[:, 0].astype(np.int32), audio[:, 1].astype(np.int32)
    assert np.max(np.abs(left)) > 1000  # there is sound ...
    assert np.max(np.abs(left - right)) <= 64  # ... and the same in both channels
    voice = _low_pass((left + right) / 2, STEREO_RATE).astype(np.int16)
    for cue in timeline.cues:
        at = round(cue.start * scale)
        found = onset(voice, at, search=STEREO_RATE // 8, dbfs=-40.0)
        assert abs(found - at) <= 0.020 * STEREO_RATE, cue.text
