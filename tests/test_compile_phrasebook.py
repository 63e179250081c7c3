"""The phrasebook: defaults, user files, routine overrides, located errors, numbers."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import cli
from coach.compiler import compile_routine, default_phrasebook, load_phrasebook
from coach.compiler.numbers import duration_words, number_words
from coach.compiler.phrasebook import TEMPLATES, parse_phrasebook
from coach.cues.model import Say, Window
from coach.errors import InputError
from coach.routine import load_routine
from coach.routine.model import Exercise, Routine, Section

REPO = Path(__file__).resolve().parent.parent


def small(**fields: object) -> Routine:
    ex = Exercise("Squat", sets=2, reps=5, rest=30.0)
    return Routine("T", (Section(None, (ex,)),), name="t", **fields)  # type: ignore[arg-type]


def rest_texts(routine: Routine, **kwargs: object) -> list[str]:
    script = compile_routine(routine, **kwargs)  # type: ignore[arg-type]
    return [
        c.text for s in script.steps if isinstance(s, Window) for c in s.cues if c.kind == "rest"
    ]


MARK = "Qz"


def marked_phrasebook(tmp_path: Path) -> Path:
    """What a user does to change every phrase: dump `coach phrases`, edit each variant."""
    dumped = CliRunner().invoke(cli, ["phrases"])
    assert dumped.exit_code == 0, dumped.output
    book = yaml.safe_load(dumped.output)
    for name, value in book.items():
        if isinstance(value, dict):
            value["variants"] = [f"{MARK} {text}" for text in value["variants"]]
            value.pop("short", None)
        else:
            texts = value if isinstance(value, list) else [value]
            book[name] = [f"{MARK} {text}" for text in texts]
    book.pop("default_sides")  # side names, not sentences: they arrive inside marked phrases
    book.pop("reminders")  # the generic reminders are said only where a routine has none
    path = tmp_path / "marked.yaml"
    path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    return path


def routine_texts(routine: Routine) -> set[str]:
    """Every line the routine file itself gives the coach to say."""
    texts = set(routine.intro) | set(routine.outro)
    if routine.reminders:
        texts |= set(routine.reminders.phrases)
    for ex in routine.exercises:
        for variant in (ex, ex.notch) if ex.notch else (ex,):
            texts |= set(variant.setup) | set(variant.cues) | set(variant.breathe)
    return texts


@pytest.mark.parametrize("path", sorted((REPO / "routines").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_line_not_in_the_routine_comes_from_the_users_phrasebook(
    path: Path, tmp_path: Path
) -> None:
    """A user who edits every phrase of `coach phrases` changes everything the coach says
    that their routine does not: nothing is fixed in the code."""
    book = load_phrasebook(str(marked_phrasebook(tmp_path)))
    routine = load_routine(str(path))
    own = routine_texts(routine)
    for level in (1, 2):
        script = compile_routine(routine, level=level, phrasebook=book)
        spoken = [s.text for s in script.steps if isinstance(s, Say)]
        spoken += [c.text for s in script.steps if isinstance(s, Window) for c in s.cues]
        fixed = [text for text in spoken if MARK not in text and text not in own]
        assert not fixed, f"level {level}: said without a phrase: {fixed[:5]}"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (315, "three hundred fifteen"),
        (2026, "two thousand twenty-six"),
    ],
)
def test_numbers_as_words(n: int, words: str) -> None:
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "one second"),
        (30, "thirty seconds"),
        (60, "one minute"),
        (90, "one minute thirty seconds"),
        (125, "two minutes five seconds"),
        (29.6, "thirty seconds"),
    ],
)
def test_durations_as_words(seconds: float, words: str) -> None:
    assert duration_words(seconds) == words


def test_a_user_file_replaces_phrases(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text('rest: "Breathe for {duration}."\n', encoding="utf-8")
    assert rest_texts(small(), phrasebook=load_phrasebook(str(path))) == [
        "Breathe for thirty seconds."
    ]


def test_a_routine_overrides_phrases() -> None:
    texts = rest_texts(small(phrases={"rest": ("Shake it out for {duration}.",)}))
    assert texts == ["Shake it out for thirty seconds."]


def test_routine_override_with_unknown_template_points_at_the_routine(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "title: T\nphrases:\n  rests: Take five.\nexercises:\n  - name: Squat\n    reps: 5\n",
        encoding="utf-8",
    )
    routine = load_routine(str(path))
    with pytest.raises(InputError) as caught:
        compile_routine(routine)
    assert str(caught.value) == f"{path}:3:3: unknown phrase template 'rests'; did you mean 'rest'?"


def test_routine_override_with_bad_placeholder_is_located(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        'title: T\nphrases:\n  next_up: "Now {exercise}."\n'
        "exercises:\n  - {name: Squat, reps: 5}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        compile_routine(load_routine(str(path)))
    message = str(caught.value)
    assert message.startswith(f"{path}:3:3: unknown placeholder {{exercise}} in 'next_up'")
    assert "{name}" in message


BAD_FILES = [
    ("reset: Rest.\n", 1, 1, "unknown phrase template 'reset'; did you mean 'rest'?"),
    (
        'rest: "Rest for {secs}."\n',
        1,
        7,
        "unknown placeholder {secs} in 'rest', which takes {duration} and {seconds};"
        " did you mean {seconds}?",
    ),
    (
        'next_up: "Next: {name}, {when}."\n',
        1,
        10,
        "unknown placeholder {when} in 'next_up', which takes {name}; use {name} or remove {when}",
    ),
    (
        'go: "Go, {name}!"\n',
        1,
        5,
        "'go' takes no placeholders, so {name} cannot be filled in: remove it"
        " (to say a brace, write it twice: {{ or }})",
    ),
    ("go: [" + "[" * 600 + "Go" + "]" * 600 + "]\n", 1, 44, "nesting deeper than 40 levels"),
    ("go: " + "x" * 301 + "\n", 1, 5, "a phrase of 'go' is 301 characters; keep it under 300"),
    ("? [a, b]\n: Go.\n", 1, 3, "a template name must be a plain word"),
    ("go:\n  ? [variants]\n  : [Go.]\n", 2, 5, "unknown key that is not a word"),
    ("go: &g [*g]\n", 1, 9, "a phrasebook cannot contain itself"),
    ('next_up: "Next one."\n', 1, 10, "'next_up' must say {name} in every variant"),
    ('rest: "Rest {duration"\n', 1, 7, "bad placeholder"),
    ('rest: "Rest {duration:>5}"\n', 1, 7, "plain {name}"),
    ("rest: [Rest., 5]\n", 1, 15, "must be text"),
    ("rest:\n  variants: [Rest.]\n  long: Rest a while.\n", 3, 3, "unknown key 'long'"),
    ("rest:\n  short: Rest.\n", 2, 3, "needs variants"),
    ("rest: []\n", 1, 7, "needs at least one phrase"),
    ("rest: Rest.\nrest: Pause.\n", 2, 1, "given twice"),
    ("- rest\n", 1, 1, "a phrasebook is a mapping"),
    ("rest: [unclosed\n", 2, 1, "YAML syntax"),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"), BAD_FILES, ids=[m[:40] for *_, m in BAD_FILES]
)
def test_bad_phrasebooks_get_located_errors(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_phrasebook(text, "p.yaml")
    first = caught.value.problems[0]
    assert (first.file, first.line, first.column) == ("p.yaml", line, column), str(caught.value)
    assert message in first.message


def test_variants_do_not_repeat_back_to_back() -> None:
    speaker = default_phrasebook().speaker()
    picks = [speaker.text("keep_going") for _ in range(20)]
    assert all(a != b for a, b in itertools.pairwise(picks))
    assert len(set(picks)) > 2


def test_short_form_is_kept_when_a_user_gives_only_variants(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("halfway: [Half of it done.]\n", encoding="utf-8")
    book = load_phrasebook(str(path))
    phrase = book.speaker().phrase("halfway")
    assert (phrase.text, phrase.short) == ("Half of it done.", "Halfway.")


def test_a_placeholder_first_still_starts_with_a_capital() -> None:
    phrase = default_phrasebook().speaker().phrase("countdown", count="three")
    assert phrase.text == "Three"


def test_the_routine_example_in_the_docs_compiles(tmp_path: Path) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "phrases.md").read_text(encoding="utf-8")
    example = doc.split("## Overriding phrases in a routine", 1)[1].split("```yaml", 1)[1]
    path = tmp_path / "mobility.yaml"
    path.write_text(example.split("```", 1)[0], encoding="utf-8")
    script = compile_routine(load_routine(str(path)))
    gos = [c.text for s in script.steps if isinstance(s, Window) for c in s.cues if c.kind == "go"]
    assert gos and set(gos) <= {"Begin.", "Off you go."}


def test_the_template_table_in_the_docs_names_every_template() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "phrases.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in doc for name in TEMPLATES)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_phrasebook_text_loads_or_fails_cleanly(text: str) -> None:
    try:
        parse_phrasebook(text, "fuzz.yaml")
    except InputError as error:
        assert error.problems and all(p.file == "fuzz.yaml" for p in error.problems)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(TEMPLATES)), st.text(max_size=30), max_size=4))
def test_any_mapping_of_templates_loads_or_fails_cleanly(entries: dict[str, str]) -> None:
    import yaml

    try:
        parse_phrasebook(yaml.safe_dump(entries), "fuzz.yaml")
    except InputError as error:
        assert error.problems and all(p.line >= 1 for p in error.problems)
