"""`coach voices` and `coach cache info|clear`: the speech engines' voices and the clip cache."""

from __future__ import annotations

import click

from coach.commands.speech_options import DEFAULT_ENGINE, engine_help
from coach.terminal import printable


@click.command("voices")
@click.option(
    "--engine",
    default=DEFAULT_ENGINE,
    show_default=True,
    envvar="COACH_ENGINE",
    metavar="NAME",
    help=engine_help("Engine whose voices to list"),
)
@click.option("--language", default=None, metavar="CODE", help="Only voices for this language.")
def voices_command(engine: str, language: str | None) -> None:
    """List the voices an engine offers (use an ID with --voice)."""
    from coach.speech.auto import AUTO
    from coach.speech.engines import create_engine

    chosen = create_engine(engine)
    if engine == AUTO:
        click.echo(f"engine: {chosen.NAME} (chosen by auto)", err=True)
    voices = chosen.voices()
    if language:
        wanted = language.lower()
        voices = [v for v in voices if any(x.lower().startswith(wanted) for x in v.languages)]
    rows = [("ID", "NAME", "LANGUAGES")]
    rows += [(v.id, v.name, ", ".join(v.languages)) for v in voices]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for row in rows:
        line = f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}"
        click.echo(printable(line.rstrip()))


@click.group("cache")
def cache_group() -> None:
    """Inspect or empty the clip cache (every spoken phrase, kept for the next run)."""


@cache_group.command("info")
def cache_info_command() -> None:
    """Show where the clip cache is, how many clips it holds and their size."""
    from coach.speech.cache import ClipCache

    info = ClipCache().info()
    click.echo(printable(f"location: {info.directory}"))
    click.echo(f"clips:    {info.entries}")
    click.echo(f"size:     {_size(info.bytes)}")


@cache_group.command("clear")
def cache_clear_command() -> None:
    """Delete every cached clip and remembered plan (they are made again when next needed)."""
    import contextlib

    from coach.audio import level_cache
    from coach.listing import FILE_NAME
    from coach.speech.cache import ClipCache, cache_error

    cache = ClipCache()
    removed = cache.clear()
    # What renders and `coach list` remember lives beside the clips: it goes too.
    try:
        level_cache.forget_all(cache.directory / level_cache.FOLDER)
        with contextlib.suppress(FileNotFoundError):
            (cache.directory / FILE_NAME).unlink()
    except OSError as error:
        raise cache_error(cache.directory, "clear", error) from None
    plural = "s" if removed != 1 else ""
    click.echo(printable(f"removed {removed} clip{plural} from {cache.directory}"))


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.1f} MiB"
