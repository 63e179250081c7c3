"""How a session sounds as coaching, in figures read from its timeline alone.

Pure functions on a `coach-timeline` document (the `*.timeline.json` a render
writes: `cues` with start/end/text/kind, `windows` with kind/start/end and their
facts and rep starts) and on the form cues of each exercise (its `cues:` and
`breathe:` texts, by exercise name). Nothing here renders, imports coach or reads
a file, so tests can feed it hand-built timelines. docs/coaching.md says what
each figure means; `checks` compares them with the targets of issue 12.

Words: a text is lower-cased and everything but letters, digits, apostrophes and
inner hyphens becomes a space; what is left, split on spaces, are its words
("hip-width" is one word, "Five, hold." is two).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# fmt: off
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: on
NUMBER_WORDS = frozenset([*_ONES, *_TENS, "hundred", "thousand"])
_VALUES = {word: value for value, word in enumerate(_ONES)} | {
    word: 20 + 10 * i for i, word in enumerate(_TENS)
}
SENTENCE_END = re.compile(r"[.!?;:]+")

# Cue kinds that are never encouragement, whatever their words (coach's compiler names).
NOT_ENCOURAGEMENT_KINDS = frozenset(
    {"count", "countdown", "go", "release", "reminder", "form", "breathe"}
)
# A bare halfway call is a progress marker, not encouragement ("Half done, keep it up." is).
PROGRESS_ONLY = frozenset(
    {"that's", "thats", "we're", "you're", "halfway", "half", "there", "done"}
)
FORM_KINDS = frozenset({"form", "breathe"})  # kinds that mark a form cue even if reworded
FILLERS = frozenset({"and"})  # dropped before deciding whether a call is bare
LAST_WORDS = frozenset({"last", "final"})
TIME_UNITS = frozenset({"second", "seconds", "minute", "minutes"})
STEADY = 60.0  # seconds of timed work from which a block is steady, not a set
ANNOUNCE_LOOKBACK = 10.0  # seconds before a set that count as "before it" when the gap is short


# ---- words -------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, punctuation gone (see the module docstring)."""
    cleaned = re.sub(r"[^\w'\-]+|_", " ", text.lower())
    out = []
    for token in cleaned.split():
        token = token.strip("-'")
        if token:
            out.append(token)
    return out


def is_number(word: str) -> bool:
    """A numeral ("12") or a number word, hyphenated ones included ("twenty-one")."""
    return word.isdigit() or all(part in NUMBER_WORDS for part in word.split("-"))


def number_value(word: str) -> int | None:
    """The value of a numeral or a number word under a hundred, else None."""
    if word.isdigit():
        return int(word)
    parts = word.split("-")
    if not all(part in _VALUES for part in parts):
        return None
    return sum(_VALUES[part] for part in parts)


def is_bare(text: str) -> bool:
    """A bare number or a one-word call: after stripping punctuation and the filler
    "and", one word, or only number words and numerals ("Twenty one.", "And go!",
    "Down.")."""
    said = [w for w in words(text) if w not in FILLERS]
    return len(said) <= 1 or all(is_number(w) for w in said)


def is_count(text: str) -> bool:
    """A count call: bare, or at most three words one of which is a number
    ("Seven, right leg.", "Five, hold.", "Last one!")."""
    said = words(text)
    return is_bare(text) or (len(said) <= 3 and any(is_number(w) for w in said))


def sentences(text: str) -> list[str]:
    """The sentences of `text` (split at . ! ? ; :), each as its words joined by spaces."""
    out = []
    for part in SENTENCE_END.split(text):
        said = words(part)
        if said:
            out.append(" ".join(said))
    return out


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def is_form(text: str, kind: str, forms: Iterable[str]) -> bool:
    """Whether a spoken line is one of the exercise's form cues (`forms`).

    It is if its kind is a form kind, or its words equal a form cue's words, contain
    a whole form cue, or are two or more consecutive words of one (a short form, or one
    sentence of a longer cue).
    """
    if kind in FORM_KINDS:
        return True
    said = words(text)
    if not said:
        return False
    for form in forms:
        cue = words(form)
        if not cue:
            continue
        if said == cue or _contains(said, cue) or (len(said) >= 2 and _contains(cue, said)):
            return True
    return False


