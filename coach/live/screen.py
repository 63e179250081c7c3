"""What the listener sees: a status computed from the player, drawn in place with ANSI.

Set, side and rep come from the facts of the Timeline's window being heard.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import shutil
from dataclasses import dataclass
from typing import TextIO

from coach.live.player import Player
from coach.terminal import printable
from coach.timeline import TimedWindow

SIDED = ("work", "prepare", "switch")  # windows whose side is the one being worked
KEY_HELP = "[space] pause/resume  [n/Right] next  [p/Left] back  [+/-] volume  [q] quit"


@dataclass(frozen=True)
class Status:
    """Everything the screen shows, in display units."""

    title: str
    chapter: str
    chapter_number: int  # 1-based
    chapters: int
    doing: str  # the current window's kind and label, e.g. "work: set 2 of 3, left"
    part: str  # the current window's kind: work, rest, prepare, switch, hold
    set: str  # "2 of 3" during a set
    side: str  # the side being worked, or getting ready for
    rep: str  # the rep under way, from its first sample
    set_left: float | None  # seconds
    elapsed: float
    session_left: float
    complete: bool  # False while later chapters are still being prepared
    next: str
    heard: str  # the last cue heard
    paused: bool
    volume: float


def clock(seconds: float) -> str:
    """m:ss or h:mm:ss."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def status(player: Player, now: float | None = None) -> Status:
    """The state of the session at the moment being heard."""
    program = player.program
    timeline = program.timeline
    windows = timeline.windows
    rate = timeline.sample_rate
    position = player.heard_position(now)
    index = timeline.chapter_at(position) if timeline.chapters else 0
    chapter = timeline.chapters[index].title if timeline.chapters else ""
    window = timeline.window_at(position)
    doing = set_text = side = rep = heard = ""
    set_left = None
    if window is not None:
        doing = f"{window.kind}: {window.label}" if window.label else window.kind
        set_text, side, rep = _facts(window, position)
        set_left = (window.end - position) / rate
    cues = timeline.cues
    last = bisect.bisect_right([cue.start for cue in cues], position) - 1
    if last >= 0:
        heard = cues[last].text
    upcoming = next((w for w in windows if w.start > position and w.chapter == index), None)
    if upcoming is not None:
        following = f"{upcoming.kind}: {upcoming.label}" if upcoming.label else upcoming.kind
        upcoming_seconds = (upcoming.end - upcoming.start) / rate
        following += f" ({clock(upcoming_seconds)})"
    elif index + 1 < len(program.chapter_titles):
        following = program.chapter_titles[index + 1]
    elif not program.complete:
        following = "(preparing)"
    else:
        following = "the end"
    return Status(
        title=timeline.title,
        chapter=chapter,
        chapter_number=index + 1,
        chapters=program.chapter_count,
        doing=doing,
        part=window.kind if window is not None else "",
        set=set_text,
        side=side,
        rep=rep,
        set_left=set_left,
        elapsed=position / rate,
        session_left=max(0, timeline.length - position) / rate,
        complete=program.complete,
        next=following,
        heard=heard,
        paused=player.paused,
        volume=player.volume,
    )


def _facts(window: TimedWindow, position: int) -> tuple[str, str, str]:
    """Set ("2 of 3"), side and rep of `window` at sample `position`, "" where none."""
    facts = window.facts
    set_text = side = ""
    if window.kind == "work" and facts.set is not None:
        set_text = str(facts.set) + (f" of {facts.sets}" if facts.sets is not None else "")
    rep = window.rep_at(position)
    if window.kind in SIDED:
        side = (facts.side_of_rep(rep) if rep is not None else facts.side) or ""
    return set_text, side, "" if rep is None else str(rep)


LABEL_WIDTH = 12  # the longest label, "Prepare left"; values start two spaces after it


def _row(label: str, value: str) -> str:
    return f" {label:<{LABEL_WIDTH}}  {value}"


def lines(state: Status, width: int) -> list[str]:
    """The screen as lines of at most `width` characters, every text made printable."""
    play = "|| paused" if state.paused else "> playing"
    head = f" coach: {printable(state.title)}"
    right = f"{play}   volume {state.volume:.0%} "
    rule = "-" * width
    more = "" if state.complete else "+"
    detail = "   ".join(
        part
        for part in (
            f"Set {state.set}" if state.set else "",
            f"Side {state.side}" if state.side else "",
            f"Rep {state.rep}" if state.rep else "",
        )
        if part
    )
    left = clock(state.set_left) if state.set_left is not None else "-"
    total = clock(state.elapsed + state.session_left)
    rows = [
        head + " " * max(1, width - len(head) - len(right)) + right,
        rule,
        _row("Chapter", f"{state.chapter_number}/{state.chapters}  {state.chapter}"),
        _row("Now", state.doing or "-"),
        _row("", detail) if detail else "",
        _row(f"{(state.part or 'set').capitalize()} left", left),
        _row(
            "Session",
            f"{clock(state.elapsed)} of {total}{more}, {clock(state.session_left)}{more} left",
        ),
        _row("Next", state.next),
        _row("Heard", f'"{state.heard}"' if state.heard else "-"),
        rule,
        " " + KEY_HELP,
    ]
    return [printable(row)[:width] for row in rows]


ENTER = "\x1b[?1049h\x1b[?25l\x1b[2J"  # the alternate screen, cursor hidden, cleared
LEAVE = "\x1b[?25h\x1b[?1049l"  # the cursor shown, back to the normal screen


class Screen:
    """Draws the status over itself on a terminal (alternate screen, cursor hidden)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._active = False

    def __enter__(self) -> Screen:
        self._write(ENTER)
        self._active = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        if self._active:
            self._active = False
            self._write(LEAVE)

    def suspend(self) -> None:
        """Show the normal screen and the cursor (before a stop), staying active."""
        if self._active:
            self._write(LEAVE)

    def resume(self) -> None:
        """Back to the alternate screen (after a continue); the next draw fills it."""
        if self._active:
            self._write(ENTER)

    def _write(self, text: str) -> None:
        # Also called from signal handlers, possibly in the middle of a draw: flush
        # what is buffered if that is allowed now, then write straight to the descriptor.
        try:
            fd = self.out.fileno()
        except (AttributeError, OSError, ValueError):  # a stream without a descriptor
            self.out.write(text)
            self.out.flush()
            return
        try:
            self.out.flush()
        except RuntimeError:
            pass  # re-entered the stream's own write: the escapes go out first, unbuffered
        except OSError:
            return  # the terminal has gone (a hang-up): nothing left to restore
        with contextlib.suppress(OSError):
            os.write(fd, text.encode())

    def draw(self, state: Status) -> None:
        width = max(40, shutil.get_terminal_size((80, 24)).columns)
        text = "".join(f"{row}\x1b[K\r\n" for row in lines(state, width))
        self.out.write("\x1b[H" + text + "\x1b[J")
        self.out.flush()
