"""Routines: what the user wrote, as plain data with source locations."""

from coach.paths import builtin_routines
from coach.routine.loader import load_routine, parse_routine
from coach.routine.model import Exercise, Location, Reminders, Routine, Section, Settings

__all__ = [
    "Exercise",
    "Location",
    "Reminders",
    "Routine",
    "Section",
    "Settings",
    "builtin_routines",
    "load_routine",
    "parse_routine",
]
