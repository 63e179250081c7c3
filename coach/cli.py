"""The `coach` command line: a thin layer that parses options and maps errors.

Commands live in `coach.commands.*` and are imported only when they run, so
`coach --help` and `coach list` start quickly. Each command module imports only
click at module level; heavy libraries are imported inside the command.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from coach import __version__
from coach.errors import CoachError, InputError
from coach.signals import Stopped, finishing, interruption, stop_on_signals
from coach.terminal import printable

# command name -> "module:attribute"; the order here is the order in --help.
COMMANDS: dict[str, str] = {
    "play": "coach.commands.play:play_command",
    "render": "coach.commands.render:render_command",
    "show": "coach.commands.routines:show_command",
    "list": "coach.commands.routines:list_command",
    "serve": "coach.commands.serve:serve_command",
    "copy": "coach.commands.copy:copy_command",
    "feed": "coach.commands.feed:feed_command",
    "next": "coach.commands.next:next_command",
    "program": "coach.commands.program:program_group",
    "log": "coach.commands.log:log_group",
    "compile": "coach.commands.compile:compile_command",
    "validate": "coach.commands.routines:validate_command",
    "schema": "coach.commands.routines:schema_command",
    "phrases": "coach.commands.compile:phrases_command",
    "voices": "coach.commands.speech:voices_command",
    "devices": "coach.commands.devices:devices_command",
    "cache": "coach.commands.speech:cache_group",
}


class CoachGroup(click.Group):
    """A group that imports commands lazily and turns coach errors into messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            # Messages quote the user's files: control characters are shown, never obeyed.
            for line in str(error).splitlines():
                click.echo(printable(line), err=True)
            ctx.exit(2)
        except CoachError as error:
            click.echo(printable(f"Error: {error}"), err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            # Commands clean up their temporaries in `finally` blocks; only the message is left.
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as error:
            found = interruption(error)
            if found is None:
                raise
            if isinstance(found, Stopped):
                raise found from None
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(
    cls=CoachGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="coach")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A voice-guided audio coach: hear your workout live, or take it on your phone."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def main() -> None:
    """Run the command line; SIGTERM, SIGHUP and SIGQUIT clean up like Ctrl-C does."""
    with stop_on_signals():
        try:
            cli(prog_name="coach")
        except Stopped as stop:
            # Commands clean up in `finally` blocks while the exception unwinds.
            click.echo("Stopped.", err=True)
            raise SystemExit(stop.code) from None
        finally:
            finishing()  # the exit status is decided: a late signal must not change it
