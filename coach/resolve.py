"""Resolve a cue script against a voice: every clip measured and placed, in samples.

- A `Say` starts where the previous step ended and lasts its clip plus its gap.
- A `Window` lasts exactly round(duration x rate) samples; each window starts at
  the running integer sample count, so nothing drifts over a long session.
- Each window is kept as a `TimedWindow`: its span, its facts and, for a counted
  set, the sample where each rep starts (rep k at round(k x (tempo + hold) x rate)
  after the window's start).
- Anchored cues start at their offset. Cues are placed by priority (highest
  first; at equal priority the earlier one). A cue is said in full if it ends
  before the next cue of its rank or higher (and before anything already
  placed); otherwise it takes its short form if that fits at its anchor, else
  moves to the nearest free moment within `max_shift(priority)` seconds (counts
  and countdowns never move), else is dropped. Speech is never overlapped and
  never cut.
- Every decision is a warning naming the chapter, the time and the text.

`iter_chapters` does this one chapter at a time (asking the voice to prepare
that chapter's texts first), so a live player can start before the rest exists;
`iter_pieces` gives the first chapter(s) one step at a time, so it can start after
the first sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from coach.audio.clip import SAMPLE_RATE
from coach.cues.model import (
    PRIORITY_COUNT,
    PRIORITY_FORM,
    PRIORITY_INFO,
    Chapter,
    Cue,
    CueScript,
    Say,
    Step,
    Window,
)
from coach.speech.voice import Voice
from coach.timeline import ChapterSpan, TimedCue, TimedTone, TimedWindow, Timeline

GUARD = 0.1  # seconds of silence kept between two cues in a window


def max_shift(priority: int) -> float:
    """How far (seconds) a cue of `priority` may move from its anchor to find room."""
    if priority >= PRIORITY_COUNT:
        return 0.0  # counts, countdowns, "go": on the beat or not at all
    if priority >= PRIORITY_INFO:
        return 2.0
    if priority >= PRIORITY_FORM:
        return 4.0
    return 8.0


@dataclass
class ResolvedChapter:
    """One chapter placed on the session's sample clock."""

    index: int
    span: ChapterSpan
    cues: list[TimedCue] = field(default_factory=list)
    tones: list[TimedTone] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    windows: list[TimedWindow] = field(default_factory=list)


def clock(samples: int, rate: int = SAMPLE_RATE) -> str:
    """A position as m:ss.s for warnings."""
    tenths = round(samples * 10 / rate)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def _group(script: CueScript) -> list[tuple[str, list[Step]]]:
    """Steps split into chapters; steps before the first chapter get one named after the script."""
    groups: list[tuple[str, list[Step]]] = []
    for step in script.steps:
        if isinstance(step, Chapter):
            groups.append((step.title, []))
        else:
            if not groups:
                groups.append((script.title or "Start", []))
            groups[-1][1].append(step)
    return groups


def chapter_titles(script: CueScript) -> list[str]:
    """The chapters `iter_chapters` makes, in order, before any of them is resolved."""
    return [title for title, _ in _group(script)]


def chapter_texts(steps: list[Step]) -> list[str]:
    """Every text a chapter may speak (short forms included), for Voice.prepare."""
    texts: list[str] = []
    for step in steps:
        if isinstance(step, Say):
            texts.append(step.text)
        elif isinstance(step, Window):
            for cue in step.cues:
                texts.append(cue.text)
                if cue.short:
                    texts.append(cue.short)
    return list(dict.fromkeys(texts))


