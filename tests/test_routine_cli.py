"""`coach list`, `show`, `validate`, `schema`; the shipped routines checked against their seeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from coach.cli import cli
from coach.routine import builtin_routines

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "docs" / "routine.schema.json"
NAMES = [p.stem for p in builtin_routines()]


def show(runner: CliRunner, name: str, *args: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["show", name, "--json", *args])
    assert result.exit_code == 0, result.output
    plan: dict[str, Any] = json.loads(result.stdout)
    return plan


def exercises(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [ex for section in plan["sections"] for ex in section["exercises"]]


def numbers(ex: dict[str, Any]) -> tuple[Any, ...]:
    return (ex["name"], ex["sets"], ex["reps"], len(ex["sides"]), ex["alternate"], ex["hold"])


def test_the_shipped_routines_are_all_there() -> None:
    expected = {"at-home-glutes", "three-muscle-groups", "gym-glute-class"}
    expected |= {"seven-minute", "tabata", "cool-down-stretch"}
    assert expected <= set(NAMES)


def test_list_prints_a_table_of_builtins(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "TITLE", "EXERCISES", "LENGTH"]
    assert len(lines) == len(NAMES) + 1
    row = next(line for line in lines if line.startswith("seven-minute "))
    assert "Seven-minute workout" in row and " 12 " in row and "about 10 min" in row


@pytest.mark.parametrize("name", NAMES)
def test_every_shipped_routine_validates(runner: CliRunner, name: str) -> None:
    path = f"routines/{name}.yaml"
    result = runner.invoke(cli, ["validate", str(REPO / path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": ok\n")


@pytest.mark.parametrize("name", NAMES)
def test_show_json_has_the_same_numbers_as_the_text(runner: CliRunner, name: str) -> None:
    plan = show(runner, name)
    text = runner.invoke(cli, ["show", name]).stdout
    assert plan["estimate"] in text
    for ex in exercises(plan):
        assert ex["name"] in text
    assert plan["exercise_count"] == len(exercises(plan))


def test_at_home_glutes_matches_its_seed(runner: CliRunner) -> None:
    plan = show(runner, "at-home-glutes")
    assert [numbers(ex) for ex in exercises(plan)] == [
        ("Standing kickback", 3, 10, 2, False, 0.0),
        ("Side-lying clam", 2, 20, 2, False, 1.0),
        ("Squat", 2, 20, 0, False, 0.0),
        ("Glute bridge", 2, 20, 0, False, 1.0),
        ("Toe taps", 2, 10, 2, True, 0.0),
    ]
    kickback, _, _, bridge, _ = exercises(plan)
    assert kickback["rest"] == 30.0 and bridge["rest"] == 30.0
    assert plan["level"] == 1 and plan["estimate"].startswith("about ")


def test_at_home_glutes_level_two_takes_every_move_up_a_notch(runner: CliRunner) -> None:
    plan = show(runner, "at-home-glutes", "--level", "2")
    assert plan["level"] == 2
    assert [numbers(ex) for ex in exercises(plan)] == [
        ("Standing side kick", 3, 10, 2, False, 0.0),
        ("Side-lying bent leg lift", 2, 20, 2, False, 1.0),
        ("Squat with pulses", 2, 20, 0, False, 0.0),
        ("Long-hold glute bridge", 2, 20, 0, False, 5.0),
        ("Double toe taps", 2, 10, 0, False, 0.0),
    ]
    assert all(ex["variant_of"] for ex in exercises(plan))
    assert plan["estimated_seconds"] > show(runner, "at-home-glutes")["estimated_seconds"]


def test_three_muscle_groups_matches_its_seed(runner: CliRunner) -> None:
    plan = show(runner, "three-muscle-groups")
    groups = {s["title"]: [ex["name"] for ex in s["exercises"]] for s in plan["sections"]}
    assert groups == {
        "Glutes": ["Skater lunge", "Walking lunge", "Single-leg squat"],
        "Hamstrings": ["Stiff-leg deadlift", "Hamstring ball curl"],
        "Lower back": ["Superman", "Bridge"],
    }
    assert {(ex["sets"], ex["reps"]) for ex in exercises(plan)} == {(3, 20)}


def test_gym_glute_class_matches_its_seed(runner: CliRunner) -> None:
    plan = show(runner, "gym-glute-class")
    strength, bands, plyo, finisher = plan["sections"]
    assert all("Weighted" in ex["name"] for ex in strength["exercises"])
    assert [ex["name"] for ex in bands["exercises"]] == [
        "Band side leg lift",
        "Band diagonal leg lift",
        "Band kickback",
    ]
    assert all(len(ex["sides"]) == 2 for ex in bands["exercises"])
    assert plyo["rounds"] > 1 and all(ex["work"] for ex in plyo["exercises"])
    (last,) = finisher["exercises"]
    assert last["to_failure"] and last["work"] and last["reps"] is None


def test_seven_minute_is_twelve_by_thirty_seconds_with_ten_seconds_rest(runner: CliRunner) -> None:
    plan = show(runner, "seven-minute")
    moves = exercises(plan)
    assert len(moves) == 12
    assert all(ex["work"] * max(1, len(ex["sides"])) == 30.0 for ex in moves)
    assert all(ex["rest_after"] == 10.0 for ex in moves)


def test_tabata_is_eight_rounds_of_twenty_on_ten_off(runner: CliRunner) -> None:
    plan = show(runner, "tabata")
    circuit = next(s for s in plan["sections"] if s["rounds"] > 1)
    assert (circuit["rounds"], circuit["rest_between_rounds"]) == (8, 10.0)
    assert [ex["work"] for ex in circuit["exercises"]] == [20.0]


def test_cool_down_holds_each_side(runner: CliRunner) -> None:
    moves = exercises(show(runner, "cool-down-stretch"))
    held = [ex for ex in moves if ex["work"]]
    assert len(held) >= 5
    assert sum(1 for ex in held if len(ex["sides"]) == 2) >= 4


def test_show_text_lists_sets_reps_sides_holds_and_rests(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["show", "at-home-glutes"])
    assert result.exit_code == 0
    text = result.stdout
    assert "3 sets x 10 reps per side (right leg, left leg)" in text
    assert "hold 1 s" in text
    assert "rest 30 s between sets" in text
    assert "Level 1 · 5 exercises · about " in text


def test_show_a_file_and_a_bad_level(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("title: Mine\nexercises:\n  - {name: Plank, work: 45s}\n")
    result = runner.invoke(cli, ["show", str(path)])
    assert result.exit_code == 0 and "1 set of 45 s" in result.stdout
    result = runner.invoke(cli, ["show", str(path), "--level", "3"])
    assert result.exit_code == 2


def test_show_an_unknown_name_suggests_one(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["show", "seven-minutes"])
    assert result.exit_code == 2
    assert "did you mean 'seven-minute'?" in result.stderr
    assert "Traceback" not in result.output


def test_validate_reports_good_and_bad_files(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("title: G\nexercises: [{name: A, reps: 5}]\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: B\nexercises:\n  - name: A\n    reps: 5\n    wrk: 3s\n    sets: 0\n")
    result = runner.invoke(cli, ["validate", str(good), str(bad)])
    assert result.exit_code == 2
    assert result.stdout == f"{good}: ok\n"
    assert result.stderr.splitlines() == [
        f"{bad}:5:5: unknown key 'wrk' in an exercise; did you mean 'work'?",
        f"{bad}:6:11: sets must be at least 1, got 0",
    ]


def test_schema_is_valid_and_committed(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.stdout, (
        "docs/routine.schema.json is stale: run `coach schema > docs/routine.schema.json`"
    )


@pytest.mark.parametrize("name", NAMES)
def test_shipped_routines_pass_the_schema_and_point_at_it(name: str) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    path = REPO / "routines" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../docs/routine.schema.json"
    jsonschema.validate(yaml.safe_load(text), schema)


@pytest.mark.parametrize(
    "name",
    [
        *("unknown-key", "reps-and-work", "sets-zero", "missing-title", "to-failure-no-cap"),
        *("sides-number", "sides-text", "cues-too-many", "work-too-short"),
        "reminders-every-half-second",
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(name: str) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    doc = yaml.safe_load((REPO / "tests" / "malformed" / f"{name}.yaml").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


DOC = REPO / "docs" / "routines.md"


def test_the_format_reference_mentions_every_key() -> None:
    from coach.routine.spec import OBJECTS

    text = DOC.read_text(encoding="utf-8")
    missing = {k.name for keys in OBJECTS.values() for k in keys if f"`{k.name}`" not in text}
    assert not missing


def test_the_complete_examples_in_the_reference_load(tmp_path: Path) -> None:
    from coach.routine import parse_routine

    blocks = DOC.read_text(encoding="utf-8").split("```yaml\n")[1:]
    whole = [b.split("```")[0] for b in blocks]
    whole = [b for b in whole if "\ntitle:" in "\n" + b]
    assert len(whole) >= 4
    for block in whole:
        assert parse_routine(block.encode(), "doc.yaml").exercises


def test_validate_checks_phrase_override_names(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "phrases.yaml"
    path.write_text("title: T\nphrases:\n  rets: Breathe.\nexercises: [{name: A, reps: 3}]\n")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:3:3: ")
    assert "'rest'" in result.stderr
