"""`coach copy`: a built-in routine becomes the user's own file, and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli

ROUTINES = Path(__file__).resolve().parent.parent / "routines"


def test_copy_writes_the_built_in_routine_as_it_is(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["copy", "tabata"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tabata.yaml").read_bytes() == (ROUTINES / "tabata.yaml").read_bytes()
    checked = runner.invoke(cli, ["validate", str(tmp_path / "tabata.yaml")])
    assert checked.exit_code == 0, checked.output


def test_copy_never_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("my own edits\n")
    result = runner.invoke(cli, ["copy", "tabata", str(mine)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert mine.read_text() == "my own edits\n"


def test_copy_of_an_unknown_name_lists_the_built_in_routines(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["copy", "tabbata"])
    assert result.exit_code == 2
    assert "tabata" in result.output
