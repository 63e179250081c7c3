"""`coach feed`: a podcast feed of the sessions rendered in a folder."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("feed")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="The address DIR is served at (absolute). Default: http://<this machine's LAN"
    " address>:8000/, where `coach serve DIR` publishes it.",
)
@click.option("--title", default=None, metavar="TEXT", help="The podcast's title.")
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the feed. Default: DIR/feed.xml.",
)
def feed_command(
    folder: Path, base_url: str | None, title: str | None, output: Path | None
) -> None:
    """Write DIR/feed.xml: a podcast feed (RSS) of the sessions rendered in DIR.

    Each session is an episode with its chapters and transcript; programs come in
    their order, with episode numbers. A podcast app subscribes to the feed's URL
    once and gets every session rendered later.

    \b
    coach render seven-minute -o output
    coach feed output --base-url http://192.168.1.23:8000/
    """
    from coach.errors import CoachError
    from coach.phone.feed import write_feed
    from coach.terminal import printable

    try:
        result = write_feed(folder, base_url, title, output)
    except OSError as error:
        where = error.filename or folder
        raise CoachError(
            f"cannot write {printable(str(where))}: {error.strerror or error}"
        ) from None
    count = len(result.sessions)
    click.echo(printable(str(result.path)))
    click.echo(
        f"{count} episode{'s' if count != 1 else ''}; subscribe at "
        f"{printable(result.base_url + result.path.name)}",
        err=True,
    )
