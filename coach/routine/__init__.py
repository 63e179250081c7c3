"""Routines: what the user wrote, as plain data with source locations."""

from coach.routine.loader import builtin_routines, load_routine, parse_routine
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
