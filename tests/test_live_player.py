"""The live player, driven block by block on a virtual clock (no device, no waiting)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from coach.audio.clip import SAMPLE_RATE
from coach.audio.levels import plan_mix
from coach.audio.music import analyse_music
from coach.compiler import compile_routine
from coach.cues.model import Chapter, CueScript, Say, Window
from coach.live.growing import GrowingTimeline
from coach.live.player import Player
from coach.live.screen import lines, status
from coach.live.session import start_position
from coach.live.sinks import NullSink
from coach.resolve import chapter_titles, resolve
from coach.routine import parse_routine
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice
from coach.timeline import ChapterSpan, TimedCue, TimedTone, TimedWindow, Timeline

RATE = SAMPLE_RATE
PRE = 2205  # 0.1 s of start pre-roll in these tests
RESUME = 1102
VOICE = MemoryVoice(FakeEngine())


def _cue(start: int, text: str, chapter: int, kind: str = "say") -> TimedCue:
    return TimedCue(start, text, kind, chapter, VOICE.clip(text))


def _timeline() -> Timeline:
    """Three chapters of 2 s each, cues at odd sample positions, a tone."""
    return Timeline(
        length=6 * RATE,
        cues=[
            _cue(1001, "Warm up", 0),
            _cue(RATE + 3, "one", 0),
            _cue(2 * RATE + 17, "Squats", 1),
            _cue(3 * RATE + 5, "two", 1),
            _cue(4 * RATE + 99, "Cool down", 2),
        ],
        tones=[TimedTone(5 * RATE, 3000)],
        chapters=[
            ChapterSpan("Warm-up", 0, 2 * RATE),
            ChapterSpan("Squats", 2 * RATE, 4 * RATE),
            ChapterSpan("Cool-down", 4 * RATE, 6 * RATE),
        ],
        title="Test",
    )


class Drive:
    """Pulls blocks as an output would, on a virtual clock that the player also reads."""

    def __init__(self, player: Player, block: int = 512) -> None:
        self.player = player
        self.block = block
        self.now = 0.0
        self.output: list[np.ndarray] = []
        player.clock = lambda: self.now

    def run(self, seconds: float) -> None:
        for _ in range(round(seconds * RATE / self.block)):
            self.step()

    def step(self) -> None:
        self.output.append(self.player.pull(self.block, self.now))
        self.now += self.block / RATE

    def until_finished(self, limit: float = 60.0) -> None:
        while not self.player.finished.is_set():
            assert self.now < limit
            self.step()

    @property
    def sound(self) -> np.ndarray:
        return np.concatenate(self.output)


def _player(timeline: Timeline | None = None, start: int = 0) -> Player:
    program = GrowingTimeline.from_timeline(timeline or _timeline())
    return Player(program, start=start, preroll=PRE / RATE, resume_preroll=RESUME / RATE)


def _file_mix(timeline: Timeline) -> np.ndarray:
    """What the renderer feeds the encoder for `timeline`: the planned mix chain."""
    mixer = plan_mix(timeline).mixer()
    try:
        return mixer.render(0, timeline.length)
    finally:
        mixer.close()


def _events(player: Player, kind: str) -> list[tuple[int, int, str]]:
    return [(e.position, e.frame, e.text) for e in player.events if e.kind == kind]


@pytest.mark.parametrize("block", [100, 512, 4096])
def test_cues_sound_at_their_timeline_samples(block: int) -> None:
    timeline = _timeline()
    player = _player(timeline)
    drive = Drive(player, block)
    drive.until_finished()
    cues = [e for e in player.events if e.kind == "cue"]
    assert [(e.position, e.text) for e in cues] == [(c.start, c.text) for c in timeline.cues]
    for event in cues:
        assert event.frame == event.position + PRE
        assert event.wall == pytest.approx(event.frame / RATE, abs=1e-9)
    sound = drive.sound
    assert np.all(sound[:PRE] == 0)
    whole = _file_mix(timeline)
    assert np.array_equal(sound[PRE : PRE + timeline.length], whole)
    assert [e.text for e in player.events if e.kind == "chapter"] == [
        "Warm-up",
        "Squats",
        "Cool-down",
    ]
    (end,) = [e for e in player.events if e.kind == "end"]
    assert end.position == timeline.length and end.frame == timeline.length + PRE


def test_an_hour_plays_without_drift() -> None:
    hour = 3600 * RATE
    late = _cue(hour - RATE, "last", 0)
    timeline = Timeline(length=hour, cues=[late], chapters=[ChapterSpan("All", 0, hour)])
    player = _player(timeline)
    drive = Drive(player, 4096)
    drive.until_finished(limit=3700)
    (event,) = [e for e in player.events if e.kind == "cue"]
    assert event.frame == hour - RATE + PRE
    assert event.wall == pytest.approx((hour - RATE + PRE) / RATE, abs=1e-6)


def test_pause_and_resume_continue_at_the_same_sample_mid_cue() -> None:
    timeline = _timeline()
    player = _player(timeline)
    drive = Drive(player, 256)
    drive.run(0.2)  # pre-roll, then into the first cue ("Warm up" runs from 1001 for 0.35 s)
    player.pause()
    drive.step()
    paused_at = player.position
    assert 1001 < paused_at < 1001 + VOICE.clip("Warm up").frames
    drive.run(1.0)
    assert player.position == paused_at
    player.resume()
    drive.until_finished()
    sound = drive.sound
    whole = _file_mix(timeline)
    heard = sound[sound != 0]
    assert np.array_equal(heard, whole[whole != 0])  # every sample once, in order
    (pause,) = _events(player, "pause")
    (resume,) = _events(player, "resume")
    assert pause[0] == resume[0] == paused_at
    # After the resume, pre-roll silence, then the cue goes on from the paused sample.
    resumed_frame = resume[1]
    assert np.all(sound[resumed_frame : resumed_frame + RESUME] == 0)
    assert np.array_equal(
        sound[resumed_frame + RESUME : resumed_frame + RESUME + 500],
        whole[paused_at : paused_at + 500],
    )
    # Cues after the pause are late by exactly the pause.
    (two,) = [e for e in player.events if e.kind == "cue" and e.text == "two"]
    delay = two.frame - (two.position + PRE)
    assert delay == resume[1] - pause[1] + RESUME


def test_next_jumps_to_the_next_chapter_and_past_the_last_ends() -> None:
    player = _player()
    drive = Drive(player)
    drive.run(0.5)
    player.next_chapter()
    drive.step()
    assert _events(player, "next")[0][0] == 2 * RATE
    assert _events(player, "chapter")[-1][2] == "Squats"
    first_cue_after = [e for e in player.events if e.kind == "cue"][-1]
    assert first_cue_after.text == "Squats"
    player.next_chapter()
    drive.step()
    player.next_chapter()
    drive.step()
    drive.step()
    assert player.finished.is_set()
    assert _events(player, "end")[0][0] == 6 * RATE


def test_back_goes_to_the_chapter_start_and_twice_to_the_previous_chapter() -> None:
    player = _player()
    drive = Drive(player)
    drive.run(3.1)  # in "Squats", about 1 s in
    player.back()
    drive.step()
    assert _events(player, "back")[-1][0] == 2 * RATE
    drive.run(0.5)
    player.back()  # again within 2 s: the previous chapter
    drive.step()
    assert _events(player, "back")[-1][0] == 0
    assert _events(player, "chapter")[-1][2] == "Warm-up"
    drive.run(2.5)
    player.back()  # more than 2 s after the last one: the start of this chapter only
    drive.step()
    assert _events(player, "back")[-1][0] == 2 * RATE


def test_volume_steps_scale_the_sound_and_stop_at_silence() -> None:
    timeline = _timeline()
    player = _player(timeline)
    drive = Drive(player)
    player.softer()
    player.softer()
    drive.until_finished()
    assert player.volume == pytest.approx(0.8)
    whole = _file_mix(timeline).astype(np.float64)
    played = drive.sound[PRE : PRE + timeline.length].astype(np.float64)
    assert np.allclose(played, whole * 0.8, atol=1.0)
    for _ in range(20):
        player.softer()
    drive.step()
    assert player.volume == 0.0
    assert [e.text for e in player.events if e.kind == "volume"][-1] == "0%"


def test_quit_stops_at_once_and_plays_silence() -> None:
    player = _player()
    drive = Drive(player)
    drive.run(0.5)
    player.quit()
    drive.step()
    assert player.finished.is_set()
    assert not np.any(drive.output[-1])
    assert _events(player, "quit")


def test_start_at_a_chapter_or_a_time() -> None:
    program = GrowingTimeline.from_timeline(_timeline())
    titles = ["Warm-up", "Squats", "Cool-down"]
    assert start_position(program, "2", titles) == 2 * RATE
    assert start_position(program, "cool", titles) == 4 * RATE
    assert start_position(program, "0:03", titles) == 3 * RATE
    # Inside a cue: from the start of that cue, so no word is cut.
    assert start_position(program, "0:01.01", titles) == RATE + 3
    player = Player(program, start=start_position(program, "squats", titles), preroll=0)
    drive = Drive(player)
    drive.until_finished()
    assert [e.text for e in player.events if e.kind == "cue"] == ["Squats", "two", "Cool down"]


@pytest.mark.parametrize("value", ["9", "0:07", "lunges"])
def test_start_at_outside_the_session_is_an_input_error(value: str) -> None:
    from coach.errors import InputError

    program = GrowingTimeline.from_timeline(_timeline())
    with pytest.raises(InputError, match="--start-at"):
        start_position(program, value, ["Warm-up", "Squats", "Cool-down"])


def test_a_chapter_not_ready_is_logged_and_waited_for() -> None:
    timeline = _timeline()
    program = GrowingTimeline(title="Test")
    program.add(timeline.chapters[0], timeline.cues[:2], [], [])
    player = Player(program, preroll=0)
    drive = Drive(player)
    drive.run(2.5)
    assert player.position == 2 * RATE
    assert _events(player, "wait")
    program.add(timeline.chapters[1], timeline.cues[2:4], [], [])
    program.add(timeline.chapters[2], timeline.cues[4:], timeline.tones, [])
    program.finish()
    drive.until_finished()
    assert [e.text for e in player.events if e.kind == "cue"][-1] == "Cool down"


def test_null_sink_paces_by_the_clock() -> None:
    timeline = Timeline(
        length=RATE,
        cues=[_cue(RATE // 2, "x", 0)],
        chapters=[ChapterSpan("Only", 0, RATE)],
    )
    player = Player(GrowingTimeline.from_timeline(timeline), preroll=0.1)
    sink = NullSink(RATE)
    began = time.monotonic()
    sink.start(player.pull)
    assert player.finished.wait(5)
    took = time.monotonic() - began
    sink.stop()
    assert 1.05 <= took < 2.0
    (cue,) = [e for e in player.events if e.kind == "cue"]
    assert cue.wall - began == pytest.approx(0.6, abs=0.03)


REP_CALLS = {"count", "halfway", "last_reps"}

LUNGES = """
title: Legs
# every rep counted, so the screen can be checked against the count said in each rep
settings: {tempo: 2s, rest: 10s, switch: 5s, counting: every}
exercises:
  - name: Lunge
    sets: 3
    reps: 25
    sides: [right leg, left leg]
