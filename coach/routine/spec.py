"""The routine format in one place: every key, its kind, its limits and its help text.

The loader takes its key lists and limits from here and `json_schema()` generates the
JSON Schema from the same tables, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from coach.routine.durations import DURATION_PATTERN

Kind = Literal[
    "text", "texts", "names", "count", "duration", "bool", "choice", "object", "list", "phrases"
]

MAX_TEXT = 300  # characters in any one text
MAX_ITEMS = 20  # texts in any one list: each set says all its form cues, so they multiply
MAX_DURATION = 3600.0  # seconds in any one duration value
MAX_SESSION = 6 * 3600.0  # estimated seconds of a whole session
MAX_BYTES = 1_000_000  # size of a routine file
MAX_NODES = 20_000  # YAML nodes after expanding aliases
MAX_DEPTH = 40  # nesting of YAML collections
MIN_WORK = 1.0  # seconds of timed work in a set: shorter is no set, and floods the session
MIN_REMINDER_EVERY = 10.0  # seconds of work between reminders: a reminder takes seconds to say
COUNTING = ("every", "ends", "none")  # how many reps of a set are counted aloud


@dataclass(frozen=True)
class Key:
    """One key of a mapping in the format."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    low: float = 0  # smallest allowed value (counts, durations)
    high: float | None = None  # largest allowed value
    positive: bool = False  # durations: must be more than zero
    of: str | None = None  # objects and lists: the name of the mapping they hold
    choices: tuple[str, ...] = ()  # choice: the words allowed

    @property
    def maximum(self) -> float | None:
        if self.high is not None:
            return self.high
        return MAX_DURATION if self.kind == "duration" else None


_EXERCISE: tuple[Key, ...] = (
    Key("name", "text", "What the exercise is called; spoken when it starts.", required=True),
    Key("setup", "texts", "How to get into position; spoken before the first set."),
    Key("sets", "count", "How many sets (default 1).", low=1, high=50),
    Key("reps", "count", "Reps per set (per side when `sides` is given).", low=1, high=500),
    Key(
        "work",
        "duration",
        "Timed work per set (per side); the time cap when `to_failure`.",
        positive=True,
        low=MIN_WORK,
    ),
    Key("to_failure", "bool", "An open-ended set: keep going until you cannot, capped at `work`."),
    Key("sides", "names", "Each set is done once per side, e.g. [right leg, left leg]."),
    Key("alternate", "bool", "Reps alternate between two sides (default sides: right, left)."),
    Key("hold", "duration", "Pause at the top of each rep."),
    Key(
        "tempo",
        "duration",
        "Seconds per rep, hold excluded (default: settings.tempo).",
        positive=True,
    ),
    Key("rest", "duration", "Rest between sets (default: settings.rest)."),
    Key(
        "rest_after",
        "duration",
        "Rest after the last set (default: settings.rest_between_exercises).",
    ),
    Key("cues", "texts", "Form cues spoken during each set, one idea each, in turn."),
    Key("breathe", "texts", "Breathing tied to the movement, e.g. 'Breathe out as you lift.'"),
    Key("equipment", "names", "What the exercise needs, e.g. [mat, dumbbells]; listed up front."),
    Key(
        "get_ready",
        "duration",
        "Time to get into position before the countdown (default: settings.get_ready).",
    ),
    Key("switch", "duration", "Time to change sides (default: settings.switch)."),
    Key(
        "switch_sides",
        "choice",
        "each_set (default): every set visits every side; after_all_sets: every set on "
        "the first side, then every set on the next.",
        choices=("each_set", "after_all_sets"),
    ),
    Key(
        "counting",
        "choice",
        "Which reps are counted aloud: every, ends (the first and last few; the default) or none.",
        choices=COUNTING,
    ),
    Key("pulses", "count", "Small pulses at the bottom of each rep, coached.", low=0, high=20),
    Key(
        "from_level",
        "count",
        "The exercise is done only from this level on (1 or 2).",
        low=1,
        high=2,
    ),
    Key(
        "notch",
        "object",
        "The harder variant used at level 2: any key above may be overridden.",
        of="notch",
    ),
)

