"""`coach voices`, `coach cache info|clear` and the shared speech options."""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner

from coach.cli import cli
from coach.commands.speech_options import SpeechChoice, speech_options
from coach.speech import open_voice
from coach.speech.cache import CachedVoice


def test_voices_lists_a_table(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["voices", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "NAME", "LANGUAGES"]
    assert lines[1].startswith("fake ")
    assert lines[1].endswith("en")


def test_voices_of_an_unknown_engine_lists_the_known_ones(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["voices", "--engine", "festival"])
    assert result.exit_code == 2
    assert "unknown engine 'festival'; known engines: auto, fake, piper, pyttsx3" in result.output


def test_cache_info_and_clear(runner: CliRunner) -> None:
    voice = open_voice("fake")
    voice.prepare(["three", "two", "one"])
    info = runner.invoke(cli, ["cache", "info"])
    assert info.exit_code == 0, info.output
    assert f"location: {os.environ['COACH_CACHE_DIR']}" in info.output
    assert "clips:    3" in info.output
    cleared = runner.invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0
    assert "removed 3 clips" in cleared.output
    assert "clips:    0" in runner.invoke(cli, ["cache", "info"]).output
    fresh = open_voice("fake")
    fresh.prepare(["three"])
    assert isinstance(fresh, CachedVoice) and fresh.stats.synthesized == 1


@click.command()
@speech_options
def speak(speech: SpeechChoice) -> None:
    spoken = speech.open()
    click.echo(f"{spoken.clip('hello').frames}")


def test_speech_options_open_a_cached_voice(runner: CliRunner) -> None:
    result = runner.invoke(speak, ["--engine", "fake", "--volume", "0.5"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(5 * 50 * 22050 // 1000)


def test_speech_options_check_ranges(runner: CliRunner) -> None:
    assert runner.invoke(speak, ["--engine", "fake", "--rate", "5"]).exit_code == 2
    assert runner.invoke(speak, ["--engine", "fake", "--volume", "2"]).exit_code == 2


def test_engine_can_come_from_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(speak, [], env={"COACH_ENGINE": "fake"})
    assert result.exit_code == 0, result.output


def test_cache_clear_also_forgets_remembered_plans_and_listing(
    runner: CliRunner, tmp_path: Path
) -> None:
    cache_dir = Path(os.environ["COACH_CACHE_DIR"])
    render = runner.invoke(cli, ["render", "tabata", "--engine", "fake", "-q", "-o", str(tmp_path)])
    assert render.exit_code == 0, render.output
    assert runner.invoke(cli, ["list"]).exit_code == 0
    assert any((cache_dir / "plans").iterdir())
    assert (cache_dir / "list.json").is_file()
    assert runner.invoke(cli, ["cache", "clear"]).exit_code == 0
    assert not (cache_dir / "plans").exists()
    assert not (cache_dir / "list.json").exists()
