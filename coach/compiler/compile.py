"""Routine -> CueScript: what a good coach says, and exactly when.

The shape of a session:

- Intro chapter: the routine's intro lines (or a greeting).
- Each exercise (a chapter; in a circuit each round is a chapter): its name, its
  setup lines and the plan ("three sets of twenty") as elastic speech, then a
  `prepare` window whose countdown ends exactly where work starts, with "go" and a
  tone at the first sample of the `work` window.
- Work windows last exactly the routine's time: reps x (tempo + hold). Rep k
  starts at (k-1) x (tempo + hold); its count is spoken at the top of the rep,
  tempo/2 later; a hold adds "hold" to the count and "down" when the hold ends.
- Rest and switch windows last exactly the routine's time, open with what they
  are and end with the countdown into the next set, so rests are as long as
  written. Between exercises the rest says what is next.
- Lower-priority cues (halfway, last five, form cues, reminders) are placed at
  free moments; the resolver settles any remaining clash against a real voice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from coach.compiler.numbers import duration_words, number_words
from coach.compiler.phrasebook import Phrase, Phrasebook, Speaker, default_phrasebook
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
from coach.routine.model import Exercise, Routine, Section

GO_TONE = Tone(0.0, 0.15, 880.0)
REST_TONE = Tone(0.0, 0.25, 440.0)
PREPARE_EXTRA = 2.0  # seconds of a prepare window before its countdown
LONG_WORK = 30.0  # timed work at least this long gets "halfway"
KEEP_GOING_EVERY = 15.0  # seconds between encouragements in a set to failure
DEFAULT_FAILURE_CAP = 60.0
SPEECH_CPS = 14.0  # characters per second of a typical voice, to guess what fits between counts
HOLD_WORD = 2.0  # holds at least this long add "hold" to the count; shorter ones only "down"


def _t(seconds: float) -> float:
    """Offsets are kept to the millisecond so the .cues file stays readable."""
    return round(seconds, 3)


@dataclass(frozen=True)
class _Perf:
    """One exercise as performed once: in a circuit, once per round."""

    exercise: Exercise
    section: Section
    section_index: int
    round: int
    first_time: bool
    index: int = 0  # place in the session's performances, from 0
    total: int = 1  # how many performances the session has

    @property
    def is_last(self) -> bool:
        """Whether this is the session's last exercise."""
        return self.index == self.total - 1

    def facts(
        self, n: int, side: str | None, work: bool = False, alternate: tuple[str, ...] = ()
    ) -> WindowFacts:
        """The facts of a window of set `n` on `side` (`work`: the set itself, whose reps
        go from side to side of `alternate` if it has any)."""
        ex = self.exercise
        counted = work and ex.reps is not None and not ex.to_failure
        return WindowFacts(
            exercise=ex.name,
            set=n,
            sets=ex.sets,
            side=side,
            round=self.round,
            rounds=self.section.rounds,
            reps=ex.reps if counted else None,
            tempo=ex.tempo if counted else None,
            hold=ex.hold if counted else 0.0,
            to_failure=work and ex.to_failure,
            alternate=alternate if counted else (),
        )


