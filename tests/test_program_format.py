"""The program format: bad programs give one located message each (FILE:LINE:COL), exit 2,
no traceback; every built-in program loads and compiles at its levels."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROUTINES

from coach.cli import cli

ROUTINE = """\
title: Lower body
exercises:
  - name: Squat
    sets: 3
    reps: 12
  - name: Wall sit
    work: 45s
"""

HEAD = "title: Weeks\nroutine: lower-body.yaml\nweeks: 4\n"

# (program text, line, column, words the message must hold)
BAD: dict[str, tuple[str, int, int, str]] = {
    "unknown-key": (HEAD + "progresion:\n  reps: +2\n", 4, 1, "did you mean 'progression'"),
    "duplicate-key": (HEAD + "weeks: 5\n", 4, 1, "duplicate key 'weeks'"),
    "missing-title": ("routine: lower-body.yaml\nweeks: 4\n", 1, 1, "missing 'title'"),
    "routine-and-schedule": (
        HEAD + "schedule:\n  - routine: lower-body.yaml\n",
        2,
        1,
        "either schedule",
    ),
    "weeks-zero": ("title: W\nroutine: lower-body.yaml\nweeks: 0\n", 3, 8, "at least 1"),
    "weeks-words": ("title: W\nroutine: lower-body.yaml\nweeks: four\n", 3, 8, "whole number"),
    "step-words": (HEAD + "progression:\n  reps: 2 every other week\n", 5, 9, "not a step"),
    "sets-percent": (HEAD + "progression:\n  sets: +10%\n", 5, 9, "whole numbers"),
    "step-down": (HEAD + "progression:\n  reps: -2\n", 5, 9, "goes down"),
    "level-three": (HEAD + "progression:\n  level: 3 from week 2\n", 5, 10, "levels 1 and 2"),
    "level-past-end": (HEAD + "progression:\n  level: 2 from week 9\n", 5, 10, "week 9"),
    "deload-week-one": (HEAD + "progression:\n  deload: [1]\n", 5, 12, "week 1 cannot"),
    "deload-past-end": (HEAD + "progression:\n  deload: [7]\n", 5, 12, "at most 4"),
    "override-unknown": (
        HEAD + "exercises:\n  Sqat:\n    reps: +4\n",
        5,
        3,
        "did you mean 'Squat'",
    ),
    "routine-missing": (
        "title: W\nroutine: missing.yaml\nweeks: 4\n",
        2,
        10,
        "does not exist",
    ),
    "week-both": (
        "title: W\nschedule:\n  - routine: lower-body.yaml\n    sessions: [lower-body.yaml]\n",
        4,
        5,
        "either routine",
    ),
    "inline-routine-bad": (
        "title: W\nschedule:\n  - routine:\n      title: Inline\n      exercises:\n"
        "        - name: Run\n          wrok: 60s\n",
        7,
        11,
        "did you mean 'work'",
    ),
    "syntax": ("title: W\nroutine: [lower-body.yaml\nweeks: 4\n", 3, 6, ""),
    "empty": ("", 1, 1, "file is empty"),
    "past-the-limit": (
        "title: W\nroutine: lower-body.yaml\nweeks: 8\nprogression:\n  reps: +100\n",
        5,
        9,
        "past the limit of 500",
    ),
    "no-sessions": ("title: W\n", 1, 1, "no sessions"),
    "schedule-not-list": ("title: W\nschedule: lower-body.yaml\n", 2, 11, "must be a list"),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "lower-body.yaml").write_text(ROUTINE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_program_is_one_located_message(
    case: str, folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, line, column, words = BAD[case]
    monkeypatch.chdir(folder)
    (folder / f"{case}.program.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["program", "show", f"{case}.program.yaml"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert all(line.startswith(f"{case}.program.yaml:") for line in lines), result.stderr
    located = [x for x in lines if x.startswith(f"{case}.program.yaml:{line}:{column}: ")]
    assert located, result.stderr
    assert words in located[0]


def test_every_command_that_takes_a_program_reports_the_same_located_error(
    folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    (folder / "bad.program.yaml").write_text(HEAD + "progression:\n  reps: lots\n", "utf-8")
    for args in (
        ["next", "bad.program.yaml"],
        ["show", "bad.program.yaml"],
        ["compile", "bad.program.yaml", "--no-check"],
        ["log", "done", "bad.program.yaml"],
        ["validate", "bad.program.yaml"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("bad.program.yaml:5:9: reps: 'lots' is not a step")


def test_a_routine_file_with_program_keys_says_how_to_name_a_program(
    folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    (folder / "weeks.yaml").write_text(HEAD, encoding="utf-8")
    result = runner.invoke(cli, ["show", "weeks.yaml"])
    assert result.exit_code == 2
    assert "ends in .program.yaml" in result.stderr


BUILTIN = sorted((ROUTINES / "programs").glob("*.program.yaml"))


def test_built_in_program_names_never_shadow_a_built_in_routine() -> None:
    routines = {path.stem for path in ROUTINES.glob("*.yaml")}
    programs = {path.name.removesuffix(".program.yaml") for path in BUILTIN}
    assert len(programs) >= 4
    assert not routines & programs


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.name)
def test_every_built_in_program_validates(path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
