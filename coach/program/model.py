"""The program model: weeks of planned sessions and the rules that make them harder."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.program.progression import Rules
from coach.program.steps import LevelStep
from coach.routine.model import NOWHERE, Location, Routine


@dataclass(frozen=True)
class PlannedSession:
    """One session as the program file gives it, before any progression."""

    routine: Routine
    level: int | None = None  # None: the week's, the program's or the routine's
    rules: Rules | None = None  # this session's own rules instead of the program's
    where: Location = NOWHERE


@dataclass(frozen=True)
class Program:
    """A whole program as the user wrote it, its routines loaded."""

    name: str  # the built-in name, or the file's name without .program.yaml
    key: str  # how the log knows it: the built-in name, or the file's absolute path
    title: str
    weeks: tuple[tuple[PlannedSession, ...], ...]
    source: str = "<built>"
    description: str = ""
    level: int | None = None
    rules: Rules = field(default_factory=Rules)
    exercise_rules: dict[str, Rules] = field(default_factory=dict)  # by casefolded name
    level_step: LevelStep | None = None
    deloads: frozenset[int] = frozenset()
    week_levels: tuple[int | None, ...] = ()  # a level given by a schedule week

    @property
    def session_count(self) -> int:
        return sum(len(week) for week in self.weeks)
