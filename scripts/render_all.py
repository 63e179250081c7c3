#!/usr/bin/env python3
"""Render every shipped routine into output/ (or -o DIR), one line per routine.

    python scripts/render_all.py                      # pyttsx3 voice, one MP3 per routine
    python scripts/render_all.py --engine fake --split exercise --jobs 2

Exits 1 if any routine failed, after trying them all.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from coach.commands.speech_options import speech_options, voice_from_options
from coach.errors import CoachError


@click.command()
@click.option("-o", "--output", "out_dir", default="output", show_default=True, metavar="DIR")
@click.option("--split", type=click.Choice(["session", "exercise"]), default="session")
@click.option("--bitrate", default="96k", show_default=True)
@click.option("--music", default=None, metavar="FILE")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True)
@speech_options
def main(
    out_dir: str,
    split: str,
    bitrate: str,
    music: str | None,
    jobs: int,
    engine: str,
    voice: str | None,
    rate: int | None,
    volume: float | None,
) -> None:
    """Render every built-in routine."""
    from coach.pipeline import load_script
    from coach.render.render import render_timeline
    from coach.resolve import resolve
    from coach.routine import builtin_routines

    speaker = voice_from_options(engine, voice, rate, volume)
    failed = 0
    for path in builtin_routines():
        started = time.perf_counter()
        try:
            timeline = resolve(load_script(str(path)), speaker)
            result = render_timeline(timeline, out_dir, split, bitrate, music, True, jobs)
        except CoachError as error:
            failed += 1
            click.echo(f"{path.stem}: FAILED: {error}", err=True)
            continue
        took = time.perf_counter() - started
        minutes = timeline.duration / 60
        where = Path(result.tracks[0]).parent if split == "exercise" else result.tracks[0]
        click.echo(
            f"{path.stem}: {minutes:.1f} min, {len(result.tracks)} track(s), "
            f"{len(timeline.warnings)} fit warning(s), {took:.1f} s -> {where}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
