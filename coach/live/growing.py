"""A Timeline that grows chapter by chapter while it is being played.

Only the first step of the session (its first sentence, or its first window) is
resolved before playback starts; the rest of the first chapter follows step by
step and the later chapters whole, in a background thread, while it plays
(`coach.resolve.iter_pieces` says why nothing already playing can move). The
player only ever reads `GrowingTimeline.mixer` (and `.final_mixer`), which are
replaced whole (never mutated) under a lock, so the audio thread never waits for
the speech engine.

Both are the renderer's mix chain (`coach.audio.chain`), gains and limiter
included. Until every chapter is resolved, `mixer` plays at the levels planned
for the chapters resolved first; once the session is complete, `final_mixer`
plays at the levels of the whole session, the ones the MP3 file gets, and the
player moves to it at the next chapter it enters (docs/live.md says how far the
two can differ).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from coach.audio.chain import SessionMixer
from coach.audio.clip import SAMPLE_RATE
from coach.audio.levels import MixPlan, plan_mix
from coach.audio.music import MusicInfo
from coach.cues.model import CueScript
from coach.resolve import ResolvedChapter, chapter_titles, iter_pieces
from coach.timeline import ChapterSpan, TimedCue, TimedTone, TimedWindow, Timeline


class GrowingTimeline:
    """The part of a session that is ready to play, and whether more is coming."""

    def __init__(
        self,
        title: str = "",
        routine: str = "",
        sample_rate: int = SAMPLE_RATE,
        chapter_titles: Sequence[str] = (),
        music: MusicInfo | None = None,
    ) -> None:
        self._condition = threading.Condition()
        self.music = music
        self.timeline = Timeline(length=0, sample_rate=sample_rate, title=title, routine=routine)
        self._plan: MixPlan | None = None  # the levels of the chapters resolved first
        self.mixer: SessionMixer = SessionMixer(self.timeline)
        self.final_mixer: SessionMixer | None = None  # the whole session's levels, once known
        self.complete = False
        self.error: BaseException | None = None
        self._titles = list(chapter_titles)

    @classmethod
    def from_timeline(
        cls,
        timeline: Timeline,
        script: CueScript | None = None,
        music: MusicInfo | None = None,
    ) -> GrowingTimeline:
        """A program that is ready as a whole (a Timeline resolved up front)."""
        titles = chapter_titles(script) if script else [span.title for span in timeline.chapters]
        program = cls(timeline.title, timeline.routine, timeline.sample_rate, titles, music)
        for index, span in enumerate(timeline.chapters):
            cues = [cue for cue in timeline.cues if cue.chapter == index]
            tones = [t for t in timeline.tones if span.start <= t.start < span.end]
            windows = [w for w in timeline.windows if w.chapter == index]
            program.add(span, cues, tones, [], windows)
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

    @property
    def windows(self) -> list[TimedWindow]:
        """The rigid windows resolved so far, with their facts, sorted by start."""
        return self.timeline.windows

    def add(
        self,
        span: ChapterSpan,
        cues: Iterable[TimedCue],
        tones: Iterable[TimedTone],
        warnings: Iterable[str],
        windows: Iterable[TimedWindow] = (),
        grows: bool = False,
    ) -> None:
        """Append one resolved chapter (positions are absolute samples); with `grows`,
        `span` is the last chapter's, grown by these cues, tones and windows."""
        with self._condition:
            old = self.timeline
            before = old.chapters[:-1] if grows and old.chapters else old.chapters
            timeline = Timeline(
                length=max(old.length, span.end),
                cues=old.cues + list(cues),
                tones=old.tones + list(tones),
                chapters=[*before, span],
                windows=old.windows + list(windows),
                warnings=old.warnings + list(warnings),
                sample_rate=old.sample_rate,
                title=old.title,
                routine=old.routine,
            )
            self._replace(timeline)

    def add_chapter(self, chapter: ResolvedChapter) -> None:
        """Append a chapter, or a piece of the last one, as the resolver gives it."""
        grows = chapter.index < len(self.timeline.chapters)
        self.add(
            chapter.span, chapter.cues, chapter.tones, chapter.warnings, chapter.windows, grows
        )

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


def resolve_in_background(
    script: CueScript,
    voice: Any,
    music: MusicInfo | None = None,
    stepwise: int = 1,
    wait: bool = True,
) -> GrowingTimeline:
    """Resolve the session in a daemon thread, the first `stepwise` chapters step by
    step, so playing can start before they are all synthesized.

    With `wait`, the first step is resolved here, and its errors raised here; without,
    everything is left to the thread (the output can start meanwhile). Errors in the
    thread end the program early and are kept in `GrowingTimeline.error`.
    """
    titles = chapter_titles(script)
    program = GrowingTimeline(script.title, script.routine, chapter_titles=titles, music=music)
    chapters = iter_pieces(script, voice, stepwise)
    if wait:
        first = next(chapters, None)
        if first is None:
            program.finish()
            return program
        program.add_chapter(first)

    def rest() -> None:
        try:
            for chapter in chapters:
                program.add_chapter(chapter)
        except BaseException as error:  # reported by the player, never lost in a thread
            program.finish(error)
        else:
            program.finish()

    threading.Thread(target=rest, name="coach-resolve", daemon=True).start()
    return program


__all__ = ["GrowingTimeline", "chapter_titles", "resolve_in_background"]
