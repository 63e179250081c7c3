"""Find a program (a `.program.yaml` path or a built-in name) and read it into a `Program`.

The file goes through `coach.source`, the reader every file kind uses; its nodes are
checked with the key tables of `coach.program.spec`, and every problem is collected
with its line and column before one `InputError` is raised (exit 2). The routines it
names are loaded as `coach routine` loads them; a routine written inside the program
is read by the routine reader at its place in the program file.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coach.errors import InputError, Problem
from coach.paths import ROUTINE_SUFFIXES, routines_dir
from coach.program import spec
from coach.program.model import PlannedSession, Program
from coach.program.progression import Rules
from coach.program.steps import LevelStep, StepError, parse_level, parse_step
from coach.routine import spec as routine_spec
from coach.routine.build import RoutineBuilder
from coach.routine.loader import load_routine, unknown_builtin
from coach.routine.model import Routine
from coach.routine.nodes import Bad, NodeReader, Value, describe, short_text
from coach.routine.spec import Key
from coach.source import compose_yaml, decode, read_file

_NULL = "tag:yaml.org,2002:null"


def programs_dir() -> Path:
    """The folder of the built-in programs, beside the built-in routines."""
    return routines_dir() / spec.FOLDER


def builtin_programs() -> dict[str, Path]:
    """The built-in programs by name, sorted."""
    folder = programs_dir()
    if not folder.is_dir():
        return {}
    found = {
        program_name(path): path
        for path in folder.iterdir()
        if path.name.endswith(spec.SUFFIXES) and path.is_file()
    }
    return dict(sorted(found.items()))


def program_name(path: Path) -> str:
    """A program file's name without its `.program.yaml` suffix."""
    name = path.name
    for suffix in spec.SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def is_program_ref(ref: str) -> bool:
    """Whether `ref` names a program: a file whose name ends in .program.yaml, or a
    built-in program's name. Anything else is a routine (or a .cues file)."""
    if ref.lower().endswith(spec.SUFFIXES):
        return True
    if "/" in ref or "\\" in ref or "." in ref:
        return False
    return ref in builtin_programs()


def load_program(ref: str) -> Program:
    """Load a program from a .program.yaml path or by built-in name."""
    if ref.lower().endswith(spec.SUFFIXES):
        path = Path(ref)
        data = read_file(path, ref, "program", routine_spec.MAX_BYTES)
        key = str(path.resolve())
        return parse_program(data, ref, program_name(path), key, path.resolve().parent)
    programs = builtin_programs()
    if ref not in programs:
        raise InputError(
            unknown_builtin(ref, "program", list(programs), "Or give a .program.yaml file.")
        )
    path = programs[ref]
    data = read_file(path, f"routines/{spec.FOLDER}/{path.name}", "program", routine_spec.MAX_BYTES)
    return parse_program(data, f"routines/{spec.FOLDER}/{path.name}", ref, ref, path.parent)


def parse_program(
    data: bytes | str, source: str, name: str, key: str, folder: Path | None = None
) -> Program:
    """Parse and check program text; routine paths in it are relative to `folder`."""
    text = decode(data, source) if isinstance(data, bytes) else data
    root = compose_yaml(
        text,
        source,
        "program",
        max_nodes=routine_spec.MAX_NODES,
        max_depth=routine_spec.MAX_DEPTH,
    )
    if root is None:
        raise InputError(
            Problem(source, 1, 1, "file is empty; a program needs a title and routine or schedule")
        )
    return ProgramReader(source, folder or Path.cwd(), name).program(root, key)


