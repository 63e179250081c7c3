"""`coach play`: speak a routine live, on time, with keys to pause, skip and go back."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from coach.commands.script_options import ScriptChoice, script_options
from coach.commands.speech_options import SpeechChoice, speech_options

if TYPE_CHECKING:
    from coach.live.player import Player
    from coach.pipeline import Loaded


@click.command("play")
@click.argument("source", metavar="ROUTINE|FILE.cues")
@script_options
@speech_options
@click.option(
    "--start-at",
    default=None,
    metavar="CHAPTER|MM:SS",
    help="Start at a chapter (number or title) or a time into the session.",
)
@click.option(
    "--music",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="An audio file to loop under the voice (ducked while the coach speaks).",
)
@click.option(
    "--output",
    default="default",
    show_default=True,
    metavar="NAME",
    help="Where the sound goes: default (PulseAudio/PipeWire if it answers, else PortAudio), "
    "pulse, portaudio, or null (no device, same timing).",
)
@click.option(
    "--device",
    default=None,
    metavar="NAME",
    help="A PulseAudio sink or a PortAudio device (name or number) to play on instead of "
    "the default one; `coach devices` lists them.",
)
@click.option(
    "--no-log",
    is_flag=True,
    help="Do not record the session in the log (`coach log`).",
)
@click.option("--events", default=None, hidden=True, help="Write the event log here (JSON lines).")
def play_command(
    source: str,
    script: ScriptChoice,
    speech: SpeechChoice,
    start_at: str | None,
    music: str | None,
    output: str,
    device: str | None,
    no_log: bool,
    events: str | None,
) -> None:
    """Play ROUTINE (a built-in name or a .yaml file) or a .cues file live.

    A PROGRAM (a .program.yaml file or a built-in program) plays its next session.
    On a terminal: a status screen and keys (space pause, n next, p back,
    +/- volume, q quit). Otherwise one line per chapter. When the session ends or
    is stopped it is recorded in the log, with how far it got (`coach log`).
    """
    from coach.audio.clip import SAMPLE_RATE
    from coach.commands.script_options import report_fit
    from coach.live.growing import chapter_titles, resolve_in_background
    from coach.live.outputs import open_output
    from coach.live.player import Player
    from coach.live.session import is_interactive, play, start_position
    from coach.pipeline import load
    from coach.speech import preload
    from coach.terminal import printable

    strict = script.strict
    loaded = load(source, level=script.level, phrases=script.phrases)
    # A neural voice's model loads on another core while the rest starts. Only once the
    # routine is known good: bad input ends at once, without touching onnxruntime.
    preload(speech.engine, speech.voice)
    compiled = loaded.script
    speaker = speech.open()
    sink = open_output(
        output, SAMPLE_RATE, device
    )  # before any speech: a missing device fails fast
    bed = None
    if music:
        from pathlib import Path

        from coach.audio.music import analyse_music

        bed = analyse_music(Path(music), SAMPLE_RATE)
    # Without --strict or --start-at, the output starts while the first sentence is
    # being synthesized: its pre-roll of silence overlaps the synthesis.
    program = resolve_in_background(compiled, speaker, bed, wait=bool(strict or start_at))
    if strict:  # every fit decision must be known before the first sound
        program.wait_complete()
        if program.error is not None:
            raise program.error
    start = start_position(program, start_at, chapter_titles(compiled))
    shown = len(program.timeline.warnings)
    report_fit([printable(w) for w in program.timeline.warnings], strict)
    click.echo(printable(f"Playing {compiled.title!r} on {sink.describe()}"), err=True)
    player = Player(program, start=start)
    code = 130  # should play() itself fail, the session was stopped
    try:
        code = play(player, sink, is_interactive())
    finally:
        player.close()
        if events:
            write_events(events, player)
        if not no_log and program.timeline.chapters:  # something of it was playable
            _record(loaded, player, code)
    report_fit([printable(w) for w in program.timeline.warnings[shown:]], False)
    if code:
        sys.exit(code)


def _record(loaded: Loaded, player: Player, code: int) -> None:
    """Log the session: finished when its end was heard, else the chapter it stopped in."""
    from coach.commands.log import record_session

    timeline = player.program.timeline
    finished = code == 0 and any(event.kind == "end" for event in player.events)
    position = min(player.heard_position(), timeline.length)
    chapter: int | None = None
    title = ""
    if timeline.chapters:
        index = timeline.chapter_at(max(0, position - 1) if finished else position)
        chapter, title = index + 1, timeline.chapters[index].title
    seconds = position / timeline.sample_rate
    record_session(loaded, finished, seconds, chapter, player.program.chapter_count, title)


def write_events(path: str, player: object) -> None:
    """The player's event log as JSON lines: kind, position, frame, wall, text."""
    import dataclasses
    import json

    with open(path, "w", encoding="utf-8") as out:
        for event in getattr(player, "events", []):
            out.write(json.dumps(dataclasses.asdict(event)) + "\n")
