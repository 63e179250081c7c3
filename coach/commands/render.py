"""`coach render`: a routine or a .cues file to MP3 tracks (with tags, chapters, sidecars)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import click

from coach.commands.script_options import ScriptChoice, report_fit, script_options
from coach.commands.speech_options import SpeechChoice, speech_options
from coach.terminal import printable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coach.audio.clip import Clip
    from coach.cues.model import CueScript
    from coach.render.render import Album
    from coach.speech.voice import Voice


class _ReportingVoice:
    """A Voice that shows on the progress bar which chapter is being synthesized."""

    def __init__(self, voice: Voice, bar: Any, chapters: list[str]) -> None:
        self.voice = voice
        self.bar = bar
        self.chapters = chapters
        self.done = 0

    def clip(self, text: str) -> Clip:
        return self.voice.clip(text)

    def prepare(self, texts: Iterable[str]) -> None:
        if self.done < len(self.chapters):
            self.bar.label = f"Synthesizing {printable(self.chapters[self.done][:30])}"
            self.bar.render_progress()
        self.voice.prepare(texts)
        self.done += 1
        self.bar.update(1)


@contextmanager
def _encoding_bar(
    show: bool, frames: int, seconds: float
) -> Iterator[Callable[[int], None] | None]:
    """A progress bar over the session's samples on stderr (or nothing), as a callback."""
    if not show:
        yield None
        return
    label = f"Encoding {seconds / 60:.1f} min"
    with click.progressbar(length=frames, label=label, show_eta=True, file=sys.stderr) as bar:
        yield bar.update


