"""A cold render (empty clip cache) on one core and on every core: how much both cores help.

For each engine, N times each and alternating: `coach render ROUTINE --engine ENGINE
--quiet` as a new process on a fresh empty cache (COACH_CACHE_DIR) and a fresh output
folder, once held to one core (its CPU affinity, inherited by every thread and child
process it starts) and once free to use all of them. Prints a markdown table of the
medians: wall-clock seconds, CPU seconds (user + sys of the render and its children),
how many cores that kept busy (CPU / wall) and the speed-up over one core.

    python scripts/bench_cold_render.py              # at-home-glutes, piper and pyttsx3
    python scripts/bench_cold_render.py tabata --engines piper --runs 5
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cold_render(routine: str, engine: str, one_core: bool) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one render on an empty cache."""
    with tempfile.TemporaryDirectory(prefix="coach-bench-render-") as folder:
        env = {**os.environ, "COACH_CACHE_DIR": str(Path(folder) / "cache")}
        command = [sys.executable, "-m", "coach", "render", routine, "--engine", engine]
        command += ["--quiet", "-o", str(Path(folder) / "out")]
        core = min(os.sched_getaffinity(0))

        def pin() -> None:
            if one_core:
                os.sched_setaffinity(0, {core})

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, preexec_fn=pin)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", nargs="?", default="at-home-glutes")
    parser.add_argument("--engines", default="piper,pyttsx3")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0))
    print(f"`coach render {args.routine}` on an empty cache, medians of {args.runs} runs")
    print(f"(seconds; this machine lets coach use {cores} cores)\n")
    print("| engine | cores | wall | CPU (user+sys) | cores busy | speed-up |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine in args.engines.split(","):
        results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for _ in range(args.runs):
            for one_core in (True, False):
                results[one_core].append(cold_render(args.routine, engine, one_core))
        base = statistics.median(wall for wall, _ in results[True])
        for one_core in (True, False):
            wall = statistics.median(w for w, _ in results[one_core])
            cpu = statistics.median(c for _, c in results[one_core])
            shown = 1 if one_core else cores
            print(
                f"| {engine} | {shown} | {wall:.1f} | {cpu:.1f} | {cpu / wall:.2f} "
                f"| {base / wall:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
