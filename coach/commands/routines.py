"""`coach list`, `coach show`, `coach validate`, `coach schema`: reading and checking routines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from coach.errors import InputError, Problem

if TYPE_CHECKING:
    from coach.cues.plan import SpeechSeconds


@click.command("list")
def list_command() -> None:
    """List the built-in routines with their length."""
    from coach.listing import remember_rows, remembered_rows

    # Parsing every routine costs more than starting coach: a clean listing is remembered.
    rows = remembered_rows()
    problems: list[Problem] = []
    texts: list[str] = []
    if rows is None:
        rows = _routine_rows(problems, texts)
        if not (problems or texts):
            remember_rows(rows)
    rows = [("NAME", "TITLE", "EXERCISES", "LENGTH"), *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[3]]))
    if problems or texts:
        raise InputError(problems or texts[0])


def _routine_rows(problems: list[Problem], texts: list[str]) -> list[tuple[str, str, str, str]]:
    """Name, title, exercise count and length of every built-in routine that loads."""
    from coach.routine import builtin_routines, load_routine
    from coach.routine.durations import format_estimate
    from coach.routine.plan import plan_routine

    rows = []
    speech = default_voice_speech()
    for path in builtin_routines():
        try:
            routine = load_routine(path.stem)
        except InputError as error:
            problems.extend(error.problems)
            texts.extend([error.text] if error.text else [])
            continue
        plan = plan_routine(routine, speech)
        rows.append(
            (routine.name, routine.title, str(plan.exercise_count), format_estimate(plan.seconds))
        )
    return rows


@click.command("show")
@click.argument("routine", metavar="ROUTINE|PROGRAM|FILE.cues")
@click.option(
    "--level",
    type=click.IntRange(1, 2),
    default=None,
    help="1 = as written, 2 = every move taken up a notch (default: the routine's level).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def show_command(routine: str, level: int | None, as_json: bool) -> None:
    """Print the session plan of ROUTINE (a .yaml file or a built-in name) or of a .cues file.

    For a PROGRAM (a .program.yaml file or a built-in program): its next session.

    For a routine: sets, reps or work time, sides, holds and rests of every
    exercise, and an estimate of the total length. For a cue script: its
    chapters, their windows and the length.
    """
    from coach.cues.text import is_cue_script, read_cues

    if is_cue_script(routine):
        from coach.cues.plan import format_script_plan, plan_script

        if level is not None:
            raise InputError(
                f"{routine}: --level applies to a routine; a .cues file is already compiled"
                " at its level (compile the routine again with --level instead)"
            )
        script_plan = plan_script(read_cues(routine), default_voice_speech())
        data, text = script_plan.to_dict(), format_script_plan(script_plan)
    else:
        from coach.pipeline import load_target, report_warnings, routine_warnings
        from coach.routine.plan import format_plan, plan_routine

        loaded = load_target(routine).routine  # a program: its next session
        report_warnings(routine_warnings(loaded, level))
        plan = plan_routine(loaded, default_voice_speech(), level)
        data, text = plan.to_dict(), format_plan(plan)
    if as_json:
        import json

        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(text)


def default_voice_speech() -> SpeechSeconds:
    """Seconds the default voice takes to say a text: its cached clip where the clip
    cache has one, else the compiler's guess from the text (no clip is synthesized)."""
    from coach.compiler.compile import speaking_seconds
    from coach.errors import CoachError
    from coach.speech import DEFAULT_ENGINE
    from coach.speech.cache import ClipCache, cache_key
    from coach.speech.engines import create_engine

    try:
        identity = create_engine(DEFAULT_ENGINE).identity()
    except CoachError:
        return speaking_seconds  # no default voice here: every line is a guess
    cache = ClipCache()

    def seconds(text: str) -> float:
        clip = cache.get(cache_key(identity, text))
        return speaking_seconds(text) if clip is None else clip.frames / clip.sample_rate

    return seconds


@click.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def validate_command(files: tuple[str, ...]) -> None:
    """Check routine files and cue scripts (.cues); print `FILE: ok` for each good one.

    A routine is good when it loads and compiles at both levels; a cue script
    when it reads. Every problem of a bad file goes to stderr as
    FILE:LINE:COL: message; the exit code is 2 if any file is bad.
    """
    from coach.cues.text import is_cue_script, read_cues

    bad = 0
    for name in files:
        try:
            if is_cue_script(name):
                read_cues(name)
            else:
                _check_routine(name)
        except InputError as error:
            bad += 1
            for line in str(error).splitlines():
                click.echo(line, err=True)
        else:
            click.echo(f"{name}: ok")
    if bad:
        raise click.exceptions.Exit(2)


def _check_routine(name: str) -> None:
    """Load the routine `name` and compile it at both levels; InputError if anything is wrong.

    Its warnings go to stderr when it is good.
    """
    from coach.compiler import compile_routine
    from coach.pipeline import report_warnings, routine_warnings
    from coach.program.reader import is_program_ref
    from coach.routine import load_routine

    if is_program_ref(name):
        from coach.program.reader import load_program
        from coach.program.schedule import build_schedule

        program = load_program(name)
        for session in build_schedule(program):  # every session compiles at its level
            compile_routine(session.routine, session.level)
        return
    routine = load_routine(name)
    # the compiler checks what only it knows, such as phrase override names
    for level in (1, 2):
        compile_routine(routine, level)
    report_warnings(routine_warnings(routine))


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the routine format (for editors).

    Save it and point your editor's YAML language server at it with a first line
    `# yaml-language-server: $schema=PATH/routine.schema.json` in a routine.
    """
    import json

    from coach.routine.spec import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
