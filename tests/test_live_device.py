"""The real path: the real engine into PulseAudio, recorded off a null sink.

A private PulseAudio server runs the way it does in a root shell, over ssh without
a login session or in a container: no XDG_RUNTIME_DIR, so its socket is found only
through ~/.config/pulse/<machine-id>-runtime, as `pactl` finds it. It has two null
sinks, `coachtest` (the default) and `other`. `coach play` plays a short script
with the same environment (no XDG_RUNTIME_DIR, no PULSE_SERVER); `parec` records
`coachtest`'s monitor while `pacat` keeps a stream of zeros going (without it the
monitor skips silent stretches). Every spoken cue must begin within 30 ms of its
Timeline time, aligned on the first cue, and must not be clipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from coach.audio.clip import SAMPLE_RATE
from coach.audio.mixer import BlockMixer

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


def _spans(spans: list[tuple[float, float]]) -> str:
    return ", ".join(f"{start:.3f}-{end:.3f}" for start, end in spans)


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private PulseAudio server found only through HOME; the clients' environment."""
    for tool in ("pulseaudio", "pactl", "parec", "pacat"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: pulseaudio, pulseaudio-utils)")
    home = tmp_path / "home"
    home.mkdir()
    # What a root shell or an ssh session without a login session has: HOME, nothing more.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("XDG_RUNTIME_DIR", "PULSE_SERVER", "PULSE_RUNTIME_PATH", "PULSE_SINK")
    }
    env["HOME"] = str(home)
    log = (tmp_path / "pulse.log").open("w")
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disable-shm",
            "-n",
            "--load=module-native-protocol-unix auth-anonymous=1",
            "--load=module-null-sink sink_name=other",
            "--load=module-null-sink sink_name=coachtest",
        ],
        env=env,
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode:
            if daemon.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.skip("PulseAudio cannot start here: " + (tmp_path / "pulse.log").read_text())
            time.sleep(0.1)
        subprocess.run(["pactl", "set-default-sink", "coachtest"], env=env, check=True)
        yield env
    finally:
        runtime = [link.resolve() for link in (home / ".config" / "pulse").glob("*-runtime")]
        daemon.terminate()
        try:
            daemon.wait(timeout=5)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        log.close()
        for folder in runtime:  # the daemon's socket folder, outside tmp_path
            shutil.rmtree(folder, ignore_errors=True)


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


def _portaudio_reaches_pulse() -> None:
    """Skip unless PortAudio loads and ALSA has the pulse plugin."""
    try:
        import sounddevice
    except OSError as error:
        pytest.skip(f"PortAudio cannot load ({error}; Debian: libportaudio2)")
    names = [device["name"] for device in sounddevice.query_devices()]
    if "pulse" not in names:
        pytest.skip("ALSA has no pulse plugin (Debian: libasound2-plugins)")


@pytest.mark.parametrize(
    ("options", "heard_on"),
    [
        ([], "pulse (sink coachtest on "),
        (["--output", "pulse"], "pulse (sink coachtest on "),
        (["--device", "coachtest"], "pulse (sink coachtest on "),
        (["--output", "portaudio"], "portaudio ("),
    ],
    ids=["default", "pulse", "device", "portaudio"],
)
def test_cues_are_heard_on_time_through_pulseaudio(
    pulse: dict[str, str], tmp_path: Path, options: list[str], heard_on: str
) -> None:
    """The default output finds the server with no XDG_RUNTIME_DIR and writes to it
    directly; `--device` picks a sink that is not the default; `portaudio` goes
    through ALSA's pulse plugin."""
    pytest.importorskip("pyttsx3")
    if shutil.which("espeak-ng") is None and shutil.which("espeak") is None:
        pytest.skip("espeak-ng is not installed")
    if "portaudio" in options:
        _portaudio_reaches_pulse()
    if "--device" in options:  # the sound must reach coachtest although it is not the default
        subprocess.run(["pactl", "set-default-sink", "other"], env=pulse, check=True)
    cues = tmp_path / "check.cues"
    cues.write_text(CUES)
    timeline = _timeline(cues)  # fills the clip cache, so the player speaks the same clips
    expected = _onsets(BlockMixer(timeline).render(0, timeline.length))
    assert len(expected) == len(timeline.cues) == 7

    recording = tmp_path / "monitor.raw"
    said = _record(
        pulse,
        recording,
        [sys.executable, "-m", "coach", "play", str(cues), "--engine", "pyttsx3", *options],
    )
    assert f"on {heard_on}" in said, said
    heard = _onsets(np.fromfile(recording, dtype="<i2"))
    spans = f"heard {_spans(heard)}, expected {_spans(expected)}; coach said: {said}"
    assert len(heard) == len(expected), spans
    shift = heard[0][0] - expected[0][0]
    errors = [round((h[0] - shift - e[0]) * 1000, 1) for h, e in zip(heard, expected, strict=True)]
    print(f"onset error per cue (ms, first cue aligned): {errors}")
    for (start, end), (want_start, want_end) in zip(heard, expected, strict=True):
        assert abs(start - shift - want_start) <= TOLERANCE, spans
        # Not clipped: each cue lasts as long as it should.
        assert abs((end - start) - (want_end - want_start)) <= TOLERANCE, spans


WRONG_DEVICE = ("--output", "pulse", "--device", "speakers")


