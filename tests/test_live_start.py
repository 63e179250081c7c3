"""`coach play` starts speaking before the whole first chapter is synthesized, and what it
plays is still the render's session: the same positions, the same samples."""

from __future__ import annotations

import io
import threading
import time

import numpy as np
import pytest

from coach.audio.clip import Clip
from coach.cues.model import Chapter, Cue, CueScript, Say, Window
from coach.errors import CoachError
from coach.live.growing import GrowingTimeline, resolve_in_background
from coach.live.player import Player
from coach.live.session import play
from coach.live.sinks import NullSink
from coach.resolve import resolve
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

RATE = 22050
BLOCK = 512
FIRST = "Welcome, this is a short session."

SCRIPT = CueScript(
    title="Start",
    steps=[
        Chapter("Intro"),
        Say(FIRST, gap=0.5),
        Say("You need nothing but a mat.", gap=0.5),
        Window(
            4.0,
            "work",
            "march",
            (
                Cue(0.0, "Go.", priority=100),
                Cue(0.6, "Lift your knees a little higher.", short="Knees up."),
                Cue(3.0, "Three", priority=100),
            ),
        ),
        Say("And rest.", gap=0.3),
        Chapter("Squats"),
        Say("Feet apart, sit back and stand up again.", gap=0.4),
        Window(3.0, "work", "squat", (Cue(0.0, "Go!", priority=100),)),
    ],
)


class Gated(FakeEngine):
    """Speaks FIRST at once; every other text waits for `gate`. Records what is done."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.done: list[str] = []

    def synthesize(self, text: str) -> Clip:
        if text != FIRST:
            assert self.gate.wait(10), "the test never opened the gate"
        clip = super().synthesize(text)
        self.done.append(text)
        return clip


def _pull_along(player: Player, program: GrowingTimeline, until: object = None) -> list[np.ndarray]:
    """Pull blocks as a device would, but only blocks that are ready (real time passes
    while speech is made), until the end or until `until()` is true."""
    blocks: list[np.ndarray] = []
    deadline = time.monotonic() + 20
    while not player.finished.is_set():
        assert time.monotonic() < deadline, "the session never became ready"
        if not program.complete and program.timeline.length < player.position + BLOCK:
            time.sleep(0.002)
            continue
        blocks.append(player.pull(BLOCK, 0.0))
        if callable(until) and until():
            break
    return blocks


def _heard(player: Player) -> list[str]:
    return [event.text for event in player.events if event.kind == "cue"]


def test_the_first_sentence_is_heard_before_the_rest_of_its_chapter_is_synthesized() -> None:
    engine = Gated()
    voice = MemoryVoice(engine)
    program = resolve_in_background(SCRIPT, voice, wait=False)
    player = Player(program, preroll=0, clock=lambda: 0.0)
    played = _pull_along(player, program, until=lambda: bool(_heard(player)))
    assert _heard(player) == [FIRST]
    assert engine.done == [FIRST]  # nothing else of the first chapter exists yet
    assert not program.complete
    engine.gate.set()
    assert program.wait_complete(10)  # as in a session: speech is made faster than heard
    played += _pull_along(player, program)
    player.close()
    assert not [event for event in player.events if event.kind == "wait"]

    whole = resolve(SCRIPT, voice)  # the render's timeline, from the same clips
    timeline = program.timeline
    assert [(c.start, c.text) for c in timeline.cues] == [(c.start, c.text) for c in whole.cues]
    assert timeline.chapters == whole.chapters and timeline.windows == whole.windows
    assert timeline.length == whole.length
    heard = [(e.position, e.text) for e in player.events if e.kind == "cue"]
    assert heard == [(c.start, c.text) for c in whole.cues]

    live = np.concatenate(played)[: whole.length]
    file = _render_mix(GrowingTimeline.from_timeline(whole))
    later = slice(whole.chapters[1].start, whole.length)
    assert np.array_equal(live[later], file[later])  # the file's levels, sample for sample
    first = slice(0, whole.chapters[0].end)
    ratio = np.abs(live[first]).max() / np.abs(file[first]).max()
    assert 10 ** (-1 / 20) < ratio < 10 ** (1 / 20)  # the first chapter's own levels


def _render_mix(program: GrowingTimeline) -> np.ndarray:
    """What the render feeds its encoder (tests/test_one_chain.py shows they agree)."""
    player = Player(program, preroll=0, clock=lambda: 0.0)
    blocks = []
    while not player.finished.is_set():
        blocks.append(player.pull(BLOCK, 0.0))
    player.close()
    return np.concatenate(blocks)[: program.timeline.length]


def test_the_output_starts_while_the_first_sentence_is_made_with_no_waiting_line() -> None:
    class SlowStart(MemoryVoice):
        def clip(self, text: str) -> Clip:
            if text == FIRST:
                time.sleep(0.3)  # longer than the pre-roll below
            return super().clip(text)

    program = resolve_in_background(SCRIPT, SlowStart(FakeEngine()), wait=False)
    assert not program.timeline.chapters  # returned at once, before any speech
    out = io.StringIO()
    player = Player(program, preroll=0.05)
    assert play(player, NullSink(RATE), False, out) == 0
    lines = [line.split(maxsplit=1)[1] for line in out.getvalue().splitlines()]
    assert lines == ["1/2  Intro", "2/2  Squats", "done"]
    start = next(event for event in player.events if event.kind == "start")
    first = next(event for event in player.events if event.kind == "cue")
    assert (start.position, start.frame) == (0, first.frame)  # the silence ends on the word


def test_when_nothing_can_be_said_the_engine_s_own_message_is_the_error() -> None:
    class Broken(MemoryVoice):
        def clip(self, text: str) -> Clip:
            raise CoachError("piper could not load joe.onnx: truncated file")

    program = resolve_in_background(SCRIPT, Broken(FakeEngine()), wait=False)
    with pytest.raises(CoachError) as caught:
        play(Player(program, preroll=0), NullSink(RATE), False, io.StringIO())
    assert str(caught.value) == "piper could not load joe.onnx: truncated file"
