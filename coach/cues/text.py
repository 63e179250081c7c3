"""The .cues text format: a cue script a person can read and edit.

```
coach-cues 1
title "Home toning"
routine "home-toning"
level 1

chapter "Squat"
say name "Squat." gap=0.6
window prepare 5.000 "get ready"
  @0.000 p60 get_ready "Get ready." short="Ready."
  @2.000 p100 countdown "three"
window work 60.000 "Squat, set 1 of 2" exercise="Squat" set=1 sets=2 reps=20 tempo=3
  @0.000 p100 go "Go!"
  @1.500 p80 count "one"
  @0.000 tone 880 0.15
```

One step per line; a window's cues and tones follow it, indented, with their
offset from the window's start; a window line may end with its facts as
key=value pairs. Texts are double-quoted with JSON escapes.
Blank lines and lines starting with `#` are ignored. Reading is strict: every
problem is reported as `FILE:LINE:COL: message` (InputError, exit 2).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from coach.cues.model import Chapter, Cue, CueScript, Say, Step, Tone, Window
from coach.errors import InputError, Problem
from coach.facts import NO_FACTS, WindowFacts
from coach.source import decode, read_file, surrogate_problem

MAGIC = "coach-cues"
VERSION = 1
SUFFIX = ".cues"
_KIND = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_PRIORITY = re.compile(r"p([0-9]+)\Z")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")
_WHOLE = re.compile(r"[0-9]+\Z")
_FACT_KEYS = tuple(fact.name for fact in fields(WindowFacts))
_FACTS_HELP = "after its label a window takes only facts: " + ", ".join(
    f"{key}=" for key in _FACT_KEYS
)

# Limits, so that an edited or hostile script cannot ask for hours of audio or gigabytes.
MAX_BYTES = 8_000_000  # the file; a 6 h routine compiles to well under this
MAX_TEXT = 2_000  # characters in one text (a minute or two of speech)
MAX_KIND = 40  # characters in a kind
MAX_STRETCH = 3600.0  # seconds in one window or gap, as for any duration in a routine
MAX_SESSION = 8 * 3600.0  # seconds of windows and gaps in a script (routines stop near 6 h)
MAX_TONE = 10.0  # seconds of one tone
TONE_HERTZ = (20.0, 10_000.0)  # the pitches a tone may have
MAX_PRIORITY = 999
MAX_CUES = 2_000  # cues in one window: placing them costs the square (the compiler writes ~1,000)
MAX_COUNT = 2_000  # a window's set, sets, round, rounds or reps
LEVELS = (1, 2)
MAX_PROBLEMS = 100  # reading stops after this many problems

# ---- writing ---------------------------------------------------------------------------


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _time(x: float) -> str:
    """Three decimals when that is exact (it is for compiled scripts), else the exact repr."""
    fixed = f"{x:.3f}"
    return fixed if float(fixed) == x else repr(float(x))


def _plain(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def _check_kind(kind: str) -> str:
    if not _KIND.match(kind):
        raise ValueError(f"kind {kind!r} cannot be written: use letters, digits, _ . -")
    return kind


def _format_facts(facts: WindowFacts) -> str:
    """The facts as ` key=value` pairs in a fixed order, the unknown ones left out."""
    parts = []
    if facts.exercise is not None:
        parts.append(f"exercise={_quote(facts.exercise)}")
    for key in ("set", "sets"):
        value = getattr(facts, key)
        if value is not None:
            parts.append(f"{key}={value}")
    if facts.side is not None:
        parts.append(f"side={_quote(facts.side)}")
    for key in ("round", "rounds", "reps"):
        value = getattr(facts, key)
        if value is not None:
            parts.append(f"{key}={value}")
    if facts.tempo is not None:
        parts.append(f"tempo={_plain(facts.tempo)}")
    if facts.hold:
        parts.append(f"hold={_plain(facts.hold)}")
    if facts.to_failure:
        parts.append("to_failure=yes")
    parts += [f"alternate={_quote(side)}" for side in facts.alternate]
    return "".join(" " + part for part in parts)


def format_cues(script: CueScript) -> str:
    """The script as .cues text; `read_cues` of it gives back an equal script."""
    lines = [f"{MAGIC} {VERSION}", f"title {_quote(script.title)}"]
    if script.routine:
        lines.append(f"routine {_quote(script.routine)}")
    lines.append(f"level {script.level}")
    if script.description:
        lines.append(f"description {_quote(script.description)}")
    for step in script.steps:
        if isinstance(step, Chapter):
            lines += ["", f"chapter {_quote(step.title)}"]
        elif isinstance(step, Say):
            kind = _check_kind(step.kind)
            lines.append(f"say {kind} {_quote(step.text)} gap={_plain(step.gap)}")
        else:
            kind = _check_kind(step.kind)
            lines.append(
                f"window {kind} {_time(step.duration)} {_quote(step.label)}"
                + _format_facts(step.facts)
            )
            for cue in step.cues:
                line = (
                    f"  @{_time(cue.at)} p{cue.priority} {_check_kind(cue.kind)} {_quote(cue.text)}"
                )
                if cue.short is not None:
                    line += f" short={_quote(cue.short)}"
                lines.append(line)
            for tone in step.tones:
                lines.append(
                    f"  @{_time(tone.at)} tone {_plain(tone.frequency)} {_plain(tone.duration)}"
                )
    return "\n".join(lines) + "\n"


# ---- reading ---------------------------------------------------------------------------


@dataclass
class _OpenWindow:
    """A window being read: its cues and tones are collected from the indented lines."""

    duration: float
    kind: str
    label: str
    bad: bool = False
    start: float = 0.0  # seconds of windows and gaps before it
    facts: WindowFacts = NO_FACTS
    cues: list[Cue] = field(default_factory=list)
    tones: list[Tone] = field(default_factory=list)

    def step(self) -> Window:
        cues, tones = tuple(self.cues), tuple(self.tones)
        return Window(self.duration, self.kind, self.label, cues, tones, self.facts)


@dataclass(frozen=True)
class _Token:
    column: int  # 1-based
    value: str
    quoted: bool = False
    key: str | None = None  # for key=value tokens


@dataclass(frozen=True)
class _PlacedTone:
    """A tone read, with where it ends on the clock of windows and gaps, for the end check."""

    line: int
    column: int
    end: float


class _TooMany(Exception):
    """MAX_PROBLEMS problems are recorded: reading stops."""


def _shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a message, shortened when long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _amount(x: float) -> str:
    return f"{x:g}"


class _Reader:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.problems: list[Problem] = []
        self.line_number = 0
        self.clock = 0.0  # seconds of windows and gaps so far
        self.too_long = False  # the session limit has been reported
        self.tones: list[_PlacedTone] = []

    def problem(self, column: int, message: str) -> None:
        self.problems.append(Problem(self.file, self.line_number, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    def advance(self, seconds: float, column: int) -> None:
        """Add a window or gap to the session clock; past MAX_SESSION is a problem (once)."""
        self.clock += seconds
        if self.clock > MAX_SESSION and not self.too_long:
            self.too_long = True
            hours = MAX_SESSION / 3600
            self.problem(
                column,
                f"the windows and gaps up to here last {self.clock / 3600:.1f} h; a session "
                f"may last at most {hours:g} h: remove steps or shorten windows",
            )

    def tokens(self, line: str) -> list[_Token] | None:
        """Split a line into words, "quoted texts" and key=value pairs; None after a problem."""
        tokens: list[_Token] = []
        i, n = 0, len(line)
        while i < n:
            if line[i] in " \t":
                i += 1
                continue
            start = i
            key = None
            match = _KEY.match(line, i)
            if match:
                key = match.group(1)
                i = match.end()
            if i < n and line[i] == '"':
                close = _closing_quote(line, i + 1)
                if close < 0:
                    self.problem(i + 1, 'unterminated quote: end the text with "')
                    return None
                try:
                    value = json.loads(line[i : close + 1])
                except json.JSONDecodeError as error:
                    self.problem(i + error.pos + 1, f"bad text: {error.msg} (escape with \\)")
                    return None
                trouble = surrogate_problem(value)
                if trouble is None and len(value) > MAX_TEXT:
                    trouble = (
                        f"the text is {len(value):,} characters long; keep each text under"
                        f" {MAX_TEXT:,} (split it into several lines)"
                    )
                if trouble is not None:
                    self.problem(i + 1, trouble)
                    return None
                i = close + 1
                if i < n and line[i] not in " \t":
                    self.problem(i + 1, "put a space after the closing quote")
                    return None
                tokens.append(_Token(start + 1, value, quoted=True, key=key))
                continue
            while i < n and line[i] not in " \t":
                if line[i] == '"':
                    self.problem(i + 1, "a quote must open a text: put a space before it")
                    return None
                i += 1
            tokens.append(_Token(start + 1, line[match.end() if match else start : i], key=key))
        return tokens

    def number(
        self,
        token: _Token,
        what: str,
        high: float,
        *,
        low: float = 0.0,
        positive: bool = False,
        unit: str = "s",
    ) -> float | None:
        """The number in `token`, from `low` (or more than 0 when `positive`) up to `high`."""
        units = "hertz" if unit == "Hz" else "seconds"
        if token.quoted or not _NUMBER.match(token.value):
            self.problem(
                token.column, f"{what} must be a number of {units}, not {_shown(token.value)}"
            )
            return None
        value = float(token.value)  # a huge exponent gives inf, caught by the range check
        if value < low or value > high or (positive and value == 0) or math.isnan(value):
            if positive and low == 0:
                need = f"more than 0 and at most {_amount(high)} {unit}"
            else:
                need = f"from {_amount(low)} to {_amount(high)} {unit}"
            shown = _shown(token.value).strip("'")
            self.problem(token.column, f"{what} must be {need}, not {shown}")
            return None
        return value

    def text_token(self, tokens: list[_Token], index: int, what: str, end: int) -> str | None:
        if index >= len(tokens) or not tokens[index].quoted or tokens[index].key:
            column = tokens[index].column if index < len(tokens) else end
            self.problem(column, f'expected {what} in double quotes, e.g. "Squat."')
            return None
        return tokens[index].value

    def kind(self, tokens: list[_Token], index: int, end: int) -> str | None:
        if index >= len(tokens) or tokens[index].quoted or tokens[index].key:
            column = tokens[index].column if index < len(tokens) else end
            self.problem(column, "expected a kind (a word such as name, count, rest)")
            return None
        kind = tokens[index].value
        if not _KIND.match(kind):
            self.problem(tokens[index].column, f"bad kind {_shown(kind)}: use letters, digits, _")
            return None
        if len(kind) > MAX_KIND:
            self.problem(
                tokens[index].column, f"the kind is {len(kind)} characters; keep it to {MAX_KIND}"
            )
            return None
        return kind

    def extra(self, tokens: list[_Token], start: int) -> None:
        if start < len(tokens):
            self.problem(
                tokens[start].column,
                f"unexpected {_shown(tokens[start].value)} at the end of the line",
            )

    def read(self) -> CueScript:
        header: dict[str, str | int] = {}
        steps: list[Step] = []
        try:
            self.read_lines(header, steps)
        except _TooMany:
            self.problems.append(
                Problem(
                    self.file,
                    self.line_number,
                    1,
                    f"stopped reading after {MAX_PROBLEMS} problems; fix these first",
                )
            )
        if self.problems:
            raise InputError(sorted(self.problems, key=lambda p: (p.line, p.column)))
        return CueScript(
            title=str(header["title"]),
            steps=steps,
            routine=str(header.get("routine", "")),
            level=int(header.get("level", 1)),
            description=str(header.get("description", "")),
        )

    def read_lines(self, header: dict[str, str | int], steps: list[Step]) -> None:
        """Read every line into `header` and `steps`, recording problems."""
        window: _OpenWindow | None = None
        seen_magic = False
        text = self.text.split("\n")

        def close_window() -> None:
            nonlocal window
            if window is not None and not window.bad:
                steps.append(window.step())
            window = None

        for self.line_number, raw in enumerate(text, start=1):
            line = raw.rstrip("\r")
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" \t"))
            tokens = self.tokens(line)
            if not tokens:
                continue
            end = len(line) + 1
            head = tokens[0]
            if not seen_magic:
                if head.value != MAGIC or head.quoted or len(tokens) != 2:
                    self.problem(
                        head.column, f"a cue script starts with the line '{MAGIC} {VERSION}'"
                    )
                    break
                if tokens[1].value != str(VERSION):
                    self.problem(
                        tokens[1].column,
                        f"unsupported version {_shown(tokens[1].value)}; this coach reads"
                        f" {VERSION}",
                    )
                    break
                seen_magic = True
                continue
            if indent:
                if window is None:
                    self.problem(1, "an indented cue must follow a 'window' line")
                    continue
                self.window_line(tokens, window, end)
                continue
            close_window()
            if head.quoted or head.key:
                self.problem(
                    head.column, "a line starts with a word: chapter, say, window, title..."
                )
                continue
            word = head.value
            if word in ("title", "routine", "description"):
                if not steps and word not in header:
                    value = self.text_token(tokens, 1, f"the {word}", end)
                    if value is not None:
                        header[word] = value
                    self.extra(tokens, 2)
                else:
                    self.problem(
                        head.column, f"'{word}' belongs in the header, once, before the first step"
                    )
            elif word == "level":
                if steps or word in header:
                    self.problem(
                        head.column, "'level' belongs in the header, once, before the first step"
                    )
                elif (
                    len(tokens) < 2
                    or tokens[1].quoted
                    or tokens[1].value not in {str(level) for level in LEVELS}
                ):
                    column = tokens[1].column if len(tokens) > 1 else end
                    self.problem(column, "level must be 1, or 2 for the harder variants")
                else:
                    header["level"] = int(tokens[1].value)
                    self.extra(tokens, 2)
            elif word == "chapter":
                title = self.text_token(tokens, 1, "the chapter title", end)
                if title is not None:
                    steps.append(Chapter(title))
                self.extra(tokens, 2)
            elif word == "say":
                self.say_line(tokens, steps, end)
            elif word == "window":
                window = self.open_window(tokens, end)
            else:
                self.problem(
                    head.column, f"unknown line {_shown(word)}: expected chapter, say or window"
                )
        close_window()
        if not seen_magic and not self.problems:
            self.line_number = 1
            self.problem(1, f"empty cue script: it starts with the line '{MAGIC} {VERSION}'")
        if "title" not in header and not self.problems:
            self.line_number = 2
            self.problem(1, 'the header needs a title line, e.g. title "Home toning"')
        for tone in self.tones:
            if tone.end > self.clock + 1e-9:
                self.line_number = tone.line
                self.problem(
                    tone.column,
                    f"the tone runs {_amount(tone.end - self.clock)} s past the end of the"
                    " session; shorten it or move it earlier",
                )

    def say_line(self, tokens: list[_Token], steps: list[Step], end: int) -> None:
        kind = self.kind(tokens, 1, end)
        text = self.text_token(tokens, 2, "the text to say", end)
        gap = 0.4
        for token in tokens[3:]:
            if token.key == "gap":
                value = self.number(token, "gap", MAX_STRETCH)
                gap = gap if value is None else value
            else:
                self.problem(
                    token.column,
                    f"unexpected {_shown(token.value)}: a say line takes only gap=SECONDS",
                )
        if text is not None and not text.strip():
            self.problem(tokens[2].column, "empty text: write what to say, or delete the line")
        elif kind is not None and text is not None:
            steps.append(Say(text, kind, gap))
            self.advance(gap, tokens[0].column)

    def open_window(self, tokens: list[_Token], end: int) -> _OpenWindow:
        kind = self.kind(tokens, 1, end)
        if len(tokens) < 3:
            self.problem(
                end, 'a window needs a kind, a duration and a label: window work 30 "Squat"'
            )
            return _OpenWindow(math.inf, "", "", bad=True)
        duration = self.number(tokens[2], "the window's duration", MAX_STRETCH)
        label = self.text_token(tokens, 3, "the window's label", end)
        facts = self.window_facts(tokens[4:], duration)
        bad = kind is None or duration is None or label is None or facts is None
        start = self.clock
        if duration is not None:
            self.advance(duration, tokens[2].column)
        length = math.inf if duration is None else duration
        return _OpenWindow(length, kind or "", label or "", bad, start, facts or NO_FACTS)

    def window_facts(self, tokens: list[_Token], duration: float | None) -> WindowFacts | None:
        """The key=value facts at the end of a window line; None after a problem."""
        values: dict[str, Any] = {}
        ok = True
        for token in tokens:
            key = token.key
            if key is None or key not in _FACT_KEYS:
                self.problem(token.column, f"unexpected {token.value!r}: {_FACTS_HELP}")
                ok = False
                continue
            if key == "alternate":
                if not token.quoted:
                    self.problem(
                        token.column, 'alternate= takes a side in quotes: alternate="left"'
                    )
                    ok = False
                else:
                    values["alternate"] = (*values.get("alternate", ()), token.value)
                continue
            if key in values:
                self.problem(token.column, f"{key}= is given twice on this window line")
                ok = False
                continue
            value = self.fact(token, key)
            if value is None:
                ok = False
            else:
                values[key] = value
        if not ok:
            return None
        facts = WindowFacts(**values)
        return facts if self.facts_agree(facts, tokens, duration) else None

    def fact(self, token: _Token, key: str) -> str | int | float | bool | None:
        """One fact's value, checked for its kind."""
        if key in ("exercise", "side"):
            if not token.quoted:
                self.problem(token.column, f'{key}= takes a text in double quotes, e.g. {key}="x"')
                return None
            return token.value
        if key == "to_failure":
            if token.quoted or token.value not in ("yes", "no"):
                self.problem(token.column, "to_failure= takes yes or no")
                return None
            return token.value == "yes"
        if key in ("tempo", "hold"):
            return self.number(token, f"{key}=", MAX_STRETCH, positive=key == "tempo")
        value = token.value
        whole = not token.quoted and _WHOLE.match(value) is not None and len(value) <= 9
        if not whole or not 1 <= int(value) <= MAX_COUNT:
            self.problem(token.column, f"{key}= takes a whole number from 1 to {MAX_COUNT:,}")
            return None
        return int(value)

    def facts_agree(self, facts: WindowFacts, tokens: list[_Token], duration: float | None) -> bool:
        """Facts that contradict each other or the window's length are a problem."""

        def at(key: str) -> int:
            return next(token.column for token in tokens if token.key == key)

        for part, total in (("set", "sets"), ("round", "rounds")):
            n, of = getattr(facts, part), getattr(facts, total)
            if n is not None and of is not None and n > of:
                self.problem(at(part), f"{part}={n} is more than {total}={of}")
                return False
        if (facts.reps is None) != (facts.tempo is None):
            given = "reps" if facts.reps is not None else "tempo"
            self.problem(at(given), "reps= and tempo= go together: rep k starts k x (tempo + hold)")
            return False
        if facts.alternate and facts.reps is None:
            self.problem(at("alternate"), "alternate= belongs to a counted set: give reps= too")
            return False
        if facts.hold and facts.reps is None:
            self.problem(at("hold"), "hold= belongs to a counted set: give reps= and tempo= too")
            return False
        rep = facts.rep_seconds
        if rep is not None and duration is not None and facts.reps is not None:
            needed = facts.reps * rep
            if needed > duration + 1e-6:
                self.problem(
                    at("reps"),
                    f"{facts.reps} reps of {_plain(rep)} s take {_plain(needed)} s, longer than"
                    f" the window ({_time(duration)} s): fix reps=, tempo= or hold=",
                )
                return False
        return True

    def window_line(self, tokens: list[_Token], window: _OpenWindow, end: int) -> None:
        head = tokens[0]
        if head.quoted or not head.value.startswith("@"):
            self.problem(
                head.column, 'a cue line starts with @SECONDS, e.g. @1.500 p80 count "one"'
            )
            return
        at = self.number(_Token(head.column + 1, head.value[1:]), "the offset", MAX_STRETCH)
        if at is None:
            return
        duration = window.duration
        if at >= duration and not math.isinf(duration):
            self.problem(
                head.column,
                f"@{head.value[1:]} is beyond the end of its window ({_time(duration)} s long);"
                " move it earlier or lengthen the window",
            )
            return
        if len(tokens) > 1 and tokens[1].value == "tone" and not tokens[1].quoted:
            if len(tokens) != 4:
                self.problem(tokens[1].column, "a tone line is: @SECONDS tone FREQUENCY SECONDS")
                return
            low, high = TONE_HERTZ
            frequency = self.number(tokens[2], "the tone's frequency", high, low=low, unit="Hz")
            length = self.number(tokens[3], "the tone's length", MAX_TONE, positive=True)
            if frequency is not None and length is not None:
                window.tones.append(Tone(at, length, frequency))
                end_of_tone = window.start + at + length
                self.tones.append(_PlacedTone(self.line_number, head.column, end_of_tone))
            return
        if len(tokens) < 2 or tokens[1].quoted or not _PRIORITY.match(tokens[1].value):
            column = tokens[1].column if len(tokens) > 1 else end
            self.problem(column, "expected a priority such as p80 (or 'tone')")
            return
        digits = tokens[1].value[1:]
        if len(digits) > len(str(MAX_PRIORITY)):
            self.problem(
                tokens[1].column,
                f"a priority goes from p0 to p{MAX_PRIORITY}, not {_shown(tokens[1].value)}",
            )
            return
        priority = int(digits)
        kind = self.kind(tokens, 2, end)
        text = self.text_token(tokens, 3, "the text to say", end)
        short: str | None = None
        for token in tokens[4:]:
            if token.key == "short" and token.quoted:
                short = token.value
            else:
                self.problem(
                    token.column, f'unexpected {_shown(token.value)}: a cue takes only short="..."'
                )
        if text is not None and not text.strip():
            self.problem(tokens[3].column, "empty text: write what to say, or delete the line")
        elif len(window.cues) == MAX_CUES and not window.bad:
            self.problem(
                head.column,
                f"a window holds at most {MAX_CUES:,} cues; split it into shorter windows",
            )
            window.bad = True
        elif kind is not None and text is not None and not window.bad:
            window.cues.append(Cue(at, text, kind, priority, short))


def _closing_quote(line: str, i: int) -> int:
    """Index of the quote that ends a text starting at `i`, or -1."""
    while i < len(line):
        if line[i] == "\\":
            i += 2
        elif line[i] == '"':
            return i
        else:
            i += 1
    return -1


def is_cue_script(ref: str) -> bool:
    """Whether `ref` names a .cues file (read as is) rather than a routine (compiled)."""
    return ref.lower().endswith(SUFFIX)


def parse_cues(text: str, file: str = "<cues>") -> CueScript:
    """A cue script from .cues `text`; InputError with located problems."""
    return _Reader(text, file).read()


def read_cues(path: str | Path) -> CueScript:
    """Read a .cues file (through `coach.source`, with its limits)."""
    file = str(path)
    return parse_cues(decode(read_file(path, file, "cue script", MAX_BYTES), file), file)
