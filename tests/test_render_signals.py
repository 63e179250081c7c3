"""SIGINT, SIGTERM and SIGHUP at any moment of a command that writes leave no trace.

Each test runs the real CLI in a child process, measures how long a clean run takes,
then sends the signal after a range of delays covering start-up, synthesis, encoding,
sidecars and the final renames. Every run must end one of two ways: stopped (exit
128+n, the output folder exactly as it was, no traceback) or, when the signal came
after the files were complete, finished (exit 0, every file written whole). A signal
that lands before Python has even started coach ends the process by the signal's
default action, which the shell also reports as 128+n; it has written nothing yet. Nothing
coach started may outlive it, and no temporary may be left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SIGNALS = {"SIGINT": 130, "SIGTERM": 143, "SIGHUP": 129}
FRACTIONS = (0.0, 0.03, 0.08, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals only"),
]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _survivors(marker: str) -> list[str]:
    """Command lines of running processes that mention `marker` (an output path)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                line = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if marker.encode() in line:
                found.append(line.decode(errors="replace"))
    return found


def _start(args: list[str], cache: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COACH_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "coach", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )


def _interpreter_start() -> float:
    """How long this Python takes to start and exit with nothing to do, with a margin."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return 1.5 * (time.monotonic() - started)


def _moments(length: float) -> list[float]:
    """Delays from just after the interpreter's start to the end of a run of `length` s."""
    first = _interpreter_start()
    return [first + fraction * max(0.0, length - first) for fraction in FRACTIONS]


def _prepare(root: Path) -> tuple[Path, dict[str, bytes]]:
    out = root / "out"
    out.mkdir(parents=True)
    (out / "notes.txt").write_text("mine\n")
    (out / "tabata.mp3").write_bytes(b"an earlier render")  # what a new render would replace
    (out / "tabata.cues").write_bytes(b"an earlier script\n")
    return out, _snapshot(out)


def _sweep(tmp_path: Path, name: str, command: list[str], fresh_cache: bool) -> None:
    code = SIGNALS[name]
    number = getattr(signal, name)
    clean_root = tmp_path / "clean"
    out, before = _prepare(clean_root)
    started = time.monotonic()
    clean = _start([*command, str(out)], clean_root / "cache")
    _, err = clean.communicate(timeout=300)
    length = time.monotonic() - started
    assert clean.returncode == 0, err.decode()
    finished = _snapshot(out)

    stopped = 0
    for index, delay in enumerate(_moments(length)):
        root = tmp_path / f"run{index}"
        out, before = _prepare(root)
        cache = root / "cache" if fresh_cache else clean_root / "cache"
        process = _start([*command, str(out)], cache)
        time.sleep(delay)
        process.send_signal(number)
        _, err = process.communicate(timeout=300)
        text = err.decode(errors="replace")
        where = f"{name} after {delay:.2f} s of {length:.2f} s"
        assert "Traceback" not in text, f"{where}:\n{text}"
        assert process.returncode in (code, -number, 0), f"{where}: exit {process.returncode}"
        if process.returncode == code:
            assert text.strip().splitlines()[-1] in ("Interrupted.", "Stopped."), where
        if process.returncode != 0:
            stopped += 1
            assert _snapshot(out) == before, where
        else:
            assert _snapshot(out).keys() == finished.keys(), where
        assert not [p for p in out.rglob(".*")], f"{where}: temporaries left"
        left = _survivors(str(out))
        assert left == [], f"{where}: processes left: {left}"
    # Most moments fall inside the run: the sweep really interrupted it.
    assert stopped >= len(FRACTIONS) // 2


@pytest.mark.parametrize("name", list(SIGNALS))
def test_a_signal_during_a_session_render_leaves_the_folder_as_it_was(
    tmp_path: Path, name: str
) -> None:
    command = ["render", "tabata", "--engine", "fake", "-o"]
    _sweep(tmp_path, name, command, fresh_cache=True)


@pytest.mark.parametrize("name", list(SIGNALS))
def test_a_signal_during_a_split_render_on_two_jobs_leaves_the_folder_as_it_was(
    tmp_path: Path, name: str
) -> None:
    command = ["render", "tabata", "--engine", "fake", "--split", "exercise", "--jobs", "2"]
    _sweep(tmp_path, name, [*command, "-o"], fresh_cache=False)


@pytest.mark.parametrize("name", list(SIGNALS))
def test_a_signal_during_compile_leaves_the_file_as_it_was(tmp_path: Path, name: str) -> None:
    # `compile -o FILE` writes one file: the folder is the FILE's folder.
    code = SIGNALS[name]
    number = getattr(signal, name)
    out, before = _prepare(tmp_path / "clean")
    started = time.monotonic()
    clean = _start(
        ["compile", "tabata", "--engine", "fake", "-o", str(out / "tabata.cues")],
        tmp_path / "cache",
    )
    clean.communicate(timeout=120)
    assert clean.returncode == 0
    length = time.monotonic() - started
    for index, delay in enumerate(_moments(length)):
        out, before = _prepare(tmp_path / f"run{index}")
        target = out / "tabata.cues"
        process = _start(
            ["compile", "tabata", "--engine", "fake", "-o", str(target)], tmp_path / "cache"
        )
        time.sleep(delay)
        process.send_signal(number)
        _, err = process.communicate(timeout=120)
        text = err.decode(errors="replace")
        assert "Traceback" not in text, text
        assert process.returncode in (code, -number, 0), text
        after = _snapshot(out)
        if process.returncode != 0:
            assert after == before
        else:
            assert after.keys() == before.keys() and after["tabata.cues"].startswith(b"coach-cues")
        assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the espeak driver runs on Linux only"
)
def test_a_render_after_an_interrupted_one_is_byte_identical_to_a_clean_one(
    tmp_path: Path,
) -> None:
    pytest.importorskip("pyttsx3")
    clean_out, interrupted_out = tmp_path / "clean", tmp_path / "again"
    clean = _start(
        ["render", "tabata", "--engine", "pyttsx3", "--no-cover", "-q", "-o", str(clean_out)],
        tmp_path / "clean-cache",
    )
    _, err = clean.communicate(timeout=300)
    if clean.returncode != 0 and b"libespeak-ng" in err:
        pytest.skip("libespeak-ng is not available")
    assert clean.returncode == 0, err.decode()

    cache = tmp_path / "cache"
    first = _start(
        ["render", "tabata", "--engine", "pyttsx3", "--no-cover", "-q", "-o", str(interrupted_out)],
        cache,
    )
    deadline = time.monotonic() + 120
    while len(list(cache.glob("clips/*/*.clip"))) < 15 and time.monotonic() < deadline:
        time.sleep(0.01)  # let it synthesize part of the session, then stop it
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=120)
    assert first.returncode == 130
    cached = len(list(cache.glob("clips/*/*.clip")))
    again = _start(
        ["render", "tabata", "--engine", "pyttsx3", "--no-cover", "-q", "-o", str(interrupted_out)],
        cache,
    )
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert cached < len(list(cache.glob("clips/*/*.clip")))  # it did finish the synthesis
    assert (interrupted_out / "tabata.mp3").read_bytes() == (clean_out / "tabata.mp3").read_bytes()