def last_n(text: str) -> int | None:
    """How many reps a "last N" style cue names, or None if it is not one.

    "Last five!", "Final three", "Only five more.", "Five to go.", "Last one!",
    "Final rep." name 5, 3, 5, 5, 1, 1. A count of seconds or minutes ("Last five
    seconds!") is not about reps, and "Five, left." is a count, not "five left".
    """
    said = words(text)
    for i, word in enumerate(said):
        after = said[i + 1] if i + 1 < len(said) else ""
        if word in LAST_WORDS:
            if after in ("rep", "one"):
                return 1
            value = number_value(after)
            if value is not None and (i + 2 >= len(said) or said[i + 2] not in TIME_UNITS):
                return value
        value = number_value(word)
        if value is None:
            continue
        rest = said[i + 1 : i + 3]
        if rest[:1] == ["more"] or rest == ["to", "go"] or rest[:2] == ["reps", "left"]:
            return value
    return None


def announces(text: str, what: str) -> bool:
    """Whether `text` says "last <what>" or "final <what>" (what: "set" or "round")."""
    said = words(text)
    return any(
        said[i] in LAST_WORDS and said[i + 1] in (what, what + "s") for i in range(len(said) - 1)
    )


# ---- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    kind: str


@dataclass(frozen=True)
class Window:
    kind: str
    start: float
    end: float
    exercise: str | None
    set: int | None
    sets: int | None
    side: str | None
    round: int | None
    rounds: int | None
    reps: int | None
    rep_starts: tuple[float, ...]

    @property
    def seconds(self) -> float:
        return self.end - self.start

    def rep_span(self, rep: int) -> tuple[float, float] | None:
        """Start and end (seconds) of rep `rep` (from 1), or None if the set has no such rep."""
        if not 1 <= rep <= len(self.rep_starts):
            return None
        end = self.rep_starts[rep] if rep < len(self.rep_starts) else self.end
        return self.rep_starts[rep - 1], end

    def holds(self, cue: Cue) -> bool:
        return self.start <= cue.start < self.end


def read_cues(timeline: Mapping[str, Any]) -> list[Cue]:
    cues = [Cue(c["start"], c["end"], c["text"], c.get("kind", "")) for c in timeline["cues"]]
    return sorted(cues, key=lambda c: c.start)


def read_windows(timeline: Mapping[str, Any]) -> list[Window]:
    out = []
    for w in timeline.get("windows", []):
        out.append(
            Window(
                w["kind"],
                w["start"],
                w["end"],
                w.get("exercise"),
                w.get("set"),
                w.get("sets"),
                w.get("side"),
                w.get("round"),
                w.get("rounds"),
                w.get("reps"),
                tuple(w.get("rep_starts") or ()),
            )
        )
    return sorted(out, key=lambda w: w.start)


# ---- the figures -------------------------------------------------------------------------


