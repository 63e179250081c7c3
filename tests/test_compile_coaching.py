"""Inside a working set the coach coaches: measured on the resolved timeline.

Small routines built here check one behaviour each (counting modes, "last N" on its
rep, holds, pulses); the shipped routines are checked for what a listener notices
over a whole session (silence, form cues, encouragement, repetition).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from coach.audio.clip import SAMPLE_RATE
from coach.compiler import compile_routine
from coach.cues.model import PRIORITY_COUNT, CueScript, Window
from coach.cues.text import format_cues
from coach.resolve import max_shift, resolve
from coach.routine import builtin_routines, load_routine
from coach.routine.model import Exercise, Routine, Section
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice
from coach.timeline import TimedCue, TimedWindow, Timeline

RATE = SAMPLE_RATE
NUMBERS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
NUMBERS |= {"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"}
NUMBERS |= {"eighteen", "nineteen", "twenty"}
SHIPPED = [(path, level) for path in builtin_routines() for level in (1, 2)]
SHIPPED_IDS = [f"{path.stem}-{level}" for path, level in SHIPPED]


def routine(*exercises: Exercise) -> Routine:
    return Routine("Test", (Section(None, tuple(exercises)),), name="test")


def timeline_of(r: Routine | CueScript, level: int | None = None) -> Timeline:
    script = r if isinstance(r, CueScript) else compile_routine(r, level=level)
    return resolve(script, MemoryVoice(FakeEngine()))


def works(tl: Timeline) -> list[TimedWindow]:
    return [w for w in tl.windows if w.kind == "work"]


def inside(tl: Timeline, window: TimedWindow) -> list[TimedCue]:
    return [c for c in tl.cues if window.start <= c.start < window.end]


def at(window: TimedWindow, cue: TimedCue) -> float:
    return (cue.start - window.start) / RATE


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def longest_silence(tl: Timeline, window: TimedWindow) -> float:
    end, longest = window.start, 0
    for cue in inside(tl, window):
        longest = max(longest, cue.start - end)
        end = max(end, cue.end)
    return max(longest, window.end - end) / RATE


# ---- counting -------------------------------------------------------------------------


def counts_in(tl: Timeline) -> list[TimedCue]:
    return [c for c in tl.cues if c.kind == "count"]


def test_counting_ends_counts_the_first_reps_then_coaches_then_counts_down() -> None:
    ex = Exercise("Squat", reps=20, tempo=3.0, cues=("Chest up.", "Knees out.", "Sit back."))
    tl = timeline_of(routine(ex))
    (work,) = works(tl)
    said = [(work.rep_at(c.start), c.text) for c in inside(tl, work) if c.kind != "go"]
    first = [text for rep, text in said if rep is not None and rep <= 3]
    assert first[:3] == ["One", "Two", "Three"]
    counts = counts_in(tl)
    assert len(counts) < 14  # far fewer than 20: cues took the place of counts
    # the last reps are counted down: "last five" at rep 16, then 4, 3, 2 left, "last one"
    tail = [words(c.text)[0] for c in counts if (work.rep_at(c.start) or 0) >= 17]
    assert tail == ["four", "three", "two"]
    kinds = {c.kind for c in inside(tl, work)}
    assert {"form", "encourage"} <= kinds


def test_counting_every_counts_each_rep_and_none_counts_no_rep() -> None:
    base = Exercise("Squat", reps=12, tempo=3.0, cues=("Chest up.", "Knees out."))
    every = timeline_of(routine(Exercise(**{**base.__dict__, "counting": "every"})))
    none = timeline_of(routine(Exercise(**{**base.__dict__, "counting": "none"})))
    ends = timeline_of(routine(base))
    (work,) = works(every)
    # every rep is counted, on its top, except the two that "last five" and "last one" take
    reps = sorted(work.rep_at(c.start) or 0 for c in counts_in(every))
    assert reps == [k for k in range(1, 13) if k not in (8, 12)]
    assert len(counts_in(none)) == 0
    assert len(counts_in(every)) > len(counts_in(ends)) > 0
    # `none` still coaches and still says "last one"
    texts = [c.text for c in none.cues if c.kind == "last_reps"]
    assert len(texts) == 2
    assert any(c.kind == "form" for c in none.cues)
    for tl in (every, none, ends):
        assert longest_silence(tl, works(tl)[0]) <= 8.0


# ---- last N -----------------------------------------------------------------------------


@pytest.mark.parametrize("counting", ["ends", "every", "none"])
def test_last_five_and_last_one_start_exactly_on_their_rep(counting: str) -> None:
    ex = Exercise("Lunge", reps=16, tempo=2.0, alternate=True, counting=counting)
    tl = timeline_of(routine(ex))
    (work,) = works(tl)
    calls = [c for c in inside(tl, work) if c.kind == "last_reps"]
    assert len(calls) == 2
    five, one = calls
    # reps, not pairs: "last five" starts rep 12 of 16, "last one" rep 16
    assert "five" in five.text.lower()
    assert five.start == work.rep_starts[11]
    assert one.start == work.rep_starts[15]


def test_last_calls_are_anchored_and_dropped_with_a_warning_when_they_cannot_fit() -> None:
    script = compile_routine(routine(Exercise("Taps", reps=12, tempo=0.6)))
    (work,) = [s for s in script.steps if isinstance(s, Window) and s.kind == "work"]
    calls = [c for c in work.cues if c.kind == "last_reps"]
    assert calls == []  # no "last five" in a 0.6 s rep
    assert script.warnings and all("does not fit at the start of rep" in w for w in script.warnings)
    # those that fit can never be moved by the resolver
    script = compile_routine(routine(Exercise("Squat", reps=12)))
    (work,) = [s for s in script.steps if isinstance(s, Window) and s.kind == "work"]
    calls = [c for c in work.cues if c.kind == "last_reps"]
    assert len(calls) == 2 and not script.warnings
    assert all(max_shift(c.priority) == 0 for c in calls)
    assert all(c.priority == PRIORITY_COUNT for c in calls)


# ---- holds and pulses --------------------------------------------------------------------


def test_a_long_hold_is_counted_down_or_coached_never_silent() -> None:
    ex = Exercise("Bridge", reps=8, tempo=2.0, hold=5.0, cues=("Squeeze at the top.",))
    tl = timeline_of(routine(ex))
    (work,) = works(tl)
    cues = inside(tl, work)
    for k, start in enumerate(work.rep_starts):
        top = start + 1 * RATE
        in_hold = [c for c in cues if top <= c.start < top + 5 * RATE]
        assert in_hold, f"rep {k + 1}: nothing said in its hold"
        # never more than 2.5 s of silence inside a hold
        end = top
        for cue in in_hold:
            assert cue.start - end <= 2.5 * RATE
            end = max(end, cue.end)
        downs = [c for c in cues if c.kind == "release" and c.start == top + 5 * RATE]
        assert len(downs) == 1, f"rep {k + 1}: no 'down' where its hold ends"
    # the first rep is counted: its hold counted down at its seconds
    top = work.rep_starts[0] + RATE
    numbers = [(c.start - top) / RATE for c in cues if c.kind == "hold_count"][:3]
    assert numbers == [2.0, 3.0, 4.0]


def test_pulses_are_called_at_their_times_then_up() -> None:
    ex = Exercise("Pulse squat", reps=6, tempo=7.0, pulses=5, counting="every")
    tl = timeline_of(routine(ex))
    (work,) = works(tl)
    cues = inside(tl, work)
    for k, start in enumerate(work.rep_starts):
        # down for 1.5 s, five pulses 0.8 s apart, up for the last 1.5 s
        pulses = [c for c in cues if c.kind == "pulse" and start <= c.start < start + 7 * RATE]
        assert [round((c.start - start) / RATE, 2) for c in pulses] == [1.5, 2.3, 3.1, 3.9, 4.7]
        ups = [c for c in cues if c.kind == "release" and c.start == start + round(5.5 * RATE)]
        assert len(ups) == 1 and "up" in ups[0].text.lower(), k


# ---- context -----------------------------------------------------------------------------


def test_encouragement_knows_the_last_set_and_the_last_round() -> None:
    ex = Exercise("Squat", sets=3, reps=20, cues=("Chest up.", "Knees out."))
    tl = timeline_of(routine(ex, Exercise("Plank", work=40.0, cues=("Long line.",))))
    windows = works(tl)
    said = [[c.text.lower() for c in inside(tl, w) if c.kind == "encourage"] for w in windows]
    assert all(said), said
    assert any("last set" in t or "final set" in t for t in said[2])
    assert any("last" in t or "final" in t for t in said[3])  # the last exercise
    circuit = Section("Finisher", (Exercise("Jacks", work=30.0, cues=("Soft feet.",)),), rounds=3)
    tl = timeline_of(Routine("Test", (Section(None, (ex,)), circuit), name="t"))
    last = works(tl)[-1]
    texts = [c.text.lower() for c in inside(tl, last) if c.kind == "encourage"]
    assert any("round" in t or "move" in t or "exercise" in t for t in texts)


def test_same_input_same_output() -> None:
    path = next(p for p in builtin_routines() if p.stem == "at-home-glutes")
    first = format_cues(compile_routine(load_routine(str(path)), level=2))
    assert format_cues(compile_routine(load_routine(str(path)), level=2)) == first


# ---- the shipped routines ----------------------------------------------------------------


@pytest.fixture(scope="module", params=SHIPPED, ids=SHIPPED_IDS)
def shipped(request: pytest.FixtureRequest) -> Timeline:
    path, level = request.param
    assert isinstance(path, Path)
    return timeline_of(load_routine(str(path)), level)


def test_no_silence_over_eight_seconds_inside_a_working_set(shipped: Timeline) -> None:
    """A set is never silent for over 8 s; a steady block of timed work of 60 s or more (a
    walk, a jog) has a line at least every 25 s rather than every few seconds."""
    for window in works(shipped):
        steady = window.facts.reps is None and window.end - window.start >= 60 * RATE
        limit = 25.0 if steady else 8.0
        assert longest_silence(shipped, window) <= limit, window.label


def test_every_set_of_an_exercise_with_cues_has_a_form_cue_from_set_one(shipped: Timeline) -> None:
    first_go: dict[str, int] = {}
    first_form: dict[str, int] = {}
    with_form = total = 0
    for window in works(shipped):
        name = window.facts.exercise or ""
        first_go.setdefault(name, window.start)
        forms = [c for c in inside(shipped, window) if c.kind == "form"]
        total += 1
        with_form += bool(forms)
        if forms:
            first_form.setdefault(name, forms[0].start)
    assert with_form >= 0.75 * total
    late = {n: (first_form[n] - first_go[n]) / RATE for n in first_form}
    too_late = {n: s for n, s in late.items() if s > 20.0}
    assert not too_late


def test_encouragement_in_most_long_sets_and_no_sentence_said_over_six_times(
    shipped: Timeline,
) -> None:
    long = [w for w in works(shipped) if w.end - w.start >= 20 * RATE]
    cheered = [
        w for w in long if any(c.kind in ("encourage", "keep_going") for c in inside(shipped, w))
    ]
    assert len(cheered) >= len(long) / 2
    said = Counter(
        c.text for w in works(shipped) for c in inside(shipped, w) if len(words(c.text)) >= 3
    )
    assert max(said.values(), default=0) <= 6, said.most_common(3)


def test_bare_numbers_and_one_word_calls_are_under_sixty_percent(shipped: Timeline) -> None:
    bare = [c for c in shipped.cues if len(words(c.text)) <= 1 or set(words(c.text)) <= NUMBERS]
    assert len(bare) <= 0.6 * len(shipped.cues)
