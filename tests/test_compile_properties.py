"""Property test: any sensible routine compiles to a script that reads back and never overlaps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.audio.clip import SAMPLE_RATE
from coach.compiler import compile_routine
from coach.cues.model import Window
from coach.cues.text import format_cues, parse_cues
from coach.resolve import resolve
from coach.routine.model import Exercise, Reminders, Routine, Section, Settings
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

durations = st.integers(0, 90).map(float)
names = st.sampled_from(["Squat", "Side-lying clam", "Jump squat", "Bridge"])


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    timed = draw(st.booleans())
    failure = timed and draw(st.booleans())
    return Exercise(
        draw(names),
        setup=tuple(draw(st.lists(st.sampled_from(["Feet apart.", "Chest up."]), max_size=2))),
        sets=draw(st.integers(1, 3)),
        reps=None if timed else draw(st.integers(1, 25)),
        work=float(draw(st.integers(5, 90))) if timed else None,
        to_failure=failure,
        sides=draw(st.sampled_from([(), ("right leg", "left leg")])),
        alternate=not timed and draw(st.booleans()),
        hold=draw(st.sampled_from([0.0, 0.5, 1.0, 3.0])),
        tempo=draw(st.sampled_from([0.5, 1.0, 2.0, 3.0, 4.5])),
        rest=draw(durations),
        rest_after=draw(st.none() | durations),
        cues=tuple(
            draw(
                st.lists(st.sampled_from(["Squeeze.", "Keep your back long and flat."]), max_size=3)
            )
        ),
    )


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    sections = tuple(
        Section(
            draw(st.none() | st.just("Block")),
            tuple(draw(st.lists(exercises(), min_size=1, max_size=3))),
            rounds=draw(st.integers(1, 3)),
            rest_between_rounds=draw(durations),
        )
        for _ in range(draw(st.integers(1, 2)))
    )
    reminders = draw(st.none() | st.just(Reminders(20.0, ("Breathe.",))))
    settings_ = Settings(
        switch=draw(st.sampled_from([0.0, 2.0, 5.0])), countdown=draw(st.integers(0, 5))
    )
    return Routine("Generated", sections, name="gen", reminders=reminders, settings=settings_)


@settings(max_examples=100, deadline=None)
@given(routines())
def test_generated_routines_compile_read_back_and_never_overlap(routine: Routine) -> None:
    script = compile_routine(routine)
    assert parse_cues(format_cues(script)) == script
    for step in script.steps:
        if isinstance(step, Window):
            assert all(0 <= c.at < step.duration for c in step.cues)
    tl = resolve(script, MemoryVoice(FakeEngine()))
    for a, b in zip(tl.cues, tl.cues[1:], strict=False):
        assert a.end <= b.start, (a.text, b.text)
    works = [s for s in script.steps if isinstance(s, Window) and s.kind == "work"]
    expected = sum(
        ex.sets * max(1, len(ex.sides) if not ex.alternate else 1)
        for section in routine.sections
        for _ in range(section.rounds)
        for ex in section.exercises
    )
    assert len(works) == expected
    assert tl.length >= round(sum(w.duration for w in works) * SAMPLE_RATE) - len(works)
