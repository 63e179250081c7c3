"""`coach compile` (routine -> .cues) and `coach phrases` (the phrasebook)."""

from __future__ import annotations

import click

from coach.commands.script_options import ScriptChoice, report_fit, script_options
from coach.commands.speech_options import SpeechChoice, speech_options
from coach.terminal import printable


@click.command("compile")
@click.argument("routine")
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE.cues",
    help="Write the cue script here (default: print it).",
)
@script_options
@speech_options
@click.option(
    "--no-check",
    is_flag=True,
    help="Skip the fit check against the voice (faster; no fit warnings).",
)
def compile_command(
    routine: str,
    output: str | None,
    script: ScriptChoice,
    speech: SpeechChoice,
    no_check: bool,
) -> None:
    """Compile ROUTINE (a .yaml file or a built-in name) into an editable cue script.

    Fit warnings (a cue shortened, moved or dropped because the voice needs more
    time than there is) go to stderr; --strict makes them errors.
    """
    from coach.cues.text import format_cues
    from coach.pipeline import load_script

    compiled = load_script(routine, level=script.level, phrases=script.phrases)
    text = format_cues(compiled)
    if not no_check:
        from coach.errors import CoachError, InputError
        from coach.resolve import resolve

        try:
            speaker = speech.open()
        except InputError:
            raise
        except CoachError as error:
            if script.strict:
                raise
            # The script itself does not need a voice; only the fit check does.
            click.echo(
                printable(f"note: fit check skipped, the voice cannot start: {error}"), err=True
            )
        else:
            report_fit(resolve(compiled, speaker).warnings, script.strict, every=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
        click.echo(printable(f"wrote {output}"), err=True)


def write_atomically(path: str, text: str) -> None:
    """Write the cue script to `path` whole or not at all (coach.files)."""
    from pathlib import Path

    from coach.errors import CoachError
    from coach.files import write_atomically as write_file

    try:
        write_file(Path(path), text.encode("utf-8"), output=True)
    except OSError as error:
        raise CoachError(f"cannot write {path}: {error.strerror or error}") from None


@click.command("phrases")
@click.argument("file", required=False)
def phrases_command(file: str | None) -> None:
    """Print the default phrasebook, or check FILE, a phrasebook of your own.

    Copy the default (`coach phrases > my-phrases.yaml`), change any phrase, and
    pass it to compile, render or play with --phrases my-phrases.yaml.
    """
    from coach.compiler.phrasebook import default_text, load_phrasebook

    if file is None:
        click.echo(default_text(), nl=False)
        return
    load_phrasebook(file)
    click.echo(printable(f"{file}: ok"))
