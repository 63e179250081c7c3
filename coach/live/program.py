"""A Timeline that grows chapter by chapter while it is being played.

The first chapter is resolved before playback starts; the rest are resolved in a
background thread. The player only ever reads `Program.mixer` (and
`Program.final_mixer`), which are replaced whole (never mutated) under a lock, so
the audio thread never waits for the speech engine.

Both are the renderer's mix chain (`coach.audio.chain`), gains and limiter
included. Until every chapter is resolved, `mixer` plays at the levels planned
for the chapters resolved first; once the session is complete, `final_mixer`
plays at the levels of the whole session, the ones the MP3 file gets, and the
player moves to it at the next chapter it enters (docs/live.md says how far the
two can differ).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from coach.audio.chain import SessionMixer
from coach.audio.clip import SAMPLE_RATE
from coach.audio.levels import MixPlan, plan_mix
from coach.audio.music import MusicInfo
from coach.cues.model import Chapter, CueScript, Say, Step, Window
from coach.timeline import ChapterSpan, TimedCue, TimedTone, Timeline


@dataclass(frozen=True)
class WindowSpan:
    """Where a rigid window of the script (a set, a rest) sounds, for the screen."""

    start: int
    end: int
    kind: str
    label: str
    chapter: int


class Program:
    """The part of a session that is ready to play, and whether more is coming."""

    def __init__(
        self,
        title: str = "",
        routine: str = "",
        sample_rate: int = SAMPLE_RATE,
        steps: Sequence[Step] = (),
        music: MusicInfo | None = None,
    ) -> None:
        self._condition = threading.Condition()
        self.music = music
        self.timeline = Timeline(length=0, sample_rate=sample_rate, title=title, routine=routine)
        self._plan: MixPlan | None = None  # the levels of the chapters resolved first
        self.mixer: SessionMixer = SessionMixer(self.timeline)
        self.final_mixer: SessionMixer | None = None  # the whole session's levels, once known
        self.windows: list[WindowSpan] = []
        self.complete = False
        self.error: BaseException | None = None
        self._groups = _chapter_groups(steps)
        self._titles = _group_titles(steps, title)

    @classmethod
    def from_timeline(
        cls,
        timeline: Timeline,
        script: CueScript | None = None,
        music: MusicInfo | None = None,
    ) -> Program:
        """A program that is ready as a whole (a Timeline resolved up front)."""
        program = cls(timeline.title, timeline.routine, timeline.sample_rate, music=music)
        program._groups = _chapter_groups(script.steps if script else ())
        program._titles = (
            chapter_titles(script) if script else [span.title for span in timeline.chapters]
        )
        for index, span in enumerate(timeline.chapters):
            cues = [cue for cue in timeline.cues if cue.chapter == index]
            tones = [t for t in timeline.tones if span.start <= t.start < span.end]
            program.add(span, cues, tones, [])
        if not timeline.chapters:
            program._replace(timeline)
        program.finish()
        with program._condition:
            program.timeline.warnings = list(timeline.warnings)
        return program

    @property
    def chapter_titles(self) -> list[str]:
        """Every chapter's title, known from the script before the chapter is resolved."""
        return self._titles

    @property
    def chapter_count(self) -> int:
        """How many chapters the session has, resolved or not."""
        return max(len(self._titles), len(self.timeline.chapters))

    def add(
        self,
        span: ChapterSpan,
        cues: Iterable[TimedCue],
        tones: Iterable[TimedTone],
        warnings: Iterable[str],
    ) -> None:
        """Append one resolved chapter (positions are absolute samples)."""
        cues = list(cues)
        with self._condition:
            old = self.timeline
            index = len(old.chapters)
            timeline = Timeline(
                length=max(old.length, span.end),
                cues=old.cues + cues,
                tones=old.tones + list(tones),
                chapters=[*old.chapters, span],
                warnings=old.warnings + list(warnings),
                sample_rate=old.sample_rate,
                title=old.title,
                routine=old.routine,
            )
            if index < len(self._groups):
                self.windows = self.windows + _place_windows(
                    self._groups[index], span, cues, index, old.sample_rate
                )
            self._replace(timeline)

    def _replace(self, timeline: Timeline) -> None:
        # Plan and build the mixer before publishing, so readers always see a matching pair.
        if self._plan is None:
            self._plan = plan_mix(timeline, self.music)
        else:
            self._plan = self._plan.extended(timeline)
        mixer = self._plan.mixer()
        with self._condition:
            self.timeline, self.mixer = timeline, mixer
            self._condition.notify_all()

    def finish(self, error: BaseException | None = None) -> None:
        """No more chapters will come (`error`: why resolving stopped early)."""
        final = None
        if error is None and self.timeline.length:
            try:
                final = plan_mix(self.timeline, self.music).mixer()
            except Exception as failure:  # reported by the player, like a speech failure
                error = failure
        with self._condition:
            self.final_mixer = final
            self.complete = True
            self.error = error
            self._condition.notify_all()

    def wait_for(self, position: int, timeout: float | None = None) -> bool:
        """Block until `position` is playable or the program is complete."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self.complete or self.timeline.length > position, timeout
            )

    def wait_for_chapters(self, count: int, timeout: float | None = None) -> bool:
        """Block until `count` chapters are resolved or the program is complete."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self.complete or len(self.timeline.chapters) >= count, timeout
            )

    def wait_complete(self, timeout: float | None = None) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: self.complete, timeout)


