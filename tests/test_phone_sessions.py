"""The sessions a folder of renders offers a phone: what the feed and the page list."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.phone.sessions import find_sessions

pytestmark = pytest.mark.slow


def _render(runner: CliRunner, out: Path, *args: str) -> None:
    result = runner.invoke(cli, ["render", *args, "--engine", "fake", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output


def test_program_sessions_come_in_program_order_then_lone_sessions_newest_first(
    tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "out"
    _render(runner, out, "tabata")
    _render(runner, out, "cool-down-stretch")
    os.utime(out / "tabata.mp3", (1_000_000, 1_000_000))  # tabata is the older one
    _render(runner, out, "run-walk-nine-weeks", "--week", "2")
    _render(runner, out, "seven-minute", "--split", "exercise")  # a playlist, not an episode
    (out / "junk.timeline.json").write_text("{not json")
    (out / "junk.mp3").write_bytes(b"")

    sessions = find_sessions(out)

    names = [s.mp3 for s in sessions]
    program = [n for n in names if n.startswith("run-walk-nine-weeks/")]
    assert program == names[: len(program)] and len(program) == 3
    assert [s.track for s in sessions[:3]] == [4, 5, 6]
    assert {s.tracks for s in sessions[:3]} == {27}
    assert names[3:] == ["cool-down-stretch.mp3", "tabata.mp3"]
    first = sessions[0]
    assert first.title.startswith("W2D1 ")
    assert first.size == (out / first.mp3).stat().st_size > 0
    assert first.duration == pytest.approx(first.timeline["duration"])
    assert first.sidecar(".lrc") == first.mp3[:-4] + ".lrc"
    assert (out / first.sidecar(".lrc")).exists()
