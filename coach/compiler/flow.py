"""Continuous flow: blocks that run back to back, each change called on its boundary.

In a continuous section (or a continuous routine) one block's work window is
followed directly by the next one's: no "stop", no get-ready, no countdown into
work. The change is called at the first sample of the new block (its call, the
block's name: "Walk."), with a heads-up a few seconds before the end of the block
before ("Walk in five.") and the "three, two, one" of its timed work. The windows
keep their exact lengths, so a round of 60 s + 90 s lasts exactly 150 s.
"""

from __future__ import annotations

from dataclasses import replace

from coach.compiler.phrasebook import Phrase
from coach.compiler.preview import instruction_seconds
from coach.cues.model import PRIORITY_CRITICAL, PRIORITY_INFO, Cue, Window
from coach.routine.model import Routine, Section

HEADS_UP = 5.0  # seconds before a boundary that the next block is announced


def is_continuous(routine: Routine, section: Section) -> bool:
    """Whether `section`'s blocks run back to back."""
    return routine.continuous or section.continuous


def flows(routine: Routine, before: Section, after: Section, same_section: bool) -> bool:
    """Whether the change from a block of `before` into one of `after` is continuous:
    within a continuous section, or across two continuous sections."""
    if same_section:
        return is_continuous(routine, after)
    return is_continuous(routine, before) and is_continuous(routine, after)


def with_call(window: Window, call: Phrase) -> Window:
    """`window` with its first cue at 0 (its "go") replaced by the block's call."""
    cue = Cue(0.0, call.text, "call", PRIORITY_CRITICAL, call.short)
    kept = tuple(c for c in window.cues if not (c.at == 0.0 and c.kind == "go"))
    return replace(window, cues=(cue, *kept))


def with_heads_up(window: Window, heads_up: Phrase, before: Phrase | None = None) -> Window:
    """`window` announcing the next block `HEADS_UP` seconds before it ends (in place of
    its "last five seconds", which says less), when the window has room for it;
    `before` (the last round, say) is said just ahead of the heads-up."""
    at = round(window.duration - HEADS_UP, 3)
    if at < 3.0:
        return window
    cues = [c for c in window.cues if not (c.kind == "last_seconds" and abs(c.at - at) < 1.0)]
    cues.append(Cue(at, heads_up.text, "heads_up", PRIORITY_INFO, heads_up.short))
    if before is not None:
        early = round(at - 0.7 - instruction_seconds(before.text), 3)
        if early >= 3.0:
            cues.append(Cue(early, before.text, "progress", PRIORITY_INFO, before.short))
    cues.sort(key=lambda c: (c.at, -c.priority))
    return replace(window, cues=tuple(cues))
