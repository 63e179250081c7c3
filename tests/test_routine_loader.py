"""The routine loader: durations, the format, located problems, safety limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import InputError
from coach.routine import Routine, builtin_routines, load_routine, parse_routine
from coach.routine.durations import (
    DurationError,
    exact_duration,
    parse_duration,
    signed_duration,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (30, 30.0),
        (2.5, 2.5),
        ("30", 30.0),
        ("30s", 30.0),
        ("1m30s", 90.0),
        ("1m 30s", 90.0),
        ("1:30", 90.0),
        ("2m", 120.0),
        ("2 min", 120.0),
        ("1h", 3600.0),
        ("1:02:03", 3723.0),
        ("1.5s", 1.5),
    ],
)
def test_durations_parse(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1:60", "m", "30 s m", "-5s", True, None, [1]])
def test_bad_durations_say_what_to_write(text: object) -> None:
    with pytest.raises(DurationError, match="30s"):
        parse_duration(text)


def test_negative_number_is_not_a_duration() -> None:
    with pytest.raises(DurationError, match="negative"):
        parse_duration(-5)


@pytest.mark.parametrize(("text", "seconds"), [("-20s", -20.0), (" -1m30s ", -90.0), (-5, -5.0)])
def test_a_signed_duration_keeps_its_minus(text: object, seconds: float) -> None:
    assert signed_duration(text) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (3601, "1 h 0 min 1 s"),  # format_duration says "1 h", like the limit it broke
        (3600, "1 h"),
        (5400, "1 h 30 min"),
        (90, "1 min 30 s"),
        (59.5, "59.5 s"),
        (3600.5, "1 h 0 min 0.5 s"),
        (0.001, "0.001 s"),
        (1e-20, "1e-20 s"),
        (-20, "-20 s"),
    ],
)
def test_exact_durations_keep_every_unit(seconds: float, text: str) -> None:
    assert exact_duration(seconds) == text


def test_a_hold_too_big_to_count_in_milliseconds_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("title: T\nexercises:\n  - name: Squat\n    reps: 5\n    hold: 1.8e+305\n")
    with pytest.raises(InputError) as raised:
        load_routine(str(path))
    assert str(raised.value) == f"{path}:5:11: hold must be at most 1 h, got 1.8e+305 s"


MINIMAL = b"title: T\nexercises:\n  - name: Squat\n    reps: 10\n"


def test_minimal_routine_takes_defaults() -> None:
    routine = parse_routine(MINIMAL, "r.yaml", "r")
    (exercise,) = routine.exercises
    assert (routine.title, routine.name, routine.source) == ("T", "r", "r.yaml")
    assert (exercise.name, exercise.sets, exercise.reps, exercise.tempo) == ("Squat", 1, 10, 3.0)
    assert routine.sections[0].title is None
    assert (exercise.location.line, exercise.location.column) == (3, 5)


def test_unquoted_clock_duration_is_minutes_and_seconds() -> None:
    routine = parse_routine(b"title: T\nexercises:\n  - name: Plank\n    work: 1:30\n")
    assert routine.exercises[0].work == 90.0


def test_every_builtin_routine_loads() -> None:
    paths = builtin_routines()
    assert paths
    for path in paths:
        assert load_routine(path.stem).name == path.stem


def test_unknown_key_names_the_closest_valid_key() -> None:
    with pytest.raises(InputError) as caught:
        parse_routine(b"title: T\nexercises:\n  - name: Squat\n    rep: 10\n", "r.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("r.yaml:4:5:") and "'reps'" in m for m in messages)


def load(text: str, source: str = "r.yaml") -> Routine:
    return parse_routine(text.encode(), source, "r")


def problems_of(text: str, source: str = "r.yaml") -> list[str]:
    with pytest.raises(InputError) as caught:
        load(text, source)
    return [str(p) for p in caught.value.problems]


def test_settings_are_inherited_and_the_exercise_wins() -> None:
    routine = load(
        "title: T\nsettings: {tempo: 2s, rest: 45s, countdown: 5}\n"
        "exercises:\n  - {name: A, reps: 5}\n  - {name: B, reps: 5, tempo: 4, rest: 1m}\n"
    )
    a, b = routine.exercises
    assert (a.tempo, a.rest, b.tempo, b.rest) == (2.0, 45.0, 4.0, 60.0)
    assert routine.settings.countdown == 5
    assert a.rest_after is None


def test_alternate_defaults_to_right_and_left() -> None:
    routine = load("title: T\nexercises:\n  - {name: Taps, reps: 10, alternate: true}\n")
    assert routine.exercises[0].sides == ("right", "left")


def test_a_single_string_is_a_list_of_one_text() -> None:
    routine = load("title: T\nintro: Hello there.\nexercises:\n  - {name: A, reps: 5, cues: Go}\n")
    assert routine.intro == ("Hello there.",)
    assert routine.exercises[0].cues == ("Go",)


def test_notch_is_merged_over_the_base_exercise() -> None:
    routine = load(
        "title: T\nexercises:\n"
        "  - name: Squat\n    sets: 2\n    reps: 20\n    setup: [Stand.]\n"
        "    notch:\n      name: Timed squat\n      work: 40s\n"
    )
    (squat,) = routine.exercises
    assert squat.notch is not None
    assert (squat.notch.name, squat.notch.sets, squat.notch.work) == ("Timed squat", 2, 40.0)
    assert squat.notch.reps is None
    assert squat.notch.setup == ("Stand.",)
    assert squat.notch.notch is None
    assert squat.notch.location.line == 8
    assert routine.at_level(2).exercises[0].name == "Timed squat"


def test_a_notch_that_breaks_a_rule_is_located_inside_the_notch() -> None:
    problems = problems_of(
        "title: T\nexercises:\n  - name: Plank\n    work: 30s\n    notch:\n      hold: 2s\n"
    )
    assert problems == ["r.yaml:6:7: hold is a pause in each rep; it needs reps, not work"]


def test_sections_and_circuits() -> None:
    routine = load(
        "title: T\nsections:\n"
        "  - title: Warm-up\n    exercises: [{name: March, work: 1m}]\n"
        "  - title: Intervals\n    rounds: 3\n    rest_between_rounds: 45s\n"
        "    exercises:\n      - {name: Jump squat, work: 30s, rest_after: 15s}\n"
        "      - {name: Skater jump, work: 30s}\n"
    )
    warm, circuit = routine.sections
    assert (warm.title, warm.rounds, warm.is_circuit) == ("Warm-up", 1, False)
    assert (circuit.title, circuit.rounds, circuit.rest_between_rounds) == ("Intervals", 3, 45.0)
    assert circuit.is_circuit
    assert [ex.rest_after for ex in circuit.exercises] == [15.0, None]


def test_to_failure_is_an_open_set_capped_by_work() -> None:
    routine = load("title: T\nexercises:\n  - {name: Jumps, work: 60s, to_failure: true}\n")
    exercise = routine.exercises[0]
    assert (exercise.to_failure, exercise.work, exercise.reps) == (True, 60.0, None)


def test_phrase_overrides_keep_their_locations() -> None:
    routine = load(
        "title: T\nphrases:\n  rest: Take a breather.\n  go: [Go!, Off you go.]\n"
        "exercises:\n  - {name: A, reps: 5}\n"
    )
    assert routine.phrases == {"rest": ("Take a breather.",), "go": ("Go!", "Off you go.")}
    assert str(routine.phrase_locations["go"]) == "r.yaml:4:3"


def test_extension_keys_hold_anchors_for_reuse() -> None:
    routine = load(
        "x-band: &band [Loop the band above your ankles.]\ntitle: T\nexercises:\n"
        "  - {name: Side lift, reps: 15, setup: *band}\n"
        "  - {name: Kickback, reps: 15, setup: *band}\n"
    )
    assert [ex.setup for ex in routine.exercises] == [("Loop the band above your ankles.",)] * 2


def test_every_problem_is_reported_in_file_order() -> None:
    problems = problems_of(
        "title: T\nexercises:\n  - name: A\n    sets: 0\n    reps: 10\n"
        "  - name: B\n    reps: 5\n    wrk: 3s\n  - name: C\n    rest: soon\n    reps: 2\n"
    )
    assert [p.split(": ", 1)[0] for p in problems] == ["r.yaml:4:11", "r.yaml:8:5", "r.yaml:10:11"]


def test_big_files_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"title: T\n" + b"#" * 1_100_000)
    with pytest.raises(InputError, match=r"huge\.yaml:1:1: file is 1,100,009 bytes"):
        load_routine(str(path))


def test_missing_file_and_folder_are_clear(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_routine(str(tmp_path / "nope.yaml"))
    with pytest.raises(InputError, match="is a folder"):
        load_routine(str(tmp_path) + "/")


def test_a_missing_file_named_like_a_builtin_points_at_the_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="write just 'tabata'"):
        load_routine(str(tmp_path / "tabata.yaml"))


def test_unknown_builtin_name_suggests_the_closest() -> None:
    with pytest.raises(InputError) as caught:
        load_routine("tabbata")
    text = str(caught.value)
    assert "did you mean 'tabata'?" in text
    assert "seven-minute" in text


def test_builtin_source_is_the_repository_path() -> None:
    routine = load_routine("tabata")
    assert (routine.name, routine.source) == ("tabata", "routines/tabata.yaml")


def test_a_path_keeps_the_name_the_user_gave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.yml").write_text("title: Mine\nexercises: [{name: A, reps: 3}]\n")
    routine = load_routine("mine.yml")
    assert (routine.name, routine.source) == ("mine", "mine.yml")


def test_utf8_bom_is_accepted() -> None:
    assert parse_routine(b"\xef\xbb\xbf" + MINIMAL).title == "T"


def test_utf16_is_refused_with_a_hint() -> None:
    with pytest.raises(InputError, match="save it as UTF-8"):
        parse_routine("title: T\n".encode("utf-16"))


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(InputError, match="expands past 20,000 values"):
        load("\n".join(lines) + "\ntitle: T\nexercises: *j\n")
