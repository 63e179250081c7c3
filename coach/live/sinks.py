"""Audio outputs: where the player's blocks go, and whose clock paces them.

Every output pulls blocks from the player (`Pull(frames, heard_at)`) at the pace
of its own clock: the sound device's for a device, `time.monotonic` for the null
output. `heard_at` is the monotonic time at which the block's first sample will
be heard, so the player's events say what is actually being heard. Outputs are
registered by name (`--output NAME`); building one opens it for real, so an
output that cannot play fails before any speech, with one message and the fix.
"""

from __future__ import annotations

import math
import sys
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

    name: ClassVar[str] = ""

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

    def start(self, pull: Pull) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop at once, dropping whatever is buffered. Safe to call twice."""
        raise NotImplementedError

    def describe(self) -> str:
        return self.name


class NullSink(Sink):
    """No device: pulls one block at each block's due time on the monotonic clock."""

    name = "null"

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


Factory = Callable[[int, str | None], Sink]  # (sample rate, --device or None) -> Sink


def _null(sample_rate: int, device: str | None) -> Sink:
    if device is not None:
        raise InputError(f"--device {device}: --output null has no devices")
    return NullSink(sample_rate)


def _pulse(sample_rate: int, device: str | None) -> Sink:
    from coach.live.pulse import PulseSink

    return PulseSink(sample_rate, device=device)


def _portaudio(sample_rate: int, device: str | None) -> Sink:
    from coach.live.portaudio import PortAudioSink

    return PortAudioSink(sample_rate, device=device)


def default_tries() -> list[str]:
    """The outputs `default` tries, in order: PulseAudio first on Linux."""
    return ["pulse", "portaudio"] if sys.platform.startswith("linux") else ["portaudio"]


def default_output(sample_rate: int, device: str | None) -> Sink:
    """The first output that opens for real (PulseAudio, then PortAudio).

    When none does, one error says what was tried and why each failed, with the fixes.
    """
    failures: list[OutputUnavailable | UnknownDevice] = []
    for name in default_tries():
        try:
            return OUTPUTS[name](sample_rate, device)
        except (OutputUnavailable, UnknownDevice) as failure:
            failures.append(failure)
    tried = "\n".join(
        f"  {failure.output}: {failure.reason}"
        + (f"; {failure.fix}" if isinstance(failure, OutputUnavailable) else "")
        for failure in failures
    )
    if all(isinstance(failure, UnknownDevice) for failure in failures):
        raise InputError(
            f"--device {device}: no output has a device by that name. Tried:\n{tried}\n"
            "`coach devices` lists them."
        )
    raise CoachError(f"no audio output works here. Tried:\n{tried}\nOr {SILENT_RUN}.")


OUTPUTS: dict[str, Factory] = {
    "default": default_output,
    "pulse": _pulse,
    "portaudio": _portaudio,
    "null": _null,
}


def register_output(name: str, factory: Factory) -> None:
    """Make an output available as --output NAME (factory: sample rate, device -> Sink)."""
    OUTPUTS[name] = factory


def open_output(name: str, sample_rate: int, device: str | None = None) -> Sink:
    """Open the output called `name`, on `device` if given (InputError if either is unknown)."""
    factory = OUTPUTS.get(name)
    if factory is None:
        known = ", ".join(OUTPUTS)
        raise InputError(f"unknown output {name!r}; known outputs: {known}")
    return factory(sample_rate, device)
