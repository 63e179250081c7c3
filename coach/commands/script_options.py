"""`--level`, `--phrases`, `--strict`: how a routine becomes a cue script, on every command
that takes a ROUTINE (compile, render, play)."""

from __future__ import annotations

import functools
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


def report_fit(warnings: list[str], strict: bool, every: bool = False) -> None:
    """Print fit warnings on stderr; with `strict`, any warning is an error (exit 2).

    Unless `every` (or `strict`) is set, the minor ones (a line said in its short form
    or moved a little) are summed up in one line; `coach compile` lists each."""
    from coach.resolve import minor_fit_shift
    from coach.terminal import printable

    shifts = [] if every or strict else [minor_fit_shift(w) for w in warnings]
    minor = [shift for shift in shifts if shift is not None]
    for warning, shift in zip(warnings, shifts or [None] * len(warnings), strict=True):
        if shift is None:
            click.echo(printable(f"warning: {warning}"), err=True)
    if minor:
        largest = f", moved by up to {max(minor):.2f} s" if max(minor) > 0 else ""
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