@dataclass
class Figures:
    """Every figure of one timeline; `None` where there is nothing to measure."""

    utterances: int = 0
    bare: int = 0
    form_sets: int = 0  # working sets of exercises with form cues
    form_sets_cued: int = 0  # ... with a form cue inside the work
    first_form: dict[str, float | None] = field(default_factory=dict)  # None: never heard
    last_n: int = 0  # "last N" cues in counted sets
    last_n_off: list[dict[str, Any]] = field(default_factory=list)
    last_sets: int = 0
    last_sets_announced: int = 0
    last_rounds: int = 0
    last_rounds_announced: int = 0
    long_windows: int = 0  # work windows of 20 s or more
    long_windows_encouraged: int = 0
    top_repeat: tuple[int, str] = (0, "")
    longest_silence: float = 0.0  # in sets: rep sets, and timed work under STEADY seconds
    longest_silence_at: str = ""
    longest_steady_silence: float = 0.0  # in steady blocks: a walk, a jog
    longest_steady_silence_at: str = ""
    wpm: list[float] = field(default_factory=list)  # one per instruction clip

    @property
    def bare_share(self) -> float | None:
        return 100.0 * self.bare / self.utterances if self.utterances else None

    @property
    def form_share(self) -> float | None:
        return 100.0 * self.form_sets_cued / self.form_sets if self.form_sets else None

    @property
    def worst_first_form(self) -> float | None:
        """The longest wait for a first form cue (inf if one is never heard), None if none."""
        if not self.first_form:
            return None
        return max(float("inf") if v is None else v for v in self.first_form.values())

    @property
    def encouraged_share(self) -> float | None:
        if not self.long_windows:
            return None
        return 100.0 * self.long_windows_encouraged / self.long_windows

    @property
    def median_wpm(self) -> float | None:
        return statistics.median(self.wpm) if self.wpm else None

    def as_dict(self) -> dict[str, Any]:
        worst = self.worst_first_form
        return {
            "utterances": self.utterances,
            "bare": self.bare,
            "bare_share": self.bare_share,
            "form_sets": self.form_sets,
            "form_sets_cued": self.form_sets_cued,
            "form_share": self.form_share,
            "first_form_seconds": self.first_form,
            "worst_first_form_seconds": None if worst == float("inf") else worst,
            "last_n": self.last_n,
            "last_n_off": self.last_n_off,
            "last_sets": self.last_sets,
            "last_sets_announced": self.last_sets_announced,
            "last_rounds": self.last_rounds,
            "last_rounds_announced": self.last_rounds_announced,
            "long_work_windows": self.long_windows,
            "long_work_windows_encouraged": self.long_windows_encouraged,
            "encouraged_share": self.encouraged_share,
            "top_repeat_count": self.top_repeat[0],
            "top_repeat_sentence": self.top_repeat[1],
            "longest_silence_seconds": self.longest_silence,
            "longest_silence_at": self.longest_silence_at,
            "longest_steady_silence_seconds": self.longest_steady_silence,
            "longest_steady_silence_at": self.longest_steady_silence_at,
            "instruction_wpm_median": self.median_wpm,
            "instruction_clips": len(self.wpm),
        }


def figures(timeline: Mapping[str, Any], forms: Mapping[str, Sequence[str]]) -> Figures:
    """Every figure of `timeline`; `forms` maps an exercise name to its form cue texts."""
    cues = read_cues(timeline)
    windows = read_windows(timeline)
    work = [w for w in windows if w.kind == "work"]
    result = Figures()
    result.utterances = len(cues)
    result.bare = sum(is_bare(c.text) for c in cues)
    _form_figures(result, cues, work, forms)
    _last_n_figures(result, cues, work)
    _announce_figures(result, cues, work)
    _encouragement(result, cues, work, forms)
    result.top_repeat = top_repeat(cues)
    _silence(result, cues, work)
    result.wpm = instruction_wpm(cues)
    return result


def _inside(cues: Sequence[Cue], window: Window) -> list[Cue]:
    return [c for c in cues if window.holds(c)]


def _form_figures(
    result: Figures, cues: Sequence[Cue], work: Sequence[Window], forms: Mapping[str, Sequence[str]]
) -> None:
    """Working sets with a form cue inside, and each exercise's wait for its first one."""
    for w in work:
        texts = forms.get(w.exercise or "", ())
        if not texts:
            continue
        result.form_sets += 1
        if any(is_form(c.text, c.kind, texts) for c in _inside(cues, w)):
            result.form_sets_cued += 1
    first_go: dict[str, float] = {}
    search_from: dict[str, float] = {}
    for i, w in enumerate(work):
        name = w.exercise
        if name and forms.get(name) and name not in first_go:
            first_go[name] = w.start
            # from the end of the work before it: its rest, preview and get-ready count
            search_from[name] = work[i - 1].end if i else 0.0
    for name, go in first_go.items():
        heard = [
            c.start
            for c in cues
            if c.start >= search_from[name] and is_form(c.text, c.kind, forms[name])
        ]
        result.first_form[name] = max(0.0, heard[0] - go) if heard else None


