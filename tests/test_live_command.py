"""`coach play` end to end with the fake engine and the null output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_portaudio

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


def test_no_sound_device_is_one_error_with_the_fix(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    require_portaudio()  # without the library the message is about installing it
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/no-such-server")
    probe = subprocess.run(
        [sys.executable, "-c", "import sounddevice as s; print(s.query_devices(kind='output'))"],
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode == 0:
        pytest.skip("this machine has a sound device of its own")
    result = subprocess.run(
        [sys.executable, "-m", "coach", "play", str(_cues(tmp_path)), "--engine", "fake"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no audio output device found")
    assert "libasound2-plugins" in result.stderr and "--output null" in result.stderr
    assert "Traceback" not in result.stderr