def test_devices_lists_the_sinks_and_a_wrong_device_lists_the_names(
    pulse: dict[str, str], tmp_path: Path
) -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "coach", "devices"],
        env=pulse,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("PulseAudio sinks (--output pulse), server ")
    assert lines[1:3] == ["  other      Null Output", "  coachtest  Null Output  (default)"]
    cues = tmp_path / "check.cues"
    cues.write_text(CUES)
    played = subprocess.run(
        [sys.executable, "-m", "coach", "play", str(cues), "--engine", "fake", *WRONG_DEVICE],
        env=pulse,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert played.returncode == 2
    assert played.stderr == (
        "--device speakers: no sink named 'speakers' (its sinks: 'other', 'coachtest'); "
        "`coach devices` lists them\n"
    )


def test_a_stall_is_reported_as_the_output_running_dry(
    pulse: dict[str, str], tmp_path: Path
) -> None:
    """coach frozen for a second (SIGSTOP, as a starved machine would) while PulseAudio
    plays: the cues after it are late, and coach says so at the end."""
    cues = tmp_path / "stall.cues"
    cues.write_text(
        'coach-cues 1\ntitle "Stall"\nroutine "stall"\nlevel 1\n\nchapter "A"\n'
        'say name "One two three." gap=3.0\nsay name "Four." gap=0.2\n'
    )
    with subprocess.Popen(
        [sys.executable, "-m", "coach", "play", str(cues), "--engine", "fake"],
        env=pulse,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert "1/1  A" in child.stdout.readline()  # playing
        time.sleep(0.5)
        child.send_signal(signal.SIGSTOP)
        time.sleep(1.0)
        child.send_signal(signal.SIGCONT)
        _out, errors = child.communicate(timeout=30)
    assert child.returncode == 0, errors
    assert "note: the audio output ran dry 1 time(s)" in errors, errors


def _bed_file(path: Path) -> Path:
    """Four seconds of a chord that swells and fades, looped under the session."""
    import wave

    t = np.arange(4 * RATE) / RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (196.0, 247.0, 294.0))
    tone = 7000 * chord / 3 * (0.7 + 0.3 * np.sin(2 * np.pi * 0.25 * t))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone.astype("<i2").tobytes())
    return path


def _record(pulse: dict[str, str], recording: Path, command: list[str]) -> str:
    """Run `command` while recording coachtest's monitor; its stderr."""
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
                command,
                env=pulse,
                capture_output=True,
                text=True,
                timeout=900,
                stdin=subprocess.DEVNULL,
            )
            time.sleep(0.3)
        finally:
            parec.terminate()
            zeros.terminate()
    assert played.returncode == 0, played.stderr
    return played.stderr


def _lag(heard: np.ndarray, wanted: np.ndarray) -> int:
    """The shift (samples) that best lines `wanted` up inside `heard`, by cross-correlation."""
    size = 1 << (heard.shape[0] + wanted.shape[0]).bit_length()
    spectrum = np.fft.rfft(heard.astype(np.float64), size)
    spectrum *= np.conj(np.fft.rfft(wanted.astype(np.float64), size))
    return int(np.argmax(np.fft.irfft(spectrum, size)[: heard.shape[0]]))


@pytest.mark.parametrize("with_music", [False, True], ids=["voice", "music"])
def test_live_is_as_loud_as_the_file_and_every_cue_on_time(
    pulse: dict[str, str], tmp_path: Path, with_music: bool
) -> None:
    """The sound card gets the file's mix chain: the recording of `coach play` is within
    1 LU of the MP3 of the same script (ffmpeg's ebur128 on both), and every cue is
    where the file has it, within 30 ms."""
    import wave

    from test_render_support import loudness

    from coach.audio.levels import plan_mix
    from coach.audio.music import analyse_music

    pytest.importorskip("pyttsx3")
    if shutil.which("espeak-ng") is None and shutil.which("espeak") is None:
        pytest.skip("espeak-ng is not installed")
    cues = tmp_path / "check.cues"
    cues.write_text(CUES)
    music = ["--music", str(_bed_file(tmp_path / "bed.wav"))] if with_music else []
    coach = [sys.executable, "-m", "coach"]
    rendered = subprocess.run(
        [
            *coach,
            "render",
            str(cues),
            "--engine",
            "pyttsx3",
            "-o",
            str(tmp_path / "out"),
            "-q",
            *music,
        ],
        env=pulse,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rendered.returncode == 0, rendered.stderr
    (mp3,) = (tmp_path / "out").glob("*.mp3")
    recording = tmp_path / "monitor.raw"
    said = _record(pulse, recording, [*coach, "play", str(cues), "--engine", "pyttsx3", *music])
    heard = np.fromfile(recording, dtype="<i2")
    live = tmp_path / "live.wav"
    with wave.open(str(live), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(heard.tobytes())
    file_lufs, live_lufs = loudness(mp3), loudness(live)
    print(f"integrated loudness: file {file_lufs} LUFS, live {live_lufs} LUFS")
    assert abs(live_lufs - file_lufs) <= 1.0, said

    timeline = _timeline(cues)
    info = analyse_music(Path(music[1]), RATE) if music else None
    mixer = plan_mix(timeline, info).mixer()
    try:
        mix = mixer.render(0, timeline.length)
    finally:
        mixer.close()
    shift = _lag(heard, mix)
    late = []
    for cue in timeline.cues:  # each cue's first 0.3 s, searched for within 0.1 s of its place
        near = RATE // 10
        wanted = mix[cue.start : cue.start + 3 * near]
        lo = shift + cue.start - near
        found = lo + _lag(heard[lo : lo + 5 * near], wanted)
        late.append(round((found - shift - cue.start) / RATE * 1000, 1))
    print(f"cue offsets from the file (ms, whole session aligned): {late}")
    assert all(abs(ms) <= TOLERANCE * 1000 for ms in late), (late, said)
