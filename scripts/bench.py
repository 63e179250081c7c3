#!/usr/bin/env python3
"""coach against its floor: one invocation, one markdown table.

    python scripts/bench.py                          # 15, 30, 60, 120 min, 3 runs (~7 min)
    python scripts/bench.py --lengths 30 --runs 5
    python scripts/bench.py --quick --engine fake    # a one-minute routine, once (the test)

For each length a routine is generated (many exercises: reps, timed work, holds,
sides, rests) and `coach render` is run as a user runs it, in its own process:

- floor: ffmpeg (the one coach uses) encoding the same PCM to MP3 at the same rate,
  channels and bitrate, from a file; every ratio below is to this floor.
- warm: session mode with the clip cache filled (a session rendered before, so its
  loudness plan is remembered too); the peak RSS of that process and of its ffmpeg
  (VmHWM, polled from /proc).
- warm, new session: the same with the remembered plans removed first, as for a
  session never rendered before whose phrases are all cached; the peak RSS row is
  from these runs (making the plan costs the most memory).
- cold: the same with an empty cache (the real engine); the synthesis share is
  (cold - warm new session) / cold.
- split: `--split exercise --jobs 2` with the cache filled.
- naive: the same Timeline built by concatenating pydub AudioSegments cue by cue
  (silence, clip, silence, ...) and exported with pydub at the same settings;
  skipped at a length where the quadratic growth seen so far predicts more than
  --naive-limit seconds, and not repeated once a run takes longer than that.
- start-up: `coach --help` and `coach list` against `python -c "import click"`.

Medians of --runs runs; the runs of each length are interleaved, so a busy moment
hits every column alike. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BITRATE = "96k"
TARGET_WARM = 1.25
TARGET_SPLIT = 0.75
TARGET_RSS_MB = 300.0
TARGET_RSS_GROWTH = 1.3
TARGET_STARTUP = 1.5

# Exercise material for generated routines: names, form cues, setup lines (our own words).
NAMES = [
    "Squat", "Reverse lunge", "Glute bridge", "Push-up", "Plank", "Side plank",
    "Bird dog", "Dead bug", "Wall sit", "Calf raise", "Step-up", "Mountain climber",
    "Superman hold", "Donkey kick", "Fire hydrant", "Good morning", "Split squat",
    "Hip thrust", "Bear crawl", "Shoulder tap", "Hollow hold", "Russian twist",
    "Lateral lunge", "Single-leg deadlift", "Jumping jack", "High knees",
]  # fmt: skip
VARIANTS = ["", "with a pause", "slow tempo", "wide stance", "on the toes", "narrow stance"]
CUES = [
    "Brace your middle before you move.", "Breathe out on the effort.",
    "Keep your knees in line with your toes.", "Move slowly on the way down.",
    "Shoulders away from your ears.", "Keep your back long and flat.",
    "Press through the whole foot.", "Squeeze at the top for a moment.",
    "Let your hips lead the movement.", "Eyes on a point in front of you.",
    "Smooth and steady, no bouncing.", "Stay tall through the chest.",
]  # fmt: skip
SETUP = [
    "Feet hip-width apart, arms relaxed.", "Find a spot with room to move.",
    "Start from a stable position and check your balance.", "Set your hands under your shoulders.",
    "Stand tall and take one slow breath.", "Come down onto a mat if you have one.",
]  # fmt: skip


def routine_yaml(minutes: float) -> tuple[str, float]:
    """A routine of about `minutes` minutes as YAML text, and its estimated length in minutes."""
    lines = [
        f"title: Bench session {minutes:g} minutes",
        "description: Generated for the benchmark.",
        "settings: {tempo: 3s, rest: 30s, rest_between_exercises: 20s, switch: 5s}",
        "reminders:",
        "  every: 40s",
        "  phrases: [Keep breathing., Relax your jaw and shoulders., Nice and controlled.]",
        "intro:",
        "  - A long generated session to time the renderer.",
        "  - Work at your own pace and rest when you need to.",
        "outro: That is the end of the session. Well done.",
        "exercises:",
    ]
    total = 30.0  # intro and outro
    index = 0
    sets_cap = max(1, int(minutes))  # a routine under two minutes does one set of each
    while total < minutes * 60 or index < 1:
        name = NAMES[index % len(NAMES)]
        variant = VARIANTS[(index // len(NAMES)) % len(VARIANTS)]
        title = f"{name} {variant}".strip()
        cues = [CUES[(index * 3 + k) % len(CUES)] for k in range(2)]
        setup = [SETUP[(index + k) % len(SETUP)] for k in range(2)]
        lines += [
            f"  - name: {title}",
            f"    setup: [{', '.join(setup)}]",
            f"    cues: [{', '.join(cues)}]",
        ]
        kind = index % 5
        if kind == 0:  # counted reps on each side
            lines += [
                f"    sets: {min(3, sets_cap)}",
                "    reps: 10",
                "    sides: [right leg, left leg]",
            ]
            seconds = 3 * (2 * 30 + 5) + 2 * 30
        elif kind == 1:  # timed work
            lines += [f"    sets: {min(3, sets_cap)}", "    work: 45s", "    rest: 20s"]
            seconds = 3 * 45 + 2 * 20
        elif kind == 2:  # reps with a hold at the top
            lines += [f"    sets: {min(2, sets_cap)}", "    reps: 12", "    hold: 1s"]
            seconds = 2 * 12 * 4 + 30
        elif kind == 3:  # alternating sides within a set
            lines += [f"    sets: {min(2, sets_cap)}", "    reps: 16", "    alternate: true"]
            seconds = 2 * 48 + 30
        else:  # timed work on each side
            lines += [
                f"    sets: {min(2, sets_cap)}",
                "    work: 30s",
                "    sides: [right side, left side]",
            ]
            seconds = 2 * (60 + 5) + 30
        total += seconds + 20 + 15  # rest after, name, setup and countdowns
        index += 1
    return "\n".join(lines) + "\n", total / 60


@dataclass
class Runs:
    """Several timings of one thing, reported as their median."""

    seconds: list[float] = field(default_factory=list)
    extra: list[float] = field(default_factory=list)  # e.g. peak RSS of each run
    skipped: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


@dataclass
class Child:
    """What one finished child process cost."""

    seconds: float
    own_mb: float  # peak RSS (VmHWM) of the process itself
    children_mb: float  # the largest peak RSS among the processes it started (ffmpeg)


def _peak_mb(pid: int | str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_child(args: Sequence[str], env: dict[str, str] | None = None) -> Child:
    """Run a command to the end: wall time, and the peak RSS of it and of its children.

    Peaks are VmHWM from /proc, polled every 10 ms (the high-water mark, so a poll
    between two peaks loses nothing). ru_maxrss from wait4 is not used: a child's
    figure there starts from the RSS its parent had when it forked, which would
    charge ffmpeg with coach's memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peaks = {"own": 0.0, "children": 0.0}
    done = threading.Event()

    def poll() -> None:
        pid = process.pid
        while not done.is_set():
            try:
                peaks["own"] = max(peaks["own"], _peak_mb(pid))
                kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                for kid in kids:
                    peaks["children"] = max(peaks["children"], _peak_mb(kid))
            except (OSError, ValueError):
                pass
            done.wait(0.01)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, errors = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if process.returncode != 0:
        text = errors.decode("utf-8", "replace").strip()
        raise SystemExit(f"bench: {' '.join(args[:3])} failed ({process.returncode}): {text}")
    return Child(seconds, peaks["own"], peaks["children"])


