#!/usr/bin/env python3
"""How each routine sounds as coaching: the figures of docs/coaching.md, with a verdict.

    python scripts/coaching_report.py at-home-glutes                 # default voice
    python scripts/coaching_report.py at-home-glutes tabata --level 2 --engine fake
    python scripts/coaching_report.py routines/*.yaml --markdown     # one row per routine
    python scripts/coaching_report.py at-home-glutes --json          # every figure, per exercise

Each routine is compiled and resolved against the voice (every clip synthesized and
measured, exactly as `coach render` does) but not encoded: the timeline is the one
the render's `.timeline.json` would hold. Exits 1 if a figure misses its target,
2 on bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from coaching_figures import Check, checks, figures  # noqa: E402

from coach.commands.speech_options import SpeechChoice, speech_options  # noqa: E402
from coach.errors import CoachError  # noqa: E402


def session_timeline(ref: str, level: int | None, voice: Any) -> dict[str, Any]:
    """The `coach-timeline` document of a one-file render of `ref` at `level`."""
    from coach.pipeline import load_script
    from coach.render.render import plan_tracks, track_info
    from coach.render.sidecars import timeline_dict
    from coach.resolve import resolve

    timeline = resolve(load_script(ref, level), voice)
    track = plan_tracks(timeline, Path("."), "session")[0]
    return timeline_dict(track_info(timeline, track))


def form_texts(ref: str, level: int | None) -> dict[str, list[str]]:
    """Each exercise's form cues at `level` (its `cues:` and `breathe:`), by name."""
    from coach.routine import load_routine

    routine = load_routine(ref).at_level(level)
    return {ex.name: [*ex.cues, *ex.breathe] for ex in routine.exercises}


def table(checks_: list[Check]) -> str:
    width = max(len(c.name) for c in checks_)
    value_width = min(60, max(len(c.value) for c in checks_))
    lines = []
    for c in checks_:
        value = c.value if len(c.value) <= 60 else c.value[:57] + "..."
        verdict = "PASS" if c.passed else "FAIL"
        lines.append(f"  {c.name:<{width}}  {value:<{value_width}}  {c.target:<8}  {verdict}")
    return "\n".join(lines)


MARKDOWN_HEADS = [
    "bare/one-word",
    "sets with form cue",
    "go to form cue",
    "last N off",
    "last sets",
    "last rounds",
    "encouraged",
    "top repeat",
    "silence",
    "steady silence",
    "wpm",
]


def markdown_row(name: str, level: int | None, checks_: list[Check]) -> str:
    cells = []
    for c in checks_:
        value = c.value
        if c.name == "most repeats of one sentence":
            value = value.split(" ", 1)[0]  # the count; the sentence is in the text table
        cells.append(value if c.passed else f"**{value}** ✗")
    return f"| {name} | {level if level is not None else ''} | " + " | ".join(cells) + " |"


@click.command()
@click.argument("routines", nargs=-1, required=True)
@click.option(
    "--level", type=click.IntRange(1, 2), default=None, help="Compile at this level (1 or 2)."
)
@click.option("--json", "as_json", is_flag=True, help="Every figure as JSON, per exercise too.")
@click.option("--markdown", is_flag=True, help="One table row per routine, for docs/coaching.md.")
@speech_options
def main(
    routines: tuple[str, ...],
    level: int | None,
    as_json: bool,
    markdown: bool,
    speech: SpeechChoice,
) -> None:
    """Print the coaching figures of each ROUTINE (a built-in name or a .yaml file)."""
    try:
        speaker = speech.open()
        results = []
        for ref in routines:
            timeline = session_timeline(ref, level, speaker)
            found = figures(timeline, form_texts(ref, level))
            results.append((ref, timeline, found, checks(found)))
    except CoachError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    if as_json:
        doc = [
            {
                "routine": ref,
                "level": level,
                "engine": speech.engine,
                "duration": timeline["duration"],
                "figures": found.as_dict(),
                "checks": [vars(c) for c in rows],
            }
            for ref, timeline, found, rows in results
        ]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif markdown:
        click.echo("| routine | level | " + " | ".join(MARKDOWN_HEADS) + " |")
        click.echo("|" + "---|" * (len(MARKDOWN_HEADS) + 2))
        for ref, _, _, rows in results:
            click.echo(markdown_row(Path(ref).stem, level, rows))
    else:
        for ref, timeline, found, rows in results:
            minutes = timeline["duration"] / 60
            click.echo(
                f"{Path(ref).stem} (level {level or 'as written'}, {speech.engine}): "
                f"{minutes:.1f} min, {found.utterances} utterances"
            )
            click.echo(table(rows))
            click.echo()
    sys.exit(0 if all(c.passed for *_, rows in results for c in rows) else 1)


if __name__ == "__main__":
    main()