class ProgramReader(NodeReader):
    """Walks a program's nodes, loads its routines, and records every problem."""

    keys_of = staticmethod(spec.keys_of)
    what = spec.WHAT

    def __init__(self, source: str, folder: Path, name: str) -> None:
        super().__init__(source)
        self.folder = folder
        self.name = name
        self._routines: dict[str, Routine] = {}

    # -- mappings of the program format -------------------------------------------

    def plain(self, obj: str, fields: dict[str, tuple[Node, Node]]) -> dict[str, Value]:
        """The good plain values (text, counts, durations) of a mapping."""
        if obj in ("progression", "rules"):  # their steps are texts, read by rules()
            keys = self.keys_of(obj)
            fields = {name: f for name, f in fields.items() if keys[name].kind != "text"}
        return {n: v for n, v in self.values(obj, fields).items() if v.value is not Bad}

    # -- the program ---------------------------------------------------------------

    def program(self, root: Node, key: str) -> Program:
        self.check_tags(root)
        self.raise_problems()
        if not isinstance(root, MappingNode):
            self.fail(
                root,
                "the top level must be a mapping of keys (title:, routine:, weeks:, ...), "
                f"got {describe(root)}",
            )
            self.raise_problems()
        fields = self.mapping(root, "program")
        values = self.plain("program", fields)
        weeks: list[tuple[PlannedSession, ...]] = []
        week_levels: list[int | None] = []
        if "schedule" in fields:
            for other in ("routine", "weeks"):
                if other in fields:
                    self.fail(
                        fields[other][0],
                        f"give either schedule (the weeks one by one) or routine and weeks, "
                        f"not both; remove {other} or schedule",
                    )
            per_week = values["sessions_per_week"].value if "sessions_per_week" in values else None
            weeks, week_levels = self.schedule(fields["schedule"][1], per_week)
        elif "routine" in fields:
            routine = self.routine_ref(fields["routine"][1], "")
            if "weeks" not in fields:
                self.fail(root, "the program is missing 'weeks': how many weeks, e.g. weeks: 4")
            count = values["weeks"].value if "weeks" in values else 1
            per_week = (
                values["sessions_per_week"].value
                if "sessions_per_week" in values
                else spec.DEFAULT_SESSIONS_PER_WEEK
            )
            if routine is not None:
                session = PlannedSession(routine, where=self.loc(fields["routine"][1]))
                weeks = [tuple([session] * per_week) for _ in range(count)]
                week_levels = [None] * count
        else:
            self.fail(
                root,
                "the program has no sessions: give routine: (a path or a built-in name) "
                "and weeks:, or a schedule: of weeks",
            )
        week_count = len(weeks) or (values["weeks"].value if "weeks" in values else 1)
        rules, level_step, deloads = Rules(), None, frozenset[int]()
        given: dict[str, Any] = {}
        if "progression" in fields:
            given, level_step, deloads = self.progression(fields["progression"][1], week_count)
            rules = Rules(**given)
        exercise_rules: dict[str, Rules] = {}
        if "exercises" in fields:
            exercise_rules = self.overrides(fields["exercises"][1], given, weeks)
        self.raise_problems()
        return Program(
            name=self.name,
            key=key,
            title=values["title"].value,
            weeks=tuple(weeks),
            source=self.source,
            description=values["description"].value if "description" in values else "",
            level=values["level"].value if "level" in values else None,
            rules=rules,
            exercise_rules=exercise_rules,
            level_step=level_step,
            deloads=deloads,
            week_levels=tuple(week_levels),
        )

    def schedule(
        self, node: Node, per_week: int | None
    ) -> tuple[list[tuple[PlannedSession, ...]], list[int | None]]:
        weeks: list[tuple[PlannedSession, ...]] = []
        levels: list[int | None] = []
        items = self.sequence(node, "schedule", "weeks")
        if len(items) > spec.MAX_WEEKS:
            self.fail(
                node, f"schedule has {len(items)} weeks; a program has at most {spec.MAX_WEEKS}"
            )
            return [], []
        for number, item in enumerate(items, start=1):
            try:
                fields = self.mapping(item, "week")
            except Bad:
                continue
            values = self.plain("week", fields)
            level = values["level"].value if "level" in values else None
            sessions: list[PlannedSession] = []
            if "routine" in fields and "sessions" in fields:
                self.fail(
                    fields["sessions"][0],
                    "give either routine (every session of the week) or sessions, not both",
                )
            elif "routine" in fields:
                routine = self.routine_ref(fields["routine"][1], f"w{number}")
                count = per_week or spec.DEFAULT_SESSIONS_PER_WEEK
                if routine is not None:
                    where = self.loc(fields["routine"][1])
                    sessions = [PlannedSession(routine, where=where)] * count
            elif "sessions" in fields:
                sessions = self.sessions(fields["sessions"][1], number)
            else:
                self.fail(item, f"week {number} has no sessions: give routine: or sessions:")
            weeks.append(tuple(sessions))
            levels.append(level)
        return weeks, levels

    def sessions(self, node: Node, week: int) -> list[PlannedSession]:
        out: list[PlannedSession] = []
        items = self.sequence(node, "sessions", "sessions")
        if len(items) > spec.MAX_SESSIONS_PER_WEEK:
            self.fail(
                node,
                f"week {week} has {len(items)} sessions; a week holds at most "
                f"{spec.MAX_SESSIONS_PER_WEEK}",
            )
            return []
        for day, item in enumerate(items, start=1):
            if isinstance(item, ScalarNode):  # just a routine's name or path
                routine = self.routine_ref(item, f"w{week}d{day}")
                if routine is not None:
                    out.append(PlannedSession(routine, where=self.loc(item)))
                continue
            try:
                fields = self.mapping(item, "session")
            except Bad:
                continue
            values = self.plain("session", fields)
            routine = None
            if "routine" in fields:
                routine = self.routine_ref(fields["routine"][1], f"w{week}d{day}")
            rules = None
            if "progression" in fields:
                given, _, _ = self.progression(fields["progression"][1], 0, "rules")
                rules = Rules(**given)
            if routine is not None:
                out.append(
                    PlannedSession(
                        routine,
                        level=values["level"].value if "level" in values else None,
                        rules=rules,
                        where=self.loc(item),
                    )
                )
        return out

    # -- routines ----------------------------------------------------------------

    def routine_ref(self, node: Node, suffix: str) -> Routine | None:
        """The routine a node names (a path or a built-in name) or holds (a mapping)."""
        if isinstance(node, MappingNode):
            name = f"{self.name}-{suffix}" if suffix else self.name
            builder = RoutineBuilder(self.source)
            try:
                routine = builder.routine(node, name)
            except InputError as error:
                self.problems.extend(error.problems)
                return None
            self.notes.extend(routine.notes)
            return routine
        if not isinstance(node, ScalarNode) or node.tag == _NULL or not str(node.value).strip():
            self.fail(
                node,
                "routine must be a path (lower-body.yaml), a built-in routine's name, "
                f"or a routine written here, got {describe(node)}",
            )
            return None
        ref = str(node.value).strip()
        target = ref
        if ref.lower().endswith(ROUTINE_SUFFIXES) or "/" in ref or "\\" in ref:
            path = Path(ref)
            target = str(path if path.is_absolute() else self.folder / path)
        if target.lower().endswith(spec.SUFFIXES):
            self.fail(node, f"{ref} is a program; a program's sessions are routines")
            return None
        if target in self._routines:
            return self._routines[target]
        try:
            routine = load_routine(target)
        except InputError as error:
            if error.problems:
                self.problems.extend(error.problems)
            else:
                first = str(error).splitlines()[0]
                first = first.replace(repr(target), repr(ref)) if target != ref else first
                where = f" (looked for {target})" if target != ref else ""
                self.fail(node, f"{first}{where}")
            return None
        self._routines[target] = routine
        return routine

    # -- progression ---------------------------------------------------------------

    def progression(
        self, node: Node, weeks: int, obj: str = "progression"
    ) -> tuple[dict[str, Any], LevelStep | None, frozenset[int]]:
        """The rules given in a progression mapping (only the keys given), its level
        step and its deload weeks."""
        try:
            fields = self.mapping(node, obj)
        except Bad:
            return {}, None, frozenset()
        given: dict[str, Any] = self.rule_values(fields, obj)
        level_step = None
        if "level" in fields:
            value = fields["level"][1]
            try:
                text = self.text(Key("level", "text", ""), value)
                found = parse_level(text, weeks)
                where = self.loc(value)
                level_step = LevelStep(found.level, found.week, where)
            except Bad:
                pass
            except StepError as error:
                self.fail(value, str(error))
        deloads: set[int] = set()
        if "deload" in fields:
            value = fields["deload"][1]
            if not isinstance(value, SequenceNode):
                self.fail(
                    value,
                    f"deload must be a list of week numbers, such as [4], got {describe(value)}",
                )
            else:
                week_key = Key("deload", "count", "", low=1, high=weeks)
                for item in value.value:
                    try:
                        week = self.count(week_key, item)
                    except Bad:
                        continue
                    if week == 1:
                        self.fail(
                            item, "week 1 cannot be a deload week: it is where the numbers start"
                        )
                    deloads.add(week)
        return given, level_step, frozenset(deloads)

    def rule_values(self, fields: dict[str, tuple[Node, Node]], obj: str) -> dict[str, Any]:
        given: dict[str, Any] = {}
        for name in ("reps", "sets", "work", "rounds"):
            if name not in fields:
                continue
            value = fields[name][1]
            if isinstance(value, ScalarNode) and value.tag == _NULL:
                given[name] = None
                continue
            try:
                text = self.text(Key(name, "text", ""), value)
                whole = name in ("sets", "rounds")
                step = parse_step(text, name, whole=whole, timed=name == "work")
            except Bad:
                continue
            except StepError as error:
                self.fail(value, str(error))
                continue
            given[name] = None if step is None else replace(step, where=self.loc(value))
        for name, cap in self.plain(obj, fields).items():
            given[name] = cap.value
        return given

    def overrides(
        self, node: Node, program_given: dict[str, Any], weeks: list[tuple[PlannedSession, ...]]
    ) -> dict[str, Rules]:
        """Per-exercise rules: each exercise's keys over the program's."""
        if not isinstance(node, MappingNode):
            self.fail(
                node,
                "exercises must be a mapping of exercise names to rules, such as "
                f"exercises: {{Squat: {{reps: +4}}}}, got {describe(node)}",
            )
            return {}
        known: dict[str, str] = {}
        for week in weeks:
            for session in week:
                for ex in session.routine.exercises:
                    for variant in (ex, ex.notch):
                        if variant is not None:
                            known.setdefault(variant.name.casefold(), variant.name)
        out: dict[str, Rules] = {}
        for key_node, value_node in node.value:
            name = self.key_name(key_node)
            if name is None:
                continue
            if weeks and not self.problems and name.casefold() not in known:
                close = difflib.get_close_matches(name, list(known.values()), n=1, cutoff=0.6)
                hint = (
                    f"; did you mean '{close[0]}'?"
                    if close
                    else (f"; the exercises are: {', '.join(list(known.values())[:12])}")
                )
                self.fail(
                    key_node,
                    f"no exercise named '{short_text(name)}' in the program's routines{hint}",
                )
                continue
            try:
                fields = self.mapping(value_node, "rules")
            except Bad:
                continue
            out[name.casefold()] = Rules(**{**program_given, **self.rule_values(fields, "rules")})
        return out
