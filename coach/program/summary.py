"""What `coach program show` and `coach next` print about a session: numbers and length.

The length is the compiled session's (`coach.routine.plan.plan_routine`), measured
with the same speech timing as `coach show`.
"""

from __future__ import annotations

from typing import Any

from coach.cues.plan import SpeechSeconds
from coach.program.model import Program
from coach.program.progression import Rules
from coach.program.schedule import Session
from coach.program.steps import Step
from coach.routine.durations import format_duration
from coach.routine.model import Exercise


def exercise_dict(exercise: Exercise) -> dict[str, Any]:
    """`{"name", "sets", "reps"}` or `{"name", "sets", "work"}` (and what else applies)."""
    out: dict[str, Any] = {"name": exercise.name, "sets": exercise.sets}
    if exercise.to_failure:
        out.update(work=exercise.work, to_failure=True)
    elif exercise.reps is not None:
        out["reps"] = exercise.reps
    else:
        out["work"] = exercise.work
    if exercise.sides:
        out["sides"] = list(exercise.sides)
    return out


class Lengths:
    """Estimated seconds of sessions, each distinct session compiled once."""

    def __init__(self, speech: SpeechSeconds) -> None:
        self.speech = speech
        self._seen: dict[tuple[object, ...], float] = {}

    def of(self, session: Session) -> float:
        from coach.routine.plan import plan_routine

        key = (
            session.week,
            session.base.source,
            session.base.name,
            session.base.location,
            session.level,
        )
        if key not in self._seen:
            self._seen[key] = plan_routine(session.routine, self.speech, session.level).seconds
        return self._seen[key]


def session_dict(session: Session, seconds: float) -> dict[str, Any]:
    """A session as `coach program show --json` gives it."""
    routine = session.routine.at_level(session.level)
    exercises = []
    for section in routine.sections:
        for ex in section.exercises:
            entry = exercise_dict(ex)
            if section.is_circuit:
                entry["rounds"] = section.rounds
            exercises.append(entry)
    return {
        "week": session.week,
        "day": session.day,
        "label": session.label,
        "routine": session.base.name,
        "title": session.base.title,
        "level": session.level,
        "deload": session.deload,
        "exercises": exercises,
        "estimated_seconds": round(seconds, 1),
    }


def step_text(step: Step | None, unit: str = "") -> str:
    if step is None:
        return ""
    if step.percent:
        amount = f"+{float(step.amount * 100):g}%"
    elif unit == "s":
        amount = f"+{format_duration(float(step.amount))}"
    else:
        amount = f"+{step.amount}"
    every = "a week" if step.every == 1 else f"every {step.every} weeks"
    return f"{amount} {every}"


def rules_text(rules: Rules) -> list[str]:
    """The rules in words: `reps from 12, +2 a week (at most 30)`."""
    out = []
    for name, step, cap, start in (
        ("reps", rules.reps, rules.max_reps, rules.start_reps),
        ("sets", rules.sets, rules.max_sets, rules.start_sets),
        ("work", rules.work, rules.max_work, rules.start_work),
        ("rounds", rules.rounds, rules.max_rounds, None),
    ):
        if step is None and start is None:
            continue
        timed = name == "work"
        text = name
        if start is not None:
            text += f" from {format_duration(start) if timed else start}"
            text += "," if step is not None else ""
        if step is not None:
            text += f" {step_text(step, 's' if timed else '')}"
        if cap is not None:
            text += f" (at most {format_duration(cap) if timed else cap})"
        out.append(text)
    return out


def program_rules_text(program: Program) -> str:
    parts = rules_text(program.rules)
    if program.level_step is not None:
        parts.append(f"level {program.level_step.level} from week {program.level_step.week}")
    if program.deloads:
        weeks = ", ".join(str(w) for w in sorted(program.deloads))
        parts.append(f"deload week{'s' if len(program.deloads) > 1 else ''} {weeks}")
    for name, rules in program.exercise_rules.items():
        own = rules_text(rules)
        if own:
            parts.append(f"{name}: {', '.join(own)}")
    return "; ".join(parts) or "no progression (every week as written)"


def session_lines(session: Session, seconds: float, indent: str = "      ") -> list[str]:
    """The session's exercises, one a line (`Squat  3 x 12 reps`), circuits with rounds."""
    from coach.program.upcoming import amount
    from coach.routine.durations import format_estimate

    routine = session.routine.at_level(session.level)
    head = f"{session.base.title} · level {session.level} · {format_estimate(seconds)}" + (
        " · deload" if session.deload else ""
    )
    lines = [head]
    width = max((len(ex.name) for ex in routine.exercises), default=0)
    for section in routine.sections:
        inner = indent
        if section.is_circuit:
            lines.append(f"{indent}{section.title or 'Circuit'}: {section.rounds} rounds of")
            inner = indent + "  "
        for ex in section.exercises:
            sides = " per side" if ex.sides and not ex.alternate else ""
            lines.append(f"{inner}{ex.name.ljust(width)}  {amount(ex)}{sides}")
    return lines
