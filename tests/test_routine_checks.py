"""What a routine may say, seen from the command line: errors that stop it, warnings that do not.

The located errors of single mistakes are in tests/malformed/ (one file each); here are the
ones that need more than one command, a warning (exit 0), or a whole session to see.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coach.cli import cli
from coach.compiler import compile_routine
from coach.compiler.numbers import number_words
from coach.routine.model import Exercise, Reminders, Routine, Section


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args))
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


SIDES_NUMBER = "title: T\nexercises:\n  - name: Lunge\n    reps: 5\n    sides: 5\n"


@pytest.mark.parametrize("command", ["validate", "compile", "show"])
def test_a_number_of_sides_is_an_error_everywhere(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    path = write(tmp_path, SIDES_NUMBER)
    extra = ["--no-check"] if command == "compile" else []
    result = run(runner, command, str(path), *extra)
    assert result.exit_code == 2
    assert result.stdout == ""  # nothing like "Start with the 5." reaches a cue script
    assert result.stderr == (
        f"{path}:5:12: sides must be a list of side names, such as "
        "sides: [right leg, left leg], got the number 5\n"
    )


def test_a_list_of_one_side_is_fine(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, SIDES_NUMBER.replace("sides: 5", "sides: [left leg]"))
    result = run(runner, "compile", str(path), "--no-check")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("left leg") >= 1
    assert 'side="left leg"' in result.stdout  # the set's window is on that side


FAST = "title: T\nexercises:\n  - name: Squat\n    reps: 20\n    tempo: 0.2s\n"


def test_a_tempo_too_fast_to_count_stops_compile(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, FAST)
    result = run(runner, "compile", str(path), "--engine", "fake")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{path}:5:12: tempo 0.2 s is too fast to count 20 reps "
        "(saying 'seventeen' takes about 1.0 s); use tempo: 1s or more\n"
    )


COUNT_WORD = re.compile(r'"([A-Z][a-z-]+(?: [a-z-]+)*)" would run into')


@pytest.mark.parametrize("reps", [10, 20, 60])
def test_the_suggested_tempo_has_time_for_every_count_but_the_last(
    runner: CliRunner, tmp_path: Path, reps: int
) -> None:
    path = write(tmp_path, FAST.replace("reps: 20", f"reps: {reps}"))
    message = run(runner, "validate", str(path)).stderr
    suggested = re.search(r"use tempo: ([\d.]+)s or more", message)
    assert suggested, message
    good = write(tmp_path, FAST.replace("reps: 20", f"reps: {reps}").replace("0.2", suggested[1]))
    result = run(runner, "compile", str(good), "--engine", "fake")
    assert result.exit_code == 0, result.output
    counts = {number_words(k).capitalize() for k in range(1, reps)}  # the last may be cut short
    dropped = set(COUNT_WORD.findall(result.stderr))
    assert not dropped & counts, result.stderr


# -- warnings: the routine works, but perhaps not as meant ------------------------------

TRAP = "title: T\nexercises:\n  - name: Lunge\n    setup: {setup}\n    reps: 5\n"
TRAP_WARNING = (
    "{path}:4:36: warning: setup: 'Step one foot forward' and 'back knee down.' are two "
    "texts, because a comma inside [...] separates texts; if it is one sentence, put it in "
    'quotes: ["Step one foot forward, back knee down."]\n'
)


@pytest.mark.parametrize("command", ["validate", "compile"])
def test_a_comma_splitting_a_sentence_in_brackets_is_a_warning(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    path = write(tmp_path, TRAP.format(setup="[Step one foot forward, back knee down.]"))
    extra = ["--no-check"] if command == "compile" else []
    result = run(runner, command, str(path), *extra)
    assert result.exit_code == 0, result.output
    assert result.stderr == TRAP_WARNING.format(path=path)


@pytest.mark.parametrize(
    "setup",
    [
        '["Step one foot forward, back knee down."]',  # quoted: one text, as meant
        "[Step one foot forward., Back knee down.]",  # two sentences
        "\n      - Step one foot forward, back knee down.",  # a block list has no trap
    ],
)
def test_no_warning_where_the_texts_are_as_meant(
    runner: CliRunner, tmp_path: Path, setup: str
) -> None:
    path = write(tmp_path, TRAP.format(setup=setup))
    result = run(runner, "validate", str(path))
    assert (result.exit_code, result.stderr) == (0, ""), result.output


def test_side_names_in_brackets_are_not_sentences(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, SIDES_NUMBER.replace("sides: 5", "sides: [right leg, left leg]"))
    result = run(runner, "validate", str(path))
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_hold_too_short_for_its_count_is_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, FAST.replace("tempo: 0.2s", "hold: 0.2s"))
    result = run(runner, "validate", str(path))
    assert result.exit_code == 0
    assert result.stderr == (
        f"{path}:5:11: warning: hold 0.2 s is too short to say the count before 'down' "
        "(saying 'seventeen' takes about 1.0 s), so counts will be dropped; "
        "use hold: 1s or more, or no hold\n"
    )


NO_NOTCH = "title: T\nexercises:\n  - name: Squat\n    reps: 10\n"


@pytest.mark.parametrize("command", ["compile", "show"])
def test_level_two_without_any_notch_says_nothing_changes(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    path = write(tmp_path, NO_NOTCH)
    extra = ["--no-check"] if command == "compile" else []
    result = run(runner, command, str(path), "--level", "2", *extra)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: --level 2 changes nothing for {path}: no exercise in it has a notch "
        "(a harder variant) or from_level: 2, so the session is the same as at level 1\n"
    )


def test_level_two_with_notches_says_nothing_extra(runner: CliRunner) -> None:
    result = run(runner, "compile", "at-home-glutes", "--level", "2", "--no-check")
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize("command", [["validate"], ["compile", "--no-check", "--level", "2"]])
def test_level_two_in_the_file_without_any_notch_is_a_located_warning(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = write(tmp_path, NO_NOTCH.replace("title: T\n", "title: T\nlevel: 2\n"))
    result = run(runner, command[0], str(path), *command[1:])
    assert result.exit_code == 0
    assert result.stderr == (  # said once, even when --level 2 asks for it again
        f"{path}:2:8: warning: level 2 changes nothing: no exercise in this routine has a "
        "notch (a harder variant) and none has from_level: 2; add one of them to an "
        "exercise, or remove level\n"
    )


def test_level_two_that_only_adds_an_exercise_is_no_warning(
    runner: CliRunner, tmp_path: Path
) -> None:
    extra = "  - name: Side kick\n    reps: 8\n    from_level: 2\n"
    path = write(tmp_path, NO_NOTCH.replace("title: T\n", "title: T\nlevel: 2\n") + extra)
    for command in (["validate"], ["compile", "--no-check"], ["show", "--level", "2"]):
        result = run(runner, command[0], str(path), *command[1:])
        assert (result.exit_code, result.stderr) == (0, ""), (command, result.output)
    compiled = run(runner, "compile", str(path), "--no-check").stdout
    assert 'chapter "Side kick"' in compiled


# -- size: what is valid must load and compile, in time --------------------------------


def test_a_routine_of_300_exercises_validates_and_compiles(
    runner: CliRunner, tmp_path: Path
) -> None:
    moves = "".join(f"  - {{name: Move {n}, work: 10s}}\n" for n in range(1, 301))
    path = write(tmp_path, "title: Many\nexercises:\n" + moves)
    assert run(runner, "validate", str(path)).exit_code == 0
    result = run(runner, "compile", str(path), "--no-check")
    assert result.exit_code == 0, result.output
    chapters = re.findall(r'^chapter "(.*)"$', result.stdout, re.MULTILINE)
    assert chapters == ["Intro", *(f"Move {n}" for n in range(1, 301)), "Finish"]


def test_reminders_in_a_long_set_are_placed_in_linear_time() -> None:
    # Below the loader's minimum on purpose: the compiler's search must not grow with
    # the cube of the reminders in one set (this took 11 s before; now a few ms).
    plank = Exercise("Plank", work=600.0)
    routine = Routine(
        "T", (Section(None, (plank,)),), reminders=Reminders(0.5, ("Breathe.", "Stay long."))
    )
    start = time.perf_counter()
    script = compile_routine(routine)
    assert time.perf_counter() - start < 3.0
    assert "Breathe." in {c.text for step in script.steps for c in getattr(step, "cues", ())}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "title: T\nsettings:\n  tempo: 3\n  - rest: 4\nexercises: [{name: A, reps: 3}]\n",
            "4:3",
            "a list item ('- ') among the keys of a mapping; remove the '- ', "
            "or put the list under a key of its own",
        ),
        (
            "title: T\nexercises:\n  - name: Squat\n    setup: [Feet apart\n    reps: 10\n",
            "5:9",
            "a ',' or the closing ']' is missing before this point: the list [...] (opened on "
            "line 4) is still open; separate its items with ', ' and quote any text that "
            "contains ': ' or ','",
        ),
        (
            'title: "Legs" day\nexercises: [{name: A, reps: 3}]\n',
            "1:15",
            "text after the closing quote; put all of the text inside the quotes",
        ),
        (
            "title: T\nexercises:\n  -name: Squat\n    reps: 10\n",
            "4:5",
            "this line is indented 4 spaces, but the lines above it use 0 or 2: line up each "
            "key with the other keys of its mapping, each '- ' with the other items of its "
            "list; and a list item needs a space after its '-'",
        ),
        (
            "title: T\nexercises:\n  - {name: A, cues: [Up, , Down], reps: 3}\n",
            "3:26",
            "an empty item between two commas; remove the extra ','",
        ),
        (
            "title: T\nreminders:\n  every:40s\n  phrases: [Breathe.]\nexercises: [{name: A, "
            "reps: 3}]\n",
            "3:3",
            "the line after this one cannot follow it; if this line is 'key: value', put a "
            "space after the ':', and put quotes around text that starts with [ { | > or a "
            "quote, or that contains ': '",
        ),
        (
            "title: T\nexercises:  - name: Squat\n    reps: 10\n",
            "2:13",
            "a list cannot start on the line of its key; put each '- ' item on a line of its "
            "own, below the key and indented",
        ),
        (
            "# Legs, then a long comment that wrapped onto\nthe next line.\ntitle: T\n"
            "exercises: [{name: A, reps: 3}]\n",
            "2:1",
            "'the next line.' is neither 'key: value' nor a comment; start comment lines with '#'",
        ),
        (
            "title: T\nexercises:\n  - name: Squat\n }   reps: 10\n",
            "4:2",
            "a stray '}' starts this line; remove it, or quote the text",
        ),
        (
            "title: T\nexercises:\n  - name: Squat\n    reps: 10\n    cues: | Slowly.\n",
            "5:13",
            "after '|' or '>' the text starts on the next line; move it there, or quote the "
            "text if the '|' or '>' belongs to it",
        ),
    ],
)
def test_yaml_syntax_errors_say_what_to_fix(
    runner: CliRunner, tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path, text)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"{path}:{where}: YAML syntax error: {message}\n"