def resolve_in_background(script: CueScript, voice: Any, music: MusicInfo | None = None) -> Program:
    """Resolve the first chapter now and the rest in a daemon thread.

    Errors in the first chapter are raised here; later ones end the program early
    and are kept in `Program.error`.
    """
    from coach.resolve import iter_chapters  # type: ignore[import-not-found,unused-ignore]

    program = Program(script.title, script.routine, steps=script.steps, music=music)
    chapters: Iterator[Any] = iter(iter_chapters(script, voice))
    first = next(chapters, None)
    if first is None:
        program.finish()
        return program
    program.add(*unpack_chapter(first))

    def rest() -> None:
        try:
            for item in chapters:
                program.add(*unpack_chapter(item))
        except BaseException as error:  # reported by the player, never lost in a thread
            program.finish(error)
        else:
            program.finish()

    threading.Thread(target=rest, name="coach-resolve", daemon=True).start()
    return program


def chapter_titles(script: CueScript) -> list[str]:
    """The chapters the resolver makes: steps before the first mark get the script's title."""
    return _group_titles(script.steps, script.title)


def _group_titles(steps: Sequence[Step], title: str) -> list[str]:
    titles = [step.title for step in steps if isinstance(step, Chapter)]
    if steps and not isinstance(steps[0], Chapter):
        titles = [title or "Start", *titles]
    return titles


def unpack_chapter(
    item: Any,
) -> tuple[ChapterSpan, list[TimedCue], list[TimedTone], list[str]]:
    """Accept what `iter_chapters` yields: a 4-tuple or an object with those fields."""
    if isinstance(item, tuple):
        span, cues, tones, warnings = item
    else:
        span = getattr(item, "span", None) or item.chapter
        cues, tones = item.cues, item.tones
        warnings = getattr(item, "warnings", ())
    return span, list(cues), list(tones), list(warnings)


def _chapter_groups(steps: Sequence[Step]) -> list[list[Say | Window]]:
    groups: list[list[Say | Window]] = []
    for step in steps:
        if isinstance(step, Chapter):
            groups.append([])
        elif groups:
            groups[-1].append(step)
        else:
            groups.append([step])
    return groups


def _place_windows(
    steps: list[Say | Window],
    span: ChapterSpan,
    cues: list[TimedCue],
    chapter: int,
    rate: int,
) -> list[WindowSpan]:
    """Where the chapter's windows sound, found by walking its steps over its cues.

    Only the screen uses this: a Say is found by its text, a window follows it.
    If a Say cannot be found the estimate may be off, never the sound.
    """
    spans: list[WindowSpan] = []
    position = span.start
    index = 0
    for step in steps:
        if isinstance(step, Say):
            for look in range(index, len(cues)):
                if cues[look].text == step.text and cues[look].start >= position:
                    position = cues[look].end + round(step.gap * rate)
                    index = look + 1
                    break
        else:
            end = position + round(step.duration * rate)
            spans.append(WindowSpan(position, end, step.kind, step.label, chapter))
            position = end
            while index < len(cues) and cues[index].start < end:
                index += 1
    return spans
