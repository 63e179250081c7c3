"""The phrasebook: every sentence the compiler speaks, as named templates with variants.

The default lives in coach/phrases/en.yaml. A user file (`--phrases FILE`) and a
routine's `phrases:` mapping override it template by template. Unknown template
names and unknown or missing placeholders are located errors.
"""

from __future__ import annotations

import difflib
import re
import string
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coach.errors import InputError, Problem
from coach.routine.spec import MAX_BYTES, MAX_DEPTH, MAX_NODES, MAX_TEXT
from coach.source import compose_yaml, decode, read_file

# template -> (placeholders it accepts, placeholders every variant must use)
TEMPLATES: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _template(name: str, allowed: str = "", required: str = "") -> None:
    TEMPLATES[name] = (frozenset(allowed.split()), frozenset(required.split()))


_template("intro_default", "title")
_template("outro_default", "title")
_template("level_up")
_template("section", "title", "title")
_template("exercise_name", "name", "name")
_template("plan_reps", "sets reps")
_template("plan_reps_single", "reps")
_template("plan_work", "sets duration")
_template("plan_work_single", "duration")
_template("plan_failure", "duration")
_template("plan_sides", "sides")
_template("plan_alternate", "side")
_template("get_ready")
_template("side_start", "side", "side")
_template("countdown", "count", "count")
_template("go")
_template("rep_count", "count", "count")
_template("rep_hold", "count", "count")
_template("release")
_template("alternate_rep", "count side", "side")
_template("last_reps", "count", "count")
_template("last_rep")
_template("halfway")
_template("last_seconds", "count", "count")
_template("time_left", "duration", "duration")
_template("to_failure", "duration")
_template("keep_going")
_template("switch_sides", "side", "side")
_template("rest", "duration seconds")
_template("next_up", "name", "name")
_template("next_set", "n total")
_template("next_set_side", "n total side")
_template("round", "n total")
_template("next_round", "n total")
# ---- between sets: previews, progress markers, continuous flow
_template("equipment_session", "items", "items")
_template("equipment_exercise", "items", "items")
_template("first_up", "name", "name")
_template("rest_brief")
_template("rest_next", "name", "name")
_template("plan_sides_after", "sides")
_template("switch_after_sets", "side", "side")
_template("last_set")
_template("last_set_side", "side", "side")
_template("last_set_this_side", "side", "side")
_template("last_round")
_template("last_exercise")
_template("moves_left", "count", "count")
_template("halfway_session")
_template("after_failure")
_template("heads_up", "name count", "name")
_template("stop")
_template("finish")
_template("reminders")
_template("default_sides")
# ---- inside a set
_template("hold_top")
_template("hold_count", "count", "count")
_template("reps_left", "count", "count")
_template("pulse")
_template("pulse_count", "count", "count")
_template("pulse_up")
_template("encourage")
_template("encourage_first_set")
_template("encourage_last_set")
_template("encourage_last_exercise")
_template("encourage_last_round")
_template("breathe_generic")
_template("encourage_steady")
_template("breathe_steady")


@dataclass(frozen=True)
class Template:
    """One named phrase: its variants and an optional short form."""

    variants: tuple[str, ...]
    short: str | None = None


@dataclass(frozen=True)
class Phrase:
    """A filled-in phrase: the full text and, if the template has one, its short form."""

    text: str
    short: str | None = None


def _placeholders(text: str) -> list[str]:
    """The field names used in `text`; ValueError for malformed braces or format specs."""
    names = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"write placeholders as plain {{name}}, not {{{name}...}}")
        names.append(name)
    return names


def check_text(name: str, text: str, *, short: bool = False) -> str | None:
    """The problem with variant `text` of template `name`, or None if it is fine."""
    allowed, required = TEMPLATES[name]
    try:
        used = _placeholders(text)
    except ValueError as error:
        return f"bad placeholder in {name!r}: {error} (write a literal brace as {{{{ or }}}})"
    for field_name in used:
        if field_name not in allowed:
            return _unknown_placeholder(name, field_name, allowed)
    if not short:
        missing = sorted(required - set(used))
        if missing:
            return f"{name!r} must say {{{missing[0]}}} in every variant"
    if not text.strip():
        return f"empty phrase in {name!r}"
    return None