class _Placer:
    """Occupied stretches of one window, as sorted (start, end) pairs in window samples."""

    def __init__(self, length: int, guard: int) -> None:
        self.length = length
        self.guard = guard
        self.spans: list[tuple[int, int, str]] = []

    def clash(self, start: int, frames: int) -> str | None:
        """Why [start, start+frames) cannot be used (the blocking cue's text), or None."""
        if start < 0:
            return "the start of its window"
        if start + frames > self.length:
            return "the end of its window"
        for s, e, text in self.spans:
            if start < e + self.guard and s < start + frames + self.guard:
                return f'"{text}"'
        return None

    def take(self, start: int, frames: int, text: str) -> None:
        bisect.insort(self.spans, (start, start + frames, text))

    def nearest(self, anchor: int, frames: int, reach: int) -> int | None:
        """The free start nearest `anchor` within `reach` samples, or None."""
        candidates = {anchor - reach, anchor + reach, 0, self.length - frames}
        for s, e, _ in self.spans:
            candidates.add(e + self.guard)
            candidates.add(s - self.guard - frames)
        best: int | None = None
        for start in sorted(candidates, key=lambda c: (abs(c - anchor), c)):
            if abs(start - anchor) <= reach and self.clash(start, frames) is None:
                best = start
                break
        return best


class _Resolver:
    def __init__(self, voice: Voice, rate: int) -> None:
        self.voice = voice
        self.rate = rate
        self.guard = round(GUARD * rate)

    def samples(self, seconds: float) -> int:
        return round(seconds * self.rate)

    def step(self, step: Step, position: int, chapter: ResolvedChapter, title: str) -> int:
        """Place one step at `position` into `chapter`; where the next step starts."""
        if isinstance(step, Say):
            clip = self.voice.clip(step.text)
            chapter.cues.append(TimedCue(position, step.text, step.kind, chapter.index, clip))
            return position + clip.frames + self.samples(step.gap)
        if isinstance(step, Window):
            return self.window(step, position, chapter, title)
        return position

    def window(self, window: Window, start: int, chapter: ResolvedChapter, title: str) -> int:
        length = self.samples(window.duration)
        chapter.windows.append(self.timed_window(window, start, length, chapter.index))
        placer = _Placer(length, self.guard)
        order = sorted(
            range(len(window.cues)), key=lambda i: (-window.cues[i].priority, window.cues[i].at, i)
        )
        placed: list[TimedCue] = []
        notes: list[tuple[float, str]] = []
        for i in order:
            cue = window.cues[i]
            # A cue should end before the next cue that ranks as high as it does, even though
            # that one is placed later: a run of counts then shortens instead of dropping.
            rivals = [c for c in window.cues if c.priority >= cue.priority and c.at > cue.at]
            nxt = min(rivals, key=lambda c: c.at, default=None)
            limit = (length, "") if nxt is None else (self.samples(nxt.at) - self.guard, nxt.text)
            timed = self.place(cue, placer, start, notes, chapter.index, title, limit)
            if timed is not None:
                placed.append(timed)
        placed.sort(key=lambda c: c.start)
        chapter.cues.extend(placed)
        chapter.warnings.extend(note for _, note in sorted(notes, key=lambda n: n[0]))
        for tone in window.tones:
            chapter.tones.append(
                TimedTone(
                    start + self.samples(tone.at), self.samples(tone.duration), tone.frequency
                )
            )
        return start + length

    def timed_window(self, window: Window, start: int, length: int, chapter: int) -> TimedWindow:
        facts, rep = window.facts, window.facts.rep_seconds
        reps = range(facts.reps or 0) if rep is not None else range(0)
        rep_starts = tuple(start + self.samples(k * (rep or 0.0)) for k in reps)
        end = start + length
        return TimedWindow(start, end, window.kind, window.label, chapter, facts, rep_starts)

    def place(
        self,
        cue: Cue,
        placer: _Placer,
        start: int,
        notes: list[tuple[float, str]],
        chapter: int,
        title: str,
        limit: tuple[int, str],
    ) -> TimedCue | None:
        """Place one cue: at its anchor, else short, else moved, else dropped (noted).

        `limit` is where the next cue of the same or higher priority starts (and its text).
        """
        anchor = self.samples(cue.at)
        where = f"{title} @ {clock(start + anchor, self.rate)}"
        full = self.voice.clip(cue.text)
        blocked = placer.clash(anchor, full.frames)
        end, rival = limit
        if blocked is None and (anchor + full.frames <= end or not cue.short):
            placer.take(anchor, full.frames, cue.text)
            return TimedCue(start + anchor, cue.text, cue.kind, chapter, full)
        if blocked is None:
            blocked = f'"{rival}"'
        short = self.voice.clip(cue.short) if cue.short else None
        if cue.short and short is not None and placer.clash(anchor, short.frames) is None:
            notes.append(
                (
                    cue.at,
                    f'{where}: "{cue.text}" would run into {blocked}; said "{cue.short}" instead',
                )
            )
            placer.take(anchor, short.frames, cue.short)
            return TimedCue(start + anchor, cue.short, cue.kind, chapter, short)
        reach = self.samples(max_shift(cue.priority))
        if reach:
            options = [(cue.text, full)] + ([(cue.short, short)] if cue.short and short else [])
            for text, clip in options:
                moved = placer.nearest(anchor, clip.frames, reach)
                if moved is not None:
                    shift = (moved - anchor) / self.rate
                    said = "" if text == cue.text else f' as "{text}"'
                    note = f'{where}: "{cue.text}" would run into {blocked}; moved {shift:+.2f} s'
                    notes.append((cue.at, note + said))
                    placer.take(moved, clip.frames, text)
                    return TimedCue(start + moved, text, cue.kind, chapter, clip)
        notes.append((cue.at, f'{where}: "{cue.text}" would run into {blocked}; dropped'))
        return None


