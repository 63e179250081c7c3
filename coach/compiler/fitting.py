"""Guessing from the text alone how long speech takes, and finding quiet moments for it.

The compiler fits cues with these guesses; the resolver makes the final call
against the real voice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from coach.compiler.numbers import number_words
from coach.cues.model import Cue

SPEECH_CPS = 14.0  # characters per second of a typical voice, to guess what fits between counts


def speaking_seconds(text: str) -> float:
    """A guess (seconds) at how long a voice takes to say `text`, with a little air after."""
    return 0.15 + len(text) / SPEECH_CPS + 0.2


def count_seconds(reps: int) -> tuple[float, str]:
    """The longest count in a set of `reps`, and about how long a voice takes to say it.

    The same guess from the text alone that fits cues between counts: a rep shorter
    than this leaves some count no time to be said.
    """
    word = max((number_words(k) for k in range(1, reps + 1)), key=len)
    return speaking_seconds(word), word


class Fitter:
    """Finds quiet moments in a window for form cues, tips and reminders.

    Every cue already anchored occupies the time a typical voice needs to say it; a
    quiet moment is one where the new text fits before the next cue starts. The
    resolver makes the final call against the real voice.

    The busy time is kept as sorted, disjoint intervals, so checking a moment is a
    binary search and a window full of cues stays cheap to search.
    """

    def __init__(self, cues: list[Cue], duration: float, earliest: float = 1.0) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.duration = duration
        self.earliest = earliest
        for cue in sorted(cues, key=lambda c: c.at):
            self.occupy(cue.at, cue.at + speaking_seconds(cue.text))

    def occupy(self, start: float, end: float) -> None:
        """Mark `start`..`end` as busy, merging it with the busy intervals it touches."""
        first = bisect_left(self.ends, start)
        last = bisect_right(self.starts, end)
        if first < last:
            start = min(start, self.starts[first])
            end = max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]

    def free(self, t: float, need: float) -> bool:
        if t < self.earliest or t + need > self.duration:
            return False
        after = bisect_right(self.ends, t)  # the first busy interval that ends after t
        return after == len(self.starts) or t + need <= self.starts[after]

    def first_quiet(self, start: float, latest: float, need: float) -> float | None:
        """The first moment from `start` to `latest` where `need` seconds are quiet."""
        t = max(start, self.earliest)
        while t <= latest:
            if self.free(t, need):
                return t
            after = bisect_right(self.ends, t)
            if after < len(self.starts) and self.starts[after] <= t + need:
                t = self.ends[after]  # past the interval in the way
            else:
                return None
        return None

    def find(self, desired: float, text: str) -> float | None:
        """The quiet moment nearest `desired` where `text` fits, or None; it is then taken.

        The candidates are `desired` and the end of each busy interval, tried nearest
        first (the earlier one on a tie).
        """
        need = speaking_seconds(text)
        chosen = desired if self.free(desired, need) else self._nearest_free_end(desired, need)
        if chosen is not None:
            self.occupy(chosen, chosen + need)
        return chosen

    def _nearest_free_end(self, desired: float, need: float) -> float | None:
        ends = self.ends
        right = bisect_left(ends, desired)
        left = right - 1
        while left >= 0 or right < len(ends):
            take_left = right >= len(ends) or (
                left >= 0 and desired - ends[left] <= ends[right] - desired
            )
            if take_left:
                t, left = ends[left], left - 1
                if t < self.earliest:
                    left = -1  # every end further left is earlier still
                    continue
            else:
                t, right = ends[right], right + 1
                if t + need > self.duration:
                    right = len(ends)  # every end further right runs out of the window too
                    continue
            if self.free(t, need):
                return t
        return None

    def place(self, desired: float, text: str) -> float:
        """Like `find`, but when nothing is quiet the text still goes as near as it can."""
        found = self.find(desired, text)
        if found is not None:
            return found
        at = min(max(desired, 0.0), self.duration * 0.999)
        self.occupy(at, at + speaking_seconds(text))
        return at
