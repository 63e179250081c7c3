"""Routine -> CueScript: what a good coach says, and exactly when.

The shape of a session:

- Intro chapter: the routine's intro lines (or a greeting), the equipment the
  whole session needs, then the first exercise's preview.
- Each exercise is prepared in the rest before it (the rest starts its chapter;
  in a circuit each round is a chapter): what is next, what it needs, how to get
  into position (its setup lines), the plan ("two sets of twenty") and, where
  there is time, the movement itself. Where the rest is too short for all of it,
  the remainder is elastic speech after the rest. After the last instruction the
  exercise's `get_ready` seconds, then the countdown, which ends exactly where
  work starts, with "go" and a tone at the first sample of the `work` window.
- Work windows last exactly the routine's time: reps x (tempo + hold). Rep k
  starts at (k-1) x (tempo + hold); its count is spoken at the top of the rep,
  tempo/2 later; a hold adds "hold" to the count and "down" when the hold ends.
- Rest and switch windows last exactly the routine's time, open with what they
  are and end with the countdown into the next set, so rests are as long as
  written. Between sets the rest says which set comes ("set two of three", "last
  set"); between exercises, where the listener is ("halfway through the
  session", "two moves left", "last round").
- Continuous sections run their blocks back to back: each change is called on its
  boundary, with a heads-up a few seconds before (coach/compiler/flow.py).
- One ending: the last set's end, then the outro.

This module writes the session and the sets; what is said between them (rests,
previews, switches, flow) is its mixin `Between`, in coach/compiler/between.py.
- Lower-priority cues (halfway, last five, form cues, reminders) are placed at
  free moments; the resolver settles any remaining clash against a real voice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from coach.compiler.between import Between, Quiet
from coach.compiler.flow import with_call
from coach.compiler.numbers import duration_words, number_words
from coach.compiler.performance import Performance
from coach.compiler.phrasebook import Phrase, Phrasebook, Speaker, default_phrasebook
from coach.compiler.wording import things_to_have
from coach.cues.model import (
    PRIORITY_COUNT,
    PRIORITY_CRITICAL,
    PRIORITY_FORM,
    PRIORITY_INFO,
    PRIORITY_REMINDER,
    Chapter,
    Cue,
    CueScript,
    Say,
    Step,
    Tone,
    Window,
)
from coach.facts import WindowFacts
from coach.routine.model import Exercise, Routine

GO_TONE = Tone(0.0, 0.15, 880.0)
LONG_WORK = 30.0  # timed work at least this long gets "halfway"
KEEP_GOING_EVERY = 15.0  # seconds between encouragements in a set to failure
DEFAULT_FAILURE_CAP = 60.0
SPEECH_CPS = 14.0  # characters per second of a typical voice, to guess what fits between counts
HOLD_WORD = 2.0  # holds at least this long add "hold" to the count; shorter ones only "down"


def _t(seconds: float) -> float:
    """Offsets are kept to the millisecond so the .cues file stays readable."""
    return round(seconds, 3)


class _Compiler(Between):
    def __init__(self, routine: Routine, speaker: Speaker, has_notch: bool = False) -> None:
        self.routine = routine
        self.speak = speaker
        self.countdown = routine.settings.countdown
        self.steps: list[Step] = []
        self.last_was_work = False
        reminders = routine.reminders
        self.reminder_every = reminders.every if reminders else 0.0
        phrases = reminders.phrases if reminders and reminders.phrases else ()
        self.reminder_phrases = phrases or speaker.variants("reminders")
        self.reminder_count = 0
        self.work_clock = 0.0  # seconds of work so far, for reminders
        self.next_reminder = self.reminder_every
        self.has_notch = has_notch  # the routine has harder variants (said at level 2)
        self.pending_reminder: str | None = None  # a reminder that found no room in its set
        self.halfway_said = False  # "halfway through the session", said once

    # ---- small helpers -------------------------------------------------------------------

    def say(self, text: str, kind: str = "say", gap: float = 0.4) -> None:
        if self.last_was_work:
            # A set followed by speech rather than a rest ends with a spoken "stop", which
            # belongs to the chapter of that set.
            self.last_was_work = False
            at = len(self.steps)
            while at and isinstance(self.steps[at - 1], Chapter):
                at -= 1
            self.steps.insert(at, Say(self.speak.text("stop"), "stop", 0.6))
        self.steps.append(Say(text, kind, gap))

    def chapter(self, title: str) -> None:
        self.steps.append(Chapter(title))

    def window(self, window: Window) -> None:
        self.steps.append(window)
        self.last_was_work = window.kind == "work"

    @staticmethod
    def cue(at: float, phrase: Phrase, kind: str, priority: int) -> Cue:
        return Cue(_t(at), phrase.text, kind, priority, phrase.short)

    def countdown_cues(self, duration: float) -> list[Cue]:
        """'three, two, one' ending one second before `duration` (where work starts)."""
        cues = []
        for k in range(self.countdown, 0, -1):
            if duration - k >= 1.5:
                phrase = self.speak.phrase("countdown", count=number_words(k))
                cues.append(self.cue(duration - k, phrase, "countdown", PRIORITY_CRITICAL))
        return cues

    # ---- the session ---------------------------------------------------------------------

    def compile(self) -> list[Step]:
        routine = self.routine
        self.chapter("Intro")
        for line in routine.intro or (self.speak.text("intro_default", title=routine.title),):
            self.say(line, "intro", 0.8)
        if routine.level >= 2 and self.has_notch:
            self.say(self.speak.text("level_up"), "intro", 0.8)
        if routine.equipment:
            items = things_to_have(routine.equipment)
            self.say(self.speak.text("equipment_session", items=items), "equipment", 0.8)

        perfs = self.performances()
        previous: Performance | None = None
        for perf in perfs:
            self.transition(previous, perf)
            previous = perf
        self.ending()
        return self.steps

    def ending(self) -> None:
        """The last set's end, then the one sign-off: the routine's outro, or a default."""
        self.last_was_work = False  # the finish line below is this set's "stop"
        self.steps.append(Say(self.speak.text("finish"), "finish", 0.8))
        self.chapter("Finish")
        routine = self.routine
        for line in routine.outro or (self.speak.text("outro_default", title=routine.title),):
            self.say(line, "outro", 0.8)

    def performances(self) -> list[Performance]:
        """Every exercise in the order it is done, circuit rounds expanded."""
        perfs = []
        for index, section in enumerate(self.routine.sections):
            for number in range(1, section.rounds + 1):
                for exercise in section.exercises:
                    perfs.append(Performance(exercise, section, index, number, number == 1))
        return [replace(p, index=i, total=len(perfs)) for i, p in enumerate(perfs)]

    def rest_between(
        self, previous: Performance, perf: Performance, flowing: bool = False
    ) -> float:
        if previous.section_index == perf.section_index and previous.round != perf.round:
            return previous.section.rest_between_rounds
        rest = previous.exercise.rest_after
        if rest is None:
            # Blocks that flow into each other have no rest unless one is written.
            return 0.0 if flowing else self.routine.settings.rest_between_exercises
        return rest

    # ---- form cues said in rests --------------------------------------------------------

    @staticmethod
    def long_cues(ex: Exercise) -> tuple[str, ...]:
        """Form cues too long to say between two rep counts: said while resting instead."""
        if ex.reps is None or ex.to_failure:
            return ()
        room = ex.tempo - 0.6
        return tuple(text for text in ex.cues if len(text) / SPEECH_CPS + 0.2 > room)

    # ---- sets ----------------------------------------------------------------------------

    def alternate_sides(self, ex: Exercise) -> tuple[str, ...]:
        return ex.sides or self.speak.variants("default_sides")

    def set_sides(self, ex: Exercise) -> tuple[str | None, ...]:
        if ex.sides and not ex.alternate:
            return ex.sides
        return (None,)

    def sides_after_sets(self, ex: Exercise) -> bool:
        """Whether all sets are done on one side before the next side."""
        return ex.switch_sides == "after_all_sets" and len(self.set_sides(ex)) > 1

    def set_order(self, ex: Exercise) -> list[tuple[int, str | None]]:
        """(set, side) of every work window of `ex`, in the order they are done."""
        sides, sets = self.set_sides(ex), range(1, ex.sets + 1)
        if self.sides_after_sets(ex):
            return [(n, side) for side in sides for n in sets]
        return [(n, side) for n in sets for side in sides]

    def first_set(self, ex: Exercise) -> tuple[int, str | None]:
        return self.set_order(ex)[0]

    def perform(self, perf: Performance, call: bool = False) -> None:
        """Every set of `perf`, with the switches and rests between them; `call`: its
        first set is called by name (a block of a continuous section) instead of "go"."""
        ex = perf.exercise
        order = self.set_order(ex)
        alternate = self.alternate_sides(ex) if ex.alternate else ()
        for j, (n, side) in enumerate(order):
            at = len(self.steps)
            self.work_window(ex, n, side, perf.facts(n, side, True, alternate))
            if call and j == 0 and at < len(self.steps):
                window = self.steps[at]
                if isinstance(window, Window):
                    name = self.speak.phrase("exercise_name", name=ex.name)
                    self.steps[at] = with_call(window, name)
            if j + 1 == len(order):
                break
            following, side_next = order[j + 1]
            facts = perf.facts(following, side_next)
            if self.sides_after_sets(ex) and side_next != side:
                self.switch_window(ex, side_next or "", facts, after_sets=True)
            elif following == n:
                self.switch_window(ex, side_next or "", facts)
            else:
                self.rest_before_set(perf, following, side_next)

    def rest_phrase(self, duration: float) -> Phrase:
        return self.speak.phrase(
            "rest", duration=duration_words(duration), seconds=number_words(round(duration))
        )

    def quiet_moments(self, cues: list[Cue], duration: float, earliest: float) -> _Fitter:
        return _Fitter(cues, duration, earliest)

    def pending_in(self, quiet: Quiet) -> list[Cue]:
        """The reminder that found no room in the last set, if it fits in this rest."""
        text = self.pending_reminder
        at = quiet.find(3.5, text) if text else None
        if text is None or at is None:
            return []
        self.pending_reminder = None
        return [Cue(_t(at), text, "reminder", PRIORITY_REMINDER)]

    @staticmethod
    def work_of(ex: Exercise) -> float:
        if ex.to_failure:
            return ex.work or DEFAULT_FAILURE_CAP
        return ex.set_seconds

    def work_window(self, ex: Exercise, n: int, side: str | None, facts: WindowFacts) -> None:
        duration = self.work_of(ex)
        if duration <= 0:
            return
        label = f"{ex.name}, set {n} of {ex.sets}" + (f", {side}" if side else "")
        cues = [self.cue(0.0, self.speak.phrase("go"), "go", PRIORITY_CRITICAL)]
        later: list[Cue] = []  # cues without a beat of their own, fitted into quiet moments
        if ex.reps is not None and not ex.to_failure:
            beats, later = self.rep_cues(ex)
            cues.extend(beats)
        else:
            cues.extend(self.timed_cues(ex, duration))
        fits = _Fitter(cues, duration)
        for cue in later:
            cues.append(replace(cue, at=_t(fits.place(cue.at, cue.text))))
        form = [text for text in ex.cues if text not in self.long_cues(ex)]
        for i, text in enumerate(form):
            at = fits.place(duration * (i + 1) / (len(form) + 1), text)
            cues.append(Cue(_t(at), text, "form", PRIORITY_FORM))
        if self.reminder_every > 0 and duration >= 6.0:
            # Due every `every` seconds of work; one that fell due in a short set waits for
            # the next long enough one, never piling up. One that finds no quiet moment in
            # the set is said in the next rest instead.
            self.next_reminder = max(self.next_reminder, self.work_clock + 3.0)
            while self.next_reminder <= self.work_clock + duration - 3.0:
                text = self.reminder_phrases[self.reminder_count % len(self.reminder_phrases)]
                self.reminder_count += 1
                found = fits.find(self.next_reminder - self.work_clock, text)
                if found is None:
                    self.pending_reminder = text
                else:
                    cues.append(Cue(_t(found), text, "reminder", PRIORITY_REMINDER))
                self.next_reminder += self.reminder_every
        self.work_clock += duration
        cues.sort(key=lambda c: (c.at, -c.priority))
        self.window(Window(duration, "work", label, tuple(cues), (GO_TONE,), facts))

    def rep_cues(self, ex: Exercise) -> tuple[list[Cue], list[Cue]]:
        """The counts and holds of a rep set, on the beat; "last five" and "last one", near
        the start of their rep (to be fitted around the counts)."""
        reps = ex.reps or 0
        rep, top = ex.rep_seconds, ex.tempo / 2
        sides = self.alternate_sides(ex) if ex.alternate else ()
        cues: list[Cue] = []
        last = 5 if reps >= 10 else 3 if reps >= 6 else 0
        for k in range(1, reps + 1):
            start = (k - 1) * rep
            count = number_words(k)
            if sides:
                phrase = self.speak.phrase("alternate_rep", count=count, side=sides[(k - 1) % 2])
            elif ex.hold >= HOLD_WORD:
                phrase = self.speak.phrase("rep_hold", count=count)
            else:
                phrase = self.speak.phrase("rep_count", count=count)
            cues.append(self.cue(start + top, phrase, "count", PRIORITY_COUNT))
            if ex.hold > 0:
                release = self.speak.phrase("release")
                # The end of a hold is on the beat: it outranks the count, which can shorten.
                at = start + top + ex.hold
                cues.append(self.cue(at, release, "release", PRIORITY_CRITICAL))
        later = []
        if last:
            phrase = self.speak.phrase("last_reps", count=number_words(last))
            later.append(self.cue((reps - last) * rep, phrase, "last_reps", PRIORITY_INFO))
        if reps >= 3:
            phrase = self.speak.phrase("last_rep")
            later.append(self.cue((reps - 1) * rep, phrase, "last_reps", PRIORITY_INFO))
        return cues, later

    def timed_cues(self, ex: Exercise, duration: float) -> list[Cue]:
        cues = []
        if ex.to_failure:
            phrase = self.speak.phrase("to_failure", duration=duration_words(duration))
            cues.append(self.cue(1.5, phrase, "to_failure", PRIORITY_INFO))
            at = KEEP_GOING_EVERY
            while at < duration - 12.0:
                if abs(at - duration / 2) > 4.0 or duration < LONG_WORK:
                    cues.append(
                        self.cue(at, self.speak.phrase("keep_going"), "keep_going", PRIORITY_FORM)
                    )
                at += KEEP_GOING_EVERY
        if duration >= LONG_WORK:
            cues.append(
                self.cue(duration / 2, self.speak.phrase("halfway"), "halfway", PRIORITY_INFO)
            )
        if duration >= 15.0:
            phrase = self.speak.phrase("last_seconds", count=number_words(5))
            cues.append(self.cue(duration - 5.0, phrase, "last_seconds", PRIORITY_INFO))
        if duration >= 6.0:
            for k in (3, 2, 1):
                phrase = self.speak.phrase("countdown", count=number_words(k))
                cues.append(self.cue(duration - k, phrase, "countdown", PRIORITY_COUNT))
        return cues


def speaking_seconds(text: str) -> float:
    """A guess (seconds) at how long a voice takes to say `text`, with a little air after."""
    return 0.15 + len(text) / SPEECH_CPS + 0.2


def count_seconds(reps: int) -> tuple[float, str]:
    """The longest count in a set of `reps`, and about how long a voice takes to say it.

    The same guess from the text alone that fits cues between counts: a rep shorter
    than this leaves some count no time to be said.
    """
    word = max((number_words(k) for k in range(1, reps + 1)), key=len)
    return speaking_seconds(word), word


class _Fitter:
    """Finds quiet moments in a window for form cues, tips and reminders.

    Every cue already anchored occupies the time a typical voice needs to say it; a
    quiet moment is one where the new text fits before the next cue starts. The
    resolver makes the final call against the real voice.

    The busy time is kept as sorted, disjoint intervals, so checking a moment is a
    binary search and a window full of cues stays cheap to search.
    """

    def __init__(self, cues: list[Cue], duration: float, earliest: float = 1.0) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.duration = duration
        self.earliest = earliest
        for cue in sorted(cues, key=lambda c: c.at):
            self.occupy(cue.at, cue.at + speaking_seconds(cue.text))

    def occupy(self, start: float, end: float) -> None:
        """Mark `start`..`end` as busy, merging it with the busy intervals it touches."""
        first = bisect_left(self.ends, start)
        last = bisect_right(self.starts, end)
        if first < last:
            start = min(start, self.starts[first])
            end = max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]

    def free(self, t: float, need: float) -> bool:
        if t < self.earliest or t + need > self.duration:
            return False
        after = bisect_right(self.ends, t)  # the first busy interval that ends after t
        return after == len(self.starts) or t + need <= self.starts[after]

    def find(self, desired: float, text: str) -> float | None:
        """The quiet moment nearest `desired` where `text` fits, or None; it is then taken.

        The candidates are `desired` and the end of each busy interval, tried nearest
        first (the earlier one on a tie).
        """
        need = speaking_seconds(text)
        chosen = desired if self.free(desired, need) else self._nearest_free_end(desired, need)
        if chosen is not None:
            self.occupy(chosen, chosen + need)
        return chosen

    def _nearest_free_end(self, desired: float, need: float) -> float | None:
        ends = self.ends
        right = bisect_left(ends, desired)
        left = right - 1
        while left >= 0 or right < len(ends):
            take_left = right >= len(ends) or (
                left >= 0 and desired - ends[left] <= ends[right] - desired
            )
            if take_left:
                t, left = ends[left], left - 1
                if t < self.earliest:
                    left = -1  # every end further left is earlier still
                    continue
            else:
                t, right = ends[right], right + 1
                if t + need > self.duration:
                    right = len(ends)  # every end further right runs out of the window too
                    continue
            if self.free(t, need):
                return t
        return None

    def place(self, desired: float, text: str) -> float:
        """Like `find`, but when nothing is quiet the text still goes as near as it can."""
        found = self.find(desired, text)
        if found is not None:
            return found
        at = min(max(desired, 0.0), self.duration * 0.999)
        self.occupy(at, at + speaking_seconds(text))
        return at


def compile_routine(
    routine: Routine, level: int | None = None, phrasebook: Phrasebook | None = None
) -> CueScript:
    """Compile `routine` at `level` (default: the routine's own) into a cue script."""
    book = phrasebook or default_phrasebook()
    if routine.phrases:
        book = book.with_overrides(routine.phrases, routine.phrase_locations, routine.source)
    chosen = routine.at_level(level)
    steps = _Compiler(chosen, book.speaker(), routine.has_notch).compile()
    return CueScript(
        title=chosen.title,
        steps=steps,
        routine=chosen.name,
        level=chosen.level,
        description=chosen.description,
    )


__all__ = ["compile_routine", "speaking_seconds"]
