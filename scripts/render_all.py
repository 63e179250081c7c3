#!/usr/bin/env python3
"""Render every shipped routine into output/ (or -o DIR), one line per routine.

    python scripts/render_all.py                      # pyttsx3 voice, one MP3 per routine
    python scripts/render_all.py --engine fake --split exercise --jobs 2
    python scripts/render_all.py --measure 120 -o /tmp/m    # peak memory of a 2-hour render

Exits 1 if any routine failed, after trying them all. `--measure MINUTES` renders
a generated session of fake-voice clips instead and prints time and peak RSS.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from coach.commands.speech_options import SpeechChoice, speech_options
from coach.errors import CoachError


@click.command()
@click.option("-o", "--output", "out_dir", default="output", show_default=True, metavar="DIR")
@click.option("--split", type=click.Choice(["session", "exercise"]), default="session")
@click.option("--bitrate", default=None, help="Default: 96k for voice, 192k (stereo) with --music.")
@click.option("--music", default=None, metavar="FILE")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--measure", type=float, default=None, metavar="MINUTES")
@speech_options
def main(
    out_dir: str,
    split: str,
    bitrate: str | None,
    music: str | None,
    jobs: int,
    measure: float | None,
    speech: SpeechChoice,
) -> None:
    """Render every built-in routine."""
    if measure is not None:
        _measure(measure, out_dir, split, bitrate, music, jobs)
        return
    from coach.pipeline import load_script
    from coach.render.render import render_timeline
    from coach.resolve import resolve
    from coach.routine import builtin_routines

    speaker = speech.open()
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


def _measure(
    minutes: float, out_dir: str, split: str, bitrate: str | None, music: str | None, jobs: int
) -> None:
    """Render a generated session (20 fake-voice cues and a beep per chapter) and report."""
    import resource

    from coach.audio.clip import SAMPLE_RATE
    from coach.render.render import render_timeline
    from coach.speech.fake import FakeEngine
    from coach.speech.voice import MemoryVoice
    from coach.timeline import ChapterSpan, TimedCue, TimedTone, Timeline

    voice = MemoryVoice(FakeEngine())
    words = ["one", "two", "three", "four", "five", "halfway", "rest now", "next up", "go"]
    cues: list[TimedCue] = []
    tones: list[TimedTone] = []
    chapters: list[ChapterSpan] = []
    position = 0
    while position < minutes * 60 * SAMPLE_RATE:
        start = position
        for index in range(20):
            text = words[(len(chapters) + index) % len(words)]
            clip = voice.clip(text)
            cues.append(TimedCue(position, text, "cue", len(chapters), clip))
            position += clip.frames + 2 * SAMPLE_RATE
        tones.append(TimedTone(position, 3000))
        position += SAMPLE_RATE
        chapters.append(ChapterSpan(f"Exercise {len(chapters) + 1}", start, position))
    timeline = Timeline(
        length=position,
        cues=cues,
        tones=tones,
        chapters=chapters,
        title="Measure",
        routine="measure",
    )
    started = time.perf_counter()
    render_timeline(timeline, out_dir, split, bitrate, music, True, jobs)
    took = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    click.echo(
        f"{minutes:g} min, {len(cues)} cues, {len(chapters)} chapters, {split}, jobs {jobs}: "
        f"{took:.1f} s, peak RSS {own:.0f} MB (coach), {child:.0f} MB (largest ffmpeg)"
    )


if __name__ == "__main__":
    main()
