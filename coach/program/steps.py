"""How a program writes an increase: `+2`, `+1 every 2 weeks`, `+10%`, `+5s`, `2 from week 3`.

Parsing only; what a step does to a number is `coach.program.progression`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from coach.routine.durations import DurationError, parse_duration
from coach.routine.model import NOWHERE, Location

_STEP = re.compile(
    r"^\s*\+?\s*(?P<amount>[^%\s][^%]*?)\s*(?P<percent>%)?"
    r"(?:\s+(?:(?:every|a|per)\s+(?:(?P<every>\d+)\s+)?weeks?))?\s*$",
    re.IGNORECASE,
)
_WHOLE = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_LEVEL = re.compile(r"^\s*(?P<level>\d+)\s+from\s+week\s+(?P<week>\d+)\s*$", re.IGNORECASE)
NO_CHANGE = ("none", "no", "off", "+0", "0")


class StepError(ValueError):
    """Text that is not a step; the message says what to write."""


@dataclass(frozen=True)
class Step:
    """An increase applied once every `every` weeks of progress.

    `amount` is reps, sets or rounds to add, seconds of work to add, or with
    `percent` the fraction to grow by (0.1 for 10 %), compounded each time.
    """

    amount: Fraction
    percent: bool = False
    every: int = 1
    where: Location = NOWHERE

    def times(self, progress: int) -> int:
        """How many times the step has applied after `progress` weeks of progress."""
        return progress // self.every


@dataclass(frozen=True)
class LevelStep:
    """`2 from week 3`: the level from a week on."""

    level: int
    week: int
    where: Location = NOWHERE


def parse_step(text: str, what: str, whole: bool, timed: bool = False) -> Step | None:
    """The step in `text` (None for no change); `whole` refuses percents, `timed` allows units.

    `what` names the key in messages (reps, sets, work, rounds).
    """
    if text.strip().lower() in NO_CHANGE:
        return None
    example = "+5s, +10% or +5s every 2 weeks" if timed else "+2 or +2 every 2 weeks"
    if whole:
        example = "+1 or +1 every 2 weeks"
    if text.strip().startswith("-"):
        raise StepError(
            f"{what}: {text.strip()!r} goes down; a progression only adds (make a week "
            "easier with deload: [N])"
        )
    found = _STEP.match(text)
    if found is None:
        raise StepError(f"{what}: {text.strip()!r} is not a step; write {example}")
    amount_text = found.group("amount").strip()
    percent = found.group("percent") is not None
    every = int(found.group("every") or 1)
    if every < 1:
        raise StepError(f"{what}: every 0 weeks never comes; write every 1 week or more")
    if percent:
        if whole:
            raise StepError(f"{what} grow by whole numbers, not a percentage; write {example}")
        if not _NUMBER.match(amount_text):
            raise StepError(f"{what}: {text.strip()!r} is not a step; write {example}")
        amount = Fraction(amount_text) / 100
        if amount > 1:
            raise StepError(f"{what}: more than +100% a step is too much; write a smaller step")
        return Step(amount, True, every)
    if timed and not _NUMBER.match(amount_text):
        try:
            seconds = parse_duration(amount_text)
        except DurationError:
            raise StepError(f"{what}: {text.strip()!r} is not a step; write {example}") from None
        return Step(Fraction(str(seconds)), False, every)
    if not (_WHOLE if not timed else _NUMBER).match(amount_text):
        raise StepError(f"{what}: {text.strip()!r} is not a step; write {example}")
    return Step(Fraction(amount_text), False, every)


def parse_level(text: str, weeks: int) -> LevelStep:
    """`2 from week 3` as a `LevelStep`; the week must be one of the program's `weeks`."""
    found = _LEVEL.match(text)
    if found is None:
        raise StepError(f"level: {text.strip()!r} is not a level step; write 2 from week 3")
    level, week = int(found.group("level")), int(found.group("week"))
    if level not in (1, 2):
        raise StepError(f"level: there are levels 1 and 2, got {level}")
    if not 1 <= week <= weeks:
        raise StepError(f"level: week {week} is not in the program, which has weeks 1 to {weeks}")
    return LevelStep(level, week)
