"""Read a routine file into a `Routine`, or report every problem with its line and column.

The file is read and composed into a YAML node tree by `coach.source`, the hardened
reader every file kind goes through. Validation then walks the nodes with the key
tables of `coach.routine.spec`, collecting all problems before raising one `InputError`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coach.errors import InputError, Problem
from coach.paths import ROUTINE_SUFFIXES, builtin_routines
from coach.routine import spec
from coach.routine.durations import DurationError, exact_duration, format_duration, signed_duration
from coach.routine.model import Exercise, Location, Reminders, Routine, Section, Settings
from coach.routine.spec import Key
from coach.routine.texts import codepoint, control_character, is_invisible, looks_split
from coach.source import compose_yaml, decode, read_file

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
# merge keys (<<) pass here and are refused, with their own message, where keys are read
_ALLOWED_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL} | {
    _CORE + t for t in ("timestamp", "seq", "map", "merge")
}
_SCALARS = SafeConstructor()
_WHOLE = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
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
    message = f"no built-in routine named {ref!r} and no such file"
    close = difflib.get_close_matches(ref, list(builtins), n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    names = ", ".join(builtins) or "(none installed)"
    raise InputError(f"{message}\nBuilt-in routines: {names}. Or give the path of a .yaml file.")


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
    return _Builder(source).routine(root, name)


class _Bad(Exception):
    """A value was wrong; the problem is already recorded."""


@dataclass(frozen=True)
class _Value:
    value: Any
    key: Node  # the key node, where problems about this key point
    node: Node  # the value node


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    if node.tag == _BOOL:
        return str(node.value).lower()
    if node.tag in (_INT, _FLOAT):
        return f"the number {node.value}"
    return f"the text {_short(str(node.value))!r}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_WHAT = {
    "routine": "the routine",
    "settings": "settings",
    "reminders": "reminders",
    "section": "a section",
    "exercise": "an exercise",
    "notch": "notch",
}

_TEXTS = "text or a list of texts"
_DURATION = "a duration such as 30, 30s, 1m30s or 1:30"


class _Builder:
    """Walks the node tree, builds the model, and records every problem on the way."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []  # warnings: the routine works, but maybe not as meant
        self.tempo_node: Node | None = None  # where settings.tempo is given, if it is
        self._seen: set[Problem] = set()

    def loc(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.source, mark.line + 1, mark.column + 1)

    def raise_problems(self) -> None:
        """Raise every problem found so far, in file order, if there are any."""
        if self.problems:
            self.problems.sort(key=lambda p: (p.line, p.column))
            raise InputError(self.problems)

    def fail(self, node: Node, message: str) -> None:
        where = self.loc(node)
        problem = Problem(where.file, where.line, where.column, message)
        if problem not in self._seen:  # a node shared through an alias is reported once
            self._seen.add(problem)
            self.problems.append(problem)

    def note(self, node: Node, message: str) -> None:
        """Record a warning about `node`: the routine loads, but probably not as meant."""
        where = self.loc(node)
        problem = Problem(where.file, where.line, where.column, message)
        if problem not in self._seen:
            self._seen.add(problem)
            self.notes.append(problem)

    # -- the routine -------------------------------------------------------------

    def routine(self, root: Node, name: str) -> Routine:
        self.check_tags(root)
        self.raise_problems()
        if not isinstance(root, MappingNode):
            self.fail(
                root,
                f"the top level must be a mapping of keys (title:, exercises:, ...), "
                f"got {_describe(root)}",
            )
            self.raise_problems()
        fields = self.mapping(root, "routine")
        values = self.values("routine", fields)
        settings = self.settings(fields.get("settings"))
        body = [fields[k] for k in spec.BODY_KEYS if k in fields]
        sections: list[Section] = []
        if len(body) == 2:
            self.fail(
                body[1][0],
                "give either exercises or sections, not both; move the exercises into a section",
            )
        elif not body:
            self.fail(
                root,
                "missing exercises: add an 'exercises:' list (or 'sections:' with "
                "exercises in each)",
            )
        elif "exercises" in fields:
            node = fields["exercises"][1]
            exercises = self.exercises(node, settings)
            sections = [Section(title=None, exercises=exercises, location=self.loc(node))]
        else:
            sections = self.sections(fields["sections"][1], settings)
        reminders = self.reminders(fields.get("reminders"))
        phrases, phrase_locations = self.phrases(fields.get("phrases"))
        self.raise_problems()

        def get(key: str, default: Any) -> Any:
            return values[key].value if key in values else default

        routine = Routine(
            title=get("title", ""),
            sections=tuple(sections),
            name=name,
            source=self.source,
            description=get("description", ""),
            level=get("level", 1),
            settings=settings,
            reminders=reminders,
            intro=get("intro", ()),
            outro=get("outro", ()),
            continuous=get("continuous", False),
            phrases=phrases,
            phrase_locations=phrase_locations,
            location=self.loc(root),
        )
        self.check_length(root, routine)
        if routine.sections and not routine.at_level(1).sections:
            self.fail(
                root,
                "every exercise has from_level: 2, so level 1 has nothing to do; "
                "keep at least one exercise without from_level",
            )
        self.raise_problems()
        level = values.get("level")
        if level is not None and routine.level >= 2 and not routine.has_notch:
            self.note(
                level.node,
                f"level {routine.level} changes nothing: no exercise in this routine has a "
                "notch (a harder variant); add notch: to an exercise, or remove level",
            )
        self.notes.sort(key=lambda p: (p.line, p.column))
        return replace(routine, notes=tuple(self.notes))

    def check_tags(self, root: Node) -> None:
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.tag not in _ALLOWED_TAGS:
                tag = node.tag.replace(_CORE, "!!")
                self.fail(
                    node,
                    f"the tag {tag} is not allowed: a routine holds plain text, "
                    "numbers, lists and mappings; remove the tag",
                )
            if isinstance(node, SequenceNode):
                stack.extend(reversed(node.value))
            elif isinstance(node, MappingNode):
                for key, value in reversed(node.value):
                    stack.extend((value, key))

    def check_length(self, root: Node, routine: Routine) -> None:
        from coach.routine.plan import declared_seconds

        for level in (1, 2):
            seconds = declared_seconds(routine, level)
            if seconds > spec.MAX_SESSION:
                self.fail(
                    root,
                    f"the session would last about {format_duration(seconds)} at "
                    f"level {level}; the limit is {format_duration(spec.MAX_SESSION)}: "
                    "use fewer sets, reps or rounds",
                )
                return

    # -- mappings and values -----------------------------------------------------

    def mapping(self, node: Node, obj: str) -> dict[str, tuple[Node, Node]]:
        """The valid keys of a mapping node (key node, value node), problems recorded."""
        what = _WHAT[obj]
        keys = spec.keys_of(obj)
        if not isinstance(node, MappingNode):
            self.fail(
                node, f"{what} must be a mapping of keys ({', '.join(keys)}), got {_describe(node)}"
            )
            raise _Bad
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = self.key_name(key_node)
            if name is None or name.startswith(spec.EXTENSION_PREFIX):
                continue
            if name in found:
                first = found[name][0].start_mark.line + 1
                self.fail(
                    key_node,
                    f"duplicate key '{_short(name)}' (first given on line {first}); keep only one",
                )
            elif name not in keys:
                self.fail(key_node, _unknown_key(name, keys, what))
            else:
                found[name] = (key_node, value_node)
        for key in keys.values():
            if key.required and key.name not in found:
                self.fail(node, f"{what} is missing '{key.name}': {key.help}")
        return found

    def key_name(self, key_node: Node) -> str | None:
        if key_node.tag == _CORE + "merge":
            self.fail(key_node, "merge keys (<<) are not supported; write the keys out")
            return None
        if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL:
            self.fail(key_node, f"a key must be a name, got {_describe(key_node)}")
            return None
        name = str(key_node.value)
        control = control_character(name)
        if control is not None:
            self.fail(key_node, f"a key contains the control character {codepoint(control)}")
            return None
        return name

    def values(self, obj: str, fields: dict[str, tuple[Node, Node]]) -> dict[str, _Value]:
        """Convert the plain (non-nested) values of a mapping; bad ones are left out."""
        keys = spec.keys_of(obj)
        out: dict[str, _Value] = {}
        for name, (key_node, value_node) in fields.items():
            key = keys[name]
            convert = self.converters().get(key.kind)
            if convert is None:
                continue
            try:
                out[name] = _Value(convert(key, value_node), key_node, value_node)
            except _Bad:
                out[name] = _Value(_Bad, key_node, value_node)
        return out

    def converters(self) -> dict[str, Callable[[Key, Node], Any]]:
        return {
            "text": self.text,
            "texts": self.texts,
            "names": self.names,
            "count": self.count,
            "duration": self.duration,
            "bool": self.boolean,
            "choice": self.choice,
        }

    def text(self, key: Key, node: Node) -> str:
        if not isinstance(node, ScalarNode) or node.tag == _NULL:
            self.fail(node, f"{key.name} must be text, got {_describe(node)}")
            raise _Bad
        text = str(node.value).strip()
        if not text:
            self.fail(node, f"{key.name} is empty; write some text or remove the key")
            raise _Bad
        control = control_character(text)
        if control is not None:
            self.fail(
                node,
                f"{key.name} contains the control character {codepoint(control)}; remove it "
                "(control characters are not spoken, and they can take over a terminal)",
            )
            raise _Bad
        if is_invisible(text):
            codes = ", ".join(dict.fromkeys(codepoint(char) for char in text if char != " "))
            self.fail(
                node,
                f"{key.name} has nothing to say: it holds only invisible characters ({codes}); "
                "write some text or remove the key",
            )
            raise _Bad
        if len(text) > spec.MAX_TEXT:
            self.fail(
                node,
                f"{key.name} is {len(text)} characters long; keep each text under "
                f"{spec.MAX_TEXT} (split it into a list of shorter lines)",
            )
            raise _Bad
        return text

    def texts(self, key: Key, node: Node) -> tuple[str, ...]:
        if isinstance(node, SequenceNode):
            self.check_items(key, node)
            out: list[str] = []
            bad = False
            for item in node.value:
                try:
                    out.append(self.text(key, item))
                except _Bad:
                    bad = True
            if bad:
                raise _Bad
            self.note_split_sentences(key, node)
            return tuple(out)
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            return (self.text(key, node),)
        self.fail(node, f"{key.name} must be {_TEXTS}, got {_describe(node)}")
        raise _Bad

    def names(self, key: Key, node: Node) -> tuple[str, ...]:
        """A list of short names (sides): never one scalar, which is too easily a mistake."""
        if not isinstance(node, SequenceNode):
            if isinstance(node, ScalarNode) and node.tag == _STR and str(node.value).strip():
                example = f"{key.name}: [{_short(str(node.value).strip())}]"
            else:
                example = f"{key.name}: [right leg, left leg]"
            self.fail(
                node,
                f"{key.name} must be a list of side names, such as {example}, "
                f"got {_describe(node)}",
            )
            raise _Bad
        self.check_items(key, node)
        names: list[str] = []
        bad = False
        for item in node.value:
            try:
                names.append(self.text(key, item))
            except _Bad:
                bad = True
        if bad:
            raise _Bad
        return tuple(names)

    def check_items(self, key: Key, node: SequenceNode) -> None:
        count = len(node.value)
        if count > spec.MAX_ITEMS:
            self.fail(
                node,
                f"{key.name} has {count} texts; a list holds at most {spec.MAX_ITEMS} "
                "(keep the ones that matter most)",
            )
            raise _Bad

    def note_split_sentences(self, key: Key, node: SequenceNode) -> None:
        """Warn where a comma in `[...]` probably split one sentence into two texts."""
        if not node.flow_style:
            return
        for first, second in zip(node.value, node.value[1:], strict=False):
            if not all(isinstance(n, ScalarNode) and n.style is None for n in (first, second)):
                continue
            before, after = str(first.value).strip(), str(second.value).strip()
            if looks_split(before, after):
                joined = _short(f"{before}, {after}", 60)
                self.note(
                    second,
                    f"{key.name}: '{_short(before)}' and '{_short(after)}' are two texts, "
                    f"because a comma inside [...] separates texts; if it is one sentence, "
                    f'put it in quotes: ["{joined}"]',
                )

    def count(self, key: Key, node: Node) -> int:
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        value: int | None = None
        if isinstance(node, ScalarNode) and (
            node.tag == _INT or (node.tag == _STR and _WHOLE.fullmatch(raw.strip()))
        ):
            value = _whole_number(node)
            if value is None and len(raw) < 100:  # e.g. `!!int abc`
                self.fail(node, f"{key.name} must be a whole number, got {raw!r}")
                raise _Bad
            if value is None or value.bit_length() > 64:
                self.fail(node, f"{key.name} is far too large ({len(raw)} characters)")
                raise _Bad
        elif (
            isinstance(node, ScalarNode)
            and node.tag in (_FLOAT, _STR)
            and _NUMBER.fullmatch(raw.strip())
        ):
            self.fail(node, f"{key.name} must be a whole number, got {_short(raw)}")
            raise _Bad
        else:
            self.fail(node, f"{key.name} must be a whole number, got {_describe(node)}")
            raise _Bad
        self.check_range(key, node, value, str(value))
        return value

    def duration(self, key: Key, node: Node) -> float:
        if not isinstance(node, ScalarNode) or node.tag in (_NULL, _BOOL):
            self.fail(node, f"{key.name} must be {_DURATION}, got {_describe(node)}")
            raise _Bad
        raw = str(node.value).strip()
        try:
            if node.tag == _INT:
                whole = _whole_number(node)
                seconds = math.inf if whole is None or abs(whole) > 10**9 else float(whole)
            elif node.tag == _FLOAT or _NUMBER.fullmatch(raw):
                seconds = float(_SCALARS.construct_yaml_float(node))
            else:
                seconds = signed_duration(raw)
            if math.isinf(seconds) and ".inf" not in raw.lower():
                raise DurationError(f"{_short(raw)} is far too long")
            seconds = signed_duration(seconds)
        except (DurationError, ValueError, OverflowError, IndexError) as error:
            message = str(error) if isinstance(error, DurationError) else "not a number"
            self.fail(node, f"{key.name}: {message}")
            raise _Bad from None
        if seconds < 0 and key.positive:
            self.fail(node, f"{key.name} must be positive, got {exact_duration(seconds)}")
            raise _Bad
        if seconds < 0:
            self.fail(
                node,
                f"{key.name} cannot be negative, got {exact_duration(seconds)}; write 0 for none",
            )
            raise _Bad
        if key.positive and seconds == 0:
            self.fail(node, f"{key.name} must be more than zero")
            raise _Bad
        self.check_range(key, node, seconds, exact_duration(seconds), exact_duration)
        return seconds

    def check_range(
        self,
        key: Key,
        node: Node,
        value: float,
        shown: str,
        fmt: Callable[[float], str] = lambda v: str(int(v)),
    ) -> None:
        if value < key.low:
            self.fail(node, f"{key.name} must be at least {fmt(key.low)}, got {shown}")
            raise _Bad
        if key.maximum is not None and value > key.maximum:
            self.fail(node, f"{key.name} must be at most {fmt(key.maximum)}, got {shown}")
            raise _Bad

    def boolean(self, key: Key, node: Node) -> bool:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            value = _SCALARS.bool_values.get(str(node.value).lower())  # None: `!!bool maybe`
            if value is not None:
                return bool(value)
        self.fail(node, f"{key.name} must be true or false, got {_describe(node)}")
        raise _Bad

    def choice(self, key: Key, node: Node) -> str:
        word = str(node.value).strip().lower() if isinstance(node, ScalarNode) else None
        if word not in key.choices:
            allowed = ", ".join(key.choices)
            got = _describe(node) if word is None else repr(_short(str(node.value)))
            self.fail(node, f"{key.name} must be one of {allowed}; got {got}")
            raise _Bad
        return word

    # -- nested parts ------------------------------------------------------------

    def settings(self, field: tuple[Node, Node] | None) -> Settings:
        if field is None:
            return Settings()
        try:
            values = self.values("settings", self.mapping(field[1], "settings"))
        except _Bad:
            return Settings()
        given = {k: v.value for k, v in values.items() if v.value is not _Bad}
        if "tempo" in given:
            self.tempo_node = values["tempo"].node
        return Settings(**given)

    def reminders(self, field: tuple[Node, Node] | None) -> Reminders | None:
        if field is None:
            return None
        try:
            values = self.values("reminders", self.mapping(field[1], "reminders"))
        except _Bad:
            return None
        every, phrases = values.get("every"), values.get("phrases")
        if every is None or phrases is None or _Bad in (every.value, phrases.value):
            return None
        if not phrases.value:
            self.fail(phrases.node, "reminders need at least one phrase")
            return None
        return Reminders(every=every.value, phrases=phrases.value)

    def phrases(
        self, field: tuple[Node, Node] | None
    ) -> tuple[dict[str, tuple[str, ...]], dict[str, Location]]:
        texts: dict[str, tuple[str, ...]] = {}
        where: dict[str, Location] = {}
        if field is None:
            return texts, where
        node = field[1]
        if not isinstance(node, MappingNode):
            self.fail(
                node, f"phrases must be a mapping of phrase names to texts, got {_describe(node)}"
            )
            return texts, where
        for key_node, value_node in node.value:
            name = self.key_name(key_node)
            if name is None:
                continue
            if name in texts:
                self.fail(key_node, f"duplicate phrase '{_short(name)}'; keep only one")
                continue
            try:
                value = self.texts(Key(name, "texts", ""), value_node)
            except _Bad:
                continue
            if not value:
                self.fail(value_node, f"phrase '{name}' is empty; give at least one text")
                continue
            texts[name] = value
            where[name] = self.loc(key_node)
        return texts, where

    def sections(self, node: Node, settings: Settings) -> list[Section]:
        items = self.sequence(node, "sections", "sections")
        out: list[Section] = []
        for item in items:
            try:
                fields = self.mapping(item, "section")
            except _Bad:
                continue
            values = self.values("section", fields)
            exercises: tuple[Exercise, ...] = ()
            if "exercises" in fields:
                exercises = self.exercises(fields["exercises"][1], settings)
            if "title" not in values or any(v.value is _Bad for v in values.values()):
                continue
            out.append(
                Section(
                    title=values["title"].value,
                    exercises=exercises,
                    location=self.loc(item),
                    rounds=values["rounds"].value if "rounds" in values else 1,
                    rest_between_rounds=(
                        values["rest_between_rounds"].value
                        if "rest_between_rounds" in values
                        else 0.0
                    ),
                    continuous=values["continuous"].value if "continuous" in values else False,
                )
            )
        return out

    def sequence(self, node: Node, name: str, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            hint = " (start each item with '- ')" if isinstance(node, MappingNode) else ""
            self.fail(node, f"{name} must be a list of {what}{hint}, got {_describe(node)}")
            return []
        if not node.value:
            self.fail(node, f"{name} is empty; add at least one")
        return list(node.value)

    def exercises(self, node: Node, settings: Settings) -> tuple[Exercise, ...]:
        out: list[Exercise] = []
        for item in self.sequence(node, "exercises", "exercises"):
            exercise = self.exercise(item, settings)
            if exercise is not None:
                out.append(exercise)
        return tuple(out)

    def exercise(self, node: Node, settings: Settings) -> Exercise | None:
        try:
            fields = self.mapping(node, "exercise")
        except _Bad:
            return None
        values = self.values("exercise", fields)
        notch_values: dict[str, _Value] | None = None
        notch_node: Node | None = None
        if "notch" in fields:
            notch_node = fields["notch"][1]
            try:
                notch_values = self.values("notch", self.mapping(notch_node, "notch"))
            except _Bad:
                notch_values = None
        base = self.build_exercise(node, values, settings)
        if base is None or notch_values is None or notch_node is None:
            return base
        if any(v.value is _Bad for v in notch_values.values()):
            return base
        notch = self.build_exercise(notch_node, _merge(values, notch_values), settings)
        if notch is None:
            return base
        return replace(base, notch=notch)

    def build_exercise(
        self, node: Node, values: dict[str, _Value], settings: Settings
    ) -> Exercise | None:
        if "name" not in values or any(v.value is _Bad for v in values.values()):
            return None
        reps, work = values.get("reps"), values.get("work")
        failure = values.get("to_failure")
        to_failure = bool(failure and failure.value)
        ok = True
        if to_failure and failure is not None:
            if reps is not None:
                self.fail(
                    reps.key,
                    "a set to failure has no rep count; remove reps and give work as the time cap",
                )
                ok = False
            if work is None:
                self.fail(failure.key, "to_failure needs a time cap: add work, e.g. work: 60s")
                ok = False
        elif reps is not None and work is not None:
            later = max(reps, work, key=lambda v: (v.key.start_mark.line, v.key.start_mark.column))
            self.fail(later.key, "give either reps (counted) or work (timed), not both")
            ok = False
        elif reps is None and work is None:
            self.fail(
                node,
                f"exercise '{values['name'].value}' needs reps or work: e.g. "
                "reps: 10 for counted reps, or work: 45s for a timed set",
            )
            ok = False
        hold = values.get("hold")
        if hold is not None and hold.value > 0 and reps is None and not to_failure:
            self.fail(hold.key, "hold is a pause in each rep; it needs reps, not work")
            ok = False
        sides: tuple[str, ...] = values["sides"].value if "sides" in values else ()
        alternate = values.get("alternate")
        if alternate is not None and alternate.value:
            if "sides" not in values:
                sides = ("right", "left")
            elif len(sides) != 2:
                self.fail(
                    values["sides"].node, f"alternate needs exactly two sides, got {len(sides)}"
                )
                ok = False
        pulses = values.get("pulses")
        if pulses is not None and pulses.value > 0 and (reps is None or to_failure):
            self.fail(pulses.key, "pulses are part of each rep; they need reps, not work")
            ok = False
        if not ok:
            return None
        given = {k: v.value for k, v in values.items() if k != "notch"}
        given.update(
            sides=sides,
            tempo=given.get("tempo", settings.tempo),
            rest=given.get("rest", settings.rest),
            get_ready=given.get("get_ready", settings.get_ready),
            switch=given.get("switch", settings.switch),
            counting=given.get("counting", settings.counting),
            location=self.loc(node),
        )
        exercise = Exercise(**given)
        return exercise if self.check_counts(exercise, values) else None

    def check_counts(self, exercise: Exercise, values: dict[str, _Value]) -> bool:
        """Whether every rep count has time to be said; a hold too short for it is noted."""
        if exercise.reps is None or exercise.to_failure:
            return True
        from coach.compiler.compile import count_seconds

        need, word = count_seconds(exercise.reps)
        smallest = f"{math.ceil(need * 10) / 10:g}s"
        saying = f"saying '{word}' takes about {need:.1f} s"
        hold = values.get("hold")
        if hold is not None and 0 < exercise.hold < need:
            self.note(
                hold.node,
                f"hold {exact_duration(exercise.hold)} is too short to say the count before "
                f"'down' ({saying}), so counts will be dropped; use hold: {smallest} or more, "
                "or no hold",
            )
        if exercise.tempo >= need:
            return True
        given = values.get("tempo")
        where = given.node if given else self.tempo_node or values["reps"].node
        self.fail(
            where,
            f"tempo {exact_duration(exercise.tempo)} is too fast to count {exercise.reps} reps "
            f"({saying}); use tempo: {smallest} or more",
        )
        return False


def _merge(base: dict[str, _Value], notch: dict[str, _Value]) -> dict[str, _Value]:
    """The notch variant's values: the base exercise with the notch keys laid over it."""
    merged = {k: v for k, v in base.items() if k != "notch"}
    if "reps" in notch:
        merged.pop("work", None)
        merged.pop("to_failure", None)
    if "work" in notch:
        merged.pop("reps", None)
    if "to_failure" in notch and notch["to_failure"].value:
        merged.pop("reps", None)
    merged.update(notch)
    return merged


def _whole_number(node: ScalarNode) -> int | None:
    """The integer in a scalar (YAML 1.1 forms: 1_000, 0x1f, 1:30), or None if too big."""
    try:
        if node.tag == _STR:
            return int(str(node.value).strip())
        return int(_SCALARS.construct_yaml_int(node))
    except (ValueError, OverflowError, IndexError):  # `!!int ''`; ints over 4300 digits
        return None


def _unknown_key(name: str, keys: dict[str, Key], what: str) -> str:
    close = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
    if close:
        return f"unknown key '{_short(name)}' in {what}; did you mean '{close[0]}'?"
    return f"unknown key '{_short(name)}' in {what}; expected one of: {', '.join(keys)}"