def coach_command() -> list[str]:
    """The installed `coach` script beside this Python (as a user runs it), else -m coach."""
    script = Path(sys.executable).parent / "coach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "coach"]


def machine() -> str:
    """Cores, CPU model, Python and ffmpeg versions (no paths, no host name)."""
    from coach.audio.ffmpeg import find_ffmpeg

    model = "unknown CPU"
    with _suppress():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    version = subprocess.run(
        [find_ffmpeg(), "-version"], capture_output=True, text=True, check=False
    ).stdout.split("\n", 1)[0]
    parts = version.split()
    ffmpeg = " ".join(parts[:3]) if len(parts) >= 3 else "ffmpeg"
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"{ffmpeg}, {platform.system()} {platform.machine()}"
    )


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is not None and issubclass(exc[0], OSError)  # type: ignore[arg-type]


@dataclass
class Length:
    """Everything measured for one routine length."""

    minutes: float
    actual: float = 0.0
    cues: int = 0
    chapters: int = 0
    floor: Runs = field(default_factory=Runs)
    warm: Runs = field(default_factory=Runs)
    new_plan: Runs = field(default_factory=Runs)  # clips cached, loudness plan not
    cold: Runs = field(default_factory=Runs)
    split: Runs = field(default_factory=Runs)
    naive: Runs = field(default_factory=Runs)
    rss_ffmpeg: list[float] = field(default_factory=list)  # largest ffmpeg child


