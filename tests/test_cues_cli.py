"""`coach show` and `coach validate` given a .cues file: its plan, or its located problems."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coach.cli import cli

EDITED = """coach-cues 1
title "Squats, edited"
routine "squats"
level 2

chapter "Intro"
say intro "Squats." gap=0.8

chapter "Squat"
say name "Squat." gap=0.6
window prepare 5.000 "get ready"
  @2.000 p100 countdown "Three"
window work 30.000 "Squat, set 1 of 2"
  @0.000 p100 go "Go!"
  @1.500 p80 count "One"
  @0.000 tone 880 0.15
window rest 20.000 "rest"
window work 30.000 "Squat, set 2 of 2"
"""


def write(tmp_path: Path, text: str = EDITED) -> Path:
    path = tmp_path / "edited.cues"
    path.write_text(text, encoding="utf-8")
    return path


def test_show_prints_the_chapters_windows_and_length(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["show", str(write(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Squats, edited (squats)"
    assert lines[1].startswith("Cue script · level 2 · 2 chapters · 4 windows (1 min 25 s) · about")
    # nothing cached: the compiler's guess for "Squats." (0.35 s + 7 characters at 14 a
    # second) and its 0.8 s gap
    assert lines[3].split() == ["1.", "Intro", "speech", "~1.7", "s"]
    assert lines[4].startswith("    2. Squat  4 windows, 1 min 25 s · speech ~")


def test_show_json_gives_exact_window_seconds(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["show", "--json", str(write(tmp_path))])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert (plan["title"], plan["routine"], plan["level"]) == ("Squats, edited", "squats", 2)
    assert plan["window_seconds"] == 85.0
    assert [(c["title"], c["windows"], c["cues"]) for c in plan["chapters"]] == [
        ("Intro", 0, 0),
        ("Squat", 4, 3),
    ]
    assert plan["estimated_seconds"] > 85.0  # speech comes on top of the windows


def test_show_a_script_refuses_a_level(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path)
    result = runner.invoke(cli, ["show", str(path), "--level", "1"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: --level applies to a routine;")


def test_validate_reads_a_script(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path)
    result = runner.invoke(cli, ["validate", str(path)])
    assert (result.exit_code, result.stdout) == (0, f"{path}: ok\n")


def test_validate_and_show_report_a_bad_script_by_line(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, EDITED.replace("window rest 20.000", "window rest 1e7"))
    for command in ("validate", "show"):
        result = runner.invoke(cli, [command, str(path)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"{path}:17:13: the window's duration must be from 0 to 3600 s, not 1e7\n"
        )


def test_a_compiled_script_shows_the_same_chapters_as_the_routine(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "tabata.cues"
    assert runner.invoke(cli, ["compile", "tabata", "--no-check", "-o", str(out)]).exit_code == 0
    plan = json.loads(runner.invoke(cli, ["show", "--json", str(out)]).stdout)
    titles = [c["title"] for c in plan["chapters"]]
    assert titles[0] == "Intro" and titles[-1] == "Finish" and len(titles) == 13
    # warm-up: 45 s march + 5 s rest + 30 s squats + 15 s rest; 8 x (20 s work + 10 s rest)
    # less the last rest; 15 s rest + 60 s walk; before each of the 4 moves a prepare
    # window of its get_ready (5 s) and the countdown (3 s)
    assert plan["window_seconds"] == 45 + 5 + 30 + 15 + 8 * 20 + 7 * 10 + 15 + 60 + 4 * (5 + 3)
