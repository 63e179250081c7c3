"""How soon `coach play` speaks on an empty clip cache: process start to the first word.

For each engine, N times: a fresh empty cache (COACH_CACHE_DIR), `coach play ROUTINE
--output null --events LOG` started as a new process, stopped with SIGINT after a few
seconds. The player's event log gives the monotonic time at which the first cue's first
sample reaches the output (the null output pulls each block at its due time, so that is
when a device would be handed it); the script took the same clock just before starting
the process. The output starts while the first sentence is synthesized, so its 0.3 s
pre-roll of silence is hidden behind it when synthesis takes longer. Prints a markdown
table of the medians.

    python scripts/bench_start.py                         # at-home-glutes, pyttsx3 and piper
    python scripts/bench_start.py tabata --engines piper --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LISTEN = 6.0  # seconds to let each run play before stopping it


def first_word(routine: str, engine: str) -> float | None:
    """Seconds from starting `coach play` to its first cue being heard (None: never)."""
    with tempfile.TemporaryDirectory(prefix="coach-bench-start-") as folder:
        log = Path(folder) / "events.jsonl"
        env = {**os.environ, "COACH_CACHE_DIR": str(Path(folder) / "cache")}
        command = [sys.executable, "-m", "coach", "play", routine, "--engine", engine]
        command += ["--output", "null", "--events", str(log)]
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(LISTEN)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if not log.exists():
            return None
        for line in log.read_text().splitlines():
            event = json.loads(line)
            if event["kind"] == "cue":
                return float(event["wall"]) - started
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", nargs="?", default="at-home-glutes")
    parser.add_argument("--engines", default="pyttsx3,piper")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"`coach play {args.routine}` on an empty cache, process start to the first word")
    print("(seconds; the 0.3 s pre-roll of silence included where synthesis took less)\n")
    print("| engine | median | runs |")
    print("|---|---:|---|")
    for engine in args.engines.split(","):
        times = [first_word(args.routine, engine) for _ in range(args.runs)]
        heard = [t for t in times if t is not None]
        median = f"{statistics.median(heard):.2f}" if heard else "never"
        shown = ", ".join("never" if t is None else f"{t:.2f}" for t in times)
        print(f"| {engine} | {median} | {shown} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