def iter_chapters(script: CueScript, voice: Voice) -> Iterator[ResolvedChapter]:
    """Resolve `script` chapter by chapter, in order, on one absolute sample clock."""
    return iter_pieces(script, voice, stepwise=0)


def iter_pieces(script: CueScript, voice: Voice, stepwise: int = 1) -> Iterator[ResolvedChapter]:
    """The chapters of `iter_chapters`, the first `stepwise` of them step by step.

    A chapter resolved step by step comes as one piece per step (a `Say` or a
    `Window`), all with the chapter's index: each holds only what its step adds and
    the chapter's span up to that step's end, and the voice is asked only for that
    step's texts. Nothing in a piece changes when later steps are resolved: a `Say`
    starts where the step before it ended, and a window's cues are placed inside the
    window against each other only. So the samples up to a piece's end are final when
    it comes, and a player can start on them while the rest is being synthesized.
    """
    resolver = _Resolver(voice, SAMPLE_RATE)
    position = 0
    for index, (title, steps) in enumerate(_group(script)):
        start = position
        if index < stepwise and steps:
            for step in steps:
                voice.prepare(chapter_texts([step]))
                piece = ResolvedChapter(index, ChapterSpan(title, start, position))
                position = resolver.step(step, position, piece, title)
                piece.tones.sort(key=lambda t: t.start)
                piece.span = ChapterSpan(title, start, position)
                yield piece
            continue
        voice.prepare(chapter_texts(steps))
        chapter = ResolvedChapter(index, ChapterSpan(title, start, start))
        for step in steps:
            position = resolver.step(step, position, chapter, title)
        chapter.tones.sort(key=lambda t: t.start)
        chapter.span = ChapterSpan(title, start, position)
        yield chapter


# The fit notes `place` writes for a line said in its short form, or moved a little:
# the fit working as designed, unlike a line dropped.
_MINOR_FIT = re.compile(r'; (said ".*" instead|moved ([+-]\d+\.\d+) s( as ".*")?)$')


def minor_fit_shift(warning: str) -> float | None:
    """For a fit warning of a line said short or moved: how far it moved (seconds, 0 if
    it was not moved). None for any other warning (a line dropped)."""
    found = _MINOR_FIT.search(warning)
    if found is None:
        return None
    return abs(float(found.group(2))) if found.group(2) else 0.0


def resolve(script: CueScript, voice: Voice) -> Timeline:
    """The whole script placed against `voice`: a Timeline with its fit warnings."""
    timeline = Timeline(length=0, title=script.title, routine=script.routine)
    for chapter in iter_chapters(script, voice):
        timeline.cues.extend(chapter.cues)
        timeline.tones.extend(chapter.tones)
        timeline.chapters.append(chapter.span)
        timeline.warnings.extend(chapter.warnings)
        timeline.windows.extend(chapter.windows)
        timeline.length = chapter.span.end
    timeline.tones.sort(key=lambda t: t.start)
    return timeline
