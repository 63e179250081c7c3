"""`coach copy`: a built-in routine as a file of your own, to read and change."""

from __future__ import annotations

from pathlib import Path

import click

from coach.errors import CoachError, InputError


@click.command("copy")
@click.argument("name")
@click.argument("dest", required=False, type=click.Path(dir_okay=True, path_type=Path))
def copy_command(name: str, dest: Path | None) -> None:
    """Copy the built-in routine NAME to DEST (default: ./NAME.yaml); never overwrites.

    \b
    coach copy tabata                  # writes tabata.yaml here
    coach copy tabata my-tabata.yaml   # then edit it and: coach play my-tabata.yaml
    """
    from coach.files import write_atomically
    from coach.paths import builtin_routines
    from coach.terminal import printable

    found = {path.stem: path for path in builtin_routines()}
    if name not in found:
        names = ", ".join(found) or "(none installed)"
        raise InputError(
            f"no built-in routine named {printable(name)!r}; built-in routines: {names}"
        )
    source = found[name]
    target = dest if dest is not None else Path(source.name)
    if target.is_dir():
        target = target / source.name
    if target.exists() or target.is_symlink():
        raise InputError(
            f"{printable(str(target))} already exists; give another name, or remove it first"
        )
    try:
        write_atomically(target, source.read_bytes(), output=True)
    except OSError as error:
        raise CoachError(
            f"cannot write {printable(str(target))}: {error.strerror or error}"
        ) from None
    click.echo(f"wrote {printable(str(target))}")
