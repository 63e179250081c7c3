"""The routine model: plain data, no audio, no timing decisions.

Durations are seconds (float). Every node keeps the `Location` of the YAML node
it came from, so later stages can point an error at the user's file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from coach.errors import Problem


@dataclass(frozen=True)
class Location:
    """Where a node starts in its source file (1-based line and column)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Location("<built>", 1, 1)


@dataclass(frozen=True)
class Settings:
    """Defaults that every exercise inherits unless it sets its own."""

    tempo: float = 3.0  # seconds per rep (the moving part, holds excluded)
    rest: float = 30.0  # between sets of one exercise
    rest_between_exercises: float = 20.0
    switch: float = 5.0  # time given to change sides within a set
    countdown: int = 3  # "3, 2, 1, go" before work starts
    get_ready: float = 5.0  # after the last instruction, to get into position
    counting: str = "ends"  # which reps are counted aloud: every | ends | none


@dataclass(frozen=True)
class Reminders:
    """Phrases spoken now and then during long work, at most once per `every` seconds."""

    every: float
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Exercise:
    """One exercise, already merged with the routine settings.

    Exactly one of `reps` and `work` drives a set, except for an open-ended set
    (`to_failure`), which has `work` as its time cap and no rep count.
    """

    name: str
    location: Location = NOWHERE
    setup: tuple[str, ...] = ()
    sets: int = 1
    reps: int | None = None
    work: float | None = None  # seconds of timed work per set (per side)
    to_failure: bool = False
    sides: tuple[str, ...] = ()  # each set is done once per side
    alternate: bool = False  # reps alternate between the two sides
    hold: float = 0.0  # pause at the top of each rep
    tempo: float = 3.0
    rest: float = 30.0  # between sets
    rest_after: float | None = None  # after the last set; None: the routine's default
    cues: tuple[str, ...] = ()  # form cues spread through each set
    breathe: tuple[str, ...] = ()  # breathing tied to the movement
    equipment: tuple[str, ...] = ()  # what it needs: mat, ball, dumbbells...
    get_ready: float = 5.0  # seconds to get into position before the countdown
    switch: float = 5.0  # seconds to change sides
    switch_sides: str = "each_set"  # each_set | after_all_sets
    counting: str = "ends"  # every | ends | none
    pulses: int = 0  # small pulses at the bottom of each rep
    from_level: int = 1  # done only at this level and above
    notch: Exercise | None = None  # the harder variant used at level 2

    def at_level(self, level: int) -> Exercise:
        """The exercise as performed at `level` (2 and up use the notch variant)."""
        if level >= 2 and self.notch is not None:
            return self.notch
        return self

    @property
    def rep_seconds(self) -> float:
        """Length of one rep: the movement plus the hold."""
        return self.tempo + self.hold

    @property
    def set_seconds(self) -> float:
        """Length of one set on one side (work time, no rest, no switch)."""
        if self.work is not None:
            return self.work
        return (self.reps or 0) * self.rep_seconds


@dataclass(frozen=True)
class Section:
    """A named group of exercises: a chapter; repeated `rounds` times it is a circuit."""

    title: str | None
    exercises: tuple[Exercise, ...]
    location: Location = NOWHERE
    rounds: int = 1
    rest_between_rounds: float = 0.0
    continuous: bool = False  # blocks run back to back, no stop, get-ready or countdown

    @property
    def is_circuit(self) -> bool:
        return self.rounds > 1


@dataclass(frozen=True)
class Routine:
    """A whole workout as the user wrote it."""

    title: str
    sections: tuple[Section, ...]
    name: str = ""  # the built-in name or the file stem
    source: str = "<built>"
    description: str = ""
    level: int = 1
    settings: Settings = field(default_factory=Settings)
    reminders: Reminders | None = None
    intro: tuple[str, ...] = ()
    outro: tuple[str, ...] = ()
    continuous: bool = False  # every section runs its blocks back to back
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # phrasebook overrides
    location: Location = NOWHERE
    phrase_locations: dict[str, Location] = field(default_factory=dict)  # where each override is
    notes: tuple[Problem, ...] = ()  # warnings from loading: it works, but maybe not as meant

    @property
    def has_notch(self) -> bool:
        """Whether level 2 changes something: an exercise has a harder variant, or is
        done only from level 2 on."""
        return any(ex.notch is not None or ex.from_level > 1 for ex in self.exercises)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """Every exercise in order, once each (circuit rounds not expanded)."""
        return tuple(ex for section in self.sections for ex in section.exercises)

    @property
    def equipment(self) -> tuple[str, ...]:
        """What the session needs, each item once, in the order it is first needed."""
        return tuple(dict.fromkeys(item for ex in self.exercises for item in ex.equipment))

    def at_level(self, level: int | None) -> Routine:
        """The routine at `level`: every exercise swapped for its variant there, exercises
        that start at a higher level left out (and sections left empty by that)."""
        chosen = self.level if level is None else level
        sections = tuple(
            replace(
                s,
                exercises=tuple(
                    ex.at_level(chosen) for ex in s.exercises if ex.from_level <= chosen
                ),
            )
            for s in self.sections
        )
        kept = tuple(s for s in sections if s.exercises)
        return replace(self, sections=kept, level=chosen)