"""


def _lunges() -> Timeline:
    return resolve(compile_routine(parse_routine(LUNGES, "legs.yaml")), VOICE)


def _screen_at(timeline: Timeline, position: int) -> tuple[str, str, str]:
    player = Player(GrowingTimeline.from_timeline(timeline), start=position, preroll=0)
    drive = Drive(player, 64)
    drive.run(64 / RATE)
    state = status(player, drive.now)
    return state.set, state.side, state.rep


@pytest.mark.parametrize(
    ("performed", "rep", "into"),
    [(0, 1, 0.1), (0, 21, 1.5), (3, 23, 0.1), (3, 23, 1.9), (4, 25, 1.0), (5, 13, 0.5)],
)
def test_screen_shows_the_set_side_and_rep_of_a_25_rep_set(
    performed: int, rep: int, into: float
) -> None:
    """Three sets of 25 per leg, seen `into` seconds into a rep (the count is said 1 s in).
    Expected as a listener works it out: sets start at each "go" (right leg, then left,
    three times) and rep k starts (k - 1) x 2 s later (tempo 2 s); the k-th count said
    since that "go" falls inside rep k."""
    timeline = _lunges()
    assert timeline.warnings == []
    gos = [cue.start for cue in timeline.cues if cue.kind == "go"]
    assert len(gos) == 6
    rep_start = gos[performed] + (rep - 1) * 2 * RATE
    following = gos[performed + 1] if performed + 1 < len(gos) else timeline.length
    # every rep is called on its beat: a count, or the call that takes its place ("halfway"
    # at rep 13, "last five" and "last one")
    counts = [
        c for c in timeline.cues if c.kind in REP_CALLS and gos[performed] < c.start < following
    ]
    assert len(counts) == 25
    assert rep_start <= counts[rep - 1].start < rep_start + 2 * RATE
    expected_set = f"{performed // 2 + 1} of 3"
    expected_side = ("right leg", "left leg")[performed % 2]
    seen = _screen_at(timeline, rep_start + round(into * RATE))
    assert seen == (expected_set, expected_side, str(rep))


SKATERS = """
title: Skaters
settings: {tempo: 2s, rest: 10s, counting: every}
exercises:
  - name: Skater lunge
    sets: 2
    reps: 22
    sides: [right leg, left leg]
    alternate: true
