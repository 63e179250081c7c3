"""The benchmark runs end to end (tiny routine, fake voice), and its fast helpers are exact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from coach.audio.limiter import moving_mean, sliding_min

ROOT = Path(__file__).resolve().parent.parent
ROWS = [
    "session length",
    "floor: ffmpeg PCM to MP3",
    "coach render, warm cache",
    "ratio warm / floor",
    "coach render, warm clips, new session",
    "ratio warm new session / floor",
    "coach render, empty cache",
    "ratio cold / floor",
    "share synthesizing",
    "--split exercise --jobs 2",
    "ratio split / floor",
    "naive pydub concatenation",
    "ratio naive / floor",
    "s per session-minute",
    "peak RSS coach process",
    "peak RSS of its ffmpeg",
    "RSS growth",
    "start-up: import click",
    "start-up: coach --help",
    "start-up: coach list",
]


def test_quick_bench_prints_one_table_with_every_row() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--engine", "fake"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert table[0].startswith("| measure | 1 min | target | met |")
    names = [line.split("|")[1].strip() for line in table[2:]]
    assert len(names) == len(ROWS)
    for name, row in zip(names, ROWS, strict=True):
        assert name.startswith(row)
    for line in table[2:]:
        assert "nan" not in line
    assert "Machine:" in done.stdout and "cores" in done.stdout


def test_sliding_min_and_mean_match_the_direct_forms() -> None:
    rng = np.random.default_rng(7)
    for size, width in [(1, 1), (10, 3), (1000, 221), (997, 221), (221, 221), (5000, 64)]:
        values = rng.random(size + width - 1)
        direct_min = sliding_window_view(values, width).min(axis=1)
        assert np.array_equal(sliding_min(values, width), direct_min)
        direct_mean = np.convolve(values, np.ones(width) / width, mode="valid")
        assert np.allclose(moving_mean(values, width), direct_mean, rtol=0, atol=1e-12)
