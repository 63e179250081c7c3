"""`coach play` end to end with the fake engine and the null output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli

CUES = """coach-cues 1
title "Short"
routine "short"
level 1

chapter "Warm-up"
say name "Up." gap=0.2
chapter "Squats"
say name "Squats." gap=0.1
window work 0.500 "set 1 of 1"
  @0.000 p100 go "Go!"
chapter "Done"
say name "Done." gap=0.1
"""
FAKE_NULL = ("--engine", "fake", "--output", "null")


def _cues(tmp_path: Path) -> Path:
    path = tmp_path / "short.cues"
    path.write_text(CUES)
    return path


def test_play_a_cues_file_without_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    result = runner.invoke(
        cli,
        ["play", str(_cues(tmp_path)), *FAKE_NULL, "--events", str(events)],
    )
    assert result.exit_code == 0, result.output
    lines = [line.split(maxsplit=2)[1:] for line in result.stdout.splitlines()]
    assert lines == [["1/3", "Warm-up"], ["2/3", "Squats"], ["3/3", "Done"], ["done"]]
    logged = [json.loads(line) for line in events.read_text().splitlines()]
    said = [(e["text"], e["position"]) for e in logged if e["kind"] == "cue"]
    up = 3 * 50 * 22050 // 1000  # the fake engine: 50 ms per character
    assert said[:2] == [("Up.", 0), ("Squats.", up + round(0.2 * 22050))]
    assert [e["text"] for e in logged if e["kind"] == "cue"] == ["Up.", "Squats.", "Go!", "Done."]


def test_start_at_a_chapter_by_name(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["play", str(_cues(tmp_path)), *FAKE_NULL, "--start-at", "done"],
    )
    assert result.exit_code == 0, result.output
    assert [line.split()[-1] for line in result.stdout.splitlines()] == ["Done", "done"]


def test_bad_output_and_start_are_input_errors(runner: CliRunner, tmp_path: Path) -> None:
    cues = str(_cues(tmp_path))
    result = runner.invoke(cli, ["play", cues, "--engine", "fake", "--output", "speakers"])
    assert result.exit_code == 2
    assert (
        "unknown output 'speakers'; known outputs: default, pulse, portaudio, null" in result.stderr
    )
    result = runner.invoke(
        cli, ["play", cues, "--engine", "fake", "--output", "null", "--start-at", "9:00"]
    )
    assert result.exit_code == 2
    assert "--start-at 9:00: the session is only" in result.stderr


def _no_outputs(tmp_path: Path) -> dict[str, str]:
    """An environment where no server answers and PortAudio's library is missing."""
    import os

    # A sounddevice that fails to load as it does without libportaudio2, on any machine.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    repo = Path(__file__).resolve().parent.parent
    return dict(
        os.environ,
        PULSE_SERVER=f"unix:{tmp_path}/no-such-server",
        PYTHONPATH=os.pathsep.join([str(broken), str(repo)]),
    )


def test_devices_without_any_output_says_why_for_each(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "coach", "devices"],
        env=_no_outputs(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: no audio output works here:"
    assert lines[1].startswith("  PulseAudio (--output pulse): ")
    assert lines[2].startswith("  PortAudio (--output portaudio): cannot load the PortAudio")
    assert lines[3:] == ["Or use --output null for a silent run."]
    assert result.stdout == ""


def test_no_sound_device_is_one_error_with_the_fix(tmp_path: Path) -> None:
    """No server answers and PortAudio's library is missing: one message naming both."""
    import ctypes.util
    import subprocess
    import sys

    env = _no_outputs(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "coach", "play", str(_cues(tmp_path)), "--engine", "fake"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: no audio output works here. Tried:", result.stderr
    tried = {line.split(":")[0].strip(): line for line in lines[1:-1]}
    assert list(tried) == (["pulse", "portaudio"] if sys.platform == "linux" else ["portaudio"])
    if sys.platform == "linux":
        if ctypes.util.find_library("pulse"):
            assert "cannot connect to a PulseAudio server" in tried["pulse"]
            assert "PULSE_SERVER" in tried["pulse"] and "pactl info" in tried["pulse"]
        else:
            assert "apt install libpulse0" in tried["pulse"]
        assert "apt install libportaudio2" in tried["portaudio"]
    assert "cannot load the PortAudio library" in tried["portaudio"]
    assert lines[-1] == "Or use --output null for a silent run."
    assert "Playing" not in result.stderr and "Traceback" not in result.stderr


def test_null_output_takes_no_device(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["play", str(_cues(tmp_path)), *FAKE_NULL, "--device", "speakers"])
    assert result.exit_code == 2
    assert result.stderr == "--device speakers: --output null has no devices\n"


def test_a_hostile_title_is_shown_not_obeyed(runner: CliRunner, tmp_path: Path) -> None:
    """Control characters in titles reach the terminal as escapes, never as commands."""
    cues = tmp_path / "evil.cues"
    evil = CUES.replace('title "Short"', r'title "Evil\u001b]0;pwned\u0007\u001b[2J"')
    cues.write_text(evil.replace('chapter "Done"', r'chapter "Do\u001b[2Jne"'))
    result = runner.invoke(cli, ["play", str(cues), *FAKE_NULL])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"Playing 'Evil\x1b]0;pwned\x07\x1b[2J' on null" in result.stderr
    assert r"3/3  Do\x1b[2Jne" in result.stdout


def test_default_output_tries_each_and_names_every_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A device no output has is bad input (exit 2); an output that cannot play makes
    it a runtime failure (exit 1). Either way every output tried is named with why."""
    from coach.errors import CoachError, InputError
    from coach.live import outputs, sinks

    def unknown(output: str, names: list[str]) -> type[sinks.Sink]:
        class Unknown(sinks.Sink):
            NAME = output

            @classmethod
            def open(cls, sample_rate: int, device: str | None) -> sinks.Sink:
                raise sinks.UnknownDevice(output, str(device), "device", names)

        return Unknown

    class Unavailable(sinks.Sink):
        NAME = "portaudio"

        @classmethod
        def open(cls, sample_rate: int, device: str | None) -> sinks.Sink:
            raise sinks.OutputUnavailable("portaudio", "cannot load it", "install it")

    monkeypatch.setattr(outputs, "default_tries", lambda: ["pulse", "portaudio"])
    monkeypatch.setitem(outputs.OUTPUTS, "pulse", lambda: unknown("pulse", ["a", "b"]))
    monkeypatch.setitem(outputs.OUTPUTS, "portaudio", lambda: unknown("portaudio", ["c"]))
    with pytest.raises(InputError) as wrong:
        outputs.open_output("default", 22050, "x")
    assert str(wrong.value) == (
        "--device x: no output has a device by that name. Tried:\n"
        "  pulse: no device named 'x' (its devices: 'a', 'b')\n"
        "  portaudio: no device named 'x' (its devices: 'c')\n"
        "`coach devices` lists them."
    )
    monkeypatch.setitem(outputs.OUTPUTS, "portaudio", lambda: Unavailable)
    with pytest.raises(CoachError) as failed:
        outputs.open_output("default", 22050, "x")
    assert not isinstance(failed.value, InputError)
    assert str(failed.value) == (
        "no audio output works here. Tried:\n"
        "  pulse: no device named 'x' (its devices: 'a', 'b')\n"
        "  portaudio: cannot load it; install it\n"
        "Or use --output null for a silent run."
    )
