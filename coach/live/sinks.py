"""Audio outputs: where the player's blocks go, and whose clock paces them.

Every output pulls blocks from the player (`Pull(frames, heard_at)`) at the pace
of its own clock: the sound device's for a device, `time.monotonic` for the null
output. `heard_at` is the monotonic time at which the block's first sample will
be heard, so the player's events say what is actually being heard. The table of
outputs by name is `coach.live.outputs`; opening one opens it for real, so an
output that cannot play fails before any speech, with one message and the fix.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import ClassVar

from coach.audio.clip import Samples
from coach.errors import CoachError, InputError

Pull = Callable[[int, float], Samples]

BLOCK_FRAMES = 512  # about 23 ms at 22050 Hz: the granularity of pause and skip

# Seconds of sound queued in the device. Generous on purpose: a coach needs no low
# latency, and a short buffer runs dry when the machine is busy, which shifts every
# later cue (seen once at 0.1 s: a 115 ms shift while a benchmark and the test suite
# shared two cores).
OUTPUT_LATENCY = 0.25

# A null output further behind its clock than this was stopped, not slow.
CATCH_UP_LIMIT = 0.5

SILENT_RUN = "use --output null for a silent run"


class OutputUnavailable(CoachError):
    """An output cannot play here: `reason` says why, `fix` what to do about it."""

    def __init__(self, output: str, reason: str, fix: str) -> None:
        self.output, self.reason, self.fix = output, reason, fix
        super().__init__(f"cannot play through {output}: {reason}; {fix}, or {SILENT_RUN}")


class UnknownDevice(InputError):
    """--device named nothing the output has; the message lists what it has."""

    def __init__(self, output: str, device: str, kind: str, choices: Sequence[str]) -> None:
        self.output = output
        listed = ", ".join(repr(name) for name in choices) or "none"
        self.reason = f"no {kind} named {device!r} (its {kind}s: {listed})"
        super().__init__(f"--device {device}: {self.reason}; `coach devices` lists them")


class Sink:
    """An audio output. `start` begins pulling; `stop` silences it at once."""

    NAME: ClassVar[str] = ""  # its key in coach.live.outputs.OUTPUTS (--output NAME)

    def __init__(self, sample_rate: int, block_frames: int = BLOCK_FRAMES) -> None:
        self.sample_rate = sample_rate
        self.block_frames = block_frames
        self.latency = 0.0  # seconds from a pull to the moment its sound is heard
        self.error: BaseException | None = None  # raised in the audio thread, if any
        self.underruns = 0  # times the device ran dry (the machine was too busy)
        self.quiet_until = 0.0  # monotonic time before which a dry spell is not counted

    def suspend(self) -> None:
        """The process is about to stop (Ctrl-Z): the device will run dry, not from load."""
        self.quiet_until = math.inf

    def resume(self) -> None:
        """The process has continued: count dry spells again once the buffer has refilled."""
        self.quiet_until = time.monotonic() + 1.0

    def counts_underruns(self) -> bool:
        return time.monotonic() > self.quiet_until

    @classmethod
    def open(cls, sample_rate: int, device: str | None) -> Sink:
        """Open this output for real, on `device` if given (fails here, before any speech)."""
        raise NotImplementedError

    def start(self, pull: Pull) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop at once, dropping whatever is buffered. Safe to call twice."""
        raise NotImplementedError

    def describe(self) -> str:
        return self.NAME


class NullSink(Sink):
    """No device: pulls one block at each block's due time on the monotonic clock."""

    NAME = "null"

    def __init__(
        self,
        sample_rate: int,
        block_frames: int = BLOCK_FRAMES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(sample_rate, block_frames)
        self.clock = clock
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def open(cls, sample_rate: int, device: str | None) -> Sink:
        if device is not None:
            raise InputError(f"--device {device}: --output null has no devices")
        return cls(sample_rate)

    def start(self, pull: Pull) -> None:
        self._thread = threading.Thread(target=self._run, args=(pull,), name="coach-null-sink")
        self._thread.daemon = True
        self._thread.start()

    def _run(self, pull: Pull) -> None:
        origin = self.clock()
        frames = 0
        try:
            while not self._stopped.is_set():
                # Due times come from the frame count, never from summed sleeps: no drift.
                due = origin + frames / self.sample_rate
                delay = due - self.clock()
                if delay < -CATCH_UP_LIMIT:  # the process was stopped (Ctrl-Z): carry on
                    origin -= delay  # from here, as a device would, rather than rushing
                    due, delay = due - delay, 0.0
                if delay > 0 and self._stopped.wait(delay):
                    break
                pull(self.block_frames, due)
                frames += self.block_frames
        except BaseException as error:
            self.error = error

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
