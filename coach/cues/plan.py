"""The plan of a cue script, for `coach show FILE.cues`: its chapters, windows and length.

Windows and gaps are exact. A spoken line lasts what `speech` says: the clip's own
length where the voice's clip cache has it (`coach show` looks it up), else the compiler's guess
from the text (`coach.compiler.compile.speaking_seconds`). This is the one timing model
of `coach show`, for a routine (compiled first) and for a cue script alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coach.cues.model import Chapter, CueScript, Say, Window
from coach.routine.durations import format_duration, format_estimate
from coach.terminal import printable

SpeechSeconds = Callable[[str], float]  # how long the voice takes to say a text

_TITLE_WIDTH = 40  # chapter titles are padded (or cut) to this in the table


@dataclass
class ChapterPlan:
    """One chapter: how many windows, their seconds, and the estimated seconds of speech."""

    title: str
    windows: int = 0
    cues: int = 0
    window_seconds: float = 0.0
    speech_seconds: float = 0.0  # elastic speech, estimated, with its gaps

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "windows": self.windows,
            "cues": self.cues,
            "window_seconds": round(self.window_seconds, 3),
            "estimated_speech_seconds": round(self.speech_seconds, 1),
        }


@dataclass(frozen=True)
class ScriptPlan:
    """A whole cue script."""

    title: str
    routine: str
    level: int
    description: str
    chapters: tuple[ChapterPlan, ...]

    @property
    def window_seconds(self) -> float:
        return sum(chapter.window_seconds for chapter in self.chapters)

    @property
    def seconds(self) -> float:
        return self.window_seconds + sum(chapter.speech_seconds for chapter in self.chapters)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "routine": self.routine,
            "level": self.level,
            "description": self.description,
            "window_seconds": round(self.window_seconds, 3),
            "estimated_seconds": round(self.seconds, 1),
            "estimate": format_estimate(self.seconds),
            "chapters": [chapter.to_dict() for chapter in self.chapters],
        }


def step_seconds(step: Say | Window, speech: SpeechSeconds) -> float:
    """How long one step lasts: a window exactly, a spoken line its speech and its gap."""
    if isinstance(step, Window):
        return step.duration
    return speech(step.text) + step.gap


def plan_script(script: CueScript, speech: SpeechSeconds) -> ScriptPlan:
    """The plan of `script`; steps before its first chapter form one named after the script."""
    chapters: list[ChapterPlan] = []
    for step in script.steps:
        if isinstance(step, Chapter):
            chapters.append(ChapterPlan(step.title))
            continue
        if not chapters:
            chapters.append(ChapterPlan(script.title or "Start"))
        chapter = chapters[-1]
        if isinstance(step, Say):
            chapter.speech_seconds += step_seconds(step, speech)
        elif isinstance(step, Window):
            chapter.windows += 1
            chapter.cues += len(step.cues)
            chapter.window_seconds += step.duration
    return ScriptPlan(
        script.title, script.routine, script.level, script.description, tuple(chapters)
    )


def format_script_plan(plan: ScriptPlan) -> str:
    """The plan as text for a terminal."""
    head = f"{plan.title} ({plan.routine})" if plan.routine else plan.title
    lines = [printable(head)]
    if plan.description:
        lines.append(printable(plan.description))
    windows = sum(chapter.windows for chapter in plan.chapters)
    lines.append(
        f"Cue script · level {plan.level} · {len(plan.chapters)} chapters · {windows} windows"
        f" ({format_duration(plan.window_seconds)}) · {format_estimate(plan.seconds)}"
        " (an estimate: speech time depends on the voice)"
    )
    lines.append("")
    titles = [_cut(printable(chapter.title)) for chapter in plan.chapters]
    width = max(map(len, titles), default=0)
    for number, (title, chapter) in enumerate(zip(titles, plan.chapters, strict=True), start=1):
        parts = []
        if chapter.windows:
            count = f"{chapter.windows} window" + ("s" if chapter.windows > 1 else "")
            parts.append(f"{count}, {format_duration(chapter.window_seconds)}")
        if chapter.speech_seconds:
            parts.append(f"speech ~{format_duration(chapter.speech_seconds)}")
        lines.append(f"  {number:>3}. {title.ljust(width)}  " + (" · ".join(parts) or "empty"))
    return "\n".join(lines)


def _cut(text: str) -> str:
    return text if len(text) <= _TITLE_WIDTH else text[: _TITLE_WIDTH - 1] + "…"
