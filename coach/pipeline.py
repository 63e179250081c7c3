"""From what the user names on the command line to a cue script."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.cues.model import CueScript
from coach.errors import InputError

if TYPE_CHECKING:
    from coach.routine.model import Routine

CUES_SUFFIX = ".cues"


def load_script(ref: str, level: int | None = None, phrases: str | None = None) -> CueScript:
    """A .cues file is read as is; anything else is loaded as a routine and compiled.

    `level` and `phrases` shape the compilation, so they cannot apply to a .cues
    file (already compiled): asking for them is an error rather than silently ignored.
    The routine's warnings go to stderr.
    """
    if ref.lower().endswith(CUES_SUFFIX):
        if level is not None or phrases is not None:
            raise InputError(
                f"{ref}: --level and --phrases apply when compiling a routine;"
                " a .cues file is already compiled (compile the routine again instead)"
            )
        from coach.cues.text import read_cues

        return read_cues(ref)
    from coach.compiler import compile_routine, load_phrasebook
    from coach.routine import load_routine

    book = load_phrasebook(phrases)
    routine = load_routine(ref)
    report_warnings(routine_warnings(routine, level))
    script = compile_routine(routine, level=level, phrasebook=book)
    report_warnings([f"{routine.source}: warning: {line}" for line in script.warnings])
    return script


def routine_warnings(routine: Routine, level: int | None = None) -> list[str]:
    """The loader's warnings about `routine`, and one when `level` would change nothing."""
    lines = [f"{n.file}:{n.line}:{n.column}: warning: {n.message}" for n in routine.notes]
    # a `level: 2` in the file itself is already one of the loader's notes
    if level is not None and level >= 2 and level != routine.level and not routine.has_notch:
        lines.append(
            f"warning: --level {level} changes nothing for {routine.source}: no exercise in it "
            "has a notch (a harder variant), so the session is the same as at level 1"
        )
    return lines


def report_warnings(lines: list[str]) -> None:
    """Print warnings on stderr, where they do not mix with a cue script on stdout."""
    import click

    from coach.terminal import printable

    for line in lines:
        click.echo(printable(line), err=True)
