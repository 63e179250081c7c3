"""Sessions rendered with the fake voice into a folder, for the `coach serve` tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from coach.cli import cli

ROUTINES = ("tabata", "cool-down-stretch")  # rendered in this order: the second is newer


def render_sessions(out: Path, cache: Path, *routines: str) -> None:
    """`coach render ROUTINE --engine fake -o out` for each routine, oldest first."""
    env = {"COACH_CACHE_DIR": str(cache / "cache"), "COACH_DATA_DIR": str(cache / "data")}
    for number, routine in enumerate(routines or ROUTINES):
        args = ["render", routine, "--engine", "fake", "-o", str(out), "-q"]
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 0, result.output
        stamp = 1_700_000_000 + number * 1000  # distinct ages, whatever the clock's grain
        os.utime(out / f"{routine}.mp3", (stamp, stamp))


def timeline(out: Path, routine: str) -> dict[str, Any]:
    """The timeline `coach render` wrote for `routine`, read from the disk."""
    document: dict[str, Any] = json.loads(
        (out / f"{routine}.timeline.json").read_text(encoding="utf-8")
    )
    return document
