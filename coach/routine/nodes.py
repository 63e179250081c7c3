"""Read YAML nodes into values with the routine format's key tables (`coach.routine.spec`).

`NodeReader` converts plain values (text, counts, durations, choices...) and records
every problem with the line and column of its node, so a whole file's problems are
reported at once. `coach.routine.build` walks a routine's nodes with it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coach.errors import InputError, Problem
from coach.routine import spec
from coach.routine.durations import DurationError, exact_duration, signed_duration
from coach.routine.model import Location
from coach.routine.spec import Key
from coach.routine.texts import codepoint, control_character, is_invisible, looks_split

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
# merge keys (<<) pass here and are refused, with their own message, where keys are read
_ALLOWED_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL} | {
    _CORE + t for t in ("timestamp", "seq", "map", "merge")
}
_SCALARS = SafeConstructor()
_WHOLE = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


class Bad(Exception):
    """A value was wrong; the problem is already recorded."""


@dataclass(frozen=True)
class Value:
    value: Any
    key: Node  # the key node, where problems about this key point
    node: Node  # the value node


def describe(node: Node) -> str:
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
    return f"the text {short_text(str(node.value))!r}"


def short_text(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


WHAT = {
    "routine": "the routine",
    "settings": "settings",
    "reminders": "reminders",
    "section": "a section",
    "exercise": "an exercise",
    "notch": "notch",
}

TEXTS = "text or a list of texts"
DURATION_HINT = "a duration such as 30, 30s, 1m30s or 1:30"


class NodeReader:
    """Converts nodes to values and records every problem on the way.

    `keys_of` and `what` describe the format read: the routine's here; a reader of
    another format (programs) sets its own."""

    keys_of: Callable[[str], dict[str, Key]] = staticmethod(spec.keys_of)
    what: dict[str, str] = WHAT

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

    # -- mappings and values -----------------------------------------------------

    def mapping(self, node: Node, obj: str) -> dict[str, tuple[Node, Node]]:
        """The valid keys of a mapping node (key node, value node), problems recorded."""
        what = self.what[obj]
        keys = self.keys_of(obj)
        if not isinstance(node, MappingNode):
            self.fail(
                node, f"{what} must be a mapping of keys ({', '.join(keys)}), got {describe(node)}"
            )
            raise Bad
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = self.key_name(key_node)
            if name is None or name.startswith(spec.EXTENSION_PREFIX):
                continue
            if name in found:
                first = found[name][0].start_mark.line + 1
                self.fail(
                    key_node,
                    f"duplicate key '{short_text(name)}' (first given on line {first}); "
                    "keep only one",
                )
            elif name not in keys:
                self.fail(key_node, unknown_key(name, keys, what))
            else:
                found[name] = (key_node, value_node)
        for key in keys.values():
            if key.required and key.name not in found:
                self.fail(node, f"{what} is missing '{key.name}': {key.help}")
        return found

    def sequence(self, node: Node, name: str, what: str) -> list[Node]:
        """The items of a list node named `name` (of `what`), problems recorded."""
        if not isinstance(node, SequenceNode):
            hint = " (start each item with '- ')" if isinstance(node, MappingNode) else ""
            self.fail(node, f"{name} must be a list of {what}{hint}, got {describe(node)}")
            return []
        if not node.value:
            self.fail(node, f"{name} is empty; add at least one")
        return list(node.value)

    def key_name(self, key_node: Node) -> str | None:
        if key_node.tag == _CORE + "merge":
            self.fail(key_node, "merge keys (<<) are not supported; write the keys out")
            return None
        if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL:
            self.fail(key_node, f"a key must be a name, got {describe(key_node)}")
            return None
        name = str(key_node.value)
        control = control_character(name)
        if control is not None:
            self.fail(key_node, f"a key contains the control character {codepoint(control)}")
            return None
        return name

    def values(self, obj: str, fields: dict[str, tuple[Node, Node]]) -> dict[str, Value]:
        """Convert the plain (non-nested) values of a mapping; a bad one is `Bad`."""
        keys = self.keys_of(obj)
        out: dict[str, Value] = {}
        for name, (key_node, value_node) in fields.items():
            key = keys[name]
            convert = self.converters().get(key.kind)
            if convert is None:
                continue
            try:
                out[name] = Value(convert(key, value_node), key_node, value_node)
            except Bad:
                out[name] = Value(Bad, key_node, value_node)
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
            self.fail(node, f"{key.name} must be text, got {describe(node)}")
            raise Bad
        text = str(node.value).strip()
        if not text:
            self.fail(node, f"{key.name} is empty; write some text or remove the key")
            raise Bad
        control = control_character(text)
        if control is not None:
            self.fail(
                node,
                f"{key.name} contains the control character {codepoint(control)}; remove it "
                "(control characters are not spoken, and they can take over a terminal)",
            )
            raise Bad
        if is_invisible(text):
            codes = ", ".join(dict.fromkeys(codepoint(char) for char in text if char != " "))
            self.fail(
                node,
                f"{key.name} has nothing to say: it holds only invisible characters ({codes}); "
                "write some text or remove the key",
            )
            raise Bad
        if len(text) > spec.MAX_TEXT:
            self.fail(
                node,
                f"{key.name} is {len(text)} characters long; keep each text under "
                f"{spec.MAX_TEXT} (split it into a list of shorter lines)",
            )
            raise Bad
        return text

    def texts(self, key: Key, node: Node) -> tuple[str, ...]:
        if isinstance(node, SequenceNode):
            self.check_items(key, node)
            out: list[str] = []
            bad = False
            for item in node.value:
                try:
                    out.append(self.text(key, item))
                except Bad:
                    bad = True
            if bad:
                raise Bad
            self.note_split_sentences(key, node)
            return tuple(out)
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            return (self.text(key, node),)
        self.fail(node, f"{key.name} must be {TEXTS}, got {describe(node)}")
        raise Bad

    def names(self, key: Key, node: Node) -> tuple[str, ...]:
        """A list of short names (sides): never one scalar, which is too easily a mistake."""
        if not isinstance(node, SequenceNode):
            if isinstance(node, ScalarNode) and node.tag == _STR and str(node.value).strip():
                example = f"{key.name}: [{short_text(str(node.value).strip())}]"
            else:
                example = f"{key.name}: [right leg, left leg]"
            self.fail(
                node,
                f"{key.name} must be a list of side names, such as {example}, got {describe(node)}",
            )
            raise Bad
        self.check_items(key, node)
        names: list[str] = []
        bad = False
        for item in node.value:
            try:
                names.append(self.text(key, item))
            except Bad:
                bad = True
        if bad:
            raise Bad
        return tuple(names)

    def check_items(self, key: Key, node: SequenceNode) -> None:
        count = len(node.value)
        if count > spec.MAX_ITEMS:
            self.fail(
                node,
                f"{key.name} has {count} texts; a list holds at most {spec.MAX_ITEMS} "
                "(keep the ones that matter most)",
            )
            raise Bad

    def note_split_sentences(self, key: Key, node: SequenceNode) -> None:
        """Warn where a comma in `[...]` probably split one sentence into two texts."""
        if not node.flow_style:
            return
        for first, second in zip(node.value, node.value[1:], strict=False):
            if not all(isinstance(n, ScalarNode) and n.style is None for n in (first, second)):
                continue
            before, after = str(first.value).strip(), str(second.value).strip()
            if looks_split(before, after):
                joined = short_text(f"{before}, {after}", 60)
                self.note(
                    second,
                    f"{key.name}: '{short_text(before)}' and '{short_text(after)}' are two texts, "
                    f"because a comma inside [...] separates texts; if it is one sentence, "
                    f'put it in quotes: ["{joined}"]',
                )

    def count(self, key: Key, node: Node) -> int:
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        value: int | None = None
        if isinstance(node, ScalarNode) and (
            node.tag == _INT or (node.tag == _STR and _WHOLE.fullmatch(raw.strip()))
        ):
            value = whole_number(node)
            if value is None and len(raw) < 100:  # e.g. `!!int abc`
                self.fail(node, f"{key.name} must be a whole number, got {raw!r}")
                raise Bad
            if value is None or value.bit_length() > 64:
                self.fail(node, f"{key.name} is far too large ({len(raw)} characters)")
                raise Bad
        elif (
            isinstance(node, ScalarNode)
            and node.tag in (_FLOAT, _STR)
            and _NUMBER.fullmatch(raw.strip())
        ):
            self.fail(node, f"{key.name} must be a whole number, got {short_text(raw)}")
            raise Bad
        else:
            self.fail(node, f"{key.name} must be a whole number, got {describe(node)}")
            raise Bad
        self.check_range(key, node, value, str(value))
        return value

    def duration(self, key: Key, node: Node) -> float:
        if not isinstance(node, ScalarNode) or node.tag in (_NULL, _BOOL):
            self.fail(node, f"{key.name} must be {DURATION_HINT}, got {describe(node)}")
            raise Bad
        raw = str(node.value).strip()
        try:
            if node.tag == _INT:
                whole = whole_number(node)
                seconds = math.inf if whole is None or abs(whole) > 10**9 else float(whole)
            elif node.tag == _FLOAT or _NUMBER.fullmatch(raw):
                seconds = float(_SCALARS.construct_yaml_float(node))
            else:
                seconds = signed_duration(raw)
            if math.isinf(seconds) and ".inf" not in raw.lower():
                raise DurationError(f"{short_text(raw)} is far too long")
            seconds = signed_duration(seconds)
        except (DurationError, ValueError, OverflowError, IndexError) as error:
            message = str(error) if isinstance(error, DurationError) else "not a number"
            self.fail(node, f"{key.name}: {message}")
            raise Bad from None
        if seconds < 0 and key.positive:
            self.fail(node, f"{key.name} must be positive, got {exact_duration(seconds)}")
            raise Bad
        if seconds < 0:
            self.fail(
                node,
                f"{key.name} cannot be negative, got {exact_duration(seconds)}; write 0 for none",
            )
            raise Bad
        if key.positive and seconds == 0:
            self.fail(node, f"{key.name} must be more than zero")
            raise Bad
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
            raise Bad
        if key.maximum is not None and value > key.maximum:
            self.fail(node, f"{key.name} must be at most {fmt(key.maximum)}, got {shown}")
            raise Bad

    def boolean(self, key: Key, node: Node) -> bool:
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            value = _SCALARS.bool_values.get(str(node.value).lower())  # None: `!!bool maybe`
            if value is not None:
                return bool(value)
        self.fail(node, f"{key.name} must be true or false, got {describe(node)}")
        raise Bad

    def choice(self, key: Key, node: Node) -> str:
        word = str(node.value).strip().lower() if isinstance(node, ScalarNode) else None
        if word not in key.choices:
            allowed = ", ".join(key.choices)
            got = describe(node) if word is None else repr(short_text(str(node.value)))
            self.fail(node, f"{key.name} must be one of {allowed}; got {got}")
            raise Bad
        return word


def whole_number(node: ScalarNode) -> int | None:
    """The integer in a scalar (YAML 1.1 forms: 1_000, 0x1f, 1:30), or None if too big."""
    try:
        if node.tag == _STR:
            return int(str(node.value).strip())
        return int(_SCALARS.construct_yaml_int(node))
    except (ValueError, OverflowError, IndexError):  # `!!int ''`; ints over 4300 digits
        return None


def unknown_key(name: str, keys: dict[str, Key], what: str) -> str:
    close = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
    if close:
        return f"unknown key '{short_text(name)}' in {what}; did you mean '{close[0]}'?"
    return f"unknown key '{short_text(name)}' in {what}; expected one of: {', '.join(keys)}"
