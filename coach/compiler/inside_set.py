"""What the coach says inside a working set: counts, holds, pulses, form cues, breathing
and encouragement, on the beat and without dead air.

A rep set (rep k starts at (k-1) x (tempo + hold)):

- Counting (`counting:` per exercise). `ends` (the default) counts the first reps
  (about nine seconds of them: two or three reps) so the listener locks onto the
  tempo, lets form cues, breathing and encouragement take the middle (a cue takes
  the place of a count; every middle rep with no cue over it is counted, so
  counting resumes after each cue), and counts the last reps down ("Last five!",
  "four", "three", "two", "Last one!"). `every` counts every rep up and fits the
  cues between the counts. `none` counts no rep: cues every few seconds, and still
  "last five" and "last one".
- "Last N" (N = 5 from 12 reps, 3 from 6) and "last one" are said exactly at the
  start of their rep and take the place of its count. They are anchored (count
  priority: the resolver never moves them). One that cannot fit before the next
  beat is dropped, that rep is counted instead, and the compiler records a warning
  (CueScript.warnings, printed by every command that compiles).
- A rep moves for tempo/2 to its top, where its count is said; a hold follows.
  Holds of 3 s or more are coached: "hold" at the top, the last seconds counted
  down at their seconds ("three, two, one") unless a cue fills the hold, then
  "and down". Shorter holds keep "hold" (from 2 s) and "down".
- Pulses (`pulses: n`) are part of the tempo: the rep goes down for a quarter of
  the tempo (at most 1.5 s), pulses n times over the middle, then comes up for the
  same time as it went down. The first pulse is called ("and pulse"), the others
  counted ("two, three...") when they are at least 0.7 s apart, and "and up" ends
  them; in the middle reps a cue may take the place of the pulse calls, never of
  "and up".

Timed work gets a form cue right after "go", context encouragement, breathing,
"halfway" (20 s and more), "ten seconds left" (30 s and more), "last five seconds"
and a countdown. A set to failure is kept going ("keep going" variants).

Every window ends with a pass that fills any quiet stretch longer than
MAX_QUIET seconds (guessed from the text) with encouragement or breathing.
Form cues rotate through a set and across sets (a set starts where the last one
stopped); no optional sentence is said more than MAX_REPEAT times a session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from coach.compiler.fitting import Fitter, speaking_seconds
from coach.compiler.numbers import duration_words, number_words
from coach.compiler.phrasebook import Phrase, Speaker
from coach.cues.model import (
    PRIORITY_COUNT,
    PRIORITY_CRITICAL,
    PRIORITY_FORM,
    PRIORITY_INFO,
    PRIORITY_REMINDER,
    Cue,
)
from coach.routine.model import Exercise

COUNT_FOR = 9.0  # seconds of reps counted at the start under `counting: ends` (1 to 3 reps)
HOLD_WORD = 2.0  # holds at least this long add "hold" to the count
LONG_HOLD = 3.0  # holds at least this long are coached: "hold", counted down, "and down"
PULSE_MOVE = 1.5  # at most this long to go down into the pulses, and to come up again
PULSE_CALL = 0.7  # pulses at least this far apart (s) are each counted
MAX_QUIET = 5.5  # seconds of guessed silence inside a set after which a filler is said
# A steady block this long (a walk, a jog) is not a set: a line every few seconds for
# minutes is nagging, so its quiet stretches may last longer.
STEADY_WORK = 60.0
STEADY_QUIET = 22.0
TIME_LEFT_MARKS = (60.0, 30.0)  # "one minute to go", "thirty seconds to go" in steady blocks
TIME_LEFT_AFTER_HALFWAY = 8.0  # ...only this long after "halfway", so the two never crowd
MAX_REPEAT = 6  # times an optional sentence may be said in a session
LONG_CUE = 6.0  # seconds: a form cue longer than this is said in the rest, not the set
BREATH_EVERY = 60.0  # seconds of work between generic breathing reminders
HALFWAY_FROM = 20.0  # timed work this long gets "halfway"
TEN_LEFT_FROM = 30.0  # timed work this long gets "ten seconds left"
HALFWAY_REPS = 16  # rep sets this long get "halfway" in the place of a middle count


def _t(seconds: float) -> float:
    return round(seconds, 3)


@dataclass(frozen=True)
class SetContext:
    """Where a set stands in the session, for the encouragement said in it."""

    label: str
    first_set: bool = False  # the exercise's first set (first side), with more to come
    last_set: bool = False  # the exercise's last set (last side), after others
    last_exercise: bool = False  # the session's last exercise
    last_round: bool = False  # the last round of a circuit
    first_time: bool = True  # the exercise's very first set in the session


@dataclass
class _Item:
    """Something optional to say in a set."""

    text: str
    kind: str
    priority: int = PRIORITY_FORM
    short: str | None = None


@dataclass
class _Reps:
    """The shape of one rep set: where each rep's moments fall."""

    ex: Exercise
    sides: tuple[str, ...]

    @property
    def rep(self) -> float:
        return self.ex.tempo + self.ex.hold

    def start(self, k: int) -> float:
        return (k - 1) * self.rep

    @property
    def down(self) -> float:
        """With pulses: seconds to go down into them (and to come up after)."""
        return min(PULSE_MOVE, self.ex.tempo / 4)

    def pulse_times(self, k: int) -> list[float]:
        ex = self.ex
        gap = (ex.tempo - 2 * self.down) / ex.pulses
        return [self.start(k) + self.down + i * gap for i in range(ex.pulses)]

    @property
    def pulse_gap(self) -> float:
        return (self.ex.tempo - 2 * self.down) / max(1, self.ex.pulses)

    def up_at(self, k: int) -> float:
        return self.start(k) + self.ex.tempo - self.down + self.ex.hold

    def count_at(self, k: int) -> float:
        """Where rep k's count is said: at its top, or (with pulses) as it starts."""
        if self.ex.pulses:
            return self.start(k) + 0.1
        return self.start(k) + self.ex.tempo / 2

    def release_at(self, k: int) -> float:
        return self.count_at(k) + self.ex.hold


