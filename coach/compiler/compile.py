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

from dataclasses import dataclass, replace

from coach.compiler.fitting import SPEECH_CPS, count_seconds, speaking_seconds
from coach.compiler.fitting import Fitter as _Fitter
from coach.compiler.inside_set import LONG_CUE, SetCoach, SetContext
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
DEFAULT_FAILURE_CAP = 60.0


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
        phrases = reminders.phrases if reminders and reminders.phrases else ()
        self.inside = SetCoach(
            speaker,
            reminders.every if reminders else 0.0,
            phrases or speaker.variants("reminders"),
        )
        self.has_notch = has_notch  # the routine has harder variants (said at level 2)

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
        """Form cues too long to say inside the set: said while resting instead.

        With every rep counted a cue must fit between two counts; otherwise a cue takes
        the place of counts, up to LONG_CUE seconds."""
        if ex.reps is None or ex.to_failure:
            return ()
        if ex.counting != "every":
            return tuple(text for text in ex.cues if speaking_seconds(text) > LONG_CUE)
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
                self.work_window(ex, n, side, perf.facts(n, side, True, alternate), perf)
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

    def work_window(
        self,
        ex: Exercise,
        n: int,
        side: str | None,
        facts: WindowFacts,
        perf: _Perf | None = None,
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
        self, ex: Exercise, n: int, side: str | None, label: str, perf: _Perf | None
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
