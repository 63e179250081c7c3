"""The two kinds of failure coach reports, and how a problem points at its source.

`InputError` means the user's input is wrong (exit 2): a routine, a cue script, a
phrasebook, an option. `CoachError` means something failed while doing the work
(exit 1): a missing tool, an engine that will not start, a full disk.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located at a line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class CoachError(Exception):
    """A runtime failure: reported as one message, exit code 1."""

    exit_code = 1


class InputError(CoachError):
    """Bad input: one located line per problem on stderr, exit code 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = [] if isinstance(problems, str) else list(problems)
        self.text = problems if isinstance(problems, str) else ""
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        return self.text