"""


@pytest.mark.parametrize(("performed", "rep"), [(0, 1), (0, 2), (1, 21), (1, 22)])
def test_screen_shows_the_side_of_each_alternating_rep(performed: int, rep: int) -> None:
    """Reps that go from leg to leg: the side shown is the one the count of that rep names
    (a count that does not fit is said short, "Left leg.", without its number)."""
    timeline = resolve(compile_routine(parse_routine(SKATERS, "skaters.yaml")), VOICE)
    gos = [cue.start for cue in timeline.cues if cue.kind == "go"]
    rep_start = gos[performed] + (rep - 1) * 2 * RATE
    count = next(c for c in timeline.cues if c.kind in REP_CALLS and c.start >= rep_start)
    said = count.text.lower()
    # rep k is on the k-th side in turn, right leg first; a call that names no side ("last
    # rep, make it count") leaves the listener that order
    side = ("right leg", "left leg")[(rep - 1) % 2]
    assert side in said or "leg" not in said
    assert _screen_at(timeline, rep_start + RATE // 10) == (f"{performed + 1} of 2", side, str(rep))


def test_screen_shows_the_coming_side_while_switching_and_no_set_while_resting() -> None:
    timeline = _lunges()
    switch = next(c for c in timeline.cues if c.kind == "switch")
    rest = next(c for c in timeline.cues if c.kind == "rest")
    assert _screen_at(timeline, switch.start + RATE) == ("", "left leg", "")
    assert _screen_at(timeline, rest.start + RATE) == ("", "", "")


def test_screen_text_shows_the_set_side_and_rep_being_heard() -> None:
    timeline = _lunges()
    go = next(c for c in timeline.cues if c.kind == "go")
    player = Player(GrowingTimeline.from_timeline(timeline), start=go.start + 45 * RATE, preroll=0)
    drive = Drive(player, 256)
    drive.run(0.5)
    state = status(player, drive.now)
    assert state.set_left == pytest.approx(5 - 0.5, abs=0.05)
    assert state.next.startswith("switch")
    text = "\n".join(lines(state, 100))
    assert "Set 1 of 3   Side right leg   Rep 23" in text and "[q] quit" in text


def test_speech_failing_in_a_later_chapter_ends_the_session_with_the_reason() -> None:
    from coach.errors import CoachError
    from coach.live.growing import resolve_in_background

    class Failing(MemoryVoice):
        def clip(self, text: str):  # type: ignore[no-untyped-def]
            if text == "Boom.":
                raise CoachError("the engine fell over")
            return super().clip(text)

    script = CueScript(
        title="T",
        steps=[Chapter("One"), Say("Fine."), Chapter("Two"), Say("Boom.")],
    )
    program = resolve_in_background(script, Failing(FakeEngine()))
    assert program.wait_complete(5)
    assert isinstance(program.error, CoachError)
    player = Player(program, preroll=0)
    drive = Drive(player)
    drive.until_finished()
    assert [e.text for e in player.events if e.kind == "cue"] == ["Fine."]


def test_music_plays_under_the_voice_and_ducks_while_it_speaks(tmp_path: Path) -> None:
    import wave
    from dataclasses import replace

    bed = tmp_path / "bed.wav"
    tone = (8000 * np.sin(2 * np.pi * 330 * np.arange(RATE) / RATE)).astype("<i2")
    with wave.open(str(bed), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone.tobytes())
    timeline = Timeline(
        length=4 * RATE,
        cues=[_cue(2 * RATE, "A long sentence here.", 0)],
        chapters=[ChapterSpan("All", 0, 4 * RATE)],
    )
    music = analyse_music(bed, RATE)
    player = Player(GrowingTimeline.from_timeline(timeline, music=music), preroll=0)
    drive = Drive(player, 1024)
    drive.until_finished()
    player.close()
    sound = drive.sound.astype(np.float64)
    plan = plan_mix(timeline, music)
    voice = replace(plan, music=None).mixer().render(0, timeline.length).astype(np.float64)
    bed_only = sound[: timeline.length] - voice
    clear = np.sqrt(np.mean(bed_only[RATE + 5000 : RATE + 15000] ** 2))
    ducked = np.sqrt(np.mean(bed_only[2 * RATE + 4000 : 2 * RATE + 8000] ** 2))
    assert clear > 500  # the bed is there between cues (past the end of its one-second loop too)
    assert ducked < clear / 3


def test_screen_shows_the_true_chapter_total_and_spaced_labels_while_preparing() -> None:
    """Only the first of three chapters is resolved: the screen still says 1/3, and every
    label stands apart from its value (it once read `Prepare left0:04`)."""
    script = CueScript(
        title="Legs",
        steps=[
            Chapter("Warm-up"),
            Window(5.0, "prepare", "get ready"),
            Chapter("Squats"),
            Say("Squats"),
            Chapter("Cool-down"),
            Say("Stretch"),
        ],
    )
    program = GrowingTimeline(title="Legs", chapter_titles=chapter_titles(script))
    prepare = TimedWindow(0, 5 * RATE, "prepare", "get ready", 0)
    program.add(ChapterSpan("Warm-up", 0, 5 * RATE), [], [], [], [prepare])
    player = Player(program, preroll=0)
    drive = Drive(player, 256)
    drive.run(1.0)
    state = status(player, drive.now)
    assert (state.chapter_number, state.chapters, state.next) == (1, 3, "Squats")
    rows = lines(state, 80)
    assert " Chapter       1/3  Warm-up" in rows
    assert " Prepare left  0:04" in rows
    assert " Next          Squats" in rows
    assert " Session       0:01 of 0:05+, 0:04+ left" in rows


def test_screen_shows_control_characters_as_escapes() -> None:
    evil = "Evil\x1b]0;pwned\x07\x1b[2J"
    timeline = Timeline(
        length=2 * RATE,
        cues=[_cue(0, f"Say {evil}", 0)],
        chapters=[ChapterSpan(evil, 0, 2 * RATE)],
        title=evil,
    )
    player = Player(GrowingTimeline.from_timeline(timeline), preroll=0)
    drive = Drive(player, 256)
    drive.run(0.5)
    text = "\n".join(lines(status(player, drive.now), 100))
    assert not any(ord(char) < 32 and char != "\n" for char in text)
    assert r" coach: Evil\x1b]0;pwned\x07\x1b[2J" in text
    assert r"1/1  Evil\x1b]0;pwned\x07\x1b[2J" in text
    assert r'"Say Evil\x1b]0;pwned\x07\x1b[2J"' in text


def test_the_null_output_carries_on_after_a_stop_instead_of_rushing() -> None:
    """A process stopped for 10 s (Ctrl-Z) and continued: the null output goes on at its
    pace from there, as a device would, instead of pulling 10 s of sound at once."""
    jump = [0.0]
    pulled: list[float] = []
    sink = NullSink(RATE, clock=lambda: time.monotonic() + jump[0])

    def pull(frames: int, heard_at: float) -> np.ndarray:
        pulled.append(time.monotonic())
        if len(pulled) == 5:
            jump[0] = 10.0
        return np.zeros(frames, dtype=np.int16)

    sink.start(pull)
    time.sleep(0.5)
    sink.stop()
    block = 512 / RATE
    assert len(pulled) <= 0.5 / block + 5  # about 22 blocks in 0.5 s, not 450


def test_chapter_lines_show_the_true_total_while_later_chapters_are_prepared() -> None:
    """The lines without a terminal said `1/1 Intro`, then `2/2`, while the speech of
    later chapters was still being made: the total comes from the script."""
    import io

    from coach.live.growing import resolve_in_background
    from coach.live.session import play

    class Slow(MemoryVoice):
        def clip(self, text: str):  # type: ignore[no-untyped-def]
            if text != "Intro.":
                time.sleep(0.3)  # later chapters come well after the first is heard
            return super().clip(text)

    script = CueScript(
        title="T",
        steps=[
            Chapter("Intro"),
            Say("Intro."),
            Chapter("Two"),
            Say("B."),
            Chapter("Three"),
            Say("C."),
        ],
    )
    program = resolve_in_background(script, Slow(FakeEngine()))
    out = io.StringIO()
    assert play(Player(program, preroll=0), NullSink(RATE), False, out) == 0
    said = [line.split()[1:] for line in out.getvalue().splitlines() if "waiting" not in line]
    assert said == [
        ["1/3", "Intro"],
        ["2/3", "Two"],
        ["3/3", "Three"],
        ["done"],
    ]


def test_windows_resolved_in_the_background_are_the_timelines() -> None:
    """Live gets its windows chapter by chapter from the resolver: the same spans and facts
    as the whole Timeline that the renderer writes to .timeline.json."""
    from coach.live.growing import resolve_in_background

    script = compile_routine(parse_routine(LUNGES, "legs.yaml"))
    program = resolve_in_background(script, VOICE)
    assert program.wait_complete(30) and program.error is None
    whole = resolve(script, VOICE)
    assert program.windows == whole.windows
    assert len(whole.windows) == sum(isinstance(step, Window) for step in script.steps)
