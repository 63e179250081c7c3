"""The .cues text format: round trip, editing, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.compiler import compile_routine
from coach.cues.model import Chapter, Cue, CueScript, Say, Tone, Window
from coach.cues.text import format_cues, parse_cues, read_cues
from coach.errors import InputError
from coach.facts import NO_FACTS, WindowFacts
from coach.resolve import resolve
from coach.routine import builtin_routines, load_routine
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

SMALL = """coach-cues 1
title "Small"
routine "small"
level 1

chapter "Squat"
say name "Squat." gap=0.6
window work 6.000 "Squat, set 1 of 1"
  @0.000 p100 go "Go!"
  @1.500 p80 count "One"
  @4.500 p80 count "Two"
  @0.000 tone 880 0.15
"""


def test_reads_a_small_script() -> None:
    script = parse_cues(SMALL, "small.cues")
    assert script.title == "Small" and script.routine == "small" and script.level == 1
    assert script.steps == [
        Chapter("Squat"),
        Say("Squat.", "name", 0.6),
        Window(
            6.0,
            "work",
            "Squat, set 1 of 1",
            (
                Cue(0.0, "Go!", "go", 100),
                Cue(1.5, "One", "count", 80),
                Cue(4.5, "Two", "count", 80),
            ),
            (Tone(0.0, 0.15, 880.0),),
        ),
    ]
    assert format_cues(script) == SMALL


@pytest.mark.parametrize("path", builtin_routines(), ids=lambda p: p.stem)
@pytest.mark.parametrize("level", [1, 2])
def test_round_trip_on_every_shipped_routine(path: Path, level: int) -> None:
    script = compile_routine(load_routine(str(path)), level=level)
    text = format_cues(script)
    assert parse_cues(text) == script
    assert format_cues(parse_cues(text)) == text


def test_editing_a_line_changes_what_is_said_there(tmp_path: Path) -> None:
    edited = SMALL.replace('"Two"', '"Two, nice and slow"')
    path = tmp_path / "edited.cues"
    path.write_text(edited, encoding="utf-8")
    voice = MemoryVoice(FakeEngine())
    before = resolve(parse_cues(SMALL), voice)
    after = resolve(read_cues(path), voice)
    old = [c for c in before.cues if c.text == "Two"]
    new = [c for c in after.cues if c.text == "Two, nice and slow"]
    assert len(old) == len(new) == 1 and old[0].start == new[0].start


FACTS = (
    ' exercise="Split \\"squat\\"" set=2 sets=3 side="left leg" round=1 rounds=2'
    ' reps=2 tempo=2.5 hold=0.5 alternate="left" alternate="right"'
)


def test_window_facts_are_read_and_written_back_exactly() -> None:
    text = SMALL.replace('"Squat, set 1 of 1"', '"Squat, set 1 of 1"' + FACTS)
    script = parse_cues(text)
    window = script.steps[2]
    assert isinstance(window, Window)
    assert window.facts == WindowFacts(
        exercise='Split "squat"',
        set=2,
        sets=3,
        side="left leg",
        round=1,
        rounds=2,
        reps=2,
        tempo=2.5,
        hold=0.5,
        alternate=("left", "right"),
    )
    assert format_cues(script) == text
    (timed,) = resolve(script, MemoryVoice(FakeEngine())).windows
    assert timed.facts == window.facts
    assert timed.rep_starts == (timed.start, timed.start + 3 * 22050)


def test_a_script_written_before_window_facts_still_reads_with_none() -> None:
    script = parse_cues(SMALL)
    (timed,) = resolve(script, MemoryVoice(FakeEngine())).windows
    assert timed.facts == NO_FACTS and timed.facts.set is None
    assert timed.rep_starts == () and timed.rep_at(timed.start + 100) is None
    assert format_cues(script) == SMALL


def _window_with(facts: str) -> str:
    return f'coach-cues 1\ntitle "T"\nwindow work 6 "w"{facts}\n'


BAD = [
    (_window_with(" loud=yes"), 3, 19, "a window takes only facts"),
    (_window_with(" extra"), 3, 19, "a window takes only facts"),
    (_window_with(" sets=2 set=3"), 3, 26, "set=3 is more than sets=2"),
    (_window_with(" round=0"), 3, 19, "round= takes a whole number from 1 to 2,000"),
    (_window_with(" reps=2001 tempo=0.001"), 3, 19, "reps= takes a whole number from 1 to 2,000"),
    (_window_with(" sets=" + "9" * 5000), 3, 19, "sets= takes a whole number from 1 to 2,000"),
    (_window_with(" set=\u00b2"), 3, 19, "set= takes a whole number"),
    (_window_with(" hold=1e999 reps=1 tempo=1"), 3, 19, "hold= must be"),
    (_window_with(" set=two"), 3, 19, "set= takes a whole number"),
    (_window_with(" side=left"), 3, 19, 'side= takes a text in double quotes, e.g. side="x"'),
    (_window_with(" reps=3"), 3, 19, "reps= and tempo= go together"),
    (_window_with(" set=1 hold=1"), 3, 25, "hold= belongs to a counted set"),
    (_window_with(" tempo=2 hold=1 reps=3"), 3, 34, "3 reps of 3 s take 9 s, longer than"),
    (_window_with(" tempo=0 reps=1"), 3, 19, "tempo= must be more than 0 and at most 3600 s"),
    (_window_with(" to_failure=maybe"), 3, 19, "to_failure= takes yes or no"),
    (_window_with(" alternate=left"), 3, 19, "alternate= takes a side in quotes"),
    (_window_with(' set=1 alternate="l"'), 3, 25, "alternate= belongs to a counted set"),
    (_window_with(" set=1 set=1"), 3, 25, "set= is given twice"),
    ("", 1, 1, "empty cue script"),
    ('title "x"\n', 1, 1, "starts with the line 'coach-cues 1'"),
    ("coach-cues 7\n", 1, 12, "unsupported version"),
    ('coach-cues 1\nsay name "Hi." gap=0.4\n', 2, 1, "needs a title"),
    ('coach-cues 1\ntitle "T"\nsay name "Hi.\n', 3, 10, "unterminated quote"),
    ('coach-cues 1\ntitle "T"\nsay name "Hi." gap=soon\n', 3, 16, "gap must be a number"),
    (
        'coach-cues 1\ntitle "T"\nsay name "Hi." gap=-1\n',
        3,
        16,
        "gap must be from 0 to 3600 s, not -1",
    ),
    ('coach-cues 1\ntitle "T"\nshout name "Hi."\n', 3, 1, "unknown line 'shout'"),
    (
        'coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @6.0 p80 count "One"\n',
        4,
        3,
        "beyond the end",
    ),
    ('coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @5 tone 880 0.1\n', 4, 3, "beyond the end"),
    ('coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @1 high count "One"\n', 4, 6, "priority"),
    ('coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @1 p80 count One\n', 4, 16, "double quotes"),
    ('coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @x p80 count "One"\n', 4, 4, "offset must be"),
    ('coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @1 tone 880\n', 4, 6, "tone line"),
    (
        'coach-cues 1\ntitle "T"\nwindow work 5 "w"\n  @1 p80 count "One" loud=yes\n',
        4,
        22,
        "short=",
    ),
    ('coach-cues 1\ntitle "T"\nwindow work long "w"\n', 3, 13, "duration must be"),
    ('coach-cues 1\ntitle "T"\n  @1 p80 count "One"\n', 3, 1, "must follow a 'window'"),
    ('coach-cues 1\ntitle "T"\nsay name ""\n', 3, 10, "empty text"),
    ('coach-cues 1\ntitle "T"\nsay name "a\\qb"\n', 3, 12, "bad text"),
    ('coach-cues 1\ntitle "T"\nsay name "Hi."x\n', 3, 15, "space after the closing quote"),
    ('coach-cues 1\ntitle "T"\nlevel zero\n', 3, 7, "level must be"),
    ('coach-cues 1\ntitle "T"\nsay "Hi."\n', 3, 5, "expected a kind"),
    ('coach-cues 1\ntitle "T"\nchapter "A" extra\n', 3, 13, "unexpected 'extra'"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), BAD)
def test_bad_scripts_get_located_errors(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_cues(text, "x.cues")
    first = caught.value.problems[0]
    assert (first.file, first.line, first.column) == ("x.cues", line, column), str(caught.value)
    assert message in first.message


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = 'coach-cues 1\ntitle "T"\nsay name "" \nwindow work 2 "w"\n  @3 p80 c "x"\n'
    with pytest.raises(InputError) as caught:
        parse_cues(text, "x.cues")
    assert [p.line for p in caught.value.problems] == [3, 5]


def test_read_cues_reports_bad_bytes_with_a_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.cues"
    path.write_bytes(b'coach-cues 1\ntitle "caf\xe9"\n')
    with pytest.raises(InputError) as caught:
        read_cues(path)
    assert str(caught.value) == f"{path}:2:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8"


# ---- property tests --------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30).filter(
    lambda t: t.strip() != ""
)
kinds = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
# within the reader's limits (see test_limits_* for what lies beyond them)
seconds = st.floats(min_value=0, max_value=3600, allow_nan=False, allow_infinity=False)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    duration = draw(st.floats(min_value=0.01, max_value=3600, allow_nan=False))
    offsets = st.floats(min_value=0, max_value=duration, exclude_max=True, allow_nan=False)
    # a tone ends inside its window, so it never runs past the end of the session
    tone_offsets = st.floats(min_value=0, max_value=duration / 2, allow_nan=False)
    tone_lengths = st.floats(min_value=0.001, max_value=min(5, duration / 2), allow_nan=False)
    cues = draw(
        st.lists(
            st.builds(
                Cue,
                at=offsets,
                text=texts,
                kind=kinds,
                priority=st.integers(0, 999),
                short=st.none() | texts,
            ),
            max_size=4,
        )
    )
    tones = draw(
        st.lists(
            st.builds(
                Tone,
                at=tone_offsets,
                duration=tone_lengths,
                frequency=st.floats(min_value=20, max_value=10000, allow_nan=False),
            ),
            max_size=2,
        )
    )
    counts = st.none() | st.integers(1, 50)
    names = st.none() | st.text(max_size=12)
    reps = draw(st.none() | st.integers(1, 20))
    tempo = hold = None
    if reps is not None:
        rep = duration / reps
        tempo = draw(st.floats(min_value=rep / 100, max_value=rep, allow_nan=False))
        hold = draw(st.floats(min_value=0, max_value=rep - tempo, allow_nan=False))
        if reps * (tempo + hold) > duration:
            hold = 0.0
    number = draw(counts)
    total = None if number is None else draw(st.none() | st.integers(number, 60))
    facts = WindowFacts(
        exercise=draw(names),
        set=number,
        sets=total,
        side=draw(names),
        rounds=draw(counts),
        reps=reps,
        tempo=tempo,
        hold=hold or 0.0,
        to_failure=draw(st.booleans()),
        alternate=() if reps is None else tuple(draw(st.lists(st.text(max_size=8), max_size=3))),
    )
    label = draw(st.text(max_size=20))
    return Window(duration, draw(kinds), label, tuple(cues), tuple(tones), facts)


steps = st.one_of(
    st.builds(Say, text=texts, kind=kinds, gap=seconds),
    st.builds(Chapter, title=st.text(max_size=20)),
    windows(),
)
scripts = st.builds(
    CueScript,
    title=st.text(max_size=20),
    steps=st.lists(steps, max_size=6),
    routine=st.text(max_size=10),
    level=st.integers(1, 2),
    description=st.text(max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(scripts)
def test_any_script_survives_format_then_read(script: CueScript) -> None:
    assert parse_cues(format_cues(script)) == script


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_script_or_a_clean_error(text: str) -> None:
    try:
        parse_cues("coach-cues 1\n" + text, "fuzz.cues")
    except InputError as error:
        assert error.problems and all(p.file == "fuzz.cues" and p.line >= 1 for p in error.problems)


def test_the_example_in_the_docs_reads() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "cues.md").read_text(encoding="utf-8")
    example = doc.split("## An example", 1)[1].split("```", 2)[1]
    script = parse_cues(example, "docs/cues.md")
    assert script.chapters == ["Standing kickback"]
    assert format_cues(script) == example.lstrip("\n")


# ---- limits: what an edited or hostile script cannot ask for ----------------------------

HEAD = 'coach-cues 1\ntitle "T"\n'
WORK = HEAD + 'window work 5 "w"\n'
LIMITS = [
    (HEAD + 'window work 1e7 "w"\n', 3, 13, "duration must be from 0 to 3600 s, not 1e7"),
    (HEAD + 'window work 1e12 "w"\n', 3, 13, "duration must be from 0 to 3600 s, not 1e12"),
    (HEAD + 'window work 1e308 "w"\n', 3, 13, "from 0 to 3600 s, not 1e308"),
    (HEAD + 'window work 1e400 "w"\n', 3, 13, "from 0 to 3600 s, not 1e400"),
    (HEAD + 'say name "Hi." gap=1e308\n', 3, 16, "gap must be from 0 to 3600 s, not 1e308"),
    (WORK + "  @0 tone 1e308 0.1\n", 4, 11, "frequency must be from 20 to 10000 Hz, not 1e308"),
    (WORK + "  @0 tone 880 1e308\n", 4, 15, "length must be more than 0 and at most 10 s"),
    (WORK + "  @0 tone 880 1e6\n", 4, 15, "length must be more than 0 and at most 10 s, not 1e6"),
    (WORK + "  @4.9 tone 880 0.5\n", 4, 3, "the tone runs 0.4 s past the end of the session"),
    (HEAD + "level ²\n", 3, 7, "level must be 1, or 2"),
    (HEAD + "level " + "9" * 4301 + "\n", 3, 7, "level must be 1, or 2"),
    (HEAD + "level 3\n", 3, 7, "level must be 1, or 2"),
    (WORK + "  @1 p" + "9" * 4301 + ' count "One"\n', 4, 6, "a priority goes from p0 to p999"),
    (HEAD + 'say name "' + "a" * 1_000_000 + '"\n', 3, 10, "keep each text under 2,000"),
    (HEAD + "say " + "k" * 41 + ' "Hi."\n', 3, 5, "the kind is 41 characters; keep it to 40"),
    (
        HEAD + 'window work 3600 "w"\n' * 9,
        11,
        13,
        "the windows and gaps up to here last 9.0 h; a session may last at most 8 h",
    ),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), LIMITS, ids=[m for *_, m in LIMITS])
def test_values_out_of_range_are_located_errors_with_the_range(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_cues(text, "x.cues")
    first = caught.value.problems[0]
    assert (first.line, first.column) == (line, column), str(caught.value)
    assert message in first.message
    assert len(str(caught.value)) < 300  # a huge value is shown shortened


def test_a_tone_may_run_past_its_window_into_the_rest_of_the_session() -> None:
    script = parse_cues(WORK + '  @4.9 tone 880 0.5\nwindow rest 1 "r"\n')
    assert script.steps[0] == Window(5.0, "work", "w", (), (Tone(4.9, 0.5, 880.0),))


def test_reading_stops_after_a_hundred_problems() -> None:
    with pytest.raises(InputError) as caught:
        parse_cues(HEAD + "shout\n" * 100_000)
    problems = caught.value.problems
    assert len(problems) == 101
    assert problems[-1].message == "stopped reading after 100 problems; fix these first"


def test_the_longest_session_a_routine_may_give_reads_back(tmp_path: Path) -> None:
    # 6 h of work: the routine limit; its script must stay inside the script limits
    routine = tmp_path / "long.yaml"
    routine.write_text(
        "title: Long\nsettings: {rest: 0, rest_between_exercises: 0}\nexercises:\n"
        "  - {name: Plank, work: 1h, sets: 5, cues: [Breathe.]}\n",
        encoding="utf-8",
    )
    script = compile_routine(load_routine(str(routine)))
    text = format_cues(script)
    assert len(text.encode()) < 8_000_000
    assert parse_cues(text) == script


def test_a_window_holds_at_most_two_thousand_cues() -> None:
    cue = '  @1 p80 count "One"\n'
    with pytest.raises(InputError) as caught:
        parse_cues(WORK + cue * 5000)
    assert [str(p) for p in caught.value.problems] == [
        "<cues>:2004:3: a window holds at most 2,000 cues; split it into shorter windows"
    ]
    assert len(parse_cues(WORK + cue * 2000).steps[0].cues) == 2000  # type: ignore[union-attr]