@dataclass
class SetCoach:
    """Builds the cues of every work window of one session, keeping what rotates."""

    speak: Speaker
    reminder_every: float = 0.0
    reminder_phrases: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    pending_reminder: str | None = None  # a reminder that found no room in its set
    said: Counter[str] = field(default_factory=Counter)
    form_next: dict[str, int] = field(default_factory=dict)
    breathe_next: dict[str, int] = field(default_factory=dict)
    work_clock: float = 0.0
    next_reminder: float = 0.0
    reminder_count: int = 0
    next_breath: float = BREATH_EVERY / 2
    steady: bool = False  # the window being compiled is a steady block (a walk, a jog)

    def __post_init__(self) -> None:
        self.next_reminder = self.reminder_every

    # ---- what to say ---------------------------------------------------------------------

    def fresh(self, name: str, **values: str) -> Phrase | None:
        """The next variant of `name` not yet said MAX_REPEAT times, or None."""
        for _ in range(len(self.speak.variants(name))):
            phrase = self.speak.phrase(name, **values)
            if self.said[phrase.text] < MAX_REPEAT:
                self.said[phrase.text] += 1
                return phrase
        return None

    def take(self, text: str) -> bool:
        """Whether `text` may be said once more (and count it if so)."""
        if self.said[text] >= MAX_REPEAT:
            return False
        self.said[text] += 1
        return True

    def forms(self, ex: Exercise, room: int) -> list[_Item]:
        """Form cues for one set, rotating: a set starts where the last one stopped."""
        usable = [text for text in ex.cues if speaking_seconds(text) <= LONG_CUE]
        usable = usable or sorted(ex.cues, key=len)[:1]
        if not usable:
            return []
        many = 1 if len(usable) == 1 else min(len(usable) - 1, max(1, room))
        first = self.form_next.get(ex.name, 0)
        self.form_next[ex.name] = first + many
        picked = [usable[(first + i) % len(usable)] for i in range(many)]
        return [_Item(text, "form") for text in picked if self.take(text)]

    def breath(self, ex: Exercise) -> list[_Item]:
        """The exercise's own breathing line (rotating), or now and then a generic one."""
        if ex.breathe:
            at = self.breathe_next.get(ex.name, 0)
            self.breathe_next[ex.name] = at + 1
            text = ex.breathe[at % len(ex.breathe)]
            return [_Item(text, "breathe")] if self.take(text) else []
        if self.work_clock < self.next_breath:
            return []
        self.next_breath = self.work_clock + BREATH_EVERY
        phrase = self.fresh("breathe_steady" if self.steady else "breathe_generic")
        return [_Item(phrase.text, "breathe", PRIORITY_REMINDER)] if phrase else []

    def encouragement(self, ex: Exercise, ctx: SetContext) -> list[_Item]:
        if ex.to_failure:
            name = "keep_going"
        elif self.steady:  # a walk and a jog alike: no "empty the tank" on a recovery walk
            name = "encourage_steady"
        elif ctx.last_round:
            name = "encourage_last_round"
        elif ctx.last_exercise and (ctx.last_set or not ctx.first_set):
            name = "encourage_last_exercise"
        elif ctx.last_set:
            name = "encourage_last_set"
        elif ctx.first_set:
            name = "encourage_first_set"
        else:
            name = "encourage"
        phrase = self.fresh(name) or self.fresh("encourage")
        kind = "keep_going" if ex.to_failure else "encourage"
        return [_Item(phrase.text, kind, PRIORITY_FORM, phrase.short)] if phrase else []

    def reminders(self, duration: float) -> list[_Item]:
        """The routine's reminders due during this set (every `every` seconds of work)."""
        items: list[_Item] = []
        if self.reminder_every <= 0 or duration < 6.0 or not self.reminder_phrases:
            return items
        self.next_reminder = max(self.next_reminder, self.work_clock + 3.0)
        while self.next_reminder <= self.work_clock + duration - 3.0:
            phrases = self.reminder_phrases
            text = phrases[self.reminder_count % len(phrases)]
            self.reminder_count += 1
            if self.take(text):
                items.append(_Item(text, "reminder", PRIORITY_REMINDER))
            self.next_reminder += self.reminder_every
        return items

    def filler(self, ex: Exercise, turn: int) -> _Item | None:
        """Something to say in a quiet stretch: encouragement, now and then breathing."""
        if ex.to_failure:
            names = ["keep_going", "encourage"]
        elif self.steady:
            names = ["breathe_steady", "encourage_steady"][turn % 2 :]
        elif turn % 3 == 2:
            names = ["breathe_generic", "encourage"]
        else:
            names = ["encourage", "breathe_generic"]
        for name in names:
            phrase = self.fresh(name)
            if phrase:
                kinds = {"breathe_generic": "breathe", "breathe_steady": "breathe"}
                kind = {**kinds, "keep_going": "keep_going"}.get(name, "encourage")
                return _Item(phrase.text, kind, PRIORITY_FORM, phrase.short)
        return None

    def content(self, ex: Exercise, ctx: SetContext, duration: float, room: int) -> list[_Item]:
        """What to say in a set, in order: a form cue first, then encouragement..."""
        forms = self.forms(ex, room // 3)
        cheer = self.encouragement(ex, ctx)
        if ctx.first_time or not (ctx.last_set or ctx.last_exercise or ctx.last_round):
            items = forms[:1] + cheer + self.breath(ex) + forms[1:]
        else:  # "last set, make it count" belongs at the start of the set
            items = cheer + forms[:1] + self.breath(ex) + forms[1:]
        if room >= 10:
            more = self.fresh("encourage_steady" if self.steady else "encourage")
            if more:
                items.append(_Item(more.text, "encourage", PRIORITY_FORM, more.short))
        return items + self.reminders(duration)

    # ---- a work window ---------------------------------------------------------------------

    def work_cues(
        self, ex: Exercise, duration: float, ctx: SetContext, sides: tuple[str, ...]
    ) -> list[Cue]:
        """Every cue of one work window of `duration` seconds, sorted."""
        self.steady = ex.reps is None and not ex.to_failure and duration >= STEADY_WORK
        go = self.speak.phrase("go")
        cues = [Cue(0.0, go.text, "go", PRIORITY_CRITICAL, go.short)]
        if ex.reps is not None and not ex.to_failure:
            cues += self.rep_set(ex, duration, ctx, sides)
        else:
            cues += self.timed_set(ex, duration, ctx)
        cues = self.fill_quiet(ex, cues, duration)
        self.work_clock += duration
        cues.sort(key=lambda c: (c.at, -c.priority))
        return cues

    def fill_quiet(self, ex: Exercise, cues: list[Cue], duration: float) -> list[Cue]:
        """Encouragement or breathing in every guessed silence longer than MAX_QUIET
        (STEADY_QUIET in timed work of STEADY_WORK or more)."""
        quiet = STEADY_QUIET if self.steady else MAX_QUIET
        turn = 0
        while True:
            end, gap_at, next_at = 0.0, None, None
            for cue in sorted(cues, key=lambda c: c.at):
                if cue.at - end > quiet:
                    gap_at, next_at = end, cue.at
                    break
                end = max(end, cue.at + speaking_seconds(cue.text))
            if gap_at is None and duration - 1.0 - end > quiet:
                gap_at = end
            if gap_at is None:
                return cues
            item = self.filler(ex, turn)
            turn += 1
            if item is None:
                return cues
            gap = (next_at if next_at is not None else duration - 1.0) - gap_at
            at = gap_at + max(0.5, (gap - speaking_seconds(item.text)) / 2)
            if self.steady:  # as late as the quiet allows, so a long walk is not nagged
                at = min(at, gap_at + 0.8 * quiet)
            cues.append(Cue(_t(at), item.text, item.kind, item.priority, item.short))

    def timed_set(self, ex: Exercise, duration: float, ctx: SetContext) -> list[Cue]:
        fixed: list[Cue] = []
        first = 1.5
        if ex.to_failure:
            phrase = self.speak.phrase("to_failure", duration=duration_words(duration))
            fixed.append(self.cue(1.5, phrase, "to_failure", PRIORITY_INFO))
            first = 1.5 + speaking_seconds(phrase.text)
        if duration >= HALFWAY_FROM:
            fixed.append(self.cue(duration / 2, self.speak.phrase("halfway"), "halfway"))
        if ex.reps is None and duration >= STEADY_WORK:
            for left in TIME_LEFT_MARKS:
                if duration - left >= duration / 2 + TIME_LEFT_AFTER_HALFWAY:
                    phrase = self.speak.phrase("time_left", duration=duration_words(left))
                    fixed.append(self.cue(duration - left, phrase, "time_left"))
        if duration >= TEN_LEFT_FROM:
            phrase = self.speak.phrase("last_seconds", count=number_words(10))
            fixed.append(self.cue(duration - 10.0, phrase, "last_seconds"))
        if duration >= 15.0:
            phrase = self.speak.phrase("last_seconds", count=number_words(5))
            fixed.append(self.cue(duration - 5.0, phrase, "last_seconds"))
        if duration >= 6.0:
            for k in (3, 2, 1):
                phrase = self.speak.phrase("countdown", count=number_words(k))
                fixed.append(self.cue(duration - k, phrase, "countdown", PRIORITY_COUNT))
        fits = Fitter([Cue(0.0, "Go!"), *fixed], duration)
        items = self.content(ex, ctx, duration, max(1, int(duration // 10)))
        placed: list[Cue] = []
        span = max(duration - 6.0 - first, 1.0)
        for i, item in enumerate(items):
            at = fits.find(first + span * i / max(1, len(items)), item.text)
            if at is not None:
                placed.append(Cue(_t(at), item.text, item.kind, item.priority, item.short))
            elif item.kind == "reminder":
                self.pending_reminder = item.text
        return fixed + placed

    @staticmethod
    def cue(at: float, phrase: Phrase, kind: str, priority: int = PRIORITY_INFO) -> Cue:
        return Cue(_t(at), phrase.text, kind, priority, phrase.short)

    def count_phrase(
        self, ex: Exercise, number: int, rep: int, sides: tuple[str, ...], left: bool = False
    ) -> Phrase:
        count = number_words(number)
        if left and not sides and ex.hold < HOLD_WORD:
            return self.speak.phrase("reps_left", count=count)
        if sides:
            return self.speak.phrase("alternate_rep", count=count, side=sides[(rep - 1) % 2])
        if ex.hold >= HOLD_WORD:
            return self.speak.phrase("rep_hold", count=count)
        return self.speak.phrase("rep_count", count=count)

    def rep_set(
        self, ex: Exercise, duration: float, ctx: SetContext, sides: tuple[str, ...]
    ) -> list[Cue]:
        reps = ex.reps or 0
        shape = _Reps(ex, sides)
        last = 5 if reps >= 12 else 3 if reps >= 6 else 0
        mode = ex.counting
        if mode == "every" or (mode == "ends" and last == 0):
            head = reps
        elif mode == "none":
            head = 0
        else:
            head = max(1, min(round(COUNT_FOR / shape.rep), 3, reps - last - 1))
        tail = set(range(reps - last + 2, reps)) if mode == "ends" else set()
        calls: dict[int, Phrase] = {}
        if last:
            values = {"count": number_words(last)}
            phrase = self.fresh("last_reps", **values) or self.speak.phrase("last_reps", **values)
            calls[reps - last + 1] = phrase
        if reps >= 3:
            calls[reps] = self.fresh("last_rep") or self.speak.phrase("last_rep")
        half = reps // 2 + 1 if reps >= HALFWAY_REPS and mode != "every" else 0
        if half <= head or half in tail or half in calls:
            half = 0

        fixed: list[Cue] = []  # said whatever else is said
        optional: list[list[Cue]] = []  # groups said where nothing else is (middle reps)
        for k in range(1, reps + 1):
            counted = k <= head or k in tail
            said = fixed.extend if counted or mode == "every" else optional.append
            self.rep_beats(shape, k, fixed, said)
            if k in calls:
                continue  # its call takes the place of its count (or "hold")
            if k == half:
                phrase = self.speak.phrase("halfway")
                fixed.append(self.cue(shape.count_at(k), phrase, "halfway", PRIORITY_INFO))
                continue
            number = reps - k + 1 if k in tail else k
            if ex.pulses and k == 1:
                continue  # "go" starts the first rep
            if mode != "none":
                phrase = self.count_phrase(ex, number, k, sides, left=k in tail)
                kind = "count"
                if ex.hold >= LONG_HOLD and not counted and mode != "every":
                    phrase, kind = self.speak.phrase("hold_top"), "hold"
                said([self.cue(shape.count_at(k), phrase, kind, PRIORITY_COUNT)])
            elif ex.hold >= LONG_HOLD:
                top = self.speak.phrase("hold_top")
                fixed.append(self.cue(shape.count_at(k), top, "hold", PRIORITY_COUNT))
        self.place_calls(shape, calls, fixed, ctx)

        middle = [
            k for k in range(head + 1, reps + 1) if k not in tail and k not in calls and k != half
        ]
        if mode == "every":
            middle = []
        room = len(middle) if mode != "every" else int(duration // 10)
        items = self.content(ex, ctx, duration, room)
        fits = Fitter([Cue(0.0, "Go!"), *fixed], duration)
        if mode == "every":
            placed = self.spread(items, fits, duration)
        else:
            placed = self.in_middle(items, fits, shape, middle, mode)
        for group in sorted(optional, key=lambda g: g[0].at):
            # a group (a count, a hold's countdown, a rep's pulses) is said whole or not at all
            if all(fits.free(cue.at, speaking_seconds(cue.text)) for cue in group):
                for cue in group:
                    fits.occupy(cue.at, cue.at + speaking_seconds(cue.text))
                placed.extend(group)
        return fixed + placed

    def rep_beats(
        self, shape: _Reps, k: int, fixed: list[Cue], said: Callable[[list[Cue]], None]
    ) -> None:
        """The calls of rep k's movement: pulses and "up", the hold's countdown, "down".

        `said` takes each group of calls that a cue may take the place of."""
        ex = shape.ex
        if ex.pulses:
            times = shape.pulse_times(k)
            pulses = [self.cue(times[0], self.speak.phrase("pulse"), "pulse", PRIORITY_COUNT)]
            if shape.pulse_gap >= PULSE_CALL:
                for i, at in enumerate(times[1:], start=2):
                    phrase = self.speak.phrase("pulse_count", count=number_words(i))
                    pulses.append(self.cue(at, phrase, "pulse", PRIORITY_COUNT))
            said(pulses)
            up = self.speak.phrase("pulse_up")
            fixed.append(self.cue(shape.up_at(k), up, "release", PRIORITY_CRITICAL))
        elif ex.hold > 0:
            release = self.speak.phrase("release")
            top = shape.count_at(k)
            if ex.hold >= LONG_HOLD:
                countdown = []
                for left in (3, 2, 1):
                    at = top + ex.hold - left
                    if at >= top + 1.0:
                        phrase = self.speak.phrase("hold_count", count=number_words(left))
                        countdown.append(self.cue(at, phrase, "hold_count", PRIORITY_COUNT))
                said(countdown)
                fixed.append(self.cue(shape.release_at(k), release, "release", PRIORITY_CRITICAL))
            else:
                said([self.cue(shape.release_at(k), release, "release", PRIORITY_CRITICAL)])

    def place_calls(
        self, shape: _Reps, calls: dict[int, Phrase], fixed: list[Cue], ctx: SetContext
    ) -> None:
        """'Last N' and 'last one' at the very start of their rep, or dropped with a warning
        (and the rep counted instead)."""
        for k, phrase in sorted(calls.items()):
            at = shape.start(k)
            after = [c.at for c in fixed if c.at > at + 0.05]
            room = min(after, default=shape.start(k) + shape.rep + shape.count_at(1)) - at
            fits = [t for t in (phrase.text, phrase.short) if t and speaking_seconds(t) <= room]
            if fits:
                fixed.append(Cue(_t(at), fits[0], "last_reps", PRIORITY_COUNT, phrase.short))
                continue
            self.warnings.append(
                f'{ctx.label}: "{phrase.text}" does not fit at the start of rep {k} '
                f"({room:.1f} s before the next call); dropped, the rep is counted instead"
            )
            reps = shape.ex.reps or 0
            number = k if shape.ex.counting == "every" else reps - k + 1
            count = self.count_phrase(shape.ex, number, k, shape.sides)
            fixed.append(self.cue(shape.count_at(k), count, "count", PRIORITY_COUNT))

    def spread(self, items: list[_Item], fits: Fitter, duration: float) -> list[Cue]:
        """Cues spread evenly over a set where they fit between the counts."""
        placed = []
        for i, item in enumerate(items):
            at = fits.find(duration * (i + 0.5) / (len(items) + 0.5), item.text)
            if at is not None:
                placed.append(Cue(_t(at), item.text, item.kind, item.priority, item.short))
            elif item.kind == "reminder":
                self.pending_reminder = item.text
        return placed

    def in_middle(
        self, items: list[_Item], fits: Fitter, shape: _Reps, middle: list[int], mode: str
    ) -> list[Cue]:
        """Cues in the middle reps, each in the place of a rep's calls, spread out with at
        least one counted rep between two of them (`ends`)."""
        placed: list[Cue] = []
        if not middle:
            return placed
        stride = max(1 if mode == "none" else 2, len(middle) // max(1, len(items)))
        if mode == "none":
            stride = min(stride, max(1, int(MAX_QUIET // shape.rep)))
        position = 0  # index into middle of the first rep the next cue may take
        for item in items:
            need = speaking_seconds(item.text)
            found = None
            search = position
            while search < len(middle) and found is None:
                for start, latest in self.slots(shape, middle[search], need):
                    found = fits.first_quiet(start, latest, need)
                    if found is not None:
                        break
                search += 1
            if found is None:
                if item.kind == "reminder":
                    self.pending_reminder = item.text
                continue
            position = search
            fits.occupy(found, found + need)
            placed.append(Cue(_t(found), item.text, item.kind, item.priority, item.short))
            ends_in = int((found + need) // shape.rep) + 1  # the rep the cue ends in
            # a counted rep between two cues, unless the middle is too short for that
            spacer = 1 if mode == "none" or len(middle) <= 5 else 2
            nxt = max(middle[position - 1] + stride, ends_in + spacer)
            while position < len(middle) and middle[position] < nxt:
                position += 1
        return placed

    @staticmethod
    def slots(shape: _Reps, k: int, need: float) -> list[tuple[float, float]]:
        """Where a cue may start in middle rep k (earliest, latest), best first: on the
        beat of the count it replaces, or in the hold, or after the pulses."""
        ex = shape.ex
        if ex.pulses:
            return [
                (shape.up_at(k) + 0.3, shape.start(k + 1) + shape.down - need),
                (shape.start(k), shape.start(k)),
            ]
        if ex.hold >= LONG_HOLD:
            return [(shape.count_at(k), shape.start(k + 1))]
        return [(shape.count_at(k), shape.count_at(k)), (shape.start(k), shape.count_at(k))]
