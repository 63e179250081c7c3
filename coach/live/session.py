"""Run a live session: the output, the player, the keys and screen, and the signals."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from coach.errors import CoachError, InputError
from coach.live.growing import GrowingTimeline
from coach.live.player import Player
from coach.live.screen import Screen, clock, status
from coach.live.sinks import Sink
from coach.signals import Stopped, exit_code, stop_on_signals
from coach.terminal import printable

if TYPE_CHECKING:
    from coach.live.keys import Keys

TICK = 0.05  # seconds between looks at the keys, the screen and the clock
REDRAW = 0.2  # seconds between screen redraws


def start_position(
    program: GrowingTimeline, value: str | None, chapter_titles: Sequence[str]
) -> int:
    """The sample to start at for --start-at: a chapter number or title, or [h:]mm:ss.

    A time that falls inside a cue starts at the beginning of that cue, so no
    sentence is cut.
    """
    if not value:
        return 0
    rate = program.timeline.sample_rate
    found = re.fullmatch(r"(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)", value.strip())
    if found:
        hours, minutes, seconds = found.groups()
        total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
        position = round(total * rate)
        program.wait_for(position)
        timeline = program.timeline
        if position >= timeline.length:
            raise InputError(
                f"--start-at {value}: the session is only {clock(timeline.duration)} long"
            )
        for cue in timeline.cues:
            if cue.start <= position < cue.end:
                return cue.start
        return position
    index = _chapter_index(value, chapter_titles)
    program.wait_for_chapters(index + 1)
    chapters = program.timeline.chapters
    if index >= len(chapters):
        raise InputError(f"--start-at {value}: no such chapter")
    return chapters[index].start


def _chapter_index(value: str, titles: Sequence[str]) -> int:
    text = value.strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(titles):
            return number - 1
        raise InputError(f"--start-at {value}: chapters are numbered 1 to {len(titles)}")
    lowered = [title.lower() for title in titles]
    for matches in (
        [i for i, t in enumerate(lowered) if t == text.lower()],
        [i for i, t in enumerate(lowered) if t.startswith(text.lower())],
        [i for i, t in enumerate(lowered) if text.lower() in t],
    ):
        if matches:
            return matches[0]
    listing = "; ".join(f"{i + 1} {t}" for i, t in enumerate(titles))
    raise InputError(
        f"--start-at {value}: no chapter by that name; give a chapter number or title "
        f"({listing}) or a time as mm:ss"
    )


def play(
    player: Player,
    sink: Sink,
    interactive: bool,
    out: TextIO | None = None,
) -> int:
    """Play until the end, quit or a signal; returns the exit code (0, or 128 + the signal)."""
    out = out or sys.stdout
    try:
        with stop_on_signals(), ExitStack() as stack:
            keys: Keys | None = None
            screen: Screen | None = None
            if interactive:
                from coach.live.keys import Keys

                keys = stack.enter_context(Keys(sys.stdin.fileno()))
                screen = stack.enter_context(Screen(out))
                stack.enter_context(_job_control(keys, screen, sink))
            # Registered last, so it runs first on the way out: the sound stops at once.
            stack.callback(sink.stop)
            sink.start(player.pull)
            _loop(player, sink, keys, screen, out)
    except Stopped as stop:
        return stop.code
    except KeyboardInterrupt:
        return exit_code(signal.SIGINT)
    if sink.underruns:
        sys.stderr.write(
            f"note: the audio output ran dry {sink.underruns} time(s); the machine was busy, "
            "so the cues after it came a little late\n"
        )
    error = player.program.error
    if error is not None:
        if not player.program.timeline.chapters and isinstance(error, CoachError):
            raise error  # nothing could be said at all: the reason itself, as it came
        raise CoachError(f"speech stopped early: {error}")
    return 0


@contextmanager
def _job_control(keys: Keys, screen: Screen, sink: Sink) -> Iterator[None]:
    """Ctrl-Z gives the terminal back before the stop; `fg` takes it again.

    The shell resets the terminal while the job is stopped, so on SIGCONT the keys
    go back to single-key mode and the screen is entered and drawn again.
    """
    if not hasattr(signal, "SIGTSTP"):  # Windows has no job control
        yield
        return

    def on_stop(number: int, frame: FrameType | None) -> None:
        sink.suspend()  # the device runs dry while stopped: not a busy machine
        screen.suspend()
        keys.suspend()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        try:
            os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT
        finally:
            signal.signal(signal.SIGTSTP, on_stop)

    def on_continue(number: int, frame: FrameType | None) -> None:
        keys.resume()
        screen.resume()
        sink.resume()

    previous = {
        signal.SIGTSTP: signal.signal(signal.SIGTSTP, on_stop),
        signal.SIGCONT: signal.signal(signal.SIGCONT, on_continue),
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _loop(
    player: Player, sink: Sink, keys: Keys | None, screen: Screen | None, out: TextIO
) -> None:
    shown = 0  # events already reported
    last_draw = 0.0
    while True:
        now = time.monotonic()
        if sink.error is not None:
            raise CoachError(f"audio output failed: {sink.error}")
        events = player.events  # appended by the audio thread; read by index only
        while shown < len(events) and (events[shown].wall <= now or events[shown].kind == "quit"):
            event = events[shown]
            shown += 1
            if screen is None:
                _report(event.kind, event.position, event.text, player, out)
            if event.kind in ("end", "quit"):
                return  # "end" once its moment is heard; "quit" at once
        if screen is not None and now - last_draw >= REDRAW:
            screen.draw(status(player, now))
            last_draw = now
        if keys is not None:
            for action in keys.read(TICK):
                _act(player, action)
        else:
            time.sleep(TICK)


def _act(player: Player, action: str) -> None:
    {
        "pause": player.toggle_pause,
        "next": player.next_chapter,
        "back": player.back,
        "louder": player.louder,
        "softer": player.softer,
        "quit": player.quit,
    }[action]()


def _report(kind: str, position: int, text: str, player: Player, out: TextIO) -> None:
    """One line per chapter (and for the end) when there is no screen."""
    timeline = player.program.timeline
    at = clock(position / timeline.sample_rate)
    if kind == "chapter":
        number = timeline.chapter_at(position) + 1
        out.write(f"{at}  {number}/{player.program.chapter_count}  {printable(text)}\n")
    elif kind == "wait":
        out.write(f"{at}  waiting: {printable(text)}\n")
    elif kind == "end":
        out.write(f"{at}  done\n")
    elif kind == "quit":
        out.write(f"{at}  stopped\n")
    else:
        return
    out.flush()


def is_interactive() -> bool:
    """A screen and keys only when both stdin and stdout are terminals."""
    try:
        return os.isatty(sys.stdin.fileno()) and os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no stdin at all, or a replaced stream
        return False
