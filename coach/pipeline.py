"""From what the user names on the command line to a cue script.

A ref is a .cues file (read as is), a program (its next session; see
`coach.program.reader.is_program_ref`: a file named *.program.yaml or a built-in
program's name), or else a routine (a .yaml file or a built-in name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.cues.model import CueScript
from coach.errors import CoachError, InputError, Problem

if TYPE_CHECKING:
    from coach.program.model import Program
    from coach.program.schedule import Session
    from coach.routine.model import Routine

CUES_SUFFIX = ".cues"
# top-level keys of a program: a routine file holding them was probably meant as one
_PROGRAM_KEYS = ("weeks", "schedule", "progression", "sessions_per_week")


@dataclass(frozen=True)
class Target:
    """What a ref names: a routine, and the program session it is when it is one."""

    routine: Routine
    program: Program | None = None
    session: Session | None = None


@dataclass(frozen=True)
class Loaded:
    """A compiled ref: the cue script, and the program session it is when it is one."""

    script: CueScript
    program: Program | None = None
    session: Session | None = None


def load_target(ref: str) -> Target:
    """The routine `ref` names: a routine, or a program's next session from the log."""
    from coach.program.reader import is_program_ref

    if is_program_ref(ref):
        from coach.program.reader import load_program
        from coach.program.schedule import build_schedule
        from coach.program.upcoming import upcoming_for

        program = load_program(ref)
        upcoming = upcoming_for(program, build_schedule(program))
        if upcoming.session is None:
            raise CoachError(
                f"every session of {program.title!r} is done ({upcoming.done} of "
                f"{program.session_count}); `coach log undo` takes back the last one, and "
                f"`coach render {ref} --week N` renders any week again"
            )
        return Target(upcoming.session.routine, program, upcoming.session)
    from coach.routine import load_routine

    try:
        return Target(load_routine(ref))
    except InputError as error:
        raise _program_hint(error) from None


def _program_hint(error: InputError) -> InputError:
    """The error, with a hint when the routine file looks like a program."""
    for problem in error.problems:
        if any(problem.message.startswith(f"unknown key '{key}'") for key in _PROGRAM_KEYS):
            hint = Problem(
                problem.file,
                problem.line,
                problem.column,
                "this looks like a program (weeks of sessions): a program file's name "
                "ends in .program.yaml (see docs/programs.md)",
            )
            return InputError([*error.problems, hint])
    return error


def load_script(ref: str, level: int | None = None, phrases: str | None = None) -> CueScript:
    """The cue script of `ref` (see `load`)."""
    return load(ref, level, phrases).script


def load(ref: str, level: int | None = None, phrases: str | None = None) -> Loaded:
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

        return Loaded(read_cues(ref))
    from coach.compiler import compile_routine, load_phrasebook

    book = load_phrasebook(phrases)
    target = load_target(ref)
    report_warnings(routine_warnings(target.routine, level))
    script = compile_routine(target.routine, level=level, phrasebook=book)
    report_warnings([f"{target.routine.source}: warning: {line}" for line in script.warnings])
    return Loaded(script, target.program, target.session)


def routine_warnings(routine: Routine, level: int | None = None) -> list[str]:
    """The loader's warnings about `routine`, and one when `level` would change nothing."""
    lines = [f"{n.file}:{n.line}:{n.column}: warning: {n.message}" for n in routine.notes]
    # a `level: 2` in the file itself is already one of the loader's notes
    if level is not None and level >= 2 and level != routine.level and not routine.has_notch:
        lines.append(
            f"warning: --level {level} changes nothing for {routine.source}: no exercise in it "
            "has a notch (a harder variant) or from_level: 2, so the session is the same as at "
            "level 1"
        )
    return lines


def report_warnings(lines: list[str]) -> None:
    """Print warnings on stderr, where they do not mix with a cue script on stdout."""
    import click

    from coach.terminal import printable

    for line in lines:
        click.echo(printable(line), err=True)
