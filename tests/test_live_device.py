"""The real path: the real engine through PortAudio into PulseAudio, recorded off a null sink.

A private PulseAudio server gets a null sink as its default output; `coach play`
plays a short script through `--output default`; `parec` records the sink's
monitor while `pacat` keeps a stream of zeros going (without it the monitor skips
silent stretches). Every spoken cue must begin within 30 ms of its Timeline time,
aligned on the first cue, and must not be clipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import require_portaudio

from coach.audio import BlockMixer
from coach.speech.base import SAMPLE_RATE

RATE = SAMPLE_RATE
WINDOW = RATE * 5 // 1000  # 5 ms
THRESHOLD_DB = -45.0
MIN_SILENCE = 0.25  # seconds of quiet that separate two cues
TOLERANCE = 0.030

CUES = """coach-cues 1
title "Device check"
routine "device-check"
level 1

chapter "Start"
say name "Squats." gap=0.8
window work 6.000 "set 1 of 1"
  @0.000 p100 go "Go!"
  @1.200 p80 count "one"
  @2.400 p80 count "two"
  @3.600 p80 count "three"
  @4.700 p60 info "Last one."
chapter "End"
say name "Well done." gap=0.5
"""

pytestmark = pytest.mark.slow


def _onsets(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) in seconds of each stretch of sound, split at MIN_SILENCE of quiet."""
    frames = samples.shape[0] // WINDOW
    blocks = samples[: frames * WINDOW].astype(np.float64).reshape(frames, WINDOW)
    rms = np.sqrt(np.mean(blocks**2, axis=1)) / 32768.0
    loud = 20 * np.log10(np.maximum(rms, 1e-9)) > THRESHOLD_DB
    gap = round(MIN_SILENCE * RATE / WINDOW)
    spans: list[tuple[float, float]] = []
    start = None
    quiet = 0
    for index, on in enumerate(loud):
        if on:
            if start is None:
                start = index
            quiet = 0
            last = index
        elif start is not None:
            quiet += 1
            if quiet >= gap:
                spans.append((start * WINDOW / RATE, (last + 1) * WINDOW / RATE))
                start = None
    if start is not None:
        spans.append((start * WINDOW / RATE, (last + 1) * WINDOW / RATE))
    return spans


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private PulseAudio server with a null sink as its default; the clients' env."""
    for tool in ("pulseaudio", "pactl", "parec", "pacat"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: pulseaudio, pulseaudio-utils)")
    runtime = tmp_path / "pulse-runtime"
    runtime.mkdir(mode=0o700)
    socket = runtime / "native"
    daemon_env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path))
    daemon_env.pop("PULSE_SERVER", None)
    log = (tmp_path / "pulse.log").open("w")
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disable-shm",
            "-n",
            f"--load=module-native-protocol-unix auth-anonymous=1 socket={socket}",
        ],
        env=daemon_env,
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
    )
    client = dict(os.environ, PULSE_SERVER=f"unix:{socket}")
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], env=client, capture_output=True).returncode:
            if daemon.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.skip("PulseAudio cannot start here: " + (tmp_path / "pulse.log").read_text())
            time.sleep(0.1)
        for command in (
            ["pactl", "load-module", "module-null-sink", "sink_name=coachtest"],
            ["pactl", "set-default-sink", "coachtest"],
        ):
            subprocess.run(command, env=client, check=True, capture_output=True)
        yield client
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=5)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        log.close()


def _wait_for_recording(path: Path) -> None:
    """parec takes a moment (over a second here) before data flows: wait for 0.3 s of it."""
    deadline = time.monotonic() + 15
    while path.stat().st_size < 0.3 * RATE * 2:
        assert time.monotonic() < deadline, "parec recorded nothing"
        time.sleep(0.05)


def _timeline(cues: Path):  # type: ignore[no-untyped-def]
    from coach.cues.text import read_cues
    from coach.resolve import resolve
    from coach.speech import open_voice

    return resolve(read_cues(cues), open_voice("pyttsx3"))


@pytest.mark.parametrize("output", ["default", "portaudio"])
def test_cues_are_heard_on_time_through_pulseaudio(
    pulse: dict[str, str], tmp_path: Path, output: str
) -> None:
    """`default` finds the server and writes to it directly; `portaudio` goes through ALSA."""
    pytest.importorskip("pyttsx3")
    if shutil.which("espeak-ng") is None and shutil.which("espeak") is None:
        pytest.skip("espeak-ng is not installed")
    if output == "portaudio":
        require_portaudio()
    cues = tmp_path / "check.cues"
    cues.write_text(CUES)
    timeline = _timeline(cues)  # fills the clip cache, so the player speaks the same clips
    expected = _onsets(BlockMixer(timeline).render(0, timeline.length))
    assert len(expected) == len(timeline.cues) == 7

    recording = tmp_path / "monitor.raw"
    raw = ["--latency-msec=20", "--raw", "--format=s16le", "--channels=1", f"--rate={RATE}"]
    with (
        subprocess.Popen(
            ["pacat", "--playback", *raw, "--device=coachtest", "/dev/zero"], env=pulse
        ) as zeros,
        recording.open("wb") as out,
        subprocess.Popen(
            ["parec", *raw, "--device=coachtest.monitor"], stdout=out, env=pulse
        ) as parec,
    ):
        try:
            _wait_for_recording(recording)
            played = subprocess.run(
                [sys.executable, "-m", "coach", "play", str(cues), "--output", output],
                env=pulse,
                capture_output=True,
                text=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
            )
            time.sleep(0.3)
        finally:
            parec.terminate()
            zeros.terminate()
    assert played.returncode == 0, played.stderr
    assert ("on pulse" in played.stderr) == (output == "default"), played.stderr
    heard = _onsets(np.fromfile(recording, dtype="<i2"))
    assert len(heard) == len(expected), (heard, expected)
    shift = heard[0][0] - expected[0][0]
    errors = [round((h[0] - shift - e[0]) * 1000, 1) for h, e in zip(heard, expected, strict=True)]
    print(f"onset error per cue (ms, first cue aligned): {errors}")
    for (start, end), (want_start, want_end) in zip(heard, expected, strict=True):
        assert abs(start - shift - want_start) <= TOLERANCE, (heard, expected)
        # Not clipped: each cue lasts as long as it should.
        assert abs((end - start) - (want_end - want_start)) <= TOLERANCE, (heard, expected)
