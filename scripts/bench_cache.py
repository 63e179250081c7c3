"""Cold vs warm clip cache: synthesize every unique phrase of a routine, then do it again.

Prints a markdown table: median of N runs of the cold pass (empty cache: every phrase
synthesized) and the warm pass (a new voice on the same cache, as a second render
would be), and how many clips the warm pass synthesized (must be 0).

    python scripts/bench_cache.py                       # seven-minute, pyttsx3, 3 runs
    python scripts/bench_cache.py tabata --engine piper --runs 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coach.errors import CoachError
from coach.speech.base import Engine, EngineOptions
from coach.speech.cache import CachedVoice, ClipCache
from coach.speech.engines import create_engine

# Used when the routine pipeline is not available.
FALLBACK_PHRASES = [
    "Get ready.", "Squats.", "Push-ups.", "Plank.", "Rest.", "Halfway.", "Switch sides.",
    "Three", "Two", "One", "Go!", "Ten seconds left.", "Last set.", "Well done.",
    "Next up: lunges.", "Keep your back straight.", "Breathe out as you push.",
]  # fmt: skip


def unique_phrases(routine: str) -> tuple[str, list[str]]:
    """Every text the compiled routine may speak, in order, once each."""
    try:
        from coach.pipeline import load_script
        from coach.resolve import chapter_texts
    except ImportError:
        return "typical coach phrases", list(FALLBACK_PHRASES)
    script = load_script(routine)
    return routine, chapter_texts(list(script.steps))


def timed_pass(engine: Engine, cache: ClipCache, texts: list[str]) -> tuple[float, int]:
    voice = CachedVoice(engine, cache)
    start = time.perf_counter()
    voice.prepare(texts)
    return time.perf_counter() - start, voice.stats.synthesized


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("routine", nargs="?", default="seven-minute")
    parser.add_argument("--engine", default="pyttsx3")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    try:
        source, texts = unique_phrases(args.routine)
        engine = create_engine(args.engine, EngineOptions())
    except CoachError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    cold: list[float] = []
    warm: list[float] = []
    warm_synth: list[int] = []
    cold_synth = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="coach-bench-") as folder:
            cache = ClipCache(Path(folder))
            seconds, cold_synth = timed_pass(engine, cache, texts)
            cold.append(seconds)
            seconds, made = timed_pass(engine, cache, texts)
            warm.append(seconds)
            warm_synth.append(made)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    print(f"{source}: {len(texts)} unique phrases, engine {args.engine}, median of {args.runs}")
    print()
    print("| pass | time (s) | per phrase (ms) | clips synthesized |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| cold | {cold_s:.3f} | {1000 * cold_s / len(texts):.2f} | {cold_synth} |")
    print(f"| warm | {warm_s:.3f} | {1000 * warm_s / len(texts):.2f} | {max(warm_synth)} |")
    print()
    print(f"speed-up: {cold_s / warm_s:.0f}x" if warm_s > 0 else "speed-up: n/a")
    return 0 if max(warm_synth) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
