"""From what the user names on the command line to a cue script."""

from __future__ import annotations

from coach.cues.model import CueScript
from coach.errors import InputError

CUES_SUFFIX = ".cues"


def load_script(ref: str, level: int | None = None, phrases: str | None = None) -> CueScript:
    """A .cues file is read as is; anything else is loaded as a routine and compiled.

    `level` and `phrases` shape the compilation, so they cannot apply to a .cues
    file (already compiled): asking for them is an error rather than silently ignored.
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
    return compile_routine(load_routine(ref), level=level, phrasebook=book)