@click.command("render")
@click.argument("routine")
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="output",
    show_default=True,
    metavar="DIR",
    help="Folder to write into (created if missing).",
)
@click.option(
    "--split",
    type=click.Choice(["session", "exercise"]),
    default="session",
    show_default=True,
    help="One MP3 with chapters, or one track per chapter plus a playlist.",
)
@click.option(
    "--bitrate",
    default=None,
    metavar="RATE",
    help="MP3 bitrate. Voice is mono 22.05 kHz: 32k to 160k, default 96k. With --music"
    " the file is stereo 44.1 kHz: 32k to 320k, default 192k.",
)
@click.option(
    "--music",
    default=None,
    metavar="FILE",
    help="An audio file to loop under the voice, ducked while the coach speaks.",
)
@click.option("--no-cover", is_flag=True, help="Do not embed the generated cover image.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    metavar="N",
    help="Tracks encoded in parallel (with --split exercise).",
)
@click.option(
    "--name",
    default=None,
    metavar="NAME",
    help="File name for the MP3 (and its folder with --split exercise), made safe for phones."
    " Default: the routine's name, plus the level and 'edited' where they apply.",
)
@click.option(
    "--title",
    default=None,
    metavar="TEXT",
    help="Title in the tags and on the cover. Default: the routine's title, plus the level"
    " and 'edited' where they apply.",
)
@click.option(
    "--all",
    "every_session",
    is_flag=True,
    help="For a PROGRAM: render every session, as numbered files (W1D1, W1D2, ...).",
)
@click.option(
    "--week",
    type=click.IntRange(1, 52),
    default=None,
    metavar="N",
    help="For a PROGRAM: render every session of week N.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@script_options
@speech_options
def render_command(
    routine: str,
    out_dir: str,
    split: str,
    bitrate: str | None,
    music: str | None,
    no_cover: bool,
    jobs: int,
    name: str | None,
    title: str | None,
    every_session: bool,
    week: int | None,
    quiet: bool,
    script: ScriptChoice,
    speech: SpeechChoice,
) -> None:
    """Render ROUTINE (a .yaml file, a built-in name or a .cues file) to MP3 for a phone.

    Writes DIR/<routine>.mp3 with chapters, or with --split exercise
    DIR/<routine>/NN-<exercise>.mp3 and a .m3u8 playlist; beside every MP3 a
    .lrc (lyrics: the cue being spoken), a .timeline.json, a .chapters.json and a
    .vtt transcript (for podcast apps); the script is also in the MP3's tag as
    lyrics. With --music the file is stereo 44.1 kHz. Another level is
    named <routine>-level-N; an edited .cues file is named after that file.

    A PROGRAM renders its next session; with --all (or --week N) every session (of
    that week), into DIR/<program>/ as W1D1-..., W1D2-..., track numbers in order.
    """
    from coach.pipeline import load_script
    from coach.render.render import parse_bitrate

    if bitrate is not None:
        parse_bitrate(bitrate, music is not None)  # fails before any speech is synthesized
    if music is not None:
        from pathlib import Path

        from coach.errors import InputError

        if not Path(music).is_file():
            raise InputError(f"{music}: music file not found")
    options = _Options(out_dir, split, bitrate, music, no_cover, jobs, quiet, script.strict)
    speaker = speech.open()
    if every_session or week is not None:
        if name is not None or title is not None:
            from coach.errors import InputError

            raise InputError("--name and --title name one file; --all and --week name each")
        _render_program(routine, week, script.level, script.phrases, speaker, options)
        return
    compiled = load_script(routine, level=script.level, phrases=script.phrases)
    _render_script(compiled, routine, speaker, options, name, title)


@dataclass(frozen=True)
class _Options:
    out_dir: str
    split: str
    bitrate: str | None
    music: str | None
    no_cover: bool
    jobs: int
    quiet: bool
    strict: bool


def _render_program(
    ref: str,
    week: int | None,
    level: int | None,
    phrases: str | None,
    speaker: Voice,
    options: _Options,
) -> None:
    """Every session of a program (or of one week) as numbered files in one folder."""
    from pathlib import Path

    from coach.compiler import compile_routine, load_phrasebook
    from coach.errors import InputError
    from coach.program.reader import is_program_ref, load_program
    from coach.program.schedule import build_schedule
    from coach.render.names import slugify
    from coach.render.render import Album

    if not is_program_ref(ref):
        raise InputError(
            f"{ref}: --all and --week render the sessions of a program (a .program.yaml file "
            "or a built-in program); a routine is one session"
        )
    program = load_program(ref)
    sessions = build_schedule(program)
    chosen = [s for s in sessions if week is None or s.week == week]
    if not chosen:
        raise InputError(f"--week {week}: {program.title!r} has weeks 1 to {len(program.weeks)}")
    book = load_phrasebook(phrases)
    folder = Path(options.out_dir) / slugify(program.name, fallback="program")
    width = len(str(len(program.weeks)))
    for session in chosen:
        script = compile_routine(session.routine, level=level, phrasebook=book)
        label = f"W{session.week:0{width}d}D{session.day}"
        stem = slugify(f"{label}-{session.base.name or session.base.title}", fallback=label)
        if script.level > 1:
            stem += f"-level-{script.level}"
        shown = f"{label} {session.base.title}"
        if script.level > 1:
            shown += f" (level {script.level})"
        album = Album(program.title, session.index + 1, len(sessions))
        _render_script(
            script, ref, speaker, replace(options, out_dir=str(folder)), stem, shown, album
        )


def _render_script(
    script: CueScript,
    ref: str,
    speaker: Voice,
    options: _Options,
    name: str | None,
    title: str | None,
    album: Album | None = None,
) -> None:
    from coach.pipeline import CUES_SUFFIX
    from coach.render.names import render_names
    from coach.render.render import render_timeline
    from coach.resolve import chapter_titles, resolve

    show = not options.quiet and sys.stderr.isatty()
    strict, out_dir, split = options.strict, options.out_dir, options.split
    if show:
        chapters = chapter_titles(script)
        with click.progressbar(length=len(chapters), label="Synthesizing", file=sys.stderr) as bar:
            timeline = resolve(script, _ReportingVoice(speaker, bar, chapters))
    else:
        timeline = resolve(script, speaker)
    report_fit(timeline.warnings, strict)
    edited = ref if ref.lower().endswith(CUES_SUFFIX) else None
    stem, shown = render_names(script.title, script.routine, script.level, edited)
    rate_hz = timeline.sample_rate
    with _encoding_bar(show, timeline.length, timeline.duration) as progress:
        result = render_timeline(
            timeline,
            out_dir,
            split,
            options.bitrate,
            options.music,
            not options.no_cover,
            options.jobs,
            progress,
            name=name or stem,
            title=title or shown,
            album=album,
        )
    for path in result.tracks:
        click.echo(printable(str(path)))
    if not options.quiet:
        minutes, seconds = divmod(round(timeline.length / rate_hz), 60)
        click.echo(
            f"{len(result.tracks)} track{'s' if len(result.tracks) != 1 else ''}, "
            f"{minutes}:{seconds:02d}, {len(timeline.chapters)} chapters, "
            f"{len(result.files)} files in {printable(out_dir)}",
            err=True,
        )
