"""The routine compiler: Routine -> CueScript, with the phrasebook."""

from coach.compiler.compile import compile_routine
from coach.compiler.phrasebook import Phrasebook, default_phrasebook, load_phrasebook

__all__ = ["Phrasebook", "compile_routine", "default_phrasebook", "load_phrasebook"]
