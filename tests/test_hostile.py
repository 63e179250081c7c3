"""Hostile files and faults, each run through the real command line.

Every case must end quickly, under a 3 GB address-space cap, with one clear
message and exit 1 or 2 (or exit 0 where the input is valid), and never with a
traceback. The cases are the ones a fuzz and fault probe found; each gets a
subprocess of its own so a hang or a blow-up cannot take the suite with it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

MEMORY_CAP = 3 * 1024**3
TIME_LIMIT = 60  # seconds; the cases end in well under one, a hang never does

TABATA_HEAD = """title: T
exercises:
  - name: Squat
    work: 20m
    cues: [Sit back.]
"""

CUES_HEAD = 'coach-cues 1\ntitle "T"\nroutine "t"\nlevel 1\n\nchapter "A"\n'


@dataclass(frozen=True)
class Case:
    """The file at fault, how to make it and the arguments that read it, and the exits allowed."""

    named: str  # the file the message must name ("" when no file is at fault)
    make: Callable[[Path], list[str]]
    codes: tuple[int, ...] = (2,)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _routine(folder: Path, text: str) -> str:
    return str(_write(folder / "r.yaml", text))


def _cues(folder: Path, body: str) -> str:
    return str(_write(folder / "s.cues", CUES_HEAD + body))


def _fifo(folder: Path, name: str) -> str:
    path = folder / name
    os.mkfifo(path)
    return str(path)


def _nested_phrasebook(folder: Path, depth: int) -> str:
    return str(_write(folder / "deep.yaml", "go: " + "{a: " * depth + "1" + "}" * depth + "\n"))


def _many_exercises(folder: Path, count: int) -> list[str]:
    lines = ["title: Many", "exercises:"]
    for number in range(count):
        lines += [f"  - name: Move {number + 1}", "    work: 5s"]
    lines += ["settings:", "  rest_between_exercises: 0s"]
    return [
        "render",
        _routine(folder, "\n".join(lines) + "\n"),
        "--engine",
        "fake",
        "-o",
        str(folder / "out"),
        "--no-cover",
        "--quiet",
    ]


CASES: dict[str, Case] = {
    # hangs
    "reminders every 1e-20": Case(
        "r.yaml",
        lambda d: [
            "validate",
            _routine(d, TABATA_HEAD + "reminders: {every: 1.0e-20, phrases: [Breathe.]}\n"),
        ],
    ),
    "reminders every 0.5 s over 20 min": Case(
        "r.yaml",
        lambda d: [
            "compile",
            _routine(d, TABATA_HEAD + "reminders: {every: 0.5, phrases: [Breathe.]}\n"),
            "-o",
            str(d / "x.cues"),
        ],
        codes=(0, 2),
    ),
    "FIFO as a cue script": Case(
        "f.cues", lambda d: ["render", _fifo(d, "f.cues"), "--engine", "fake", "-o", str(d / "o")]
    ),
    "FIFO as a phrasebook": Case(
        "p.yaml", lambda d: ["compile", "tabata", "--phrases", _fifo(d, "p.yaml")]
    ),
    # memory and disk
    "/dev/zero as a cue script": Case(
        "zero.cues",
        lambda d: ["play", _link(d, "zero.cues"), "--engine", "fake", "--output", "null"],
    ),
    "/dev/zero as a phrasebook": Case("zero", lambda d: ["phrases", "/dev/zero"]),
    "a say of 1 MB": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'say intro "' + "a" * 1_000_000 + '" gap=0.4\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a window of 1e7 s": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 10000000 "w"\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a 50 MB phrasebook": Case(
        "big.yaml",
        lambda d: [
            "compile",
            "tabata",
            "--phrases",
            str(_write(d / "big.yaml", "go:\n" + '  - "Go!"\n' * 5_000_000)),
        ],
    ),
    # tracebacks
    "a lone surrogate in a routine": Case(
        "r.yaml",
        lambda d: [
            "show",
            _routine(d, 'title: "A \\ud800"\nexercises:\n  - {name: Squat, reps: 5}\n'),
            "--json",
        ],
    ),
    "level written with a superscript": Case(
        "s.cues",
        lambda d: [
            "render",
            _write_cues_header(d, "level ²"),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a 4,301-digit priority": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 5 "w"\n  @0 p' + "9" * 4301 + ' go "Go"\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "gap=1e308": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'say intro "Hi" gap=1e308\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a window of 1e308 s": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 1e308 "w"\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a window of 1e12 s": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 1e12 "w"\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a tone of 1e308 s": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 5 "w"\n  @0 tone 880 1e308\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a tone of 1e6 s": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 5 "w"\n  @0 tone 880 1000000\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a tone past the end of the session": Case(
        "s.cues",
        lambda d: [
            "render",
            _cues(d, 'window work 5 "w"\n  @4.9 tone 880 2\n'),
            "--engine",
            "fake",
            "-o",
            str(d / "o"),
        ],
    ),
    "a phrasebook nested 500 deep": Case(
        "deep.yaml", lambda d: ["compile", "tabata", "--phrases", _nested_phrasebook(d, 500)]
    ),
    "a phrasebook nested 3,000 deep": Case(
        "deep.yaml", lambda d: ["compile", "tabata", "--phrases", _nested_phrasebook(d, 3000)]
    ),
    "a cache folder that is a file (list)": Case("", lambda d: ["list"], codes=(0, 1)),
    "a cache folder that is a file (cache info)": Case(
        "", lambda d: ["cache", "info"], codes=(0, 1)
    ),
    "a cache folder that is a file (cache clear)": Case(
        "", lambda d: ["cache", "clear"], codes=(0, 1)
    ),
    # unclear errors
    "validate /dev/zero": Case("zero", lambda d: ["validate", "/dev/zero"]),
    "validate a FIFO": Case("f.yaml", lambda d: ["validate", _fifo(d, "f.yaml")]),
    "a folder given as a routine": Case("adir", lambda d: ["validate", _folder(d, "adir")]),
    "an exercise named by a zero-width space": Case(
        "r.yaml",
        lambda d: [
            "validate",
            _routine(d, 'title: T\nexercises:\n  - {name: "\\u200b", reps: 5}\n'),
        ],
    ),
    "sides: 5": Case(
        "r.yaml",
        lambda d: [
            "validate",
            _routine(d, "title: T\nexercises:\n  - {name: Clam, reps: 5, sides: 5}\n"),
        ],
    ),
    "a title that drives the terminal": Case(
        "r.yaml",
        lambda d: [
            "show",
            _routine(
                d, 'title: "Evil\\e]0;pwned\\a\\e[2J"\nexercises:\n  - {name: Squat, reps: 5}\n'
            ),
        ],
    ),
    # valid, and must work
    "256 exercises render": Case("", lambda d: _many_exercises(d, 256), codes=(0,)),
}


def _link(folder: Path, name: str) -> str:
    path = folder / name
    path.symlink_to("/dev/zero")
    return str(path)


def _folder(folder: Path, name: str) -> str:
    path = folder / name
    path.mkdir()
    return str(path)


def _write_cues_header(folder: Path, level_line: str) -> str:
    text = CUES_HEAD.replace("level 1", level_line) + 'say intro "Hi" gap=0.4\n'
    return str(_write(folder / "s.cues", text))


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_ends_with_one_clear_message(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    args = case.make(tmp_path)
    env = dict(os.environ)
    if "cache folder that is a file" in name:
        blocker = tmp_path / "cache-is-a-file"
        blocker.write_text("not a folder")
        env["COACH_CACHE_DIR"] = str(blocker)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "coach", *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIME_LIMIT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
            preexec_fn=_cap_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still running after {TIME_LIMIT} s")
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "\x1b" not in done.stdout + done.stderr, "terminal escape printed raw"
    assert done.returncode in case.codes, (done.returncode, done.stderr[-2000:])
    if done.returncode == 2:
        message = done.stderr.strip()
        assert message, "no message"
        assert len(message) < 2000, "one clear message, not a flood"
        assert case.named in message, f"the message does not name {case.named}"
        assert "does not exist" not in message, "the file is there"
