"""Laying out what a rest says about the exercise coming next.

A rest before an exercise is for getting ready: it says what is next, what you
need, how to get into position and the plan, one line after another from just
after "rest" is announced. `lead_in` fits them into a rest that ends with the
countdown into the set, leaving `settle` seconds (time to get into position plus
the countdown) after the last line; where they do not fit, `spill_over` says what
fits inside the rest and the remainder as speech after it (a rest is never cut
short).

Times are guesses from the text at the pace a coach gives instructions (about
160 words a minute): a faster voice leaves a little more quiet in the rest; a
line that runs long is settled by the resolver, which may move it up to 2 s.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.compiler.phrasebook import Phrase

INSTRUCTION_CPS = 15.0  # characters a second of instructions at a human pace (~160 wpm)
LINE_GAP = 0.7  # seconds of quiet between two lines of a preview
END_MARGIN = 0.3  # a line inside a rest ends at least this long before the rest ends


def instruction_seconds(text: str) -> float:
    """A cautious guess (seconds) at how long an instruction takes to say."""
    return 0.3 + len(text) / INSTRUCTION_CPS


@dataclass(frozen=True)
class Line:
    """One line of a preview. An optional line (`needed` False) is said only where it
    fits: it never makes a rest spill over."""

    phrase: Phrase
    kind: str
    needed: bool = True


@dataclass(frozen=True)
class Layout:
    """Where each line goes: `inside` (offset in the rest, line), then `spill` (said
    after the rest, in order)."""

    inside: tuple[tuple[float, Line], ...]
    spill: tuple[Line, ...]


def _sequence(start: float, lines: list[Line]) -> tuple[list[tuple[float, Line]], float]:
    """Lines one after another from `start`; their offsets and where the last one ends."""
    placed, at = [], start
    for line in lines:
        placed.append((at, line))
        at += instruction_seconds(line.phrase.text) + LINE_GAP
    return placed, at - LINE_GAP


def lead_in(
    duration: float, start: float, lines: list[Line], settle: float
) -> tuple[tuple[float, Line], ...] | None:
    """`lines` one after another from `start` in a rest of `duration` seconds that leads
    straight into work: the needed lines, and every optional one that still fits, end
    `settle` seconds before the rest does. None when the needed lines do not fit."""
    deadline = duration - settle
    chosen = [line for line in lines if line.needed]
    if _sequence(start, chosen)[1] > deadline and chosen:
        return None
    for line in lines:
        if line.needed:
            continue
        trial = [c for c in lines if c is line or any(c is k for k in chosen)]
        if _sequence(start, trial)[1] <= deadline:
            chosen = trial
    return tuple(_sequence(start, chosen)[0])


def spill_over(duration: float, start: float, lines: list[Line]) -> Layout:
    """`lines` said in a rest of `duration` seconds while they fit, the rest after it."""
    inside: list[tuple[float, Line]] = []
    at = start
    for i, line in enumerate(lines):
        end = at + instruction_seconds(line.phrase.text)
        if end > duration - END_MARGIN:
            return Layout(tuple(inside), tuple(lines[i:]))
        inside.append((at, line))
        at = end + LINE_GAP
    return Layout(tuple(inside), ())
