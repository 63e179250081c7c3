"""Fuzz inputs for the three file kinds coach reads, and a probe that runs one through the CLI.

Used by tests/test_fuzz.py (hypothesis, a few hundred inputs in the normal suite) and by
scripts/fuzz.py (tens of thousands, each under a time limit and a memory cap).

An input is a valid seed (a shipped routine, the default phrasebook, a compiled cue
script, or a small file written here) changed by a few random mutations: values swapped
for hostile ones (huge, negative, NaN, 4,301 digits, lone surrogates, aliases, tags),
lines deleted, repeated, swapped or re-indented, deep nesting, bytes flipped, files
cut short or spliced together. The probe writes it to a file and runs what a user
would: `validate`, `show --json`, `compile` (routines), `phrases` and
`compile --phrases` (phrasebooks), and for anything that reads, the resolve against
the fake voice. It passes when every command exits 0, 1 or 2 without a traceback.
"""

from __future__ import annotations

import random
import re
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType

from click.testing import CliRunner

from coach.cli import cli

REPO = Path(__file__).resolve().parent.parent
KINDS = ("routine", "phrasebook", "cues")
SUFFIX = {"routine": ".yaml", "phrasebook": ".yaml", "cues": ".cues"}
OK, INPUT_ERROR, CRASH, HANG = "ok", "input error", "crash", "hang"
MAX_INPUT = 12_000_000  # bytes: past every size cap coach has

SMALL_ROUTINES = [
    "title: T\nexercises:\n  - name: Squat\n    reps: 3\n",
    "title: Sides\nsettings: {tempo: 2s, rest: 10s}\nexercises:\n"
    "  - name: Lunge\n    sets: 2\n    reps: 4\n    sides: [right leg, left leg]\n"
    "    hold: 1s\n    setup: [Stand tall.]\n    cues: [Knee over ankle.]\n",
    "title: Notch\nlevel: 2\nexercises:\n  - name: Step\n    reps: 4\n    alternate: true\n"
    "    notch: {name: Jump, reps: 6}\n  - name: Plank\n    work: 20s\n    rest_after: 5s\n",
    "title: Circuit\nsections:\n  - title: Warm-up\n    exercises: [{name: March, work: 30s}]\n"
    "  - title: Main\n    rounds: 3\n    rest_between_rounds: 15s\n    exercises:\n"
    "      - {name: Push-up, to_failure: true, work: 40s}\n      - {name: Squat, reps: 5}\n",
    "title: Talk\nintro: [Hello.]\noutro: Bye.\nreminders: {every: 30s, phrases: [Breathe.]}\n"
    'phrases:\n  go: ["Begin.", "Off you go."]\n  rest: "Breathe for {duration}."\n'
    "settings: {countdown: 5, switch: 4s, rest_between_exercises: 8s}\n"
    "exercises:\n  - {name: Bridge, work: 1m, sides: [left, right]}\n",
    "title: Anchors\nx-set: &set {sets: 2, reps: 3}\nexercises:\n"
    "  - {name: Curl, sets: 2, reps: 3}\n  - name: Raise\n    sets: 2\n    reps: 3\n",
]
SMALL_PHRASEBOOKS = [
    'go: ["Go!", "Go.", "And go!"]\n',
    'rest:\n  variants: ["Rest for {duration}.", "Take {seconds} seconds."]\n  short: "Rest."\n',
    'exercise_name: "{name}."\nnext_up: "Next: {name}."\ncountdown: "{count}"\n',
    "# only a comment\n",
    'halfway: [Half way.]\nside_start: "Start on the {side}."\n'
    'next_set_side: "Set {n} of {total}, {side}."\n',
]
SMALL_CUES = """coach-cues 1
title "Small"
routine "small"
level 1

chapter "Squat"
say name "Squat." gap=0.6
window prepare 3.000 "get ready"
  @0.000 p60 get_ready "Get ready." short="Ready."
  @1.000 p100 countdown "Two"
window work 6.000 "Squat, set 1 of 1"
  @0.000 p100 go "Go!"
  @1.500 p80 count "One"
  @4.500 p80 count "Two"
  @0.000 tone 880 0.15
window rest 2.000 "rest"
  @0.000 tone 440 0.25
say finish "Done." gap=0.8
"""

