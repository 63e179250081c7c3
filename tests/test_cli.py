"""The command line as a whole: help, version, and how runs end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from coach import __version__
from coach.cli import COMMANDS, cli


def test_coach_alone_prints_help_with_every_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, [])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coach", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "render" in result.stdout


def test_ctrl_c_during_render_exits_130_and_leaves_only_what_was_there(tmp_path: Path) -> None:
    routine = tmp_path / "long.yaml"
    routine.write_text(
        "title: Long\nexercises:\n"
        + "".join(f"  - name: Move {n}\n    work: 5m\n" for n in range(1, 13)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "render", str(routine), "--engine", "fake", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COACH_CACHE_DIR": str(tmp_path / "cache")},
    )
    deadline = time.monotonic() + 60
    while not any(p.name != "keep.txt" for p in out.iterdir()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the render never started writing"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Interrupted." in stderr
    assert "Traceback" not in stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
