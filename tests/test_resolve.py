"""Resolving a cue script against a voice: exact samples, priority decisions, warnings."""

from __future__ import annotations

from coach.audio.clip import SAMPLE_RATE
from coach.cues.model import (
    PRIORITY_COUNT,
    PRIORITY_CRITICAL,
    PRIORITY_FORM,
    PRIORITY_INFO,
    Chapter,
    Cue,
    CueScript,
    Say,
    Step,
    Tone,
    Window,
)
from coach.facts import WindowFacts
from coach.resolve import iter_chapters, resolve
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

RATE = SAMPLE_RATE
ENGINE = FakeEngine()  # 50 ms per character


def frames(text: str) -> int:
    return ENGINE.frames_for(text)


def voice() -> MemoryVoice:
    return MemoryVoice(FakeEngine())


CROWDED = Window(
    5.0,
    "work",
    "crowded",
    (
        Cue(0.0, "Go", "go", PRIORITY_CRITICAL),
        # 0.7 s of speech, but "Down." comes 0.5 s later: the short form is used
        Cue(1.0, "One, and hold.", "count", PRIORITY_COUNT, short="One"),
        Cue(1.5, "Down.", "release", PRIORITY_CRITICAL),
        # 1.15 s of speech anchored 0.5 s before a count: it moves after that count
        Cue(2.0, "Long form cue text here", "form", PRIORITY_FORM),
        Cue(2.5, "Two", "count", PRIORITY_COUNT),
        # 3 s of speech at 4.5 s in a 5 s window, with no short form and no room: dropped
        Cue(
            4.5,
            "This sentence is sixty characters long, far too long to fit",
            "halfway",
            PRIORITY_INFO,
        ),
    ),
    (Tone(0.0),),
)


def test_crowded_window_gets_the_documented_decisions() -> None:
    script = CueScript("Crowded", [Chapter("Squat"), Say("Squat.", "name", 0.5), CROWDED])
    tl = resolve(script, voice())
    start = frames("Squat.") + round(0.5 * RATE)  # the window starts after the name and its gap
    placed = {c.kind: c for c in tl.cues}
    assert placed["go"].start == start
    assert placed["count"].text == "Two"  # the later count; "One" was shortened, see below
    counts = [c for c in tl.cues if c.kind == "count"]
    assert [c.text for c in counts] == ["One", "Two"]
    assert [c.start - start for c in counts] == [1 * RATE, round(2.5 * RATE)]
    form = placed["form"]
    two_end = counts[1].end
    assert form.start == two_end + round(0.1 * RATE)  # moved just after "Two", keeping a gap
    assert "halfway" not in placed
    assert len(tl.warnings) == 3
    short, moved, dropped = tl.warnings
    assert short.startswith("Squat @ 0:01.")
    assert '"One, and hold." would run into "Down."; said "One" instead' in short
    assert '"Long form cue text here" would run into "Two"; moved +' in moved
    assert dropped.endswith("would run into the end of its window; dropped")
    assert tl.length == start + 5 * RATE


def test_no_two_cues_overlap_and_windows_keep_their_length() -> None:
    steps: list[Step] = [Chapter("A"), Say("Hello there.", gap=0.3)]
    steps += [CROWDED] * 5 + [Say("Done.")]
    tl = resolve(CueScript("T", list(steps)), voice())
    for a, b in zip(tl.cues, tl.cues[1:], strict=False):
        assert a.end <= b.start
    expected = frames("Hello there.") + round(0.3 * RATE) + 5 * 5 * RATE
    expected += frames("Done.") + round(0.4 * RATE)
    assert tl.length == expected


def test_window_positions_do_not_drift() -> None:
    # 1000 windows of 1/3 s: each starts at the running integer sample count.
    steps = [Window(1 / 3, "rest", "", (), (Tone(0.0),)) for _ in range(1000)]
    tl = resolve(CueScript("T", list(steps)), voice())
    assert tl.length == 1000 * round(RATE / 3)
    assert [t.start for t in tl.tones][-1] == 999 * round(RATE / 3)


def test_rep_starts_are_on_the_tempo_from_the_window_start_without_drift() -> None:
    """Rep k starts round(k x (tempo + hold) x rate) samples after its window, never a sum
    of rounded rep lengths: 300 reps of 1.01 s + 0.003 s end exactly where they should."""
    facts = WindowFacts(exercise="Pulse", set=1, sets=1, reps=300, tempo=1.01, hold=0.003)
    steps: list[Step] = [Say("Ready."), Window(300 * 1.013, "work", "pulses", facts=facts)]
    (window,) = resolve(CueScript("T", steps), voice()).windows
    assert window.start == frames("Ready.") + round(0.4 * RATE)
    assert window.end == window.start + round(300 * 1.013 * RATE)
    assert len(window.rep_starts) == 300
    assert window.rep_starts[0] == window.start
    assert window.rep_starts[299] - window.start == round(299 * 1.013 * RATE) == 6678658
    assert window.rep_at(window.rep_starts[150] - 1) == 150
    assert window.rep_at(window.rep_starts[150]) == 151
    assert window.rep_at(window.end) is None and window.facts == facts


def test_iter_chapters_gives_absolute_positions_and_prepares_each_chapter() -> None:
    class Recording(MemoryVoice):
        def __init__(self) -> None:
            super().__init__(FakeEngine())
            self.batches: list[list[str]] = []

        def prepare(self, texts: object) -> None:
            batch = list(texts)  # type: ignore[call-overload]
            self.batches.append(batch)
            super().prepare(batch)

    script = CueScript(
        "T",
        [
            Chapter("One"),
            Say("First."),
            Chapter("Two"),
            Window(2.0, "work", "", (Cue(0.5, "Hold it.", short="Hold."),)),
        ],
    )
    rec = Recording()
    chapters = iter_chapters(script, rec)
    first = next(chapters)
    assert rec.batches == [["First."]]  # the second chapter is not synthesized yet
    second = next(chapters)
    assert rec.batches[1] == ["Hold it.", "Hold."]
    assert first.span.start == 0 and first.span.end == second.span.start
    assert second.cues[0].start == second.span.start + round(0.5 * RATE)
    assert second.cues[0].chapter == 1
    whole = resolve(script, voice())
    assert [c.start for c in whole.cues] == [c.start for c in first.cues + second.cues]


def test_steps_before_any_chapter_get_one() -> None:
    tl = resolve(CueScript("Quick", [Say("Hi.")]), voice())
    assert [c.title for c in tl.chapters] == ["Quick"]


def test_a_shipped_routine_resolves_with_the_real_voice_without_overlap() -> None:
    import pytest

    from coach.compiler import compile_routine
    from coach.errors import CoachError
    from coach.routine import load_routine

    try:
        from coach.speech import open_voice

        real = open_voice("pyttsx3")
        real.clip("Go!")
    except (CoachError, ImportError) as error:
        pytest.skip(f"no pyttsx3 voice here: {error}")
    tl = resolve(compile_routine(load_routine("tabata")), real)
    assert len(tl.cues) > 50
    for a, b in zip(tl.cues, tl.cues[1:], strict=False):
        assert a.end <= b.start
