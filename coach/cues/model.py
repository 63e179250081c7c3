"""The cue script: a flat list of steps, independent of any voice.

- `Say`: elastic speech. It takes as long as the voice needs, then the next step
  starts (after `gap` seconds of silence).
- `Window`: a rigid stretch of time (a set, a rest, a side switch) that lasts
  exactly `duration` seconds whatever is said in it. Its `cues` are anchored at
  offsets inside it; its `tones` are beeps at offsets; its `facts` say what it
  is (exercise, set, side, round, reps...) so no one has to read that back from
  its label or its speech.
- `Chapter`: a mark; the steps after it belong to this chapter until the next.

Priorities: a higher number wins when two cues would overlap (see
coach/timeline.py). `short` is an optional shorter wording used when the full
text does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.facts import NO_FACTS, WindowFacts

# Priorities, highest wins. Kept coarse on purpose so a person can read them in a .cues file.
PRIORITY_CRITICAL = 100  # exercise name, "go", countdown into work, "switch sides"
PRIORITY_COUNT = 80  # rep counts, "hold", "down"
PRIORITY_INFO = 60  # "halfway", "last five", "next up"
PRIORITY_FORM = 40  # form cues
PRIORITY_REMINDER = 20  # "don't forget to breathe"


@dataclass(frozen=True)
class Say:
    """Elastic speech: as long as the voice takes, followed by `gap` seconds of silence."""

    text: str
    kind: str = "say"
    gap: float = 0.4


@dataclass(frozen=True)
class Cue:
    """Speech anchored at `at` seconds from the start of its window."""

    at: float
    text: str
    kind: str = "cue"
    priority: int = PRIORITY_INFO
    short: str | None = None


@dataclass(frozen=True)
class Tone:
    """A beep at `at` seconds from the start of its window."""

    at: float
    duration: float = 0.15
    frequency: float = 880.0


@dataclass(frozen=True)
class Window:
    """A rigid stretch of exactly `duration` seconds with cues and tones inside it."""

    duration: float
    kind: str = "work"  # work | rest | switch | prepare
    label: str = ""
    cues: tuple[Cue, ...] = ()
    tones: tuple[Tone, ...] = ()
    facts: WindowFacts = NO_FACTS


@dataclass(frozen=True)
class Chapter:
    """Starts a chapter (intro, a section, an exercise, outro)."""

    title: str


Step = Say | Window | Chapter


@dataclass
class CueScript:
    """A compiled routine: title, the level it was compiled at, and its steps."""

    title: str
    steps: list[Step] = field(default_factory=list)
    routine: str = ""  # the routine's name, for output file names
    level: int = 1
    description: str = ""
    # what the compiler had to leave out (e.g. a "last five" with no room on its rep);
    # not written to .cues files
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def chapters(self) -> list[str]:
        return [step.title for step in self.steps if isinstance(step, Chapter)]
