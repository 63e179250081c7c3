"""`coach compile` and `coach phrases` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.cues.text import read_cues

CROWDED = """title: Crowded
exercises:
  - name: Quick lunge
    reps: 16
    tempo: 1s
    alternate: true
    sides: [right leg, left leg]
"""


def test_compile_prints_a_cue_script(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["compile", "tabata", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('coach-cues 1\ntitle "Tabata"\n')
    assert 'chapter "Intro"' in result.stdout


def test_compile_writes_a_file_that_reads_back(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "tabata.cues"
    result = runner.invoke(cli, ["compile", "tabata", "--engine", "fake", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_cues(out).routine == "tabata"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_fit_warnings_go_to_stderr_and_strict_makes_them_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    routine = tmp_path / "crowded.yaml"
    routine.write_text(CROWDED, encoding="utf-8")
    out = tmp_path / "crowded.cues"
    loose = runner.invoke(cli, ["compile", str(routine), "--engine", "fake", "-o", str(out)])
    assert loose.exit_code == 0, loose.output
    assert "warning: Quick lunge @ " in loose.stderr and "instead" in loose.stderr
    out.unlink()
    strict = runner.invoke(
        cli, ["compile", str(routine), "--engine", "fake", "--strict", "-o", str(out)]
    )
    assert strict.exit_code == 2
    assert "--strict" in strict.stderr and "Traceback" not in strict.output
    assert not out.exists()  # nothing written on failure


def test_level_two_compiles_the_notch_variants(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["compile", "at-home-glutes", "--level", "2", "--no-check"])
    assert result.exit_code == 0, result.output
    assert "level 2" in result.stdout and "Standing side kick" in result.stdout


def test_phrases_file_changes_the_words(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text('go: "Off you go!"\n', encoding="utf-8")
    result = runner.invoke(cli, ["compile", "tabata", "--no-check", "--phrases", str(mine)])
    assert result.exit_code == 0, result.output
    assert 'go "Off you go!"' in result.stdout


def test_bad_phrases_file_is_a_located_error(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text('rest: "Rest {secs}."\n', encoding="utf-8")
    result = runner.invoke(cli, ["compile", "tabata", "--no-check", "--phrases", str(mine)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{mine}:1:7: unknown placeholder {{secs}} in 'rest'")


def test_a_cues_file_compiles_to_itself(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t.cues"
    runner.invoke(cli, ["compile", "tabata", "--no-check", "-o", str(out)])
    again = runner.invoke(cli, ["compile", str(out), "--engine", "fake"])
    assert again.exit_code == 0, again.output
    assert again.stdout == out.read_text(encoding="utf-8")
    with_level = runner.invoke(cli, ["compile", str(out), "--level", "2", "--no-check"])
    assert with_level.exit_code == 2 and "already compiled" in with_level.stderr


def test_broken_cues_file_is_a_located_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.cues"
    bad.write_text('coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @9 p80 count "One"\n')
    result = runner.invoke(cli, ["compile", str(bad), "--no-check"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:4:3: @9 is beyond the end of its window")
    assert "Traceback" not in result.output


def test_phrases_prints_the_default_and_checks_a_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["phrases"])
    assert result.exit_code == 0 and "next_up:" in result.stdout
    copy = tmp_path / "copy.yaml"
    copy.write_text(result.stdout, encoding="utf-8")
    checked = runner.invoke(cli, ["phrases", str(copy)])
    assert checked.exit_code == 0 and checked.stdout == f"{copy}: ok\n"


def test_a_voice_that_cannot_start_only_skips_the_fit_check(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.errors import CoachError
    from coach.speech import engines
    from coach.speech.base import Engine, EngineOptions

    def broken(options: EngineOptions) -> Engine:
        raise CoachError("the broken engine has no voice here")

    monkeypatch.setitem(engines.ENGINES, "broken", lambda: broken)
    result = runner.invoke(cli, ["compile", "tabata", "--engine", "broken"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("coach-cues 1")
    assert "fit check skipped" in result.stderr and "no voice here" in result.stderr
    strict = runner.invoke(cli, ["compile", "tabata", "--engine", "broken", "--strict"])
    assert strict.exit_code == 1 and "no voice here" in strict.stderr
