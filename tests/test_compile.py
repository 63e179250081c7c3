"""The compiler, resolved against the fake engine: counts on the tempo, exact lengths."""

from __future__ import annotations

import itertools

from coach.audio.clip import SAMPLE_RATE
from coach.compiler import compile_routine
from coach.cues.model import Chapter, Say, Window
from coach.resolve import resolve
from coach.routine.model import Exercise, Reminders, Routine, Section, Settings
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice
from coach.timeline import TimedCue, Timeline

RATE = SAMPLE_RATE


def routine(*exercises: Exercise, **fields: object) -> Routine:
    return Routine("Test", (Section(None, tuple(exercises)),), name="test", **fields)  # type: ignore[arg-type]


def timeline_of(r: Routine, level: int | None = None) -> Timeline:
    return resolve(compile_routine(r, level=level), MemoryVoice(FakeEngine()))


def of_kind(timeline: Timeline, kind: str) -> list[TimedCue]:
    return [cue for cue in timeline.cues if cue.kind == kind]


def assert_no_overlap(timeline: Timeline) -> None:
    for a, b in zip(timeline.cues, timeline.cues[1:], strict=False):
        assert a.end <= b.start, f"{a.text!r} overlaps {b.text!r}"


def test_rep_counts_land_exactly_on_the_tempo() -> None:
    ex = Exercise("Squat", sets=1, reps=12, tempo=3.0, counting="every")
    tl = timeline_of(routine(ex))
    (go,) = of_kind(tl, "go")
    counts = of_kind(tl, "count")
    assert [c.text for c in counts][:3] == ["One", "Two", "Three"]
    # every rep counted but the two whose count "last five" and "last one" take
    assert len(counts) == 10
    numbered = {k: c for k, c in enumerate(counts, start=1) if k < 8}
    for k, cue in numbered.items():
        # rep k starts at (k-1) x tempo; its count is spoken at the top, half a tempo later
        assert cue.start - go.start == round(((k - 1) * 3.0 + 1.5) * RATE)
    assert_no_overlap(tl)


def test_holds_say_down_when_the_hold_ends() -> None:
    ex = Exercise("Bridge", reps=4, tempo=2.0, hold=2.0, counting="every")
    tl = timeline_of(routine(ex))
    (go,) = of_kind(tl, "go")
    counts, releases = of_kind(tl, "count"), of_kind(tl, "release")
    assert len(counts) == 3 and len(releases) == 4  # "last one" takes rep 4's count
    for k, (count, release) in enumerate(zip(counts, releases, strict=False)):
        top = k * 4.0 + 1.0
        assert count.start - go.start == round(top * RATE)
        assert "hold" in count.text.lower()
        assert release.start - go.start == round((top + 2.0) * RATE)


def test_sets_rests_and_sides_last_what_the_routine_says() -> None:
    ex = Exercise(
        "Kickback", sets=3, reps=10, tempo=3.0, rest=30.0, sides=("right leg", "left leg")
    )
    r = routine(ex, settings=Settings(switch=5.0))
    script = compile_routine(r)
    works = [s for s in script.steps if isinstance(s, Window) and s.kind == "work"]
    assert [w.duration for w in works] == [30.0] * 6
    assert [w.label.split(", ")[-1] for w in works] == ["right leg", "left leg"] * 3
    switches = [s for s in script.steps if isinstance(s, Window) and s.kind == "switch"]
    assert [w.duration for w in switches] == [5.0] * 3
    tl = resolve(script, MemoryVoice(FakeEngine()))
    gos = [c.start for c in of_kind(tl, "go")]
    set_len, switch_len, rest_len = 30 * RATE, 5 * RATE, 30 * RATE
    assert gos[1] - gos[0] == set_len + switch_len  # right leg -> left leg
    assert gos[2] - gos[1] == set_len + rest_len  # left leg -> next set
    assert any(c.kind == "switch" and "left leg" in c.text.lower() for c in tl.cues)
    assert_no_overlap(tl)


def test_countdown_ends_where_work_starts() -> None:
    tl = timeline_of(routine(Exercise("Plank", work=30.0)))
    (go,) = of_kind(tl, "go")
    countdown = [c for c in of_kind(tl, "countdown") if c.start < go.start]
    assert [c.text for c in countdown] == ["Three", "Two", "One"]
    assert [go.start - c.start for c in countdown] == [3 * RATE, 2 * RATE, 1 * RATE]
    assert any(t.start == go.start for t in tl.tones)


def test_long_timed_work_has_halfway_and_last_five() -> None:
    tl = timeline_of(routine(Exercise("Plank", work=60.0)))
    (go,) = of_kind(tl, "go")
    (halfway,) = of_kind(tl, "halfway")
    ten, last = of_kind(tl, "last_seconds")
    assert "ten" in ten.text.lower() and ten.start - go.start == 50 * RATE
    assert halfway.start - go.start == 30 * RATE
    assert last.start - go.start == 55 * RATE
    assert "five" in last.text.lower()


def test_last_reps_are_announced() -> None:
    tl = timeline_of(routine(Exercise("Squat", reps=20)))
    texts = [c.text for c in of_kind(tl, "last_reps")]
    assert any("five" in t.lower() for t in texts)


def test_rest_is_announced_with_its_length_and_next_up_before_it_ends() -> None:
    a = Exercise("Squat", reps=5, rest_after=20.0)
    b = Exercise("Lunge", reps=5, setup=("Step forward.",))
    tl = timeline_of(routine(a, b))
    (rest,) = of_kind(tl, "rest")
    assert "twenty seconds" in rest.text
    (nxt,) = [c for c in of_kind(tl, "next_up") if "Lunge" in c.text]
    assert rest.start < nxt.start < rest.start + 20 * RATE


