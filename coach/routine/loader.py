"""Read a routine file into a `Routine`, or report every problem with its line and column.

The file is read and composed into a YAML node tree by `coach.source`, the hardened
reader every file kind goes through. Validation then walks the nodes with the key
tables of `coach.routine.spec`, collecting all problems before raising one `InputError`.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from coach.errors import InputError, Problem
from coach.paths import ROUTINE_SUFFIXES, builtin_routines
from coach.routine import spec
from coach.routine.build import RoutineBuilder
from coach.routine.model import Routine
from coach.source import compose_yaml, decode, read_file

SUFFIXES = ROUTINE_SUFFIXES


def load_routine(ref: str) -> Routine:
    """Load a routine from a .yaml path or by built-in name; `InputError` lists all problems."""
    path = Path(ref)
    if path.suffix in SUFFIXES or "/" in ref or "\\" in ref or path.is_file():
        return _load_file(path, ref, path.stem)
    builtins = {p.stem: p for p in builtin_routines()}
    if ref in builtins:
        return _load_file(builtins[ref], f"routines/{builtins[ref].name}", ref)
    if path.exists():  # a folder, a FIFO...: the reader says what it is
        return _load_file(path, ref, path.stem)
    raise InputError(
        unknown_builtin(ref, "routine", list(builtins), "Or give the path of a .yaml file.")
    )


def unknown_builtin(ref: str, kind: str, names: list[str], other: str) -> str:
    """The message for a name that is no built-in `kind`: the closest name, every name,
    and `other` (what else could be given)."""
    message = f"no built-in {kind} named {ref!r}"
    if kind == "routine":
        message += " and no such file"
    close = difflib.get_close_matches(ref, names, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    listed = ", ".join(names) or "(none installed)"
    return f"{message}\nBuilt-in {kind}s: {listed}. {other}"


def _load_file(path: Path, source: str, name: str) -> Routine:
    try:
        data = read_file(path, source, "routine", spec.MAX_BYTES)
    except InputError as error:
        if not path.exists() and path.stem in {p.stem for p in builtin_routines()}:
            raise InputError(
                f"{error}; for the built-in routine, write just {path.stem!r}"
            ) from None
        raise
    return parse_routine(data, source, name)


def parse_routine(data: bytes | str, source: str = "<routine>", name: str = "") -> Routine:
    """Parse and validate routine text (bytes must be UTF-8) into a `Routine`."""
    if isinstance(data, bytes):
        if len(data) > spec.MAX_BYTES:
            raise InputError(Problem(source, 1, 1, f"file is over {spec.MAX_BYTES:,} bytes"))
        text = decode(data, source)
    else:
        text = data
    root = compose_yaml(text, source, "routine", max_nodes=spec.MAX_NODES, max_depth=spec.MAX_DEPTH)
    if root is None:
        raise InputError(
            Problem(source, 1, 1, "file is empty; a routine needs at least a title and exercises")
        )
    return RoutineBuilder(source).routine(root, name)