class _Compiler:
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

        perfs = self.performances()
        previous: _Perf | None = None
        for perf in perfs:
            self.transition(previous, perf)
            previous = perf

        self.chapter("Finish")
        self.say(self.speak.text("finish"), "finish", 0.8)
        for line in routine.outro or (self.speak.text("outro_default", title=routine.title),):
            self.say(line, "outro", 0.8)
        return self.steps

    def performances(self) -> list[_Perf]:
        """Every exercise in the order it is done, circuit rounds expanded."""
        perfs = []
        for index, section in enumerate(self.routine.sections):
            for number in range(1, section.rounds + 1):
                for exercise in section.exercises:
                    perfs.append(_Perf(exercise, section, index, number, number == 1))
        return [replace(p, index=i, total=len(perfs)) for i, p in enumerate(perfs)]

    def rest_between(self, previous: _Perf, perf: _Perf) -> float:
        if previous.section_index == perf.section_index and previous.round != perf.round:
            return previous.section.rest_between_rounds
        rest = previous.exercise.rest_after
        return self.routine.settings.rest_between_exercises if rest is None else rest

    def transition(self, previous: _Perf | None, perf: _Perf) -> None:
        """Everything between the end of `previous` and the first set of `perf`."""
        ex, section = perf.exercise, perf.section
        new_section = previous is None or previous.section_index != perf.section_index
        new_round = not new_section and previous is not None and previous.round != perf.round
        rest = 0.0 if previous is None else self.rest_between(previous, perf)
        rounds = {"n": number_words(perf.round), "total": number_words(section.rounds)}
        # With nothing to explain (no setup lines, or seen before), the rest itself leads into
        # the exercise - next up, side, countdown, go - so intervals keep their written length.
        quiet = not perf.first_time or not ex.setup
        if rest > 0 and not new_section and quiet:
            said: list[tuple[Phrase, str]] = []
            if new_round:
                self.chapter(self.round_title(section, perf.round))
                said.append((self.speak.phrase("next_round", **rounds), "next_round"))
                if len(section.exercises) > 1:
                    said.append((self.speak.phrase("next_up", name=ex.name), "next_up"))
            else:
                if not section.is_circuit:
                    self.chapter(ex.name)
                said.append((self.speak.phrase("next_up", name=ex.name), "next_up"))
                if perf.first_time and rest >= 15.0:
                    said.append((Phrase(self.plan(ex)), "plan"))
            self.rest_into(rest, perf, said, lead_side=True)
            self.perform(perf, prepare=False)
            return

        if rest > 0:
            if new_round:
                coming = self.speak.phrase("next_round", **rounds)
            else:
                coming = self.speak.phrase("next_up", name=ex.name)
            self.rest_window(
                rest,
                [(max(rest - 4.0, rest / 2), coming, "next_up")],
                perf.facts(1, self.set_sides(ex)[0]),
            )

        if section.is_circuit and (new_section or new_round):
            self.chapter(self.round_title(section, perf.round))
            if new_section and section.title:
                self.say(self.speak.text("section", title=section.title), "section")
            round_text = self.speak.text(
                "round", n=number_words(perf.round), total=number_words(section.rounds)
            )
            self.say(round_text, "round", 0.6)
        elif not section.is_circuit:
            self.chapter(ex.name)
            if new_section and section.title:
                self.say(self.speak.text("section", title=section.title), "section")

        self.say(self.speak.text("exercise_name", name=ex.name), "name", 0.6)
        if perf.first_time:
            for line in ex.setup:
                self.say(line, "setup", 0.6)
            self.say(self.plan(ex), "plan", 0.6)
            if ex.sets == 1:
                for line in self.long_cues(ex):
                    self.say(line, "tip", 0.6)
        self.perform(perf, prepare=True)

    @staticmethod
    def round_title(section: Section, n: int) -> str:
        return f"{section.title or 'Circuit'}, round {n} of {section.rounds}"

    @staticmethod
    def long_cues(ex: Exercise) -> tuple[str, ...]:
        """Form cues too long to say between two rep counts: said while resting instead."""
        if ex.reps is None or ex.to_failure:
            return ()
        room = ex.tempo - 0.6
        return tuple(text for text in ex.cues if len(text) / SPEECH_CPS + 0.2 > room)

    def plan(self, ex: Exercise) -> str:
        sets = number_words(ex.sets)
        if ex.to_failure:
            text = self.speak.text("plan_failure", duration=duration_words(self.work_of(ex)))
        elif ex.reps is not None:
            reps = number_words(ex.reps)
            if ex.sets == 1:
                text = self.speak.text("plan_reps_single", reps=reps)
            else:
                text = self.speak.text("plan_reps", sets=sets, reps=reps)
        else:
            duration = duration_words(ex.work or 0.0)
            if ex.sets == 1:
                text = self.speak.text("plan_work_single", duration=duration)
            else:
                text = self.speak.text("plan_work", sets=sets, duration=duration)
        if ex.alternate:
            text += " " + self.speak.text("plan_alternate", side=self.alternate_sides(ex)[0])
        elif len(ex.sides) > 1:
            names = ", ".join(ex.sides[:-1]) + " and " + ex.sides[-1]
            text += " " + self.speak.text("plan_sides", sides=names)
        return text

    # ---- sets ----------------------------------------------------------------------------

    def alternate_sides(self, ex: Exercise) -> tuple[str, ...]:
        return ex.sides or self.speak.variants("default_sides")

    def set_sides(self, ex: Exercise) -> tuple[str | None, ...]:
        if ex.sides and not ex.alternate:
            return ex.sides
        return (None,)

    def perform(self, perf: _Perf, prepare: bool) -> None:
        ex = perf.exercise
        sides = self.set_sides(ex)
        for n in range(1, ex.sets + 1):
            for i, side in enumerate(sides):
                if n == 1 and i == 0 and prepare:
                    self.prepare_window(perf.facts(n, side))
                alternate = self.alternate_sides(ex) if ex.alternate else ()
                self.work_window(ex, n, side, perf.facts(n, side, True, alternate))
                following = sides[i + 1] if i + 1 < len(sides) else None
                if following:
                    self.switch_window(following, perf.facts(n, following))
            if n < ex.sets:
                values = {"n": number_words(n + 1), "total": number_words(ex.sets)}
                if sides[0]:
                    phrase = self.speak.phrase("next_set_side", side=sides[0], **values)
                else:
                    phrase = self.speak.phrase("next_set", **values)
                self.rest_into(
                    ex.rest, perf, [(phrase, "next_set")], tips=self.long_cues(ex), next_set=n + 1
                )

    def prepare_window(self, facts: WindowFacts) -> None:
        duration = self.countdown + PREPARE_EXTRA
        side = facts.side
        if side:
            first = self.cue(
                0.0, self.speak.phrase("side_start", side=side), "side", PRIORITY_COUNT
            )
        else:
            first = self.cue(0.0, self.speak.phrase("get_ready"), "get_ready", PRIORITY_INFO)
        cues = [first, *self.countdown_cues(duration)]
        self.window(Window(duration, "prepare", "get ready", tuple(cues), facts=facts))

    def switch_window(self, side: str, facts: WindowFacts) -> None:
        duration = self.routine.settings.switch
        if duration <= 0:
            return
        # The countdown outranks the switch phrase, which falls back to naming the side.
        switch = self.cue(
            0.0, self.speak.phrase("switch_sides", side=side), "switch", PRIORITY_COUNT
        )
        cues = [switch, *self.countdown_cues(duration)]
        self.window(Window(duration, "switch", f"switch to {side}", tuple(cues), facts=facts))

    def rest_phrase(self, duration: float) -> Phrase:
        return self.speak.phrase(
            "rest", duration=duration_words(duration), seconds=number_words(round(duration))
        )

    def rest_window(
        self, duration: float, extra: list[tuple[float, Phrase, str]], facts: WindowFacts
    ) -> None:
        """A rest that is followed by speech (no countdown at its end)."""
        cues = [self.cue(0.0, self.rest_phrase(duration), "rest", PRIORITY_COUNT)]
        for at, phrase, kind in extra:
            if 0 < at < duration:
                cues.append(self.cue(at, phrase, kind, PRIORITY_INFO))
        cues.extend(self.pending_in(_Fitter(cues, duration, earliest=2.5)))
        self.window(Window(duration, "rest", "rest", tuple(cues), (REST_TONE,), facts))

    def rest_into(
        self,
        duration: float,
        perf: _Perf,
        said: list[tuple[Phrase, str]],
        lead_side: bool = False,
        tips: tuple[str, ...] = (),
        next_set: int = 1,
    ) -> None:
        """A rest that leads straight into set `next_set` of `perf`: says what comes, ends with
        the countdown.

        `said` are spoken one after another so the last ends before the countdown;
        `lead_side` adds which side starts; `tips` (form cues too long for the set) go
        in the quiet stretch after the rest begins.
        """
        ex = perf.exercise
        first_side = self.set_sides(ex)[0]
        facts = perf.facts(next_set, first_side)
        if duration <= 0:
            self.prepare_window(facts)
            return
        cues = [self.cue(0.0, self.rest_phrase(duration), "rest", PRIORITY_COUNT)]
        spacing = 2.5
        first = max(duration - self.countdown - 1.0 - spacing * len(said), min(2.5, duration / 3))
        at = first
        for phrase, kind in said:
            cues.append(self.cue(at, phrase, kind, PRIORITY_INFO))
            at += spacing
        if lead_side and first_side:
            side_at = max(at - 0.7, duration - self.countdown - 1.6)
            side = self.speak.phrase("side_start", side=first_side)
            cues.append(self.cue(side_at, side, "side", PRIORITY_COUNT))
        cues = [c for c in cues if c.at < duration]
        cues.extend(self.countdown_cues(duration))
        quiet = _Fitter(cues, duration, earliest=2.5)
        if duration >= 12.0:
            for text in tips:
                cues.append(Cue(_t(quiet.place(3.5, text)), text, "tip", PRIORITY_FORM))
        cues.extend(self.pending_in(quiet))
        cues.sort(key=lambda c: (c.at, -c.priority))
        self.window(Window(duration, "rest", "rest", tuple(cues), (REST_TONE,), facts))

    def pending_in(self, quiet: _Fitter) -> list[Cue]:
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