# values a mutation puts in place of a number or a word
NUMBERS = [
    "0", "-1", "-0", "1e308", "-1e308", "1e400", "1e-20", "1.0e-20", "nan", ".nan", ".inf",
    "-.inf", "inf", "9" * 4301, "1" * 30, "0x1f", "0o17", "1_000", "1:30", "1:00:00", "²",
    "١٢", "1e7", "1e12", "3601", "0.0001", "0.2", "500", "501", "51", "1h1s", "-20s", "6h",
    "59:59", "1e6", "00", "+5", "5.", ".5", "1,5", "0.1s",
]  # fmt: skip
WORDS = [
    '"\\ud800"', '"x\\udfff"', "'\\ud800'", '"\\ud83d"', "&a", "*a", "&a [*a]",
    "!!python/object:os.system", "!custom x", "!!binary aGk=", "~", "null", "[]", "{}",
    "''", '"', "{name}", "{count} {side}", "{", "}}", "{0}", "{name!r}", "{x:>5}", "<<: *a",
    "- ", ": ", "%", "@", "`", "|", ">", "#", "---", "...", "\t", "\x00", "\x1b[2J", "\u200b",
    "Ü", "a" * 400, "a" * 3000, "true", "yes", "no", "p80", "p-1", "tone", "window", "say",
    "chapter", "level", 'short="x"', "gap=1e308", "\\", "é" * 10, "\ufeff", "\u2028",
]  # fmt: skip
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?[a-z]*")
_WORD = re.compile(r"[A-Za-z_]+|\"[^\"\n]*\"")


@cache
def seeds(kind: str) -> tuple[bytes, ...]:
    """The valid files mutations start from."""
    if kind == "routine":
        texts = [*SMALL_ROUTINES]
        texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "routines").glob("*.yaml"))]
    elif kind == "phrasebook":
        texts = [*SMALL_PHRASEBOOKS]
        texts.append((REPO / "coach" / "phrases" / "en.yaml").read_text(encoding="utf-8"))
    else:
        from coach.compiler import compile_routine
        from coach.cues.text import format_cues
        from coach.routine import parse_routine

        texts = [SMALL_CUES]
        for text in SMALL_ROUTINES:
            for level in (1, 2):
                texts.append(format_cues(compile_routine(parse_routine(text), level)))
        tabata = (REPO / "routines" / "tabata.yaml").read_text(encoding="utf-8")
        texts.append(format_cues(compile_routine(parse_routine(tabata, name="tabata"))))
    return tuple(text.encode("utf-8") for text in texts)


