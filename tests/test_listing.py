"""`coach list` remembers a clean listing and notices when anything it came from changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.listing import FILE_NAME, signature
from coach.paths import routines_dir


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


def test_the_signature_covers_every_builtin_routine_file() -> None:
    names = {part.split(":")[0] for part in signature()}
    assert str(routines_dir()) in signature()
    for path in routines_dir().glob("*.yaml"):
        assert path.name in names
