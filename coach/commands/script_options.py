"""`--level`, `--phrases`, `--strict`: how a routine becomes a cue script, on every command
that takes a ROUTINE (compile, render, play)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def script_options(command: F) -> F:
    """Add --level, --phrases and --strict to a click command."""
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
    for option in reversed(options):
        command = option(command)
    return command


def report_fit(warnings: list[str], strict: bool) -> None:
    """Print fit warnings on stderr; with `strict`, any warning is an error (exit 2)."""
    from coach.terminal import printable

    for warning in warnings:
        click.echo(printable(f"warning: {warning}"), err=True)
    if strict and warnings:
        from coach.errors import InputError

        count = len(warnings)
        raise InputError(
            f"{count} fit warning{'s' if count != 1 else ''} and --strict is set; "
            "shorten the phrases named above or give them more room"
        )