HOSTILE: dict[str, list[bytes]] = {
    "routine": [
        b"title: T\nreminders: {every: 1.0e-20, phrases: [Breathe.]}\n"
        b"exercises: [{name: S, work: 20m}]\n",
        b'title: "Evil\\e]0;pwned\\a\\e[2J"\nexercises: [{name: S, reps: 3}]\n',
        b'title: "\\ud800"\nexercises: [{name: S, reps: 3}]\n',
        b"title: T\nexercises: [{name: S, reps: 3, sides: 5}]\n",
        b"title: T\nexercises: [{name: S, reps: 3, tempo: 0.2s}]\n",
        b"title: T\nexercises:\n" + b"".join(b"  - {name: E%d, reps: 1}\n" % i for i in range(300)),
        b"a: &a [" + b"*a, " * 3 + b"]\n",
        b"\xff\xfe" + "title: T\n".encode("utf-16-le"),
    ],
    "phrasebook": [
        b"go: " + b"[" * 3000 + b"Go" + b"]" * 3000 + b"\n",
        b"go: " + b"[" * 500 + b"Go" + b"]" * 500 + b"\n",
        b'go: "Go, {name}!"\n',
        b'rest: "Rest {secs}."\n',
        b'go: "\\ud800"\n',
        b"go: " + b"x" * 1_000_000 + b"\n",
    ],
    "cues": [
        SMALL_CUES.encode().replace(b"window work 6.000", b"window work 1e7"),
        SMALL_CUES.encode().replace(b"window work 6.000", b"window work 1e12"),
        SMALL_CUES.encode().replace(b"window work 6.000", b"window work 1e308"),
        SMALL_CUES.encode().replace(b"gap=0.6", b"gap=1e308"),
        SMALL_CUES.encode().replace(b"tone 880 0.15", b"tone 1e308 0.15"),
        SMALL_CUES.encode().replace(b"tone 880 0.15", b"tone 880 1e6"),
        SMALL_CUES.encode().replace(b"tone 440 0.25", b"tone 440 30"),
        SMALL_CUES.encode().replace(b"level 1", b"level \xc2\xb2"),
        SMALL_CUES.encode().replace(b"level 1", b"level " + b"9" * 4301),
        SMALL_CUES.encode().replace(b"p80", b"p" + b"9" * 4301),
        SMALL_CUES.encode().replace(b'"Squat."', b'"' + b"a" * 1_000_000 + b'"'),
        SMALL_CUES.encode().replace(b'"Squat."', b'"\\ud800"'),
    ],
}


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _replace_match(rng: random.Random, text: str, pattern: re.Pattern[str], new: str) -> str:
    matches = list(pattern.finditer(text))
    if not matches:
        return text + new
    match = rng.choice(matches)
    return text[: match.start()] + new + text[match.end() :]


def _mutations(kind: str) -> list[Callable[[random.Random, bytes], bytes]]:
    def on_text(
        change: Callable[[random.Random, str], str],
    ) -> Callable[[random.Random, bytes], bytes]:
        def mutate(rng: random.Random, data: bytes) -> bytes:
            text = data.decode("utf-8", "surrogateescape")
            return change(rng, text).encode("utf-8", "surrogateescape")

        return mutate

    def number(rng: random.Random, text: str) -> str:
        return _replace_match(rng, text, _NUMBER, rng.choice(NUMBERS))

    def word(rng: random.Random, text: str) -> str:
        return _replace_match(rng, text, _WORD, rng.choice(WORDS))

    def delete_line(rng: random.Random, text: str) -> str:
        lines = _lines(text)
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)

    def repeat_line(rng: random.Random, text: str) -> str:
        lines = _lines(text)
        at = rng.randrange(len(lines))
        lines[at:at] = [lines[at]] * rng.choice([1, 2, 10, 1000])
        return "\n".join(lines)

    def swap_lines(rng: random.Random, text: str) -> str:
        lines = _lines(text)
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return "\n".join(lines)

    def indent(rng: random.Random, text: str) -> str:
        lines = _lines(text)
        at = rng.randrange(len(lines))
        change = rng.choice(["  ", " ", "\t", "-"])
        if rng.random() < 0.5:
            lines[at] = change + lines[at]
        else:
            lines[at] = lines[at][rng.randint(1, 4) :]
        return "\n".join(lines)

    def nest(rng: random.Random, text: str) -> str:
        depth = rng.choice([5, 39, 41, 500, 3000])
        opener, closer = rng.choice([("[", "]"), ("{a: ", "}"), ("- ", "")])
        return _replace_match(rng, text, _WORD, opener * depth + "x" + closer * depth)

    def splice(rng: random.Random, text: str) -> str:
        other = _lines(rng.choice(seeds(kind)).decode("utf-8"))
        lines = _lines(text)
        at = rng.randrange(len(lines))
        start = rng.randrange(len(other))
        lines[at:at] = other[start : start + rng.randint(1, 8)]
        return "\n".join(lines)

    def flip(rng: random.Random, data: bytes) -> bytes:
        if not data:
            return bytes([rng.randrange(256)])
        at = rng.randrange(len(data))
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]

    def cut(rng: random.Random, data: bytes) -> bytes:
        return data[: rng.randrange(len(data) + 1)]

    def grow(rng: random.Random, data: bytes) -> bytes:
        return data * rng.choice([2, 3, 50])

    text_changes = [number, number, number, word, word, word, delete_line, repeat_line]
    text_changes += [swap_lines, indent, nest, splice]
    return [on_text(change) for change in text_changes] + [flip, cut, grow]


