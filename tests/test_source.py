"""One reader for every file coach reads: what a user sees for hostile or odd files.

Each case goes through the command a user would type (validate, phrases, compile
--phrases, show, play, render) and checks the message, the exit code, the time and,
for /dev/zero, the memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli

REPO = Path(__file__).resolve().parent.parent
ROUTINE = "title: T\nexercises:\n  - name: Squat\n    reps: 3\n"
CUES = 'coach-cues 1\ntitle "T"\nsay name "Squat." gap=0.6\n'

# (file kind, the command reading it, given a path)
COMMANDS = {
    "routine": lambda path: ["validate", path],
    "phrasebook": lambda path: ["phrases", path],
    "phrasebook for compile": lambda path: ["compile", "tabata", "--no-check", "--phrases", path],
    "cue script": lambda path: ["validate", path],
    "cue script to show": lambda path: ["show", path],
}
SUFFIX = {"routine": ".yaml", "phrasebook": ".yaml", "cue script": ".cues"}


def noun(kind: str) -> str:
    return next(name for name in SUFFIX if kind.startswith(name))


def run(runner: CliRunner, args: list[str]) -> tuple[int, str]:
    started = time.monotonic()
    result = runner.invoke(cli, args)
    assert time.monotonic() - started < 5
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


@pytest.mark.parametrize("kind", COMMANDS)
def test_a_fifo_is_named_at_once_instead_of_blocking(
    runner: CliRunner, tmp_path: Path, kind: str
) -> None:
    fifo = tmp_path / f"pipe{SUFFIX[noun(kind)]}"
    os.mkfifo(fifo)
    code, stderr = run(runner, COMMANDS[kind](str(fifo)))
    assert code == 2
    assert stderr == f"{fifo}: is a FIFO, not a file; give the path of a {noun(kind)} file\n"


@pytest.mark.parametrize("kind", COMMANDS)
def test_a_folder_is_named_as_a_folder(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / f"adir{SUFFIX[noun(kind)]}"
    folder.mkdir()
    code, stderr = run(runner, COMMANDS[kind](str(folder)))
    assert (code, stderr) == (2, f"{folder}: is a folder, not a {noun(kind)} file\n")


@pytest.mark.parametrize("kind", COMMANDS)
def test_a_link_to_dev_zero_is_a_device(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    link = tmp_path / f"zero{SUFFIX[noun(kind)]}"
    link.symlink_to("/dev/zero")
    code, stderr = run(runner, COMMANDS[kind](str(link)))
    assert code == 2
    assert stderr.startswith(f"{link}: is a device, not a file")


def test_a_folder_without_a_suffix_is_not_called_an_unknown_routine(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    assert run(runner, ["validate", "adir"]) == (2, "adir: is a folder, not a routine file\n")


@pytest.mark.parametrize("kind", COMMANDS)
def test_too_big_files_are_refused_before_reading(
    runner: CliRunner, tmp_path: Path, kind: str
) -> None:
    big = tmp_path / f"big{SUFFIX[noun(kind)]}"
    with big.open("wb") as stream:
        stream.truncate(50_000_000)  # sparse: 50 MB of zero bytes without writing them
    code, stderr = run(runner, COMMANDS[kind](str(big)))
    assert code == 2
    assert stderr.startswith(f"{big}:1:1: file is 50,000,000 bytes; a {noun(kind)} must be under")


@pytest.mark.parametrize("kind", COMMANDS)
def test_bad_bytes_are_located(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"bad{SUFFIX[noun(kind)]}"
    path.write_bytes(b"# caf\xe9\n")
    code, stderr = run(runner, COMMANDS[kind](str(path)))
    assert (code, stderr) == (
        2,
        f"{path}:1:6: not valid UTF-8 (byte 0xe9); save the file as UTF-8\n",
    )


def test_an_unreadable_file_says_so(runner: CliRunner, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "locked.cues"
    path.write_text(CUES, encoding="utf-8")
    path.chmod(0)
    assert run(runner, ["validate", str(path)]) == (2, f"{path}: cannot read: Permission denied\n")


SURROGATES = {
    "routine": ("r.yaml", 'title: "Squat \\ud800"\nexercises:\n  - {name: S, reps: 3}\n', 1, 8),
    "phrasebook": ("p.yaml", 'go: ["Go \\udfff!"]\n', 1, 6),
    "cue script": ("s.cues", 'coach-cues 1\ntitle "T"\nsay name "Hi \\ud800" gap=0.6\n', 3, 10),
}


@pytest.mark.parametrize("kind", SURROGATES)
def test_a_lone_surrogate_is_a_located_error_where_it_is_read(
    runner: CliRunner, tmp_path: Path, kind: str
) -> None:
    name, text, line, column = SURROGATES[kind]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    args = ["phrases", str(path)] if kind == "phrasebook" else ["validate", str(path)]
    code, stderr = run(runner, args)
    assert code == 2
    assert stderr.startswith(f"{path}:{line}:{column}: the text holds U+D")
    assert "half of a UTF-16 surrogate pair" in stderr
    # and every later command stops at the same place instead of crashing
    later = (
        ["compile", "tabata", "--no-check", "--phrases", str(path)]
        if kind == "phrasebook"
        else ["show", "--json", str(path)]
    )
    assert run(runner, later) == (code, stderr)


@pytest.mark.parametrize("depth", [500, 3000])
def test_a_deeply_nested_phrasebook_is_a_located_error(
    runner: CliRunner, tmp_path: Path, depth: int
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("go: " + "[" * depth + "Go" + "]" * depth + "\n", encoding="utf-8")
    code, stderr = run(runner, ["compile", "tabata", "--no-check", "--phrases", str(path)])
    assert (code, stderr) == (
        2,
        f"{path}:1:44: nesting deeper than 40 levels; a phrasebook needs only a few\n",
    )


def test_an_alias_bomb_in_a_phrasebook_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    lines = ["a: &a [Go, Go, Go, Go, Go, Go, Go, Go, Go, Go]"]
    lines += [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stderr = run(runner, ["phrases", str(path)])
    assert code == 2 and "expands past 20,000 values" in stderr


# runs coach and writes its own peak resident size on stderr as it exits
# The peak is VmHWM, which starts afresh at exec. ru_maxrss does not: the child is forked
# from the test run (preexec_fn needs a real fork), so it would report the test run's
# own size once that passes the limit.
_MEASURED = (
    "import atexit, pathlib, resource, runpy, sys\n"
    "def peak():\n"
    "    status = pathlib.Path('/proc/self/status')\n"
    "    for line in status.read_text().splitlines() if status.exists() else ():\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1])\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "atexit.register(lambda: sys.stderr.write('peak %d\\n' % peak()))\n"
    "sys.argv = ['coach', *sys.argv[1:]]\n"
    "runpy.run_module('coach', run_name='__main__')\n"
)


def _limited_run(args: list[str], cwd: Path) -> tuple[int, str, float, int]:
    """Run coach ARGS under a 3 GB address-space cap: exit code, stderr, seconds, peak KB."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=cap,
    )
    seconds = time.monotonic() - started
    stderr, _, peak = process.stderr.rpartition("peak ")
    return process.returncode, stderr, seconds, int(peak)


@pytest.mark.parametrize(
    "args",
    [["play", "zero.cues", "--output", "null"], ["phrases", "zero.yaml"]],
    ids=["play zero.cues", "phrases zero"],
)
def test_dev_zero_ends_within_seconds_with_a_small_footprint(
    tmp_path: Path, args: list[str]
) -> None:
    for name in ("zero.cues", "zero.yaml"):
        (tmp_path / name).symlink_to("/dev/zero")
    code, stderr, seconds, peak_kb = _limited_run(args, tmp_path)
    assert code == 2, stderr
    assert "is a device, not a file" in stderr and "Traceback" not in stderr
    assert seconds < 10
    assert peak_kb < 300_000  # the whole interpreter, well under the 3 GB cap


def test_a_broken_link_is_not_said_not_to_exist(runner: CliRunner, tmp_path: Path) -> None:
    link = tmp_path / "moved.cues"
    link.symlink_to(tmp_path / "gone.cues")
    code, stderr = run(runner, ["validate", str(link)])
    assert (code, stderr) == (
        2,
        f"{link}: is a link to {tmp_path / 'gone.cues'}, which does not exist\n",
    )
