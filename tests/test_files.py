"""Files coach writes: a replaced file keeps its mode, folders are made race-free."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_render_support import make_timeline

from coach.cli import cli
from coach.files import write_atomically
from coach.render.render import render_timeline


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o640, 0o664])
def test_compile_over_an_existing_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "tabata.cues"
    target.write_text("an older script\n")
    target.chmod(mode)
    result = CliRunner().invoke(
        cli, ["compile", "tabata", "-o", str(target), "--no-check"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("#") or "say" in target.read_text()
    assert target.read_text() != "an older script\n"
    assert _mode(target) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tabata.cues"]


def test_a_new_file_gets_the_umask_default(tmp_path: Path) -> None:
    target = tmp_path / "new.cues"
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(cli, ["compile", "tabata", "-o", str(target), "--no-check"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert _mode(target) == 0o640


def test_a_render_over_earlier_files_keeps_their_modes(tmp_path: Path) -> None:
    render_timeline(make_timeline(chapters=2), tmp_path)
    made = sorted(p for p in tmp_path.iterdir())
    assert [_mode(p) for p in made] == [_default_mode()] * len(made)
    modes = {path: 0o600 + (index % 2) * 0o044 for index, path in enumerate(made)}
    for path, mode in modes.items():
        path.chmod(mode)
    render_timeline(make_timeline(chapters=2, gap=0.5), tmp_path)
    assert {path: _mode(path) for path in made} == modes


def test_write_atomically_keeps_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    write_atomically(target, b"one")
    target.chmod(0o604)
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two" and _mode(target) == 0o604
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


MAKER = """
import sys, time
from pathlib import Path
from coach.errors import CoachError
from coach.render.render import Staging
start = Path(sys.argv[1])
while not start.exists():
    time.sleep(0.001)
for index in range(300):  # the same new folders in the same order as the other processes
    try:
        Staging().make_dir(Path(sys.argv[2]) / str(index) / "deep" / "er")
    except CoachError as error:
        print(error)
        raise SystemExit(1)
"""


def test_many_processes_making_the_same_new_output_folders_all_succeed(tmp_path: Path) -> None:
    start = tmp_path / "go"
    target = tmp_path / "out"
    makers = [
        subprocess.Popen(
            [sys.executable, "-c", MAKER, str(start), str(target)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(24)
    ]
    time.sleep(2.0)  # every process is waiting for the start signal
    start.touch()
    outputs = [maker.communicate(timeout=60)[0] for maker in makers]
    failed = [(m.returncode, out) for m, out in zip(makers, outputs, strict=True) if m.returncode]
    assert failed == []
    assert sorted(p.name for p in target.iterdir()) == sorted(str(n) for n in range(300))