def make_input(kind: str, rng: random.Random) -> bytes:
    """One fuzz input of `kind`: a seed (now and then a hostile case) with 1 to 4 mutations."""
    pool = HOSTILE[kind] if rng.random() < 0.05 else seeds(kind)
    data = rng.choice(pool)
    mutations = _mutations(kind)
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        # cut after each mutation: growing an already grown input would fill the memory
        data = rng.choice(mutations)(rng, data)[:MAX_INPUT]
    return data


def input_for(kind: str, index: int, seed: int = 0) -> bytes:
    """Input number `index` of `kind`: the same bytes on every run with the same seed."""
    return make_input(kind, random.Random(f"{seed}:{kind}:{index}"))


# ---- the probe ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one input did: OK, INPUT_ERROR, CRASH or HANG, and for the last two, where."""

    status: str
    detail: str = ""


class Hang(BaseException):
    """Raised by the alarm when one input takes longer than its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the running code after `seconds` (Unix: an interval timer)."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def commands(kind: str, path: Path) -> list[list[str]]:
    """The command lines a user would run on a file of `kind`."""
    file = str(path)
    if kind == "routine":
        return [["validate", file], ["show", "--json", file], ["compile", file, "--no-check"]]
    if kind == "phrasebook":
        return [["phrases", file], ["compile", "tabata", "--no-check", "--phrases", file]]
    return [["validate", file], ["show", "--json", file]]


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    last = frames[-1] if frames else None
    place = f"{Path(last.filename).name}:{last.lineno} in {last.name}" if last else "?"
    return f"{type(error).__name__}: {str(error)[:200]} ({place})"


def probe(kind: str, data: bytes, folder: Path, limit: float = 10.0) -> Outcome:
    """Run `data`, written as a file of `kind` in `folder`, through the CLI and the resolver."""
    path = folder / f"input{SUFFIX[kind]}"
    path.write_bytes(data)
    runner = CliRunner()
    codes = []
    try:
        with time_limit(limit):
            for args in commands(kind, path):
                result = runner.invoke(cli, args)
                error = result.exception
                if error is not None and not isinstance(error, SystemExit):
                    return Outcome(CRASH, f"coach {args[0]}: {_where(error)}")
                if result.exit_code not in (0, 1, 2) or "Traceback" in result.output:
                    return Outcome(CRASH, f"coach {args[0]}: exit {result.exit_code}")
                codes.append(result.exit_code)
            if all(code == 0 for code in codes) and kind != "phrasebook":
                _resolve(kind, path)
    except Hang:
        return Outcome(HANG, f"over {limit:g} s")
    except Exception as error:  # a crash in the resolver
        return Outcome(CRASH, f"resolve: {_where(error)}")
    return Outcome(OK if all(code == 0 for code in codes) else INPUT_ERROR)


def _resolve(kind: str, path: Path) -> None:
    """Resolve the script against the fake voice, as compile's fit check, play and render do."""
    from coach.pipeline import load_script
    from coach.resolve import resolve
    from coach.speech.fake import FakeEngine
    from coach.speech.voice import MemoryVoice

    script = load_script(str(path))
    resolve(script, MemoryVoice(FakeEngine(ms_per_char=5)))
