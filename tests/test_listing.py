"""`coach list` remembers a clean listing and notices when anything it came from changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from coach.cli import cli
from coach.listing import FILE_NAME


def _cache() -> Path:
    return Path(os.environ["COACH_CACHE_DIR"]) / FILE_NAME


def test_a_remembered_listing_prints_the_same_table(runner: CliRunner) -> None:
    first = runner.invoke(cli, ["list"])
    assert first.exit_code == 0, first.output
    assert _cache().is_file()
    second = runner.invoke(cli, ["list"])
    assert second.exit_code == 0
    assert second.output == first.output


def test_the_remembered_rows_are_what_list_prints(runner: CliRunner) -> None:
    runner.invoke(cli, ["list"])
    data = json.loads(_cache().read_text(encoding="utf-8"))
    data["rows"] = [["marker-routine", "Marker", "1", "about 1 min"]]
    _cache().write_text(json.dumps(data), encoding="utf-8")
    assert "marker-routine" in runner.invoke(cli, ["list"]).output


@pytest.mark.parametrize("damage", ["signature", "garbage"])
def test_a_stale_or_broken_memory_is_not_used(runner: CliRunner, damage: str) -> None:
    runner.invoke(cli, ["list"])
    if damage == "signature":
        data = json.loads(_cache().read_text(encoding="utf-8"))
        data["signature"][-1] += "x"  # as if a file had changed
        data["rows"] = [["marker-routine", "Marker", "1", "about 1 min"]]
        _cache().write_text(json.dumps(data), encoding="utf-8")
    else:
        _cache().write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0
    assert "marker-routine" not in result.output
    assert "seven-minute" in result.output


def _checkout(tmp_path: Path) -> Path:
    """A copy of this checkout (package, routines, pyproject) whose files a test may edit."""
    copy = tmp_path / "checkout"
    shutil.copytree(REPO / "coach", copy / "coach", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "routines", copy / "routines")
    shutil.copy2(REPO / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _list(checkout: Path) -> str:
    """What `coach list` prints, run as a user would from the checkout's folder."""
    command = [sys.executable, "-m", "coach", "list"]
    result = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_an_edited_or_added_routine_shows_in_the_next_listing(tmp_path: Path) -> None:
    """The remembered listing is only a shortcut: after a routine file is edited (even to
    the same size, as an editor saves a one-letter fix) or added, `coach list` shows what
    the files now say."""
    checkout = _checkout(tmp_path)
    routines = checkout / "routines"
    assert "Tabata " in _list(checkout)
    assert _cache().is_file()

    tabata = routines / "tabata.yaml"
    saved = tabata.stat().st_mtime_ns
    tabata.write_text(
        tabata.read_text(encoding="utf-8").replace("title: Tabata\n", "title: Tabota\n", 1),
        encoding="utf-8",
    )
    os.utime(tabata, ns=(saved + 10**9, saved + 10**9))  # saved a second later
    listed = _list(checkout)
    assert "Tabota " in listed and "Tabata " not in listed

    extra = (routines / "seven-minute.yaml").read_text(encoding="utf-8")
    (routines / "my-extra.yaml").write_text(
        extra.replace("title: Seven-minute workout", "title: My extra", 1), encoding="utf-8"
    )
    listed = _list(checkout)
    assert "my-extra" in listed and "My extra" in listed
