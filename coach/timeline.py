"""The Timeline: a cue script resolved against one voice.

Every cue has its clip and an absolute start in samples; chapters and rigid
windows (sets, rests, switches) have sample spans, and each window keeps what the
compiler knew about it (exercise, set, side, reps...) and where its reps start, so
a player or a sidecar never reads that back from labels or speech. The live
player and the MP3 renderer both consume a Timeline, so what is heard live is
what is exported. Positions are integers (samples at `sample_rate`), never sums
of floats.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from coach.audio.clip import SAMPLE_RATE, Clip
from coach.facts import NO_FACTS, WindowFacts


@dataclass(frozen=True)
class TimedCue:
    """A spoken clip placed at `start` samples."""

    start: int
    text: str
    kind: str
    chapter: int  # index into Timeline.chapters
    clip: Clip

    @property
    def end(self) -> int:
        return self.start + self.clip.frames


@dataclass(frozen=True)
class TimedTone:
    """A beep of `frames` samples at `start` samples."""

    start: int
    frames: int
    frequency: float = 880.0

    @property
    def end(self) -> int:
        return self.start + self.frames


@dataclass(frozen=True)
class ChapterSpan:
    """A chapter from `start` to `end` samples."""

    title: str
    start: int
    end: int


@dataclass(frozen=True)
class TimedWindow:
    """A rigid window from `start` to `end` samples, with its facts.

    `rep_starts` are the samples where each rep of a counted set begins.
    """

    start: int
    end: int
    kind: str  # prepare | work | switch | rest, or a kind of the script's own
    label: str
    chapter: int  # index into Timeline.chapters
    facts: WindowFacts = NO_FACTS
    rep_starts: tuple[int, ...] = ()

    def rep_at(self, position: int) -> int | None:
        """The rep (from 1) under way at sample `position`, or None outside the reps."""
        if not self.rep_starts or not self.start <= position < self.end:
            return None
        started = bisect.bisect_right(self.rep_starts, position)
        return started or None


@dataclass
class Timeline:
    """Everything that sounds, at exact sample positions."""

    length: int  # total samples
    cues: list[TimedCue] = field(default_factory=list)  # sorted by start, never overlapping
    tones: list[TimedTone] = field(default_factory=list)  # sorted by start
    chapters: list[ChapterSpan] = field(default_factory=list)
    windows: list[TimedWindow] = field(default_factory=list)  # sorted by start
    warnings: list[str] = field(default_factory=list)  # fit decisions, for the user
    sample_rate: int = SAMPLE_RATE
    title: str = ""
    routine: str = ""  # the routine's name, for output file names

    @property
    def duration(self) -> float:
        return self.length / self.sample_rate

    def seconds(self, samples: int) -> float:
        return samples / self.sample_rate

    def chapter_at(self, position: int) -> int:
        """Index of the chapter playing at sample `position` (0 if none)."""
        for index in range(len(self.chapters) - 1, -1, -1):
            if self.chapters[index].start <= position:
                return index
        return 0

    def window_at(self, position: int) -> TimedWindow | None:
        """The window sounding at sample `position`, or None between windows."""
        index = bisect.bisect_right([w.start for w in self.windows], position) - 1
        if index >= 0 and position < self.windows[index].end:
            return self.windows[index]
        return None