def write_pcm(timeline: Any, path: Path) -> None:
    """The exact PCM coach encodes for `timeline` (after its loudness plan), to a file."""
    from coach.audio.levels import plan_mix
    from coach.render.encode import BLOCK_FRAMES

    plan = plan_mix(timeline)
    mixer = plan.mixer()
    with path.open("wb") as out:
        for block in mixer.blocks(BLOCK_FRAMES):
            out.write(block.astype("<i2", copy=False).tobytes())
    mixer.close()


def floor_once(pcm: Path, rate: int, out: Path) -> float:
    """Seconds for ffmpeg alone to encode the PCM file to MP3 (what coach's encode costs)."""
    from coach.audio.ffmpeg import find_ffmpeg

    args = [find_ffmpeg(), "-hide_banner", "-nostats", "-v", "error"]
    args += ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", str(pcm)]
    args += ["-c:a", "libmp3lame", "-b:a", BITRATE, "-f", "mp3", "-y", str(out)]
    return run_child(args).seconds


def naive_once(timeline: Any, out: Path) -> float:
    """Build the session by concatenating AudioSegments cue by cue, then export with pydub."""
    from pydub import AudioSegment

    from coach.audio.ffmpeg import find_ffmpeg
    from coach.audio.tones import tone_samples

    AudioSegment.converter = find_ffmpeg()
    rate = timeline.sample_rate

    def segment(data: bytes) -> Any:
        return AudioSegment(data=data, sample_width=2, frame_rate=rate, channels=1)

    events = [(cue.start, cue.clip.samples) for cue in timeline.cues]
    events += [
        (tone.start, tone_samples(tone.frames, tone.frequency, rate)) for tone in timeline.tones
    ]
    events.sort(key=lambda event: event[0])
    started = time.perf_counter()
    session = segment(b"")
    position = 0
    for start, samples in events:
        clip = segment(samples.astype("<i2").tobytes())
        if start >= position:
            session = session + segment(bytes(2 * (start - position))) + clip
            position = start + samples.shape[0]
        else:  # a beep under speech: mixed in where it belongs
            end = start + samples.shape[0]
            if end > position:
                session = session + segment(bytes(2 * (end - position)))
                position = end
            session = session.overlay(clip, position=start * 1000 / rate)
    session = session + segment(bytes(2 * max(0, timeline.length - position)))
    session.export(str(out), format="mp3", bitrate=BITRATE)
    return time.perf_counter() - started


