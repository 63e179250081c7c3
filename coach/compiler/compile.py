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

from dataclasses import replace

from coach.compiler.between import Between, Quiet
from coach.compiler.fitting import SPEECH_CPS, count_seconds, speaking_seconds
from coach.compiler.fitting import Fitter as _Fitter
from coach.compiler.flow import with_call
from coach.compiler.inside_set import LONG_CUE, SetCoach, SetContext
from coach.compiler.numbers import duration_words, number_words
from coach.compiler.performance import Performance
from coach.compiler.phrasebook import Phrase, Phrasebook, Speaker, default_phrasebook
from coach.compiler.wording import things_to_have
from coach.cues.model import (
    PRIORITY_CRITICAL,
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
DEFAULT_FAILURE_CAP = 60.0


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
        phrases = reminders.phrases if reminders and reminders.phrases else ()
        self.inside = SetCoach(
            speaker,
            reminders.every if reminders else 0.0,
            phrases or speaker.variants("reminders"),
        )
        self.has_notch = has_notch  # the routine has harder variants (said at level 2)
        self.halfway_said = False  # "halfway through the session", said once

    @property
    def pending_reminder(self) -> str | None:
        """A reminder that found no room in its set, to be said in the next rest."""
        return self.inside.pending_reminder

    @pending_reminder.setter
    def pending_reminder(self, text: str | None) -> None:
        self.inside.pending_reminder = text

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
        """Form cues too long to say inside the set: said while resting instead.

        With every rep counted a cue must fit between two counts; otherwise a cue takes
        the place of counts, up to LONG_CUE seconds."""
        if ex.reps is None or ex.to_failure:
            return ()
        if ex.counting != "every":
            return tuple(text for text in ex.cues if speaking_seconds(text) > LONG_CUE)
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
            self.work_window(ex, n, side, perf.facts(n, side, True, alternate), perf)
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

    def work_window(
        self,
        ex: Exercise,
        n: int,
        side: str | None,
        facts: WindowFacts,
        perf: Performance | None = None,
    ) -> None:
        """Set `n` of `ex` (on `side`): exactly its written length, coached inside
        (coach/compiler/inside_set.py)."""
        duration = self.work_of(ex)
        if duration <= 0:
            return
        label = f"{ex.name}, set {n} of {ex.sets}" + (f", {side}" if side else "")
        context = self.set_context(ex, n, side, label, perf)
        cues = self.inside.work_cues(ex, duration, context, facts.alternate)
        self.window(Window(duration, "work", label, tuple(cues), (GO_TONE,), facts))

    def set_context(
        self, ex: Exercise, n: int, side: str | None, label: str, perf: Performance | None
    ) -> SetContext:
        sides = self.set_sides(ex)
        several = ex.sets * len(sides) > 1
        first = several and n == 1 and side == sides[0]
        last = several and n == ex.sets and side == sides[-1]
        if perf is None:
            return SetContext(label, first, last)
        last_round = perf.section.rounds > 1 and perf.round == perf.section.rounds
        first_time = perf.first_time and n == 1 and side == sides[0]
        return SetContext(label, first, last, perf.is_last, last_round, first_time)


def compile_routine(
    routine: Routine, level: int | None = None, phrasebook: Phrasebook | None = None
) -> CueScript:
    """Compile `routine` at `level` (default: the routine's own) into a cue script."""
    book = phrasebook or default_phrasebook()
    if routine.phrases:
        book = book.with_overrides(routine.phrases, routine.phrase_locations, routine.source)
    chosen = routine.at_level(level)
    compiler = _Compiler(chosen, book.speaker(), routine.has_notch)
    steps = compiler.compile()
    return CueScript(
        title=chosen.title,
        steps=steps,
        routine=chosen.name,
        level=chosen.level,
        description=chosen.description,
        warnings=list(compiler.inside.warnings),
    )


__all__ = ["compile_routine", "count_seconds", "speaking_seconds"]
