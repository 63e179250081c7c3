"""Between the sets: what the coach says from the end of one exercise to the first "go"
of the next, between two sets, and between blocks that flow into each other.

- The rest before an exercise prepares it (`transition`): where the listener is in
  the session, what is next, what it needs, its setup lines, the plan and, where
  there is time, the movement; what does not fit is said after the rest. Then the
  exercise's `get_ready` seconds and the countdown.
- Between two sets: "set two of three", "last set", after a set to failure a word
  about it (`rest_before_set`); a `switch` window, in the exercise's own switch
  time, between sides.
- In a continuous section (`flow_into`) the blocks follow each other, each called on
  its boundary, with a heads-up a few seconds before.

A mixin of the compiler (coach/compiler/compile.py), which writes the sets themselves.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from coach.compiler.flow import flows, is_continuous, with_heads_up
from coach.compiler.numbers import duration_words, number_words
from coach.compiler.performance import Performance
from coach.compiler.phrasebook import Phrase, Speaker
from coach.compiler.preview import LINE_GAP, Line, instruction_seconds, lead_in, spill_over
from coach.compiler.progress import Marker, Place, session_marker, set_marker
from coach.compiler.wording import spoken_list, things_to_have
from coach.cues.model import (
    PRIORITY_COUNT,
    PRIORITY_CRITICAL,
    PRIORITY_FORM,
    PRIORITY_INFO,
    Cue,
    Step,
    Tone,
    Window,
)
from coach.facts import WindowFacts
from coach.routine.model import Exercise, Routine, Section


class Quiet(Protocol):
    """The quiet moments of a window, where a cue without a beat of its own can go."""

    def find(self, desired: float, text: str) -> float | None: ...
    def place(self, desired: float, text: str) -> float: ...


REST_TONE = Tone(0.0, 0.25, 440.0)
PREPARE_EXTRA = 2.0  # seconds before the countdown into a set that follows another with no rest
SHORT_REST = 10.0  # a rest shorter than this opens with "rest", not with its length


class Between:
    """The compiler's between-sets part; the compiler provides what is declared below."""

    routine: Routine
    speak: Speaker
    countdown: int
    steps: list[Step]
    halfway_said: bool

    if TYPE_CHECKING:

        def say(self, text: str, kind: str = "say", gap: float = 0.4) -> None: ...
        def chapter(self, title: str) -> None: ...
        def window(self, window: Window) -> None: ...
        @staticmethod
        def cue(at: float, phrase: Phrase, kind: str, priority: int) -> Cue: ...
        def countdown_cues(self, duration: float) -> list[Cue]: ...
        def rest_between(
            self, previous: Performance, perf: Performance, flowing: bool = False
        ) -> float: ...
        def perform(self, perf: Performance, call: bool = False) -> None: ...
        def first_set(self, ex: Exercise) -> tuple[int, str | None]: ...
        def set_sides(self, ex: Exercise) -> tuple[str | None, ...]: ...
        def sides_after_sets(self, ex: Exercise) -> bool: ...
        def alternate_sides(self, ex: Exercise) -> tuple[str, ...]: ...
        @staticmethod
        def long_cues(ex: Exercise) -> tuple[str, ...]: ...
        @staticmethod
        def work_of(ex: Exercise) -> float: ...
        def rest_phrase(self, duration: float) -> Phrase: ...
        def pending_in(self, quiet: Quiet) -> list[Cue]: ...
        def quiet_moments(self, cues: list[Cue], duration: float, earliest: float) -> Quiet: ...

    def transition(self, previous: Performance | None, perf: Performance) -> None:
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

    def chapter_title(self, perf: Performance, new_section: bool, new_round: bool) -> str | None:
        """The chapter `perf` starts, if it starts one: a round of a circuit, or an exercise."""
        if perf.section.is_circuit:
            return self.round_title(perf.section, perf.round) if new_section or new_round else None
        return perf.exercise.name

    def preview_lines(
        self, previous: Performance | None, perf: Performance, new_section: bool, new_round: bool
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

    def session_marker(self, perf: Performance, new_round: bool) -> Marker | None:
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

    def flow_into(self, previous: Performance, perf: Performance) -> None:
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

    def rest_before_set(self, perf: Performance, n: int, side: str | None) -> None:
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
        quiet = self.quiet_moments(cues, duration, earliest=2.5)
        if duration >= 12.0:
            for text in tips:
                cues.append(Cue(round(quiet.place(3.5, text), 3), text, "tip", PRIORITY_FORM))
        if reminder:
            cues.extend(self.pending_in(quiet))
        cues.sort(key=lambda c: (c.at, -c.priority))
        self.window(Window(duration, "rest", "rest", tuple(cues), (REST_TONE,), facts))