def measure_length(
    minutes: float, work: Path, runs: int, engine: str, naive_limit: float, naive_prev: Runs | None
) -> Length:
    from coach.pipeline import load_script
    from coach.resolve import resolve
    from coach.speech.base import EngineOptions
    from coach.speech.cache import CachedVoice, ClipCache
    from coach.speech.engines import create_engine

    result = Length(minutes)
    folder = work / f"{minutes:g}min"
    folder.mkdir()
    text, _ = routine_yaml(minutes)
    routine = folder / "routine.yaml"
    routine.write_text(text, encoding="utf-8")
    coach = coach_command()

    def render(cache: Path, *extra: str) -> Child:
        out = folder / "out"
        shutil.rmtree(out, ignore_errors=True)
        env = {**os.environ, "COACH_CACHE_DIR": str(cache)}
        args = [*coach, "render", str(routine), "-o", str(out), "-q", "--engine", engine]
        return run_child([*args, *extra], env)

    def cold(run: int) -> Path:
        cache = folder / f"cache{run}"
        took = render(cache)
        result.cold.seconds.append(took.seconds)
        return cache

    _say(f"{minutes:g} min: cold render 1")
    warm_cache = cold(0)
    voice = CachedVoice(create_engine(engine, EngineOptions()), ClipCache(warm_cache))
    timeline = resolve(load_script(str(routine)), voice)
    result.actual = timeline.duration / 60
    result.cues = len(timeline.cues)
    result.chapters = len(timeline.chapters)
    pcm = folder / "session.pcm"
    write_pcm(timeline, pcm)
    for run in range(runs):
        _say(f"{minutes:g} min: run {run + 1} of {runs}")
        result.floor.seconds.append(floor_once(pcm, timeline.sample_rate, folder / "floor.mp3"))
        took = render(warm_cache)
        result.warm.seconds.append(took.seconds)
        result.warm.extra.append(took.own_mb)
        result.rss_ffmpeg.append(took.children_mb)
        shutil.rmtree(warm_cache / "plans", ignore_errors=True)  # as if the session were new
        took = render(warm_cache)
        result.new_plan.seconds.append(took.seconds)
        result.new_plan.extra.append(took.own_mb)
        result.split.seconds.append(
            render(warm_cache, "--split", "exercise", "--jobs", "2").seconds
        )
        if run > 0:
            shutil.rmtree(cold(run), ignore_errors=True)
    pcm.unlink()
    if naive_prev is not None and naive_prev.seconds:
        grown = naive_prev.median * (minutes / naive_prev.extra[0]) ** 2
        if grown > naive_limit:
            result.naive.skipped = f"skipped (> {naive_limit:g} s)"
    elif naive_prev is not None:
        result.naive.skipped = naive_prev.skipped
    if not result.naive.skipped:
        for run in range(runs):
            _say(f"{minutes:g} min: naive run {run + 1} of {runs}")
            naive = naive_once(timeline, folder / "naive.mp3")
            result.naive.seconds.append(naive)
            if naive > naive_limit:
                break
        result.naive.extra = [minutes]
    shutil.rmtree(folder, ignore_errors=True)
    return result


