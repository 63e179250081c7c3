#!/usr/bin/env python3
"""Fuzz coach's readers through the CLI: routines, phrasebooks and cue scripts.

    python scripts/fuzz.py                          # 10,000 inputs per file kind
    python scripts/fuzz.py --jobs 3                 # the three kinds side by side
    python scripts/fuzz.py --count 500 --kinds cues --seed 7 --save /tmp/fuzz-finds

Inputs come from tests/fuzzing.py (seeds changed by random mutations; the same
--seed gives the same inputs). Each goes through `validate`, `show --json`,
`compile`, `phrases`, `compile --phrases` and the resolver with the fake voice, in
worker processes capped at --memory GB of address space (RLIMIT_AS), under a time
limit per input. A crash is a traceback, an exit code other than 0, 1 or 2, or a
worker that died; a hang is an input over the time limit. Prints a table of counts
per kind, then every distinct crash and hang with the index of an input that shows
it (--save writes those inputs to a folder). Exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

STATUSES = ("ok", "input error", "crash", "hang")


def worker(kind: str, start: int, count: int, seed: int, limit: float, memory_gb: float) -> None:
    """Probe inputs start..start+count-1 of `kind`, one JSON line each on stdout."""
    import resource

    cap = int(memory_gb * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    with tempfile.TemporaryDirectory(prefix="coach-fuzz-") as folder:
        os.environ["COACH_CACHE_DIR"] = str(Path(folder) / "cache")
        from fuzzing import input_for, probe

        for index in range(start, start + count):
            started = time.monotonic()
            outcome = probe(kind, input_for(kind, index, seed), Path(folder), limit)
            line = {"index": index, "status": outcome.status, "detail": outcome.detail}
            line["seconds"] = round(time.monotonic() - started, 3)
            print(json.dumps(line), flush=True)


class Batch:
    """One worker process probing a run of inputs of one kind."""

    def __init__(self, args: argparse.Namespace, kind: str, start: int, end: int) -> None:
        self.kind, self.next, self.end = kind, start, end
        command = [sys.executable, __file__, "--worker", kind, str(start), str(end - start)]
        command += ["--seed", str(args.seed), "--limit", str(args.limit)]
        command += ["--memory", str(args.memory)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self.stuck = False  # killed for giving no answer in time
        self.code: int | None = None

    def lines(self, patience: float) -> Iterator[dict[str, Any]]:
        """The worker's results; it is killed when one takes longer than `patience` s."""
        answers: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            assert self.process.stdout is not None
            for raw in self.process.stdout:
                answers.put(raw)
            answers.put(None)

        threading.Thread(target=read, daemon=True).start()
        while True:
            try:
                raw = answers.get(timeout=patience)
            except queue.Empty:
                self.stuck = True
                self.process.kill()
                break
            if raw is None:
                break
            yield json.loads(raw)
        self.code = self.process.wait()


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda kind: fuzz(args, kind), args.kinds))
    counts = {kind: count for kind, (count, _, _) in zip(args.kinds, results, strict=True)}
    slowest = {kind: slow for kind, (_, _, slow) in zip(args.kinds, results, strict=True)}
    finds = {key: found for _, kind_finds, _ in results for key, found in kind_finds.items()}
    print(file=sys.stderr)
    _report(args, counts, finds, slowest, time.monotonic() - started)
    return 1 if finds else 0


def fuzz(
    args: argparse.Namespace, kind: str
) -> tuple[Counter[str], dict[tuple[str, str, str], list[int]], float]:
    """Probe --count inputs of `kind`, a batch per worker: counts, finds, slowest seconds."""
    counts: Counter[str] = Counter()
    finds: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    slowest = 0.0
    index = 0
    while index < args.count:
        end = min(args.count, index + args.batch)
        batch = Batch(args, kind, index, end)
        for line in batch.lines(args.limit * 3 + 30):
            counts[line["status"]] += 1
            slowest = max(slowest, line["seconds"])
            if line["status"] in ("crash", "hang"):
                finds[(kind, line["status"], line["detail"])].append(line["index"])
            batch.next = line["index"] + 1
        if batch.next < end:  # the worker died or was stopped on this input
            status = "hang" if batch.stuck else "crash"
            counts[status] += 1
            what = "no answer, worker killed" if batch.stuck else "worker died"
            finds[(kind, status, f"{what} (exit {batch.code})")].append(batch.next)
        index = max(batch.next + (batch.next < end), index + 1)
        print(f"{kind}: {sum(counts.values())}/{args.count}", file=sys.stderr, flush=True)
    _retry_hangs(args, kind, counts, finds)
    return counts, finds, slowest


def _retry_hangs(
    args: argparse.Namespace,
    kind: str,
    counts: Counter[str],
    finds: dict[tuple[str, str, str], list[int]],
) -> None:
    """Probe each input that ran out of time again, alone: a busy machine is not a hang."""
    for key in [key for key in finds if key[1] == "hang"]:
        for index in list(finds[key]):
            batch = Batch(args, kind, index, index + 1)
            for line in batch.lines(args.limit * 3 + 30):
                if line["status"] in ("ok", "input error"):
                    finds[key].remove(index)
                    counts["hang"] -= 1
                    counts[line["status"]] += 1
                    counts["slow under load"] += 1
        if not finds[key]:
            del finds[key]


def _report(
    args: argparse.Namespace,
    counts: dict[str, Counter[str]],
    finds: dict[tuple[str, str, str], list[int]],
    slowest: dict[str, float],
    seconds: float,
) -> None:
    print(
        f"coach fuzz: seed {args.seed}, limit {args.limit:g} s per input,"
        f" {args.memory:g} GB address space, {seconds:.0f} s in all\n"
    )
    print("| kind | inputs | ok | input errors | crashes | hangs | slowest input |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    retried = []
    for kind, count in counts.items():
        total = sum(count[status] for status in STATUSES)
        cells = [str(count[status]) for status in STATUSES]
        print(f"| {kind} | {total} | " + " | ".join(cells) + f" | {slowest[kind]:.2f} s |")
        if count["slow under load"]:
            retried.append(f"{count['slow under load']} {kind}")
    if retried:
        print(
            f"\nOver the time limit in the run but answered in time when run alone: "
            f"{', '.join(retried)} (counted by their answer)."
        )
    if not finds:
        return
    print("\nfinds (kind, what, where, how many, first inputs):")
    for (kind, status, detail), indexes in sorted(finds.items()):
        print(f"- {kind} {status}: {detail} x{len(indexes)} (inputs {indexes[:20]})")
        if args.save:
            from fuzzing import SUFFIX, input_for

            folder = Path(args.save)
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{kind}-{args.seed}-{indexes[0]}{SUFFIX[kind]}"
            (folder / name).write_bytes(input_for(kind, indexes[0], args.seed))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs per file kind")
    parser.add_argument("--kinds", nargs="+", default=["routine", "phrasebook", "cues"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--memory", type=float, default=3.0, help="GB of address space")
    parser.add_argument("--batch", type=int, default=500, help="inputs per worker process")
    parser.add_argument("--jobs", type=int, default=1, help="file kinds fuzzed at once")
    parser.add_argument("--save", default=None, help="write crashing inputs to this folder")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, start, count = args.worker
        worker(kind, int(start), int(count), args.seed, args.limit, args.memory)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