def _last_n_figures(result: Figures, cues: Sequence[Cue], work: Sequence[Window]) -> None:
    """ "Last N" cues in counted sets, and the ones not said within the rep they name."""
    for w in work:
        if not w.rep_starts:
            continue
        for c in _inside(cues, w):
            n = last_n(c.text)
            if n is None:
                continue
            result.last_n += 1
            named = len(w.rep_starts) - n + 1
            span = w.rep_span(named)
            if span is None or not span[0] <= c.start < span[1]:
                said_in = _rep_at(w, c.start)
                result.last_n_off.append(
                    {
                        "at": round(c.start, 3),
                        "text": c.text,
                        "exercise": w.exercise,
                        "set": w.set,
                        "side": w.side,
                        "names_rep": named,
                        "said_in_rep": said_in,
                        "reps_left": None if said_in is None else len(w.rep_starts) - said_in + 1,
                    }
                )


def _rep_at(window: Window, t: float) -> int | None:
    reps = [k for k, start in enumerate(window.rep_starts, 1) if start <= t]
    return reps[-1] if reps else None


def _announce_figures(result: Figures, cues: Sequence[Cue], work: Sequence[Window]) -> None:
    """Last sets and last rounds, and how many were announced before they started.

    A last set starts at a work window whose set is the last (of two or more) right
    after a work window of an earlier set of the same exercise and round; a last round
    starts at a work window whose round is the last (of two or more) right after one
    of the round before. "Before it" is the gap since the previous work window, or the
    last ANNOUNCE_LOOKBACK seconds if that gap is shorter.
    """
    for i, w in enumerate(work):
        if i == 0:
            continue
        prev = work[i - 1]
        span_start = max(0.0, min(prev.end, w.start - ANNOUNCE_LOOKBACK))
        before = [c for c in cues if span_start <= c.start < w.start]
        last_set = (
            w.sets is not None
            and w.sets >= 2
            and w.set == w.sets
            and prev.exercise == w.exercise
            and prev.round == w.round
            and prev.set is not None
            and prev.set < w.sets
        )
        if last_set:
            result.last_sets += 1
            result.last_sets_announced += any(announces(c.text, "set") for c in before)
        last_round = (
            w.rounds is not None
            and w.rounds >= 2
            and w.round == w.rounds
            and prev.rounds == w.rounds
            and prev.round == w.rounds - 1
        )
        if last_round:
            result.last_rounds += 1
            result.last_rounds_announced += any(announces(c.text, "round") for c in before)


def is_encouragement(cue: Cue, forms: Iterable[str]) -> bool:
    """Neither a count (is_count), a "last N", a bare halfway call, a form cue, nor a
    count, countdown, go, release, reminder or form kind: what is left is encouragement
    or context."""
    return not (
        cue.kind in NOT_ENCOURAGEMENT_KINDS
        or is_count(cue.text)
        or set(words(cue.text)) <= PROGRESS_ONLY
        or last_n(cue.text) is not None
        or is_form(cue.text, cue.kind, forms)
    )


def _encouragement(
    result: Figures, cues: Sequence[Cue], work: Sequence[Window], forms: Mapping[str, Sequence[str]]
) -> None:
    for w in work:
        if w.seconds < 20.0:
            continue
        result.long_windows += 1
        texts = forms.get(w.exercise or "", ())
        if any(is_encouragement(c, texts) for c in _inside(cues, w)):
            result.long_windows_encouraged += 1


def top_repeat(cues: Sequence[Cue]) -> tuple[int, str]:
    """The sentence of three or more words said most often, and how often (ties: first said)."""
    counts: Counter[str] = Counter()
    for c in cues:
        for sentence in sentences(c.text):
            if len(sentence.split()) >= 3:
                counts[sentence] += 1
    if not counts:
        return 0, ""
    sentence, count = counts.most_common(1)[0]
    return count, sentence


