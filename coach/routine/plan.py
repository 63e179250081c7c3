"""The session plan: what a routine will ask of you and for about how long, without a voice.

Rigid time (work, switches, rests, count-downs) is exact; speech is estimated at
`WORDS_PER_SECOND`, so totals are labelled as estimates. The compiler decides the real
timing; this is the preview `coach show` and `coach list` print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coach.routine.durations import format_duration, format_estimate
from coach.routine.model import Exercise, Routine, Section, Settings

WORDS_PER_SECOND = 2.5  # a calm coaching voice
PAUSE_SECONDS = 0.5  # the breath after each spoken line
PLAN_WORDS = 5  # "three sets of twenty", said when an exercise first comes up


def speech_seconds(*texts: str) -> float:
    """Estimated seconds to speak `texts`, one line each, with a pause after each."""
    spoken = [text for text in texts if text]
    words = sum(len(text.split()) for text in spoken)
    return words / WORDS_PER_SECOND + PAUSE_SECONDS * len(spoken)


@dataclass(frozen=True)
class ExercisePlan:
    """One exercise as it will be done: the numbers and its estimated length."""

    name: str
    sets: int
    reps: int | None
    work: float | None
    to_failure: bool
    sides: tuple[str, ...]
    alternate: bool
    hold: float
    tempo: float
    rest: float  # between sets
    rest_after: float  # after the last set (resolved from settings when not given)
    set_seconds: float  # one set on one side
    seconds: float  # all its sets in one round: work, switches, rests between sets
    variant_of: str | None = None  # the base exercise's name when this is its notch variant

    @property
    def passes(self) -> int:
        """How many times each set is done: once per side unless sides alternate."""
        return len(self.sides) if self.sides and not self.alternate else 1

    def amount(self) -> str:
        """`3 sets x 10 reps per side (right leg, left leg), hold 1 s`."""
        if self.to_failure:
            each = f"to failure (up to {format_duration(self.work or 0)})"
        elif self.reps is not None:
            each = f"{self.reps} reps"
        else:
            each = format_duration(self.work or 0)
        if self.sets > 1:
            text = f"{self.sets} sets x {each}"
        else:
            text = f"1 set {each}" if self.to_failure else f"1 set of {each}"
        if self.alternate:
            text += f", alternating {' / '.join(self.sides)}"
        elif self.sides:
            text += f" per side ({', '.join(self.sides)})"
        if self.hold:
            text += f", hold {format_duration(self.hold)}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "variant_of": self.variant_of,
            "sets": self.sets,
            "reps": self.reps,
            "work": self.work,
            "to_failure": self.to_failure,
            "sides": list(self.sides),
            "alternate": self.alternate,
            "hold": self.hold,
            "tempo": self.tempo,
            "rest": self.rest,
            "rest_after": self.rest_after,
            "set_seconds": self.set_seconds,
            "estimated_seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class SectionPlan:
    """A section: its exercises, rounds and estimated length (rests between included)."""

    title: str | None
    rounds: int
    rest_between_rounds: float
    exercises: tuple[ExercisePlan, ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rounds": self.rounds,
            "rest_between_rounds": self.rest_between_rounds,
            "estimated_seconds": round(self.seconds, 1),
            "exercises": [ex.to_dict() for ex in self.exercises],
        }


@dataclass(frozen=True)
class Plan:
    """The whole session at one level."""

    name: str
    title: str
    description: str
    level: int
    sections: tuple[SectionPlan, ...]
    seconds: float
    notes: tuple[str, ...] = field(default=())

    @property
    def exercise_count(self) -> int:
        return sum(len(s.exercises) for s in self.sections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "level": self.level,
            "exercise_count": self.exercise_count,
            "estimated_seconds": round(self.seconds, 1),
            "estimate": format_estimate(self.seconds),
            "sections": [s.to_dict() for s in self.sections],
        }


def plan_routine(routine: Routine, level: int | None = None) -> Plan:
    """The plan of `routine` at `level` (default: the routine's own level)."""
    chosen = routine.level if level is None else level
    settings = routine.settings
    sections: list[SectionPlan] = []
    total = speech_seconds(routine.title, *routine.intro, *routine.outro)
    for index, section in enumerate(routine.sections):
        last_section = index == len(routine.sections) - 1
        plan = _plan_section(section, chosen, settings, last_section)
        sections.append(plan)
        total += plan.seconds
    return Plan(
        name=routine.name,
        title=routine.title,
        description=routine.description,
        level=chosen,
        sections=tuple(sections),
        seconds=total,
    )


def estimate_seconds(routine: Routine, level: int | None = None) -> float:
    """Estimated length of the whole session at `level`, in seconds."""
    return plan_routine(routine, level).seconds


def _plan_section(section: Section, level: int, settings: Settings, last: bool) -> SectionPlan:
    plans = [_plan_exercise(ex, level, settings) for ex in section.exercises]
    seconds = speech_seconds(section.title or "")
    rest_before = 0.0
    for round_number in range(1, section.rounds + 1):
        for index, (base, plan) in enumerate(zip(section.exercises, plans, strict=True)):
            ex = base.at_level(level)
            first_time = round_number == 1
            lead_in = speech_seconds(ex.name) + settings.countdown
            if first_time:  # setup lines and the plan are said in the first round only
                lead_in += speech_seconds(*ex.setup) + PLAN_WORDS / WORDS_PER_SECOND
            # With nothing to explain, "next up" and the count-down happen inside the rest.
            quiet = not first_time or not ex.setup
            if quiet and rest_before >= settings.countdown and (round_number, index) != (1, 0):
                lead_in = 0.0
            seconds += lead_in + plan.seconds
            if index < len(plans) - 1:
                rest_before = plan.rest_after
            elif round_number < section.rounds:
                rest_before = section.rest_between_rounds
            else:
                rest_before = 0.0 if last else plan.rest_after
            seconds += rest_before
    return SectionPlan(
        title=section.title,
        rounds=section.rounds,
        rest_between_rounds=section.rest_between_rounds,
        exercises=tuple(plans),
        seconds=seconds,
    )


def _plan_exercise(base: Exercise, level: int, settings: Settings) -> ExercisePlan:
    ex = base.at_level(level)
    variant_of = base.name if ex is not base else None
    passes = len(ex.sides) if ex.sides and not ex.alternate else 1
    set_seconds = ex.set_seconds
    one_set = passes * set_seconds + (passes - 1) * settings.switch
    seconds = ex.sets * one_set + (ex.sets - 1) * max(ex.rest, settings.countdown)
    rest_after = settings.rest_between_exercises if ex.rest_after is None else ex.rest_after
    return ExercisePlan(
        name=ex.name,
        sets=ex.sets,
        reps=ex.reps,
        work=ex.work,
        to_failure=ex.to_failure,
        sides=ex.sides,
        alternate=ex.alternate,
        hold=ex.hold,
        tempo=ex.tempo,
        rest=ex.rest,
        rest_after=rest_after,
        set_seconds=set_seconds,
        seconds=seconds,
        variant_of=variant_of,
    )


def format_plan(plan: Plan) -> str:
    """The plan as text for a terminal."""
    lines = [f"{plan.title} ({plan.name})" if plan.name else plan.title]
    if plan.description:
        lines.append(plan.description)
    lines.append(
        f"Level {plan.level} · {plan.exercise_count} exercises · "
        f"{format_estimate(plan.seconds)} (an estimate: speech time depends on the voice)"
    )
    number = 0
    last = (
        plan.sections[-1].exercises[-1] if plan.sections and plan.sections[-1].exercises else None
    )
    for section in plan.sections:
        lines.append("")
        if section.title is not None or section.rounds > 1:
            head = section.title or "Circuit"
            if section.rounds > 1:
                head += f" · circuit: {section.rounds} rounds"
                if section.rest_between_rounds:
                    head += f", rest {format_duration(section.rest_between_rounds)} between rounds"
            lines.append(f"{head} · {format_estimate(section.seconds)}")
        for ex in section.exercises:
            number += 1
            name = ex.name + (f" (up a notch from {ex.variant_of})" if ex.variant_of else "")
            lines.append(f"  {number:>2}. {name}")
            details = [ex.amount()]
            if ex.reps is not None:
                details.append(f"{format_duration(ex.tempo)} a rep")
            if ex.sets > 1:
                details.append(f"rest {format_duration(ex.rest)} between sets")
            if ex is not last and ex.rest_after:
                details.append(f"then rest {format_duration(ex.rest_after)}")
            lines.append("      " + " · ".join(details))
    return "\n".join(lines)
