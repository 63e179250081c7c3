"""The issue's example program through the commands: `program show --json`, `next` as
sessions are marked done or stopped, the next session's cue script, renders of a week,
and `coach play` logging what it played."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from coach.cli import cli

ROUTINE = """\
title: Lower body
settings: {tempo: 2s, rest: 10s, rest_between_exercises: 10s}
exercises:
  - name: Squat
    sets: 3
    reps: 12
    notch:
      name: Jump squat
  - name: Wall sit
    sets: 2
    work: 45s
    notch:
      name: Single-leg wall sit
"""

EXAMPLE = """\
title: Four weeks of lower body
routine: lower-body.yaml          # a path relative to this file, or a built-in name
weeks: 4
sessions_per_week: 2
progression:
  reps: +2                        # every week: +2 reps on every counted exercise
  sets: +1 every 2 weeks          # week 3 has one set more than weeks 1-2
  work: +10%                      # timed work grows 10 % a week
  level: 2 from week 3            # the notch variants from week 3 on
"""

PROGRAM = "four-weeks.program.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "lower-body.yaml").write_text(ROUTINE, encoding="utf-8")
    (tmp_path / PROGRAM).write_text(EXAMPLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_the_example_shows_eight_sessions_harder_each_week(folder: Path, runner: CliRunner) -> None:
    data = _json(runner, "program", "show", PROGRAM, "--json")
    assert data["title"] == "Four weeks of lower body"
    sessions = data["sessions"]
    assert isinstance(sessions, list)
    got = [
        (
            s["week"],
            s["day"],
            s["level"],
            [(e["name"], e["sets"], e.get("reps"), e.get("work")) for e in s["exercises"]],
        )
        for s in sessions
    ]
    # by hand: reps 12 + 2 a week; sets +1 from week 3; 45 s * 1.1^n rounded half up
    # (49.5 -> 50, 54.45 -> 54, 59.895 -> 60); the notch variants from week 3
    weeks = {
        1: (1, [("Squat", 3, 12, None), ("Wall sit", 2, None, 45.0)]),
        2: (1, [("Squat", 3, 14, None), ("Wall sit", 2, None, 50.0)]),
        3: (2, [("Jump squat", 4, 16, None), ("Single-leg wall sit", 3, None, 54.0)]),
        4: (2, [("Jump squat", 4, 18, None), ("Single-leg wall sit", 3, None, 60.0)]),
    }
    expected = [(w, d, weeks[w][0], weeks[w][1]) for w in range(1, 5) for d in (1, 2)]
    assert got == expected
    lengths = [s["estimated_seconds"] for s in sessions]
    assert all(isinstance(x, float) and x > 0 for x in lengths)
    assert lengths[0] < lengths[2] < lengths[4] < lengths[6]  # longer every week


def test_next_walks_through_the_sessions_as_they_are_done(folder: Path, runner: CliRunner) -> None:
    seen = []
    for _ in range(8):
        upcoming = _json(runner, "next", PROGRAM, "--json")
        seen.append((upcoming["week"], upcoming["day"], upcoming["done"]))
        result = runner.invoke(cli, ["log", "done", PROGRAM])
        assert result.exit_code == 0, result.output
    assert seen == [(w, d, 2 * (w - 1) + d - 1) for w in range(1, 5) for d in (1, 2)]
    finished = _json(runner, "next", PROGRAM, "--json")
    assert finished["complete"] is True and finished["done"] == 8
    again = runner.invoke(cli, ["log", "done", PROGRAM])
    assert again.exit_code == 1 and "already done" in again.stderr
    # undo takes back the last one: W4D2 is next again, and the log still holds it
    assert runner.invoke(cli, ["log", "undo"]).exit_code == 0
    upcoming = _json(runner, "next", PROGRAM, "--json")
    assert (upcoming["week"], upcoming["day"]) == (4, 2)
    everything = json.loads(runner.invoke(cli, ["log", "--json"]).stdout)
    assert len(everything) == 8 and everything[-1]["undone_at"] is not None


def test_next_says_what_changed_since_the_last_session(folder: Path, runner: CliRunner) -> None:
    for _ in range(4):
        runner.invoke(cli, ["log", "done", PROGRAM])
    upcoming = _json(runner, "next", PROGRAM, "--json")
    assert (upcoming["week"], upcoming["day"]) == (3, 1)
    assert upcoming["changes"] == [
        "level 1 -> 2 (harder variants)",
        "Jump squat: 3 x 14 reps -> 4 x 16 reps",
        "Single-leg wall sit: 2 x 50 s -> 3 x 54 s",
    ]
    text = runner.invoke(cli, ["next", PROGRAM]).stdout
    assert "Next: week 3, day 1" in text and "Since W2D2:" in text


def _work_windows(cues: str) -> list[tuple[str, int, int]]:
    """(exercise, reps, the rep the set's final call lands on) of every counted work window
    of a cue script: the coach says "last one" at the start of the set's last rep."""
    out = []
    for block in re.split(r"\n(?=window )", cues):
        head = block.splitlines()[0]
        found = re.match(r'window work .* exercise="([^"]+)".* reps=(\d+) tempo=([\d.]+)', head)
        if found:
            hold = re.search(r" hold=([\d.]+)", head)
            rep = float(found.group(3)) + (float(hold.group(1)) if hold else 0.0)
            calls = [float(at) for at in re.findall(r"@([\d.]+) p\d+ last_reps ", block)]
            out.append((found.group(1), int(found.group(2)), round(max(calls) / rep) + 1))
    return out


def test_the_next_sessions_cue_script_counts_to_the_progressed_reps(
    folder: Path, runner: CliRunner
) -> None:
    for _ in range(2):
        runner.invoke(cli, ["log", "done", PROGRAM])
    result = runner.invoke(cli, ["compile", PROGRAM, "--no-check"])
    assert result.exit_code == 0, result.output
    assert 'title "Lower body, week 2, day 1"' in result.stdout
    windows = _work_windows(result.stdout)
    assert windows == [("Squat", 14, 14)] * 3
    work = re.findall(r'window work ([\d.]+) "Wall sit', result.stdout)
    assert work == ["50.000", "50.000"]


def test_render_a_week_as_numbered_files_with_track_numbers(
    folder: Path, runner: CliRunner
) -> None:
    mutagen = pytest.importorskip("mutagen.id3")
    result = runner.invoke(
        cli, ["render", PROGRAM, "--week", "3", "--engine", "fake", "-o", "out", "-q"]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (folder / "out" / "four-weeks").glob("*.mp3"))
    assert files == ["w3d1-lower-body-level-2.mp3", "w3d2-lower-body-level-2.mp3"]
    tags = mutagen.ID3(folder / "out" / "four-weeks" / files[1])
    assert str(tags["TRCK"]) == "6/8"
    assert str(tags["TALB"]) == "Four weeks of lower body"
    assert str(tags["TIT2"]) == "W3D2 Lower body (level 2)"
    plan = json.loads(
        (folder / "out" / "four-weeks" / "w3d1-lower-body-level-2.timeline.json").read_text()
    )
    reps = {w["exercise"]: w.get("reps") for w in plan["windows"] if w["kind"] == "work"}
    assert reps["Jump squat"] == 16


def test_render_all_needs_a_program(folder: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["render", "lower-body.yaml", "--all", "--engine", "fake"])
    assert result.exit_code == 2
    assert "sessions of a program" in result.stderr


def _play(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coach",
            "play",
            PROGRAM,
            "--engine",
            "fake",
            "--output",
            "null",
            *args,
        ],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_play_logs_a_stopped_session_and_next_offers_it_again(
    folder: Path, runner: CliRunner
) -> None:
    player = _play(folder, "--start-at", "2")
    deadline = time.monotonic() + 30
    assert player.stdout is not None
    while time.monotonic() < deadline:  # wait until chapter 2 is heard
        if "2/" in player.stdout.readline():
            break
    time.sleep(1.0)
    player.send_signal(signal.SIGTERM)
    player.communicate(timeout=30)
    entries = json.loads(runner.invoke(cli, ["log", "--json"]).stdout)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["week"], entry["day"], entry["how"], entry["finished"]) == (1, 1, "played", False)
    assert entry["chapter"] == 2 and entry["chapter_title"] == "Squat"
    assert entry["seconds"] > 0
    upcoming = _json(runner, "next", PROGRAM, "--json")
    assert upcoming["again"] is True and (upcoming["week"], upcoming["day"]) == (1, 1)
    assert "stopped" in runner.invoke(cli, ["next", PROGRAM]).stdout


def test_play_logs_a_finished_session_and_next_moves_on(folder: Path, runner: CliRunner) -> None:
    start = _json(runner, "show", PROGRAM, "--json")
    assert start["title"] == "Lower body, week 1, day 1"
    player = _play(folder, "--start-at", "4")  # the last chapter: the end comes soon
    _, err = player.communicate(timeout=60)
    assert player.returncode == 0, err
    entries = json.loads(runner.invoke(cli, ["log", "--json"]).stdout)
    assert [(e["week"], e["day"], e["finished"]) for e in entries] == [(1, 1, True)]
    upcoming = _json(runner, "next", PROGRAM, "--json")
    assert (upcoming["week"], upcoming["day"], upcoming["again"]) == (1, 2, False)
