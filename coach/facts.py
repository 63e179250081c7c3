"""What a rigid window is: its exercise, set, side, round and reps.

The compiler knows these facts when it builds each window of a cue script; the
resolver keeps them on each window of the Timeline, and the players and sidecars
read them from there. They live here, under both, so the Timeline needs nothing
from the cue script to carry them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WindowFacts:
    """What a window is part of, as the compiler knew it; None where unknown or not apt.

    A work window describes its own set. A prepare, switch or rest window describes
    the set that follows it (the one it leads into). `reps`, `tempo` and `hold` are
    given for counted sets only: rep k (from 0) starts k x (tempo + hold) seconds
    into the window. `alternate` names the sides of a set whose reps alternate
    between them: rep k is done on alternate[k % len(alternate)].
    """

    exercise: str | None = None
    set: int | None = None
    sets: int | None = None
    side: str | None = None
    round: int | None = None
    rounds: int | None = None
    reps: int | None = None
    tempo: float | None = None  # seconds of movement per rep
    hold: float = 0.0  # seconds held at the top of each rep
    to_failure: bool = False
    alternate: tuple[str, ...] = ()

    @property
    def rep_seconds(self) -> float | None:
        """Length of one rep (movement and hold), for counted sets."""
        if self.reps is None or self.tempo is None:
            return None
        return self.tempo + self.hold

    def side_of_rep(self, rep: int) -> str | None:
        """The side rep `rep` (from 1) is done on: the set's side, or the alternating one."""
        if self.alternate:
            return self.alternate[(rep - 1) % len(self.alternate)]
        return self.side


NO_FACTS = WindowFacts()
