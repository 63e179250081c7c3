"""The Timeline: a cue script resolved against one voice.

Every cue has its clip and an absolute start in samples; chapters have sample
spans. The live player and the MP3 renderer both consume a Timeline, so what is
heard live is what is exported. Positions are integers (samples at
`sample_rate`), never sums of floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.audio.clip import SAMPLE_RATE, Clip


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


@dataclass
class Timeline:
    """Everything that sounds, at exact sample positions."""

    length: int  # total samples
    cues: list[TimedCue] = field(default_factory=list)  # sorted by start, never overlapping
    tones: list[TimedTone] = field(default_factory=list)  # sorted by start
    chapters: list[ChapterSpan] = field(default_factory=list)
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