def startup(runs: int) -> dict[str, float]:
    """Median wall seconds of each start-up command."""
    coach = coach_command()
    commands = {
        "import click": [sys.executable, "-c", "import click"],
        "coach --help": [*coach, "--help"],
        "coach list": [*coach, "list"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            times[name].append(run_child(args).seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def _fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"


def table(lengths: list[Length], start: dict[str, float], runs: int, startup_runs: int) -> str:
    """The results as one markdown table: a row per measure, a column per length."""
    heads = [f"{item.minutes:g} min" for item in lengths]
    rows: list[list[str]] = []

    def row(name: str, cells: list[str], target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("yes" if met else "**no**")
        rows.append([name, *cells, target, verdict])

    def each(get: Callable[[Length], str]) -> list[str]:
        return [get(item) for item in lengths]

    def ratio(runs_: Runs, item: Length) -> float:
        return runs_.median / item.floor.median

    row("session length (min) / cues / chapters",
        each(lambda i: f"{i.actual:.1f} / {i.cues} / {i.chapters}"))  # fmt: skip
    row("floor: ffmpeg PCM to MP3 (s)", each(lambda i: _fmt(i.floor.median)))
    row("coach render, warm cache (s)", each(lambda i: _fmt(i.warm.median)))
    warm = [ratio(i.warm, i) for i in lengths]
    row("ratio warm / floor", [_fmt(v) for v in warm], f"<= {TARGET_WARM}",
        all(v <= TARGET_WARM for v in warm))  # fmt: skip
    row("coach render, warm clips, new session (plan made) (s)",
        each(lambda i: _fmt(i.new_plan.median)))  # fmt: skip
    row("ratio warm new session / floor", each(lambda i: _fmt(ratio(i.new_plan, i))))
    row("coach render, empty cache (s)", each(lambda i: _fmt(i.cold.median)))
    row("ratio cold / floor", each(lambda i: _fmt(ratio(i.cold, i))))
    row("share synthesizing, (cold - warm new session) / cold",
        each(lambda i: f"{max(0.0, 1 - i.new_plan.median / i.cold.median):.0%}"))  # fmt: skip
    row("--split exercise --jobs 2, warm (s)", each(lambda i: _fmt(i.split.median)))
    split = [ratio(i.split, i) for i in lengths]
    row("ratio split / floor", [_fmt(v) for v in split], f"< {TARGET_SPLIT}",
        all(v < TARGET_SPLIT for v in split))  # fmt: skip
    row("naive pydub concatenation (s)",
        each(lambda i: i.naive.skipped or _fmt(i.naive.median)))  # fmt: skip
    row("ratio naive / floor",
        each(lambda i: "" if i.naive.skipped else _fmt(ratio(i.naive, i))))  # fmt: skip
    per_minute = [
        (i.warm.median / i.actual, i.naive.median / i.actual if i.naive.seconds else None)
        for i in lengths
    ]
    row("s per session-minute: coach / naive",
        [f"{c:.3f} / {'-' if n is None else f'{n:.3f}'}" for c, n in per_minute])  # fmt: skip
    rss = [statistics.median(i.new_plan.extra) for i in lengths]  # the plan costs the most
    row("peak RSS coach process, warm clips, new session (MB)", [f"{v:.0f}" for v in rss],
        f"<= {TARGET_RSS_MB:.0f}", all(v <= TARGET_RSS_MB for v in rss))  # fmt: skip
    row("peak RSS of its ffmpeg, warm (MB)",
        each(lambda i: f"{statistics.median(i.rss_ffmpeg):.0f}"))  # fmt: skip
    growth = rss[-1] / rss[0]
    row(f"RSS growth {heads[-1]} / {heads[0]}", [f"{growth:.2f}", *[""] * (len(lengths) - 1)],
        f"<= {TARGET_RSS_GROWTH}", growth <= TARGET_RSS_GROWTH)  # fmt: skip
    click = start["import click"]
    for name in ("import click", "coach --help", "coach list"):
        value = start[name]
        cell = f"{value * 1000:.0f} ms" + (
            "" if name == "import click" else f" ({value / click:.2f}x)"
        )
        target = "" if name == "import click" else f"<= {TARGET_STARTUP}x"
        met = None if name == "import click" else value / click <= TARGET_STARTUP
        row(f"start-up: {name}", [cell, *[""] * (len(lengths) - 1)], target, met)
    head = ["measure", *heads, "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    note = (
        f"Medians of {runs} run(s) per length, {startup_runs} for start-up; "
        f"MP3 {BITRATE} mono 22.05 kHz."
    )
    return "\n".join([note, "", *lines])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="15,30,60,120", help="minutes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--engine", default="pyttsx3", help="engine for the empty-cache runs")
    parser.add_argument("--naive-limit", type=float, default=45.0, metavar="SECONDS")
    parser.add_argument("--quick", action="store_true", help="one 1-minute routine, one run")
    args = parser.parse_args(argv)
    if args.quick:
        args.lengths, args.runs, args.startup_runs = "1", 1, 1
    lengths = [float(item) for item in args.lengths.split(",") if item.strip()]
    if not lengths or args.runs < 1:
        parser.error("need at least one length and one run")
    started = time.perf_counter()
    results: list[Length] = []
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as work:
        previous: Runs | None = None
        for minutes in sorted(lengths):
            item = measure_length(minutes, Path(work), args.runs, args.engine,
                                  args.naive_limit, previous)  # fmt: skip
            previous = item.naive
            results.append(item)
    _say("start-up")
    start = startup(args.startup_runs)
    print(f"Machine: {machine()}")
    print()
    print(table(results, start, args.runs, args.startup_runs))
    _say(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
