"""The program format in one place: every key, its kind and its help text.

A program turns routines into a schedule of weeks and sessions, with rules that make
each week harder. The reader (`coach.program.reader`) takes its key lists from here,
and docs/programs.md describes the same keys.
"""

from __future__ import annotations

from coach.routine.spec import Key

SUFFIXES = (".program.yaml", ".program.yml")  # a file is a program by its name alone
FOLDER = "programs"  # the built-in programs: this folder inside the built-in routines
MAX_WEEKS = 52
MAX_SESSIONS_PER_WEEK = 7
DEFAULT_SESSIONS_PER_WEEK = 3

_STEP = "an increase such as +2, +1 every 2 weeks, +10% or +5s; none for no change"

_RULES: tuple[Key, ...] = (
    Key("reps", "text", f"Reps of every counted exercise: {_STEP}."),
    Key("sets", "text", f"Sets of every exercise: {_STEP} (whole sets, no %)."),
    Key("work", "text", f"Timed work of every timed exercise: {_STEP}."),
    Key("rounds", "text", f"Rounds of every circuit: {_STEP} (whole rounds, no %)."),
    Key("max_reps", "count", "Reps never grow past this.", low=1, high=500),
    Key("max_sets", "count", "Sets never grow past this.", low=1, high=50),
    Key("max_work", "duration", "Timed work never grows past this.", positive=True),
    Key("max_rounds", "count", "Rounds never grow past this.", low=1, high=50),
    Key(
        "start_reps",
        "count",
        "Week 1 starts at this many reps (below the routine's).",
        low=1,
        high=500,
    ),
    Key(
        "start_sets",
        "count",
        "Week 1 starts at this many sets (below the routine's).",
        low=1,
        high=50,
    ),
    Key(
        "start_work",
        "duration",
        "Week 1 starts at this much work (below the routine's).",
        positive=True,
        low=1.0,
    ),
)

OBJECTS: dict[str, tuple[Key, ...]] = {
    "program": (
        Key("title", "text", "The program's title.", required=True),
        Key("description", "text", "A line about the program (shown, not spoken)."),
        Key("routine", "object", "The routine of every session: a path or a built-in name."),
        Key("weeks", "count", "How many weeks (with routine).", low=1, high=MAX_WEEKS),
        Key(
            "sessions_per_week",
            "count",
            f"Sessions in a week (default {DEFAULT_SESSIONS_PER_WEEK}).",
            low=1,
            high=MAX_SESSIONS_PER_WEEK,
        ),
        Key(
            "level", "count", "The level sessions start at (default: the routine's).", low=1, high=2
        ),
        Key("progression", "object", "How each week gets harder.", of="progression"),
        Key("exercises", "object", "Per-exercise rules: exercise name -> rules."),
        Key("schedule", "list", "The weeks, each with its own routines (instead of routine)."),
    ),
    "progression": (
        *_RULES,
        Key("level", "text", "The harder variants from a week on: `2 from week 3`."),
        Key("deload", "list", "Easier weeks, e.g. [4]: done at week 1's numbers."),
    ),
    "rules": _RULES,
    "week": (
        Key("routine", "object", "The routine of every session of this week."),
        Key("sessions", "list", "The week's sessions, each a routine (instead of routine)."),
        Key("level", "count", "The level of this week's sessions.", low=1, high=2),
    ),
    "session": (
        Key(
            "routine",
            "object",
            "A path, a built-in name, or a routine written here.",
            required=True,
        ),
        Key("level", "count", "The level of this session.", low=1, high=2),
        Key(
            "progression", "object", "Rules for this session instead of the program's.", of="rules"
        ),
    ),
}

WHAT = {
    "program": "the program",
    "progression": "progression",
    "rules": "the rules",
    "week": "a week",
    "session": "a session",
}


def keys_of(obj: str) -> dict[str, Key]:
    """The keys of mapping `obj`, by name."""
    return {key.name: key for key in OBJECTS[obj]}
