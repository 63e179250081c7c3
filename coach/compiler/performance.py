"""One exercise as performed once in a session, and what its windows are."""

from __future__ import annotations

from dataclasses import dataclass

from coach.facts import WindowFacts
from coach.routine.model import Exercise, Section


@dataclass(frozen=True)
class Performance:
    """One exercise as performed once: in a circuit, once per round."""

    exercise: Exercise
    section: Section
    section_index: int
    round: int
    first_time: bool
    index: int = 0  # place in the session's performances, from 0
    total: int = 1  # how many performances the session has

    @property
    def is_last(self) -> bool:
        """Whether this is the session's last exercise."""
        return self.index == self.total - 1

    def facts(
        self, n: int, side: str | None, work: bool = False, alternate: tuple[str, ...] = ()
    ) -> WindowFacts:
        """The facts of a window of set `n` on `side` (`work`: the set itself, whose reps
        go from side to side of `alternate` if it has any)."""
        ex = self.exercise
        counted = work and ex.reps is not None and not ex.to_failure
        return WindowFacts(
            exercise=ex.name,
            set=n,
            sets=ex.sets,
            side=side,
            round=self.round,
            rounds=self.section.rounds,
            reps=ex.reps if counted else None,
            tempo=ex.tempo if counted else None,
            hold=ex.hold if counted else 0.0,
            to_failure=work and ex.to_failure,
            alternate=alternate if counted else (),
        )
