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
- Lower-priority cues (halfway, last five, form cues, reminders) are placed at
  free moments; the resolver settles any remaining clash against a real voice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from coach.compiler.flow import flows, is_continuous, with_call, with_heads_up
from coach.compiler.numbers import duration_words, number_words
from coach.compiler.phrasebook import Phrase, Phrasebook, Speaker, default_phrasebook
from coach.compiler.preview import LINE_GAP, Line, instruction_seconds, lead_in, spill_over
from coach.compiler.progress import Marker, Place, session_marker, set_marker
from coach.compiler.wording import spoken_list, things_to_have
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
PREPARE_EXTRA = 2.0  # seconds before the countdown into a set that follows another with no rest
SHORT_REST = 10.0  # a rest shorter than this opens with "rest", not with its length
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
        previous: _Perf | None = None
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

    def performances(self) -> list[_Perf]:
        """Every exercise in the order it is done, circuit rounds expanded."""
        perfs = []
        for index, section in enumerate(self.routine.sections):
            for number in range(1, section.rounds + 1):
                for exercise in section.exercises:
                    perfs.append(_Perf(exercise, section, index, number, number == 1))
        return [replace(p, index=i, total=len(perfs)) for i, p in enumerate(perfs)]

    def rest_between(self, previous: _Perf, perf: _Perf, flowing: bool = False) -> float:
        if previous.section_index == perf.section_index and previous.round != perf.round:
            return previous.section.rest_between_rounds
        rest = previous.exercise.rest_after
        if rest is None:
            # Blocks that flow into each other have no rest unless one is written.
            return 0.0 if flowing else self.routine.settings.rest_between_exercises
        return rest

    # ---- between exercises ---------------------------------------------------------------

    def transition(self, previous: _Perf | None, perf: _Perf) -> None:
        """Everything between the end of `previous` and the first set of `perf`: the rest,
        which prepares it (what, with what, how to get into position, the plan), and the
        time to get into position before its countdown."""
        ex, section = perf.exercise, perf.section
        same = previous is not None and previous.section_index == perf.section_index
        if previous is not None and flows(self.routine, previous.section, section, same):
            self.flow_into(previous, perf)
            return
        new_section = not same
        new_round = same and previous is not None and previous.round != perf.round
        title = self.chapter_title(perf, new_section, new_round)
        lines = self.preview_lines(previous, perf, new_section, new_round)
        facts = perf.facts(*self.first_set(ex))
        side = self.first_set(ex)[1]
        call = is_continuous(self.routine, section)
        if previous is None:
            # The intro is the first exercise's rest: its preview follows the intro lines.
            self.say_lines(lines)
            if title:
                self.chapter(title)
            self.prepare_window(facts, ex.get_ready)
            self.perform(perf, call)
            return
        if title:
            self.chapter(title)  # the rest before an exercise belongs to its chapter
        rest = self.rest_between(previous, perf)
        if rest <= 0:
            self.say_lines(lines)
            self.prepare_window(facts, ex.get_ready)
            self.perform(perf, call)
            return
        if not perf.first_time:
            # Done before (a later round): say what comes and keep the rest as written.
            # Halfway waits for a rest with room for it; "last round" is always said.
            halfway = self.speak.variants("halfway_session")
            lines = [
                replace(line, needed=line.kind == "progress" and line.phrase.text not in halfway)
                for line in lines
            ]
            lines.sort(key=lambda line: line.phrase.text in halfway)  # after the round number
        settle = self.countdown + (ex.get_ready if perf.first_time else 0.5)
        side_line = [Line(self.speak.phrase("side_start", side=side), "side")] if side else []
        chosen = self.lead_in_layout(rest, ex.name, lines + side_line, settle)
        if chosen is not None:
            opening, placed = chosen
            self.rest_into(rest, facts, opening, self.line_cues(placed), reminder=False)
            self.perform(perf, call)
            return
        opening = self.rest_opening(rest)
        layout = spill_over(rest, self.after(opening), lines)
        self.rest_window(rest, opening, self.line_cues(layout.inside), facts)
        # After the rest, coaching (the movement, long form cues) is still worth the time;
        # an optional plan ("thirty seconds of work") is not.
        self.say_lines([line for line in layout.spill if line.needed or line.kind != "plan"])
        self.prepare_window(facts, ex.get_ready)
        self.perform(perf, call)

    def lead_in_layout(
        self, rest: float, name: str, lines: list[Line], settle: float
    ) -> tuple[Phrase, tuple[tuple[float, Line], ...]] | None:
        """The opening and the lines of a rest that leads straight into the set, saying as
        many of `lines` as it can: opened with its length, with "Rest. Push-ups next." in
        one breath, or with a bare "rest"; None when the needed lines fit in none."""
        tries = [(self.rest_opening(rest), lines, 0)]
        if lines and lines[0].kind == "next_up":
            tries.append((self.speak.phrase("rest_next", name=name), lines[1:], 1))
        tries.append((self.speak.phrase("rest_brief"), lines, 0))
        best: tuple[int, Phrase, tuple[tuple[float, Line], ...]] | None = None
        for opening, candidates, merged in tries:
            placed = lead_in(rest, self.after(opening), candidates, settle)
            if placed is not None and (best is None or len(placed) + merged > best[0]):
                best = (len(placed) + merged, opening, placed)
        return None if best is None else (best[1], best[2])

    def chapter_title(self, perf: _Perf, new_section: bool, new_round: bool) -> str | None:
        """The chapter `perf` starts, if it starts one: a round of a circuit, or an exercise."""
        if perf.section.is_circuit:
            return self.round_title(perf.section, perf.round) if new_section or new_round else None
        return perf.exercise.name

    def preview_lines(
        self, previous: _Perf | None, perf: _Perf, new_section: bool, new_round: bool
    ) -> list[Line]:
        """What is said to prepare `perf`, in order."""
        ex, section, speak = perf.exercise, perf.section, self.speak
        lines: list[Line] = []
        if previous is not None and previous.exercise.to_failure:
            lines.append(Line(speak.phrase("after_failure"), "encourage", needed=False))
        if new_section and section.title and not (previous is None and section.is_circuit):
            lines.append(Line(speak.phrase("section", title=section.title), "section"))
        marker = self.session_marker(perf, new_round)
        if marker is not None:
            phrase = speak.phrase(marker.template, **marker.values)
            lines.append(Line(phrase, "progress"))
        rounds = {"n": number_words(perf.round), "total": number_words(section.rounds)}
        if section.is_circuit and new_section:
            lines.append(Line(speak.phrase("round", **rounds), "round"))
        elif new_round and (marker is None or marker.template != "last_round"):
            lines.append(Line(speak.phrase("next_round", **rounds), "round"))
        if not (new_round and len(section.exercises) == 1):
            template = "first_up" if previous is None else "next_up"
            lines.append(Line(speak.phrase(template, name=ex.name), "next_up"))
        if not perf.first_time:
            return lines
        said_at_start = previous is None and ex.equipment == self.routine.equipment
        if ex.equipment and not said_at_start:
            items = things_to_have(ex.equipment)
            lines.append(Line(speak.phrase("equipment_exercise", items=items), "equipment"))
        lines.extend(Line(Phrase(text), "setup") for text in ex.setup)
        single_timed = ex.sets == 1 and ex.reps is None and not ex.to_failure
        single_timed = single_timed and len(ex.sides) < 2  # the plan names the sides
        lines.append(Line(Phrase(self.plan(ex)), "plan", needed=not single_timed))
        tips = self.long_cues(ex) if ex.sets == 1 else ()
        lines.extend(Line(Phrase(text), "tip", needed=False) for text in tips)
        if ex.cues and ex.cues[0] not in tips:
            # The movement itself, before the first rep where there is time for it.
            lines.append(Line(Phrase(ex.cues[0]), "movement", needed=False))
        return lines

    def session_marker(self, perf: _Perf, new_round: bool) -> Marker | None:
        rounds = perf.section.rounds
        place = Place(perf.index, perf.total, perf.round, rounds, new_round)
        return session_marker(place, self.halfway_said)

    def say_lines(self, lines: list[Line]) -> None:
        for line in lines:
            self.note_said(line)
            self.say(line.phrase.text, line.kind, 0.6)

    def note_said(self, line: Line) -> None:
        if line.kind == "progress" and line.phrase.text in self.speak.variants("halfway_session"):
            self.halfway_said = True

    def after(self, opening: Phrase) -> float:
        """Where the first line after a rest's opening phrase can start."""
        return instruction_seconds(opening.text) + LINE_GAP

    def line_cues(self, placed: tuple[tuple[float, Line], ...]) -> list[Cue]:
        priority = {"side": PRIORITY_COUNT, "movement": PRIORITY_FORM, "tip": PRIORITY_FORM}
        for _, line in placed:
            self.note_said(line)
        return [
            self.cue(at, line.phrase, line.kind, priority.get(line.kind, PRIORITY_INFO))
            for at, line in placed
        ]

    def flow_into(self, previous: _Perf, perf: _Perf) -> None:
        """A continuous change: the block before announces this one a few seconds before its
        end, and this one is called on its first sample; a written rest is its own block."""
        ex = perf.exercise
        same = previous.section_index == perf.section_index
        new_round = same and previous.round != perf.round
        heads_up = self.speak.phrase("heads_up", name=ex.name, count=number_words(5))
        rest = self.rest_between(previous, perf, flowing=True)
        facts = perf.facts(*self.first_set(ex))
        last_round = None
        if new_round and perf.round == perf.section.rounds:
            last_round = self.speak.phrase("last_round")
        title = self.chapter_title(perf, not same, new_round)
        if rest > 0:
            if title:
                self.chapter(title)  # a rest belongs to the chapter it leads into
            cues = [self.cue(0.0, self.rest_opening(rest), "rest", PRIORITY_CRITICAL)]
            cues.extend(self.countdown_cues(rest))
            window = Window(rest, "rest", "rest", tuple(cues), (REST_TONE,), facts)
            self.window(with_heads_up(window, heads_up, last_round))
        else:
            self.announce_in_last_window(heads_up, last_round)
            if title:
                self.chapter(title)
        self.perform(perf, call=True)

    def announce_in_last_window(self, heads_up: Phrase, before: Phrase | None) -> None:
        """The heads-up (and `before` it) in the block that has just been compiled."""
        for at in range(len(self.steps) - 1, -1, -1):
            step = self.steps[at]
            if isinstance(step, Window):
                if step.kind == "work":
                    self.steps[at] = with_heads_up(step, heads_up, before)
                return

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
        elif len(ex.sides) > 1 and self.sides_after_sets(ex):
            text += " " + self.speak.text("plan_sides_after", sides=", then ".join(ex.sides))
        elif len(ex.sides) > 1:
            text += " " + self.speak.text("plan_sides", sides=spoken_list(ex.sides))
        return text

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

    def perform(self, perf: _Perf, call: bool = False) -> None:
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

    def rest_before_set(self, perf: _Perf, n: int, side: str | None) -> None:
        """The rest between two sets of `perf`, ending with the countdown into set `n`."""
        ex = perf.exercise
        facts = perf.facts(n, side)
        duration = ex.rest
        if duration <= 0:
            self.prepare_window(facts, PREPARE_EXTRA)
            return
        sides = self.set_sides(ex)
        this_side_only = self.sides_after_sets(ex) and side != sides[-1]
        named = side if this_side_only or not self.sides_after_sets(ex) else None
        marker = set_marker(n, ex.sets, named, this_side_only)
        phrase = self.speak.phrase(marker.template, **marker.values)
        opening = self.rest_opening(duration)
        at = duration - self.countdown - LINE_GAP - instruction_seconds(phrase.text)
        cues = [self.cue(max(at, min(2.5, duration / 3)), phrase, "next_set", PRIORITY_INFO)]
        if ex.to_failure:
            word = self.speak.phrase("after_failure")
            cues.append(self.cue(self.after(opening), word, "encourage", PRIORITY_FORM))
        self.rest_into(duration, facts, opening, cues, tips=self.long_cues(ex))

    def prepare_window(self, facts: WindowFacts, get_ready: float) -> None:
        """Time to get into position (`get_ready` seconds), then the countdown into work."""
        duration = get_ready + self.countdown
        if duration <= 0:
            return
        side = facts.side
        if side:
            first = self.cue(
                0.0, self.speak.phrase("side_start", side=side), "side", PRIORITY_COUNT
            )
        else:
            first = self.cue(0.0, self.speak.phrase("get_ready"), "get_ready", PRIORITY_INFO)
        cues = [first, *self.countdown_cues(duration)]
        self.window(Window(duration, "prepare", "get ready", tuple(cues), facts=facts))

    def switch_window(
        self, ex: Exercise, side: str, facts: WindowFacts, after_sets: bool = False
    ) -> None:
        """Changing sides, in the exercise's own `switch` time; `after_sets`: after all
        the sets on the first side."""
        duration = ex.switch
        if duration <= 0:
            return
        # The countdown outranks the switch phrase, which falls back to naming the side.
        template = "switch_after_sets" if after_sets else "switch_sides"
        switch = self.cue(0.0, self.speak.phrase(template, side=side), "switch", PRIORITY_COUNT)
        cues = [switch, *self.countdown_cues(duration)]
        self.window(Window(duration, "switch", f"switch to {side}", tuple(cues), facts=facts))

    def rest_phrase(self, duration: float) -> Phrase:
        return self.speak.phrase(
            "rest", duration=duration_words(duration), seconds=number_words(round(duration))
        )

    def rest_opening(self, duration: float) -> Phrase:
        """What a rest opens with: its length, or just "rest" when it is short."""
        if duration < SHORT_REST:
            return self.speak.phrase("rest_brief")
        return self.rest_phrase(duration)

    def rest_window(
        self, duration: float, opening: Phrase, placed: list[Cue], facts: WindowFacts
    ) -> None:
        """A rest that is followed by speech (no countdown at its end): a preview, which a
        reminder does not interrupt."""
        cues = [self.cue(0.0, opening, "rest", PRIORITY_COUNT), *placed]
        cues.sort(key=lambda c: (c.at, -c.priority))
        self.window(Window(duration, "rest", "rest", tuple(cues), (REST_TONE,), facts))

    def rest_into(
        self,
        duration: float,
        facts: WindowFacts,
        opening: Phrase,
        placed: list[Cue],
        tips: tuple[str, ...] = (),
        reminder: bool = True,
    ) -> None:
        """A rest that leads straight into the set `facts` describe: `opening` at its start,
        the `placed` cues, the countdown at its end; `tips` (form cues too long for the
        set) and, with `reminder`, a reminder still owed go in the quiet stretches."""
        cues = [self.cue(0.0, opening, "rest", PRIORITY_COUNT), *placed]
        cues = [c for c in cues if c.at < duration]
        cues.extend(self.countdown_cues(duration))
        quiet = _Fitter(cues, duration, earliest=2.5)
        if duration >= 12.0:
            for text in tips:
                cues.append(Cue(_t(quiet.place(3.5, text)), text, "tip", PRIORITY_FORM))
        if reminder:
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
