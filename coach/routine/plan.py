"""The session plan: what a routine will ask of you and for how long.

The lengths come from the compiled cue script (`coach.cues.plan`): its windows are
exact, its spoken lines last what the `speech` function given says (the voice's
cached clips where there are some, a guess from the text otherwise). No timing rule
is repeated here: the compiler alone decides them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from coach.cues.model import Say, Window
from coach.cues.plan import SpeechSeconds, step_seconds
from coach.routine.durations import format_duration, format_estimate
from coach.routine.model import Exercise, Routine, Settings


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
    switch_sides: str  # each_set | after_all_sets
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
        elif self.sides and self.switch_sides == "after_all_sets" and self.sets > 1:
            text += f" per side, every set on one side first ({', '.join(self.sides)})"
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
            "switch_sides": self.switch_sides,
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


def plan_routine(routine: Routine, speech: SpeechSeconds, level: int | None = None) -> Plan:
    """The plan of `routine` at `level` (default: the routine's own level).

    Each step of the compiled script counts towards the exercise of the next window
    (a rest or a count-down leads into the set after it); what follows the last
    window (the outro) counts towards the total only."""
    from coach.compiler import compile_routine

    chosen = routine.level if level is None else level
    script = compile_routine(routine, chosen)
    done = [  # what is done at this level: from_level may leave exercises, even sections, out
        (section, [ex for ex in section.exercises if ex.from_level <= chosen])
        for section in routine.sections
    ]
    done = [(section, kept) for section, kept in done if kept]
    exercises = [[_plan_exercise(ex, chosen, routine.settings) for ex in kept] for _, kept in done]
    seconds = [[0.0] * len(section) for section in exercises]
    place = (0, 0)
    pending = total = 0.0
    for step in script.steps:
        if not isinstance(step, Say | Window):
            continue
        length = step_seconds(step, speech)
        total += length
        pending += length
        if isinstance(step, Window) and step.facts.exercise is not None:
            place = _find(exercises, place, step.facts.exercise)
            seconds[place[0]][place[1]] += pending
            pending = 0.0
    sections = []
    for (section, _), plans, lengths in zip(done, exercises, seconds, strict=True):
        timed = tuple(replace(p, seconds=s) for p, s in zip(plans, lengths, strict=True))
        sections.append(
            SectionPlan(
                title=section.title,
                rounds=section.rounds,
                rest_between_rounds=section.rest_between_rounds,
                exercises=timed,
                seconds=sum(lengths),
            )
        )
    return Plan(
        name=routine.name,
        title=routine.title,
        description=routine.description,
        level=chosen,
        sections=tuple(sections),
        seconds=total,
    )


def _find(exercises: list[list[ExercisePlan]], at: tuple[int, int], name: str) -> tuple[int, int]:
    """Where the exercise `name` is, searching from the section `at` on (rounds repeat it)."""
    first, current = at
    section = exercises[first]
    for offset in range(len(section)):  # the current one, then the rest of its round
        index = (current + offset) % len(section)
        if section[index].name == name:
            return first, index
    for later in range(first + 1, len(exercises)):
        for index, plan in enumerate(exercises[later]):
            if plan.name == name:
                return later, index
    return at


def declared_seconds(routine: Routine, level: int) -> float:
    """The time a routine asks for in its own numbers (sets, work, rests, rounds), no speech.

    A floor of the session's length, cheap to know before compiling: the loader
    refuses routines whose floor is past the session limit."""
    settings = routine.settings
    total = 0.0
    for section in routine.sections:
        one_round = 0.0
        kept = [ex for ex in section.exercises if ex.from_level <= level]
        for index, base in enumerate(kept):
            ex = base.at_level(level)
            passes = len(ex.sides) if ex.sides and not ex.alternate else 1
            one_round += ex.sets * passes * ex.set_seconds + (ex.sets - 1) * ex.rest
            if index < len(kept) - 1:
                after = settings.rest_between_exercises if ex.rest_after is None else ex.rest_after
                one_round += after
        total += section.rounds * one_round + (section.rounds - 1) * section.rest_between_rounds
    return total


def _plan_exercise(base: Exercise, level: int, settings: Settings) -> ExercisePlan:
    ex = base.at_level(level)
    variant_of = base.name if ex is not base else None
    rest_after = settings.rest_between_exercises if ex.rest_after is None else ex.rest_after
    return ExercisePlan(
        name=ex.name,
        sets=ex.sets,
        reps=ex.reps,
        work=ex.work,
        to_failure=ex.to_failure,
        sides=ex.sides,
        alternate=ex.alternate,
        switch_sides=ex.switch_sides,
        hold=ex.hold,
        tempo=ex.tempo,
        rest=ex.rest,
        rest_after=rest_after,
        set_seconds=ex.set_seconds,
        seconds=0.0,  # plan_routine measures it on the compiled script
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