OBJECTS: dict[str, tuple[Key, ...]] = {
    "routine": (
        Key("title", "text", "The routine's title; spoken at the start.", required=True),
        Key("description", "text", "A line about the routine (shown, not spoken)."),
        Key(
            "level", "count", "Default level: 1, or 2 to take every move up a notch.", low=1, high=2
        ),
        Key("settings", "object", "Defaults every exercise inherits.", of="settings"),
        Key("reminders", "object", "Phrases spoken now and then during long work.", of="reminders"),
        Key("intro", "texts", "Lines spoken at the start."),
        Key("outro", "texts", "Lines spoken at the end."),
        Key("phrases", "phrases", "Phrasebook overrides: template name -> text or list of texts."),
        Key(
            "continuous",
            "bool",
            "Run every block of the session back to back (see the section key).",
        ),
        Key("exercises", "list", "The exercises, in order (or use `sections`).", of="exercise"),
        Key("sections", "list", "Named groups of exercises (or use `exercises`).", of="section"),
    ),
    "settings": (
        Key("tempo", "duration", "Seconds per rep (default 3s).", positive=True),
        Key("rest", "duration", "Rest between sets (default 30s)."),
        Key("rest_between_exercises", "duration", "Rest after each exercise (default 20s)."),
        Key("switch", "duration", "Time to change sides within a set (default 5s)."),
        Key(
            "get_ready",
            "duration",
            "Time to get into position before the countdown into a first set (default 5s).",
        ),
        Key(
            "counting",
            "choice",
            "Which reps are counted aloud: every, ends (default) or none.",
            choices=COUNTING,
        ),
        Key(
            "countdown",
            "count",
            "Seconds of count-down before work starts (default 3).",
            low=0,
            high=10,
        ),
    ),
    "reminders": (
        Key(
            "every",
            "duration",
            "At most one reminder per this much work.",
            required=True,
            positive=True,
            low=MIN_REMINDER_EVERY,
        ),
        Key("phrases", "texts", "The reminders, used in turn.", required=True),
    ),
    "section": (
        Key("title", "text", "The section's title: a chapter of the session.", required=True),
        Key("exercises", "list", "The exercises of this section.", required=True, of="exercise"),
        Key(
            "rounds",
            "count",
            "Repeat the whole section this many times: a circuit (default 1).",
            low=1,
            high=50,
        ),
        Key("rest_between_rounds", "duration", "Rest between rounds of a circuit (default 0)."),
        Key(
            "continuous",
            "bool",
            "Run the blocks back to back, round into round: no stop, get-ready or countdown.",
        ),
    ),
    "exercise": _EXERCISE,
    "notch": tuple(
        Key(
            k.name,
            k.kind,
            k.help,
            low=k.low,
            high=k.high,
            positive=k.positive,
            of=k.of,
            choices=k.choices,
        )
        for k in _EXERCISE
        if k.name not in ("notch", "from_level")
    ),
}

#: Keys starting with this are ignored anywhere: a place for YAML anchors to reuse.
EXTENSION_PREFIX = "x-"

#: Exactly one of these top-level keys holds the exercises.
BODY_KEYS = ("exercises", "sections")


def keys_of(obj: str) -> dict[str, Key]:
    """The keys of mapping `obj`, by name."""
    return {key.name: key for key in OBJECTS[obj]}


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the routine format."""
    defs: dict[str, Any] = {
        "text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "texts": {
            "oneOf": [
                {"$ref": "#/$defs/text"},
                {"type": "array", "maxItems": MAX_ITEMS, "items": {"$ref": "#/$defs/text"}},
            ]
        },
        "names": {"type": "array", "maxItems": MAX_ITEMS, "items": {"$ref": "#/$defs/text"}},
        "phrases": {
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/texts"},
        },
    }
    for name in OBJECTS:
        defs[name] = _object_schema(name)
    routine = dict(defs.pop("routine"))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "coach routine",
        "description": "A workout routine for coach (see docs/routines.md).",
        **routine,
        "$defs": defs,
    }


def _object_schema(name: str) -> dict[str, Any]:
    keys = OBJECTS[name]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key.name: _key_schema(key) for key in keys},
        "patternProperties": {f"^{EXTENSION_PREFIX}": {}},
        "additionalProperties": False,
    }
    required = [key.name for key in keys if key.required]
    if required:
        schema["required"] = required
    if name == "routine":
        schema["oneOf"] = [{"required": [body]} for body in BODY_KEYS]
    if name in ("exercise", "notch"):
        schema["not"] = {"required": ["reps", "work"]}
        if name == "exercise":
            schema["anyOf"] = [{"required": ["reps"]}, {"required": ["work"]}]
            schema["if"] = {
                "properties": {"to_failure": {"const": True}},
                "required": ["to_failure"],
            }
            schema["then"] = {"required": ["work"], "not": {"required": ["reps"]}}
    return schema


def _key_schema(key: Key) -> dict[str, Any]:
    schema: dict[str, Any]
    if key.kind == "text":
        schema = {"$ref": "#/$defs/text"}
    elif key.kind == "texts":
        schema = {"$ref": "#/$defs/texts"}
    elif key.kind == "names":
        schema = {"$ref": "#/$defs/names"}
    elif key.kind == "phrases":
        schema = {"$ref": "#/$defs/phrases"}
    elif key.kind == "bool":
        schema = {"type": "boolean"}
    elif key.kind == "choice":
        schema = {"enum": list(key.choices)}
    elif key.kind == "count":
        schema = {"type": "integer", "minimum": int(key.low)}
        if key.maximum is not None:
            schema["maximum"] = int(key.maximum)
    elif key.kind == "duration":
        number: dict[str, Any] = {"type": "number", "maximum": key.maximum}
        if key.low > 0:
            number["minimum"] = key.low
        else:
            number["exclusiveMinimum" if key.positive else "minimum"] = 0
        schema = {"oneOf": [number, {"type": "string", "pattern": DURATION_PATTERN}]}
    elif key.kind == "object":
        schema = {"$ref": f"#/$defs/{key.of}"}
    else:  # list
        schema = {"type": "array", "minItems": 1, "items": {"$ref": f"#/$defs/{key.of}"}}
    return {"description": key.help, **schema}