def test_alternating_reps_name_the_side() -> None:
    taps = Exercise("Toe taps", reps=4, tempo=2.0, alternate=True, counting="every")
    tl = timeline_of(routine(taps))
    sides = [c.text.lower() for c in of_kind(tl, "count")]  # rep 4: "last one"
    assert ["right" in s for s in sides] == [True, False, True]
    assert ["left" in s for s in sides] == [False, True, False]


def test_circuit_rounds_are_chapters_with_exact_rests() -> None:
    section = Section(
        "Finisher",
        (Exercise("Jacks", work=20.0, rest_after=10.0), Exercise("Skaters", work=20.0)),
        rounds=3,
        rest_between_rounds=30.0,
    )
    r = Routine("Test", (section,), name="t")
    script = compile_routine(r)
    assert [c for c in script.chapters if "round" in c] == [
        "Finisher, round 1 of 3",
        "Finisher, round 2 of 3",
        "Finisher, round 3 of 3",
    ]
    tl = resolve(script, MemoryVoice(FakeEngine()))
    gos = [c.start for c in of_kind(tl, "go")]
    assert len(gos) == 6
    # after the first exercise the intervals keep their written length
    assert gos[1] - gos[0] == 30 * RATE  # 20 s work + 10 s rest
    assert gos[2] - gos[1] == 50 * RATE  # 20 s work + 30 s between rounds


def test_to_failure_is_open_ended_but_capped() -> None:
    ex = Exercise("Wall sit", work=45.0, to_failure=True)
    script = compile_routine(routine(ex))
    (work,) = [s for s in script.steps if isinstance(s, Window) and s.kind == "work"]
    assert work.duration == 45.0
    kinds = {c.kind for c in work.cues}
    assert {"to_failure", "keep_going", "halfway", "countdown"} <= kinds
    assert not any(c.kind == "count" for c in work.cues)


def test_level_two_uses_the_notch_variant() -> None:
    ex = Exercise("Kickback", reps=10, notch=Exercise("Side kick", reps=12))
    script = compile_routine(routine(ex), level=2)
    names = [s.text for s in script.steps if isinstance(s, Say) and s.kind == "next_up"]
    assert len(names) == 1 and "Side kick" in names[0] and script.level == 2
    intro = [s.text for s in script.steps if isinstance(s, Say) and s.kind == "intro"]
    assert any("notch" in line or "harder" in line for line in intro)


def test_reminders_come_at_their_interval_and_never_on_another_cue() -> None:
    r = routine(
        Exercise("Plank", work=120.0, cues=("Long straight line.",)),
        reminders=Reminders(40.0, ("Breathe.",)),
    )
    tl = timeline_of(r)
    reminders = of_kind(tl, "reminder")
    assert len(reminders) == 2  # at about 40 s and 80 s
    assert_no_overlap(tl)


def test_same_input_same_output_and_variants_rotate() -> None:
    ex = Exercise("Squat", sets=4, reps=6, rest=20.0)
    first, second = compile_routine(routine(ex)), compile_routine(routine(ex))
    assert first == second
    rests = [
        c.text for s in first.steps if isinstance(s, Window) for c in s.cues if c.kind == "rest"
    ]
    assert all(a != b for a, b in itertools.pairwise(rests))


def test_counts_are_never_moved_only_shortened_or_dropped() -> None:
    # Fast alternating reps: "Seventeen, right leg." (1.05 s) cannot fit in a 1 s rep.
    sides = ("right leg", "left leg")
    ex = Exercise("Lunge", reps=20, tempo=1.0, alternate=True, sides=sides, counting="every")
    tl = timeline_of(routine(ex))
    (go,) = of_kind(tl, "go")
    counts = of_kind(tl, "count")
    assert len(counts) == 18  # reps 16 and 20: "last five" and "last one" instead
    reps = [k for k in range(20) if k not in (15, 19)]
    for k, count in zip(reps, counts, strict=True):
        assert count.start - go.start == round((k * 1.0 + 0.5) * RATE)
    assert counts[15].text == "Right leg."
    assert any(
        '"Seventeen, right leg." would run into' in w and 'said "Right leg."' in w
        for w in tl.warnings
    )
    assert_no_overlap(tl)


def test_chapters_cover_intro_each_exercise_and_finish() -> None:
    r = routine(Exercise("Squat", reps=5), Exercise("Lunge", reps=5, setup=("Step.",)))
    script = compile_routine(r)
    assert script.chapters == ["Intro", "Squat", "Lunge", "Finish"]
    assert isinstance(script.steps[0], Chapter)
    tl = resolve(script, MemoryVoice(FakeEngine()))
    spans = tl.chapters
    assert [s.title for s in spans] == script.chapters
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert spans[-1].end == tl.length


def test_a_reminder_with_no_room_in_a_fast_set_is_said_in_the_rest() -> None:
    ex = Exercise("Fast taps", sets=2, reps=20, tempo=1.0, rest=30.0, counting="every")
    long = "Keep breathing steadily through every single rep."
    script = compile_routine(routine(ex, reminders=Reminders(10.0, (long,))))
    windows = [s for s in script.steps if isinstance(s, Window)]
    in_work = [c for w in windows if w.kind == "work" for c in w.cues if c.kind == "reminder"]
    in_rest = [c for w in windows if w.kind == "rest" for c in w.cues if c.kind == "reminder"]
    assert in_work == [] and [c.text for c in in_rest] == [long]
    assert_no_overlap(resolve(script, MemoryVoice(FakeEngine())))
