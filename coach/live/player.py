"""The real-time player: turns a GrowingTimeline into blocks of sound on demand.

The audio output pulls blocks (`Player.pull`); the position is an integer count
of timeline samples advanced only by what was pulled, so timing comes from the
output's clock and cannot drift. Controls (pause, next, back, volume, quit) are
queued from any thread and applied at the next block boundary. Every cue,
chapter and control is written to `Player.events` with the timeline sample, the
output frame and the wall-clock time at which it is heard.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coach.audio.chain import SessionMixer
from coach.audio.clip import Samples
from coach.live.growing import GrowingTimeline

# Seconds of silence before the first sound: outputs swallow a stream's start. The
# output may start before the first sentence is ready; the silence then lasts until it is.
PREROLL = 0.3
RESUME_PREROLL = 0.15  # seconds of silence after a resume, for the same reason
BACK_TWICE = 2.0  # a second "back" within this many seconds goes to the previous chapter
VOLUME_STEP = 0.1
VOLUME_MAX = 1.5


@dataclass(frozen=True)
class Event:
    """Something the listener hears (or does) at a known moment.

    kind: start, chapter, cue, pause, resume, next, back, volume, wait, end, quit, error.
    position: the timeline sample; frame: the output frame (pre-roll and pauses
    included); wall: time.monotonic() when that frame is heard.
    """

    kind: str
    position: int
    frame: int
    wall: float
    text: str = ""


class Player:
    """Plays a GrowingTimeline from `start` through an output that calls `pull`."""

    def __init__(
        self,
        program: GrowingTimeline,
        start: int = 0,
        preroll: float = PREROLL,
        resume_preroll: float = RESUME_PREROLL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.program = program
        self.rate = program.timeline.sample_rate
        self.position = start
        self.frame = 0  # output frames pulled so far
        self.volume = 1.0
        self.paused = False
        self.finished = threading.Event()  # the end was reached or quit was asked
        self.events: list[Event] = []
        self.clock = clock
        self._silence = round(preroll * self.rate)
        self._resume_preroll = round(resume_preroll * self.rate)
        self._commands: deque[tuple[str, float]] = deque()
        self._last_back = -1e9
        self._waiting = False
        self._started = False
        self._chapter = -1
        # (wall time heard, output frame, timeline position, frames played) per block
        self._recent: deque[tuple[float, int, int, int]] = deque(maxlen=256)
        self._starts_of: object = None  # the timeline whose cue starts are in _starts
        self._starts: list[int] = []
        self._mixer: SessionMixer | None = None  # the mix chain playing now
        self._mixing_chapter = -1  # the chapter `_mixer` was chosen in
        self._final = False  # playing at the whole session's levels
        self._lock = threading.Lock()

    # Controls: safe from any thread; applied at the next block.

    def toggle_pause(self) -> None:
        self._command("toggle")

    def pause(self) -> None:
        self._command("pause")

    def resume(self) -> None:
        self._command("resume")

    def next_chapter(self) -> None:
        self._command("next")

    def back(self) -> None:
        self._command("back")

    def louder(self) -> None:
        self._command("louder")

    def softer(self) -> None:
        self._command("softer")

    def quit(self) -> None:
        self._command("quit")

    def _command(self, name: str) -> None:
        self._commands.append((name, self.clock()))

    # The audio side.

    def pull(self, frames: int, heard_at: float) -> Samples:
        """The next `frames` samples; `heard_at` is when the first one will be heard."""
        with self._lock:
            block = np.zeros(frames, dtype=np.int16)
            self._apply_commands(heard_at)
            done = 0
            while done < frames:
                done += self._fill(block, done, frames - done, heard_at + done / self.rate)
            self.frame += frames
            return block

    def _fill(self, block: Samples, offset: int, frames: int, wall: float) -> int:
        """Fill part of `block`; return how many frames were filled (at least one)."""
        frame = self.frame + offset
        if self.finished.is_set() or self.paused:
            self._recent.append((wall, frame, self.position, 0))
            return frames
        if self._silence:
            step = min(frames, self._silence)
            self._silence -= step
            self._recent.append((wall, frame, self.position, 0))
            return step
        program = self.program
        mixer = self._mixer_at(self.position)
        ready = mixer.timeline.length
        if self.position >= ready:
            if program.complete and self.position >= program.timeline.length:
                self._log("end", self.position, frame, wall)
                self.finished.set()
            elif not self._started:
                pass  # the first sentence is still being synthesized: more pre-roll
            elif not self._waiting:
                self._waiting = True
                self._log("wait", self.position, frame, wall, "speech not ready yet")
            self._recent.append((wall, frame, self.position, 0))
            return frames
        self._waiting = False
        if not self._started:
            self._started = True
            self._log("start", self.position, frame, wall)
        step = min(frames, ready - self.position, self._next_chapter_start() - self.position)
        start, end = self.position, self.position + step
        self._log_span(start, end, frame, wall)
        samples = mixer.render(start, step)
        if self.volume != 1.0:
            samples = np.clip(samples.astype(np.float32) * self.volume, -32768, 32767).astype(
                np.int16
            )
        block[offset : offset + step] = samples
        self._recent.append((wall, frame, start, step))
        self.position = end
        return step

    def _mixer_at(self, position: int) -> SessionMixer:
        """The mix chain to play `position` with.

        The whole session's levels take over at the first chapter entered once they
        are known, so the gain never changes in the middle of a chapter."""
        program = self.program
        timeline = program.timeline
        chapter = timeline.chapter_at(position) if timeline.chapters else 0
        if not self._final and program.final_mixer is not None:
            self._final = chapter != self._mixing_chapter or self._mixer is None
        self._mixing_chapter = chapter
        mixer = program.final_mixer if self._final and program.final_mixer else program.mixer
        if mixer is not self._mixer:
            if self._mixer is not None:
                mixer.take_bed(self._mixer)
            self._mixer = mixer
        return mixer

    def _next_chapter_start(self) -> int:
        """Where the chapter after the one playing starts (past the end if none)."""
        for span in self.program.timeline.chapters:
            if span.start > self.position:
                return span.start
        return self.program.timeline.length + 1

    def close(self) -> None:
        """Stop the music bed's decoder (call once playing is over)."""
        with self._lock:
            if self._mixer is not None:
                self._mixer.close()

    def _log_span(self, start: int, end: int, frame: int, wall: float) -> None:
        timeline = self.program.timeline
        chapter = timeline.chapter_at(start) if timeline.chapters else -1
        if chapter != self._chapter and timeline.chapters:
            self._chapter = chapter
            self._log("chapter", start, frame, wall, timeline.chapters[chapter].title)
        for index in range(len(timeline.chapters)):
            span = timeline.chapters[index]
            if start < span.start < end and index != self._chapter:
                self._chapter = index
                at = span.start - start
                self._log("chapter", span.start, frame + at, wall + at / self.rate, span.title)
        cues = timeline.cues
        if self._starts_of is not timeline:
            self._starts_of, self._starts = timeline, [cue.start for cue in cues]
        first = bisect.bisect_left(self._starts, start)
        for cue in cues[first:]:
            if cue.start >= end:
                break
            at = cue.start - start
            self._log("cue", cue.start, frame + at, wall + at / self.rate, cue.text)

    def _apply_commands(self, wall: float) -> None:
        while self._commands:
            name, asked = self._commands.popleft()
            if name == "toggle":
                name = "resume" if self.paused else "pause"
            if name == "pause" and not self.paused:
                self.paused = True
                self._log("pause", self.position, self.frame, wall)
            elif name == "resume" and self.paused:
                self.paused = False
                self._silence = max(self._silence, self._resume_preroll)
                self._log("resume", self.position, self.frame, wall)
            elif name == "next":
                self._seek_chapter(self._current_chapter() + 1, "next", wall)
            elif name == "back":
                target = self._current_chapter()
                if asked - self._last_back < BACK_TWICE:
                    target -= 1
                self._last_back = asked
                self._seek_chapter(max(0, target), "back", wall)
            elif name in ("louder", "softer"):
                change = VOLUME_STEP if name == "louder" else -VOLUME_STEP
                self.volume = round(min(VOLUME_MAX, max(0.0, self.volume + change)), 2)
                self._log("volume", self.position, self.frame, wall, f"{self.volume:.0%}")
            elif name == "quit" and not self.finished.is_set():
                self._log("quit", self.position, self.frame, wall)
                self.finished.set()

    def _current_chapter(self) -> int:
        timeline = self.program.timeline
        return timeline.chapter_at(self.position) if timeline.chapters else 0

    def _seek_chapter(self, index: int, kind: str, wall: float) -> None:
        timeline = self.program.timeline
        if index >= len(timeline.chapters):
            if self.program.complete:
                target = timeline.length  # past the last chapter: the end
            else:
                self._log(kind, self.position, self.frame, wall, "next chapter not ready yet")
                return
        else:
            target = timeline.chapters[index].start
        self._log(kind, target, self.frame, wall)
        self.position = target
        self._chapter = -1  # announce the chapter we land in

    def _log(self, kind: str, position: int, frame: int, wall: float, text: str = "") -> None:
        self.events.append(Event(kind, position, frame, wall, text))

    # For the screen.

    def heard_position(self, now: float | None = None) -> int:
        """The timeline sample being heard at `now` (output latency accounted for)."""
        now = self.clock() if now is None else now
        best: tuple[float, int, int, int] | None = None
        for entry in reversed(self._recent):
            if entry[0] <= now:
                best = entry
                break
        if best is None:
            return self._recent[0][2] if self._recent else self.position
        wall, _frame, position, played = best
        return position + min(played, int((now - wall) * self.rate))
