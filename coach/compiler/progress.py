"""Where the listener is in the session: the marker said before an exercise or a set.

Before an exercise: "last round" before a circuit's final round, "last exercise"
and "two moves left" before the session's last moves, "halfway through the
session" once, at the first change at or past the middle where nothing more
important is said. Before a set: "set two of three", or "last set" before the
last set of an exercise with two or more (on one side, when all sets are done on
one side before the other).
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.compiler.numbers import number_words


@dataclass(frozen=True)
class Marker:
    """A phrasebook template and the values to fill it with."""

    template: str
    values: dict[str, str]


@dataclass(frozen=True)
class Place:
    """One performance's place in the session, as the markers need it."""

    index: int  # from 0, over every performance (circuit rounds expanded)
    total: int
    round: int
    rounds: int
    new_round: bool  # the first exercise of a round after the first


def session_marker(place: Place, halfway_said: bool) -> Marker | None:
    """The session-level marker for the change into `place`, if any."""
    if place.rounds > 1:
        if place.new_round and place.round == place.rounds:
            return Marker("last_round", {})
    else:
        if place.total >= 3 and place.index == place.total - 1:
            return Marker("last_exercise", {})
        if place.total >= 4 and place.index == place.total - 2:
            return Marker("moves_left", {"count": number_words(2)})
    if not halfway_said and place.total >= 4 and place.index >= place.total // 2:
        return Marker("halfway_session", {})
    return None


def set_marker(n: int, sets: int, side: str | None, this_side_only: bool) -> Marker:
    """What is said before set `n` of `sets` starts.

    `side`: the side named with it (where the set starts, when a set visits every
    side; the side the sets are on, when all sets are done on one side first).
    `this_side_only`: all sets are done on `side` and another side follows, so the
    last of them is "the last set on the right knee", not the last set.
    """
    values = {"n": number_words(n), "total": number_words(sets)}
    if n == sets:
        if side and this_side_only:
            return Marker("last_set_this_side", {"side": side})
        if side:
            return Marker("last_set_side", {"side": side})
        return Marker("last_set", {})
    if side and not this_side_only:
        return Marker("next_set_side", {**values, "side": side})
    return Marker("next_set", values)
