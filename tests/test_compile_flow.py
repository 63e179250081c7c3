"""Between the sets: previews, time to get ready, progress markers, the ending, flow.

Resolved against the fake engine (50 ms of tone per character), so every time
below is a sample count that follows from the texts and the routine alone.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from coach.audio.clip import SAMPLE_RATE
from coach.compiler import compile_routine
from coach.cues.model import Say, Window
from coach.resolve import resolve
from coach.routine import load_routine
from coach.routine.model import Exercise, Routine, Section
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice
from coach.timeline import TimedCue, TimedWindow, Timeline

RATE = SAMPLE_RATE
ROUTINES = Path(__file__).parent.parent / "routines"
# What tells the listener what to do: after the last of these, time to get into position.
INSTRUCTIONS = {"intro", "section", "round", "next_up", "equipment", "setup", "plan"}
INSTRUCTIONS |= {"movement", "tip", "progress", "encourage", "name"}
MARKERS: dict[str, tuple[str, ...]] = {
    "last_set": ("LAST SET",),
    "last_set_side": ("LAST SET, {side} FIRST",),
    "last_round": ("LAST ROUND",),
    "last_exercise": ("LAST EXERCISE",),
    "moves_left": ("{count} MOVES LEFT",),
    "halfway_session": ("HALFWAY THROUGH",),
    "next_set": ("SET {n} OF {total}",),
    "equipment_session": ("SESSION: {items}",),
    "equipment_exercise": ("NEED: {items}",),
}


def timeline_of(r: Routine, level: int | None = None) -> Timeline:
    return resolve(compile_routine(r, level=level), MemoryVoice(FakeEngine()))


def one_section(*exercises: Exercise, **fields: object) -> Routine:
    return Routine("Test", (Section(None, tuple(exercises)),), name="t", **fields)  # type: ignore[arg-type]


def works(tl: Timeline, exercise: str | None = None) -> list[TimedWindow]:
    return [w for w in tl.windows if w.kind == "work" and exercise in (None, w.facts.exercise)]


def cues_in(tl: Timeline, start: int, end: int) -> list[TimedCue]:
    return [c for c in tl.cues if start <= c.start < end]


def test_the_rest_before_an_exercise_prepares_it() -> None:
    a = Exercise("Squat", reps=5, rest_after=40.0)
    b = Exercise(
        "Clam",
        reps=5,
        sets=2,
        equipment=("mat",),
        setup=("Lie on your side, knees bent.",),
        cues=("Open the top knee, heels together.",),
    )
    phrases = {**MARKERS, "next_up": ("NEXT {name}",), "plan_reps": ("PLAN {sets} x {reps}",)}
    tl = timeline_of(one_section(a, b, phrases=phrases))
    (rest,) = [w for w in tl.windows if w.kind == "rest" and w.facts.set == 1]
    said = {c.kind: c for c in cues_in(tl, rest.start, rest.end)}
    assert said["next_up"].text == "NEXT Clam"
    assert said["equipment"].text == "NEED: a mat"
    assert said["setup"].text == "Lie on your side, knees bent."
    assert said["plan"].text == "PLAN two x five"
    assert said["movement"].text == "Open the top knee, heels together."
    # said in this order, each ending inside the rest
    order = [said[k] for k in ("rest", "next_up", "equipment", "setup", "plan", "movement")]
    assert [c.start for c in order] == sorted(c.start for c in order)
    assert all(c.end <= rest.end for c in order)
    # "next up" opens the preview: right after the rest is announced, not at its end
    assert said["next_up"].start - rest.start < 4 * RATE
    # the rest leads straight into the first set: the written 40 s, then "go"
    assert works(tl, "Clam")[0].start == rest.end


def test_a_preview_too_long_for_its_rest_continues_after_it() -> None:
    a = Exercise("Squat", reps=5, rest_after=10.0)
    setup = ("Lie on your back with your heels on the ball.", "Lift your hips off the floor.")
    b = Exercise("Ball curl", reps=5, setup=setup)
    script = compile_routine(one_section(a, b))
    tl = resolve(script, MemoryVoice(FakeEngine()))
    (rest,) = [w for w in tl.windows if w.kind == "rest"]
    assert rest.end - rest.start == 10 * RATE  # never cut
    spoken = [c.text for c in tl.cues if c.kind == "setup"]
    assert spoken == list(setup)  # every line said, in order, none dropped
    assert tl.warnings == []


def test_get_ready_follows_the_last_instruction() -> None:
    # Lying down takes longer than a standing move: 12 s asked, over a short and a long rest.
    for rest_after in (0.0, 10.0, 60.0):
        a = Exercise("Squat", reps=5, rest_after=rest_after)
        b = Exercise("Bridge", reps=5, get_ready=12.0, setup=("Lie on your back.",))
        tl = timeline_of(one_section(a, b))
        for exercise, get_ready in (("Squat", 5.0), ("Bridge", 12.0)):
            go = works(tl, exercise)[0].start
            told = [c for c in tl.cues if c.kind in INSTRUCTIONS and c.end <= go]
            assert (go - told[-1].end) / RATE >= get_ready, (rest_after, exercise)
            # and nothing tells the listener anything new in that time
            between = [c for c in tl.cues if told[-1].end <= c.start < go]
            assert {c.kind for c in between} <= {"side", "get_ready", "countdown"}


def test_the_first_exercise_is_previewed_after_the_intro_with_the_session_equipment() -> None:
    a = Exercise("Bridge", reps=5, equipment=("mat",), setup=("Lie on your back.",))
    b = Exercise("Ball curl", reps=5, equipment=("exercise ball", "mat"))
    script = compile_routine(one_section(a, b, intro=("Hello.",), phrases=MARKERS))
    says = []
    for step in script.steps:
        if isinstance(step, Window):
            break
        if isinstance(step, Say):
            says.append((step.kind, step.text))
    assert says[:2] == [("intro", "Hello."), ("equipment", "SESSION: a mat and an exercise ball")]
    kinds = [k for k, _ in says]
    assert kinds[2:] == ["next_up", "equipment", "setup", "plan"]
    assert "Bridge" in says[2][1] and says[3][1] == "NEED: a mat"
    # an exercise that needs everything just listed does not list it again
    only = one_section(b, intro=("Hello.",), phrases=MARKERS)
    kinds = [s.kind for s in compile_routine(only).steps if isinstance(s, Say)]
    assert kinds.count("equipment") == 1
    assert script.chapters[:2] == ["Intro", "Bridge"]


def test_every_last_set_and_round_is_announced_and_middle_sets_are_numbered() -> None:
    squat = Exercise("Squat", sets=3, reps=5, rest=20.0)
    kick = Exercise("Kick", sets=2, reps=5, rest=20.0, sides=("right leg", "left leg"))
    r = one_section(squat, kick, phrases=MARKERS)
    tl = timeline_of(r)
    told = [c.text for c in tl.cues if c.kind == "next_set"]
    assert told == ["SET two OF three", "LAST SET", "LAST SET, right leg FIRST"]
    # each before its set, in the rest right before it
    for set_ in (2, 3):
        work = next(w for w in works(tl, "Squat") if w.facts.set == set_)
        rest = next(w for w in tl.windows if w.end == work.start)
        assert rest.kind == "rest" and any(
            c.kind == "next_set" for c in cues_in(tl, rest.start, rest.end)
        )

    circuit = Section(
        "Finisher",
        (Exercise("Jacks", work=20.0, rest_after=10.0), Exercise("Skaters", work=20.0)),
        rounds=3,
        rest_between_rounds=30.0,
    )
    tl = timeline_of(Routine("C", (circuit,), name="c", phrases=MARKERS))
    (last,) = [c for c in tl.cues if c.text == "LAST ROUND"]
    round_3 = next(w for w in works(tl) if w.facts.round == 3)
    assert round_3.start - 30 * RATE <= last.start < round_3.start


def test_progress_through_the_session() -> None:
    moves = [Exercise(name, reps=5) for name in ("A", "B", "C", "D", "E")]
    tl = timeline_of(one_section(*moves, phrases=MARKERS))
    progress = [(c.text, c.start) for c in tl.cues if c.kind == "progress"]
    assert [t for t, _ in progress] == ["HALFWAY THROUGH", "Two MOVES LEFT", "LAST EXERCISE"]
    firsts = {ex: works(tl, ex)[0] for ex in "ABCDE"}
    # each in the rest before its exercise: C (the middle one), D, E
    for (_, at), ex in zip(progress, "CDE", strict=True):
        assert works(tl, chr(ord(ex) - 1))[-1].end <= at < firsts[ex].start


def test_a_set_to_failure_gets_a_word_after_it() -> None:
    ex = Exercise("Wall sit", sets=2, work=30.0, to_failure=True, rest=30.0)
    tl = timeline_of(one_section(ex, phrases={"after_failure": ("WELL FOUGHT",)}))
    (word,) = [c for c in tl.cues if c.text == "WELL FOUGHT"]
    (rest,) = [w for w in tl.windows if w.kind == "rest"]
    assert rest.start <= word.start < rest.end


def test_one_warm_ending() -> None:
    exercises = (Exercise("Squat", sets=2, reps=5), Exercise("Lunge", reps=5))
    for outro in ((), ("That's the whole routine. Well done.",)):
        script = compile_routine(one_section(*exercises, outro=outro))
        steps = script.steps
        last_work = max(i for i, s in enumerate(steps) if isinstance(s, Window))
        tail = [s.kind for s in steps[last_work + 1 :] if isinstance(s, Say)]
        assert tail == ["finish", "outro"], outro
        says = [s for s in steps if isinstance(s, Say)]
        assert not [s for s in says if s.kind == "stop"]  # every set is followed by a rest
    tl = timeline_of(one_section(*exercises, outro=("Well done.",)))
    assert [c.text for c in tl.cues if c.kind == "outro"] == ["Well done."]


def test_all_sets_on_one_side_then_the_other() -> None:
    clam = Exercise(
        "Clam",
        sets=2,
        reps=5,
        rest=20.0,
        sides=("right knee", "left knee"),
        switch_sides="after_all_sets",
        switch=12.0,
    )
    tl = timeline_of(one_section(clam))
    done = [(w.facts.set, w.facts.side) for w in works(tl)]
    assert done == [(1, "right knee"), (2, "right knee"), (1, "left knee"), (2, "left knee")]
    between = [w for w in tl.windows if works(tl)[0].start < w.start < works(tl)[-1].start]
    kinds = [(w.kind, (w.end - w.start) / RATE, w.facts.side) for w in between if w.kind != "work"]
    assert kinds == [
        ("rest", 20.0, "right knee"),
        ("switch", 12.0, "left knee"),
        ("rest", 20.0, "left knee"),
    ]


def test_each_set_switches_sides_in_the_exercises_own_switch_time() -> None:
    lunge = Exercise("Lunge", reps=5, sides=("right leg", "left leg"), switch=8.0)
    tl = timeline_of(one_section(lunge))
    (switch,) = [w for w in tl.windows if w.kind == "switch"]
    assert (switch.end - switch.start) / RATE == 8.0


def test_run_walk_flows_in_exact_cycles_called_on_each_boundary() -> None:
    tl = timeline_of(load_routine(str(ROUTINES / "run-walk-week-1.yaml")))
    blocks = works(tl)
    assert [w.facts.exercise for w in blocks] == ["Brisk walk"] + ["Jog", "Walk"] * 8 + [
        "Easy walk"
    ]
    jogs = [w.start for w in blocks if w.facts.exercise == "Jog"]
    assert {b - a for a, b in itertools.pairwise(jogs)} == {150 * RATE}
    # back to back: no rest, get-ready, switch or speech between the first block and the last
    for a, b in itertools.pairwise(blocks):
        assert a.end == b.start
    first, last = blocks[0].start, blocks[-1].end
    assert [w for w in tl.windows if first <= w.start < last and w.kind != "work"] == []
    for block, before in zip(blocks[1:], blocks, strict=False):
        (call,) = [c for c in tl.cues if c.kind == "call" and abs(c.start - block.start) < RATE]
        assert call.text.rstrip(".") == block.facts.exercise
        (heads_up,) = [
            c for c in tl.cues if c.kind == "heads_up" and before.start < c.start < before.end
        ]
        assert block.facts.exercise in heads_up.text
        assert 3 * RATE <= block.start - heads_up.start <= 6 * RATE
    said_between = {c.kind for c in tl.cues if first < c.start < last}
    assert not said_between & {"go", "stop", "get_ready", "rest", "next_up", "setup"}
    (last_round,) = [c for c in tl.cues if c.kind == "progress"]
    assert blocks[14].start <= last_round.start < blocks[15].start  # before round 8
    assert tl.warnings == []


def test_a_continuous_section_keeps_a_written_rest_as_a_block_of_its_own() -> None:
    warm_up = Section("Warm-up", (Exercise("Squats", reps=5),))
    intervals = Section(
        "Intervals",
        (Exercise("Fast", work=30.0), Exercise("Slow", work=30.0)),
        rounds=3,
        rest_between_rounds=20.0,
        continuous=True,
    )
    tl = timeline_of(Routine("I", (warm_up, intervals), name="i"))
    fast = [w.start for w in works(tl, "Fast")]
    assert {b - a for a, b in itertools.pairwise(fast)} == {80 * RATE}  # 30 + 30 + 20
    kinds = [w.kind for w in tl.windows if fast[0] <= w.start < works(tl)[-1].end]
    assert kinds == ["work", "work", "rest"] * 2 + ["work", "work"]
    # the section is entered like any exercise (a rest that prepares it, its countdown),
    # and each block is called by name on its first sample
    for w in works(tl)[1:]:
        (first,) = [c for c in tl.cues if c.start == w.start]
        assert first.kind == "call" and first.text == f"{w.facts.exercise}."