def longest_silence(cues: Sequence[Cue], window: Window) -> tuple[float, float]:
    """The longest stretch (seconds) with no speech inside `window`, and where it starts.

    Speech is every cue overlapping the window, clipped to it; the window's edges count
    as ends of silence, so a set with nothing said is silent for its whole length.
    """
    spans = sorted(
        (max(c.start, window.start), min(c.end, window.end))
        for c in cues
        if c.start < window.end and c.end > window.start
    )
    best, where, t = 0.0, window.start, window.start
    for start, end in spans:
        if start - t > best:
            best, where = start - t, t
        t = max(t, end)
    if window.end - t > best:
        best, where = window.end - t, t
    return best, where


def is_steady(window: Window) -> bool:
    """A timed block of STEADY seconds or more (a walk, a jog): not a set, so a line
    every few seconds would nag; its silences are measured apart, against their own target."""
    return window.reps is None and window.seconds >= STEADY - 0.01  # times are rounded


def _silence(result: Figures, cues: Sequence[Cue], work: Sequence[Window]) -> None:
    for w in work:
        gap, at = longest_silence(cues, w)
        side = f", {w.side}" if w.side else ""
        where = f"{w.exercise}, set {w.set}{side} @ {at:.1f} s"
        if is_steady(w):
            if gap > result.longest_steady_silence:
                result.longest_steady_silence, result.longest_steady_silence_at = gap, where
        elif gap > result.longest_silence:
            result.longest_silence, result.longest_silence_at = gap, where


def is_instruction(text: str) -> bool:
    """An instruction: two or more words and not a count call."""
    return len(words(text)) >= 2 and not is_count(text)


def instruction_wpm(cues: Sequence[Cue]) -> list[float]:
    """Words per minute of each instruction clip: its words over its clip's length."""
    out = []
    for c in cues:
        seconds = c.end - c.start
        if is_instruction(c.text) and seconds > 0:
            out.append(60.0 * len(words(c.text)) / seconds)
    return out


# ---- the targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One row of the report: a figure, its value as shown, its target, and the verdict."""

    name: str
    value: str
    target: str
    passed: bool


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def checks(f: Figures) -> list[Check]:
    """The figures against issue 12's targets; a figure with nothing to measure passes."""
    worst = f.worst_first_form
    if worst is None:
        first = "n/a"
    elif worst == float("inf"):
        never = [name for name, v in f.first_form.items() if v is None]
        first = f"never ({', '.join(never)})"
    else:
        first = f"{worst:.1f} s"
    count, sentence = f.top_repeat
    wpm = f.median_wpm
    bare, form, enc = f.bare_share, f.form_share, f.encouraged_share
    return [
        Check("bare numbers and one-word calls", _pct(bare), "<= 60 %", bare is None or bare <= 60),
        Check("working sets with a form cue", _pct(form), ">= 90 %", form is None or form >= 90),
        Check("first go to first form cue (max)", first, "<= 20 s", worst is None or worst <= 20),
        Check("last N off their rep", f"{len(f.last_n_off)} of {f.last_n}", "0", not f.last_n_off),
        Check(
            "last sets announced",
            f"{f.last_sets_announced} of {f.last_sets}",
            "all",
            f.last_sets_announced == f.last_sets,
        ),
        Check(
            "last rounds announced",
            f"{f.last_rounds_announced} of {f.last_rounds}",
            "all",
            f.last_rounds_announced == f.last_rounds,
        ),
        Check("encouragement in work >= 20 s", _pct(enc), ">= 50 %", enc is None or enc >= 50),
        Check(
            "most repeats of one sentence",
            f'{count}x "{sentence}"' if count else "0",
            "<= 6",
            count <= 6,
        ),
        Check(
            "longest silence in work",
            f"{f.longest_silence:.1f} s",
            "<= 8 s",
            f.longest_silence <= 8.0,
        ),
        Check(
            "longest silence in a steady block",
            f"{f.longest_steady_silence:.1f} s",
            "<= 25 s",
            f.longest_steady_silence <= 25.0,
        ),
        Check(
            "instruction words a minute (median)",
            "n/a" if wpm is None else f"{wpm:.0f}",
            "<= 175",
            wpm is None or wpm <= 175,
        ),
    ]
