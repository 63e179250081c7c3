"""`coach serve`: the rendered sessions of a folder, on the home network for a phone."""

from __future__ import annotations

import errno
from pathlib import Path

import click

from coach.errors import CoachError, InputError
from coach.terminal import printable


@click.command("serve")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="0.0.0.0",
    show_default=True,
    help="Address to listen on; 0.0.0.0 is every interface, 127.0.0.1 this computer only.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free one).",
)
@click.option("--no-qr", is_flag=True, help="Do not print the QR code of the feed's address.")
@click.option("--log", is_flag=True, help="Print one line per request on stderr.")
def serve_command(folder: Path, host: str, port: int, no_qr: bool, log: bool) -> None:
    """Serve the sessions rendered in DIR (and its feed) to phones on this network.

    A page for the phone's browser is at the printed address: the sessions, a
    player, the chapters and the cue being spoken. A podcast app subscribes to
    the feed's address (written by `coach feed DIR`); scan the QR code. Only the
    published files are served, with byte ranges. Ctrl-C or SIGTERM stops it.

    \b
    coach render tabata -o output && coach feed output
    coach serve output                # http://<this computer>:8000/
    coach serve output --port 8080 --no-qr
    """
    from coach.phone.address import lan_address
    from coach.phone.server import make_server

    shown = printable(str(folder))
    if not folder.is_dir():
        raise InputError(
            f"{shown}: no such folder; render sessions into it first: "
            f"coach render ROUTINE -o {shown}"
        )
    try:
        server = make_server(folder, host, port, log=log)
    except OSError as error:
        raise CoachError(_bind_problem(error, host, port)) from None
    try:
        table = server.publication.current()
        if not table.sessions:
            raise InputError(
                f"{shown}: no rendered sessions here (an MP3 with its .timeline.json); "
                f"render one first: coach render ROUTINE -o {shown}"
            )
        bound = server.server_address[1]
        where = lan_address() if host in ("0.0.0.0", "", "::") else host
        base = f"http://{f'[{where}]' if ':' in where else where}:{bound}"
        count = len(table.sessions)
        click.echo(f"Serving {count} session{'s' if count != 1 else ''} from {shown}")
        click.echo(f"  page: {base}/")
        if table.get("/feed.xml") is not None:
            click.echo(f"  feed: {base}/feed.xml")
            linked = _feed_link(folder / "feed.xml")
            if linked is not None and linked.rstrip("/") != base:
                click.echo(
                    printable(
                        f"  note: feed.xml links its episodes to {linked}, not to this server; "
                        f"write it again with: coach feed {shown} --base-url {base}/"
                    )
                )
            target, what = f"{base}/feed.xml", "the feed (subscribe in a podcast app)"
        else:
            click.echo(f"  feed: none yet; write one with: coach feed {shown} --base-url {base}")
            target, what = f"{base}/", "the page"
        if not no_qr:
            _print_qr(target)
            click.echo(f"Scan the code with the phone's camera to open {what}.")
        click.echo("Ctrl-C stops the server.")
        server.serve_forever()
    finally:
        server.server_close()


def _feed_link(feed: Path) -> str | None:
    """The address a feed written by `coach feed` gives for the podcast (its channel's
    <link>, which is the --base-url its episodes' files are under)."""
    import re

    from coach.files import read_own_file

    try:
        head = read_own_file(feed, 64 * 1024 * 1024)[:8192].decode("utf-8", "replace")
    except OSError:
        return None
    found = re.search(r"<link>\s*([^<\s]+)\s*</link>", head)
    return found.group(1) if found else None


def _bind_problem(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host} (another coach serve?); "
            f"choose another with --port, e.g. --port {port + 1 if port < 65535 else 8080}"
        )
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; choose one above 1023 with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this computer; use --host 0.0.0.0"
    return f"cannot listen on {host}:{port}: {error.strerror or error}; try --host 0.0.0.0"


def _print_qr(text: str) -> None:
    """A QR code of `text`: in colours on a terminal (black on white whatever its
    theme), else in block characters, two modules a character (for a log or a pipe)."""
    import io
    import sys

    import segno

    drawn = io.StringIO()
    segno.make(text, error="m").terminal(out=drawn, compact=not sys.stdout.isatty())
    click.echo(drawn.getvalue(), nl=False)
