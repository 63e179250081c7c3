"""`--level`, `--phrases`, `--strict`: how a routine becomes a cue script, on every command
that takes a ROUTINE (compile, render, play)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class ScriptChoice:
    """What --level, --phrases and --strict asked for."""

    level: int | None = None
    phrases: str | None = None
    strict: bool = False


def script_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --level, --phrases and --strict to a click command, which gets them as one
    `script: ScriptChoice` argument."""

    @functools.wraps(command)
    def with_script(
        *args: Any, level: int | None, phrases: str | None, strict: bool, **kw: Any
    ) -> Any:
        return command(*args, script=ScriptChoice(level, phrases, strict), **kw)

    options = [
        click.option(
            "--level",
            type=click.IntRange(1, 2),
            default=None,
            metavar="N",
            help="Difficulty level: 2 takes every exercise up a notch (default: the routine's).",
        ),
        click.option(
            "--phrases",
            default=None,
            metavar="FILE",
            help="A phrasebook YAML overriding the coach's phrases (see `coach phrases`).",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Treat fit warnings (a cue shortened, moved or dropped) as errors: exit 2.",
        ),
    ]
    wrapped: Callable[..., Any] = with_script
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


# A line said in its short form, or moved a fraction of a second, is the fit working as
# designed; what was dropped, or anything else, changes what the listener hears.
_MINOR_FIT = re.compile(r'; (said ".*" instead|moved [+-]\d+\.\d+ s( as ".*")?)$')


_SHIFT = re.compile(r'; moved ([+-]\d+\.\d+) s( as ".*")?$')


def report_fit(warnings: list[str], strict: bool, every: bool = False) -> None:
    """Print fit warnings on stderr; with `strict`, any warning is an error (exit 2).

    Unless `every` (or `strict`) is set, the minor ones (a line said in its short form
    or moved a little) are summed up in one line; `coach compile` lists each."""
    from coach.terminal import printable

    minor = [] if every or strict else [w for w in warnings if _MINOR_FIT.search(w)]
    for warning in warnings:
        if warning not in minor:
            click.echo(printable(f"warning: {warning}"), err=True)
    if minor:
        shifts = [abs(float(m.group(1))) for w in minor if (m := _SHIFT.search(w))]
        largest = f", moved by up to {max(shifts):.2f} s" if shifts else ""
        click.echo(
            f"note: {len(minor)} line{'s' if len(minor) != 1 else ''} said short or moved "
            f"to fit{largest}; `coach compile` lists each",
            err=True,
        )
    if strict and warnings:
        from coach.errors import InputError

        count = len(warnings)
        raise InputError(
            f"{count} fit warning{'s' if count != 1 else ''} and --strict is set; "
            "shorten the phrases named above or give them more room"
        )