def _unknown_placeholder(name: str, unknown: str, allowed: frozenset[str]) -> str:
    if not allowed:
        return (
            f"{name!r} takes no placeholders, so {{{unknown}}} cannot be filled in: remove it"
            " (to say a brace, write it twice: {{ or }})"
        )
    names = sorted("{" + a + "}" for a in allowed)
    takes = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    close = difflib.get_close_matches(unknown, sorted(allowed), n=1, cutoff=0.5)
    fix = f"did you mean {{{close[0]}}}?" if close else f"use {takes} or remove {{{unknown}}}"
    return f"unknown placeholder {{{_short(unknown)}}} in {name!r}, which takes {takes}; {fix}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown_template(name: str) -> str:
    close = difflib.get_close_matches(name, list(TEMPLATES), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; `coach phrases` lists them all"
    return f"unknown phrase template {_short(name)!r}{hint}"


@dataclass
class Phrasebook:
    """Templates by name. `speaker()` gives a fresh, deterministic variant chooser."""

    templates: dict[str, Template] = field(default_factory=dict)

    def merged(self, other: Mapping[str, Template]) -> Phrasebook:
        """A copy with `other`'s templates replacing these (a missing short form is kept)."""
        result = dict(self.templates)
        for name, template in other.items():
            old = result.get(name)
            short = template.short
            if short is None and old is not None:
                short = old.short
            result[name] = Template(template.variants, short)
        return Phrasebook(result)

    def with_overrides(
        self,
        overrides: Mapping[str, tuple[str, ...]],
        locations: Mapping[str, Any] | None = None,
        source: str = "<routine>",
    ) -> Phrasebook:
        """Apply a routine's `phrases:` (template -> variants), checking each one."""
        problems: list[Problem] = []
        checked: dict[str, Template] = {}
        for name, variants in overrides.items():
            where = (locations or {}).get(name)
            file = getattr(where, "file", source)
            line = getattr(where, "line", 1)
            column = getattr(where, "column", 1)
            if name not in TEMPLATES:
                problems.append(Problem(file, line, column, _unknown_template(name)))
                continue
            if not variants:
                problems.append(Problem(file, line, column, f"{name!r} needs at least one phrase"))
                continue
            for text in variants:
                message = check_text(name, text)
                if message:
                    problems.append(Problem(file, line, column, message))
            checked[name] = Template(tuple(variants))
        if problems:
            raise InputError(problems)
        return self.merged(checked)

    def speaker(self) -> Speaker:
        return Speaker(self)


_SENTENCE_END = re.compile(r"(^|[.!?]\s+)$")


def _sentence(template: str, values: dict[str, str]) -> str:
    """Fill `template` in; a placeholder that opens a sentence ("Nice work. {duration}
    of rest.") starts with a capital."""
    text = ""
    for literal, field_name, _, _ in string.Formatter().parse(template):
        text += literal
        if field_name is None:
            continue
        value = values[field_name]
        if _SENTENCE_END.search(text):
            value = value[:1].upper() + value[1:]
        text += value
    return text


class Speaker:
    """Fills templates in, choosing variants deterministically without mechanical repeats."""

    def __init__(self, book: Phrasebook) -> None:
        self.book = book
        self._uses: dict[str, int] = {}

    def variants(self, name: str) -> tuple[str, ...]:
        return self.book.templates[name].variants

    def _choose(self, name: str, count: int) -> int:
        use = self._uses.get(name, 0)
        self._uses[name] = use + 1
        if count == 1:
            return 0
        # Each template walks its variants in an order that looks random but is the same on
        # every run: every variant is heard before any is heard again, and never the same
        # one twice in a row.
        order = sorted(range(count), key=lambda i: zlib.crc32(f"{name}#{i}".encode()))
        return order[use % count]

    def phrase(self, name: str, /, **values: str) -> Phrase:
        """The next variant of template `name` with `values` filled in."""
        template = self.book.templates[name]
        text = _sentence(template.variants[self._choose(name, len(template.variants))], values)
        short = _sentence(template.short, values) if template.short else None
        if short == text:
            short = None
        return Phrase(text, short)

    def text(self, name: str, /, **values: str) -> str:
        return self.phrase(name, **values).text


# ---- reading phrasebook files ------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"


def _where(file: str, node: Node) -> tuple[str, int, int]:
    return file, node.start_mark.line + 1, node.start_mark.column + 1


def _key(node: Node) -> str | None:
    """The name a key node gives, or None when it is not plain text."""
    if isinstance(node, ScalarNode) and node.tag == _STR:
        return str(node.value)
    return None


def _phrase(file: str, name: str, node: Node, problems: list[Problem], short: bool) -> str | None:
    """The text of one phrase node, or None (the problem recorded)."""
    what = "short: must be one phrase" if short else f"each phrase of {name!r} must be text"
    if not isinstance(node, ScalarNode) or node.tag != _STR:
        problems.append(Problem(*_where(file, node), what))
        return None
    text = str(node.value)
    if len(text) > MAX_TEXT:
        too_long = f"a phrase of {name!r} is {len(text):,} characters; keep it under {MAX_TEXT}"
        problems.append(Problem(*_where(file, node), too_long))
        return None
    message = check_text(name, text, short=short)
    if message:
        problems.append(Problem(*_where(file, node), message))
    return text


def _strings(file: str, name: str, node: Node, problems: list[Problem]) -> tuple[str, ...]:
    nodes = node.value if isinstance(node, SequenceNode) else [node]
    if isinstance(node, SequenceNode) and not nodes:
        problems.append(Problem(*_where(file, node), f"{name!r} needs at least one phrase"))
    texts = (_phrase(file, name, item, problems, short=False) for item in nodes)
    return tuple(text for text in texts if text is not None)


def parse_phrasebook(text: str, file: str) -> dict[str, Template]:
    """Templates from phrasebook YAML `text`; InputError with FILE:LINE:COL problems."""
    # a phrasebook has the limits of a routine
    root = compose_yaml(text, file, "phrasebook", max_nodes=MAX_NODES, max_depth=MAX_DEPTH)
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        raise InputError(Problem(*_where(file, root), "a phrasebook is a mapping: name: phrases"))
    problems: list[Problem] = []
    found: dict[str, Template] = {}
    for key, value in root.value:
        name = _key(key)
        if name is None:
            problems.append(Problem(*_where(file, key), "a template name must be a plain word"))
            continue
        if name not in TEMPLATES:
            problems.append(Problem(*_where(file, key), _unknown_template(name)))
            continue
        if name in found:
            problems.append(Problem(*_where(file, key), f"{name!r} is given twice"))
            continue
        short: str | None = None
        if isinstance(value, MappingNode):
            variants: tuple[str, ...] = ()
            for k, v in value.value:
                part = _key(k)
                if part == "variants":
                    variants = _strings(file, name, v, problems)
                elif part == "short":
                    short = _phrase(file, name, v, problems, short=True)
                else:
                    shown = repr(_short(part)) if part is not None else "that is not a word"
                    problems.append(
                        Problem(*_where(file, k), f"unknown key {shown}: use variants or short")
                    )
            if not variants:
                problems.append(Problem(*_where(file, value), f"{name!r} needs variants:"))
        else:
            variants = _strings(file, name, value, problems)
        found[name] = Template(variants, short)
    if problems:
        raise InputError(problems)
    return found


DEFAULT_NAME = "en.yaml"


def default_text() -> str:
    """The default phrasebook's YAML, comments included."""
    return resources.files("coach.phrases").joinpath(DEFAULT_NAME).read_text(encoding="utf-8")


_DEFAULT: Phrasebook | None = None


def default_phrasebook() -> Phrasebook:
    """The built-in phrasebook (parsed once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Phrasebook(parse_phrasebook(default_text(), f"coach/phrases/{DEFAULT_NAME}"))
        missing = sorted(set(TEMPLATES) - set(_DEFAULT.templates))
        assert not missing, f"default phrasebook lacks {missing}"
    return _DEFAULT


def load_phrasebook(path: str | None = None) -> Phrasebook:
    """The default phrasebook, with the templates of the file at `path` replacing its own."""
    book = default_phrasebook()
    if path is None:
        return book
    text = decode(read_file(path, path, "phrasebook", MAX_BYTES), path)
    return book.merged(parse_phrasebook(text, path))
