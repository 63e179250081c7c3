"""Audio outputs: where the player's blocks go, and whose clock paces them.

Every output pulls blocks from the player (`Pull(frames, heard_at)`) at the pace
of its own clock: the sound device's for a device, `time.monotonic` for the null
output. `heard_at` is the monotonic time at which the block's first sample will
be heard, so the player's events say what is actually being heard. Outputs are
registered by name (`--output NAME`); building one checks that it can run and
raises one CoachError with the fix if not.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from coach.errors import CoachError, InputError
from coach.speech.base import Samples

Pull = Callable[[int, float], Samples]

BLOCK_FRAMES = 512  # about 23 ms at 22050 Hz: the granularity of pause and skip

# Seconds of sound queued in the device. Generous on purpose: a coach needs no low
# latency, and a short buffer runs dry when the machine is busy, which shifts every
# later cue (seen once at 0.1 s: a 115 ms shift while a benchmark and the test suite
# shared two cores).
OUTPUT_LATENCY = 0.25


class Sink:
    """An audio output. `start` begins pulling; `stop` silences it at once."""

    name: ClassVar[str] = ""

    def __init__(self, sample_rate: int, block_frames: int = BLOCK_FRAMES) -> None:
        self.sample_rate = sample_rate
        self.block_frames = block_frames
        self.latency = 0.0  # seconds from a pull to the moment its sound is heard
        self.error: BaseException | None = None  # raised in the audio thread, if any
        self.underruns = 0  # times the device ran dry (the machine was too busy)

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


class DeviceSink(Sink):
    """The system's default output through PortAudio (the sounddevice package).

    On Linux PortAudio reaches PulseAudio or PipeWire through ALSA's pulse
    plugin; on macOS and Windows it uses the system's own audio API.
    """

    name = "portaudio"

    def __init__(
        self,
        sample_rate: int,
        block_frames: int = BLOCK_FRAMES,
        device: int | str | None = None,
        latency: float = OUTPUT_LATENCY,
    ) -> None:
        super().__init__(sample_rate, block_frames)
        self._sd = _import_sounddevice()
        self.device = device
        self.requested_latency = latency
        self._stream: Any = None
        try:
            self.info = self._sd.query_devices(device, kind="output")
        except (ValueError, self._sd.PortAudioError):
            raise CoachError(f"no audio output device found. {_device_fix()}") from None

    def describe(self) -> str:
        return f"{self.name} ({self.info['name']})"

    def start(self, pull: Pull) -> None:
        sd = self._sd
        channels = 1 if self.info["max_output_channels"] == 1 else 2
        pulled = 0

        def callback(outdata: Any, frames: int, times: Any, status: Any) -> None:
            nonlocal pulled
            try:
                if status.output_underflow and pulled > self.sample_rate:
                    self.underruns += 1  # (a stream's first moments often report one: ignored)
                pulled += frames
                ahead = times.outputBufferDacTime - times.currentTime
                if not 0 < ahead < 5:  # the host API gave no usable time: trust the latency
                    ahead = self.latency
                block = pull(frames, time.monotonic() + ahead)
                outdata[:] = block[:, np.newaxis]
            except BaseException as error:
                self.error = error
                raise sd.CallbackAbort from error

        try:
            self._stream = sd.OutputStream(
                samplerate=self.sample_rate,
                blocksize=self.block_frames,
                device=self.device,
                channels=channels,
                dtype="int16",
                latency=self.requested_latency,
                callback=callback,
            )
            self.latency = float(self._stream.latency)
            self._stream.start()
        except sd.PortAudioError as error:
            raise CoachError(
                f"cannot play on {self.info['name']!r}: {error}. {_device_fix()}"
            ) from None

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()


def default_output(sample_rate: int) -> Sink:
    """The system's default output: PulseAudio directly when its server is there
    (Linux, PipeWire included), else PortAudio."""
    if sys.platform.startswith("linux"):
        from coach.live.pulse import PulseSink, server_socket

        if server_socket() is not None:
            try:
                return PulseSink(sample_rate)
            except CoachError:
                pass  # PortAudio may still reach it through ALSA; its error names the fix
    return DeviceSink(sample_rate)


def _pulse(sample_rate: int) -> Sink:
    from coach.live.pulse import PulseSink

    return PulseSink(sample_rate)


OUTPUTS: dict[str, Callable[[int], Sink]] = {
    "default": default_output,
    "pulse": _pulse,
    "portaudio": DeviceSink,
    "null": NullSink,
}


def register_output(name: str, factory: Callable[[int], Sink]) -> None:
    """Make an output available as --output NAME (factory: sample rate -> Sink)."""
    OUTPUTS[name] = factory


def open_output(name: str, sample_rate: int) -> Sink:
    """Build the output called `name` (InputError listing the known ones if unknown)."""
    factory = OUTPUTS.get(name)
    if factory is None:
        known = ", ".join(OUTPUTS)
        raise InputError(f"unknown output {name!r}; known outputs: {known}")
    return factory(sample_rate)


def _import_sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as error:  # the package is there, the PortAudio library is not
        raise CoachError(
            f"cannot load the PortAudio library ({error}). "
            + (
                "Install it (Debian/Ubuntu: apt install libportaudio2), "
                if sys.platform.startswith("linux")
                else "Reinstall sounddevice (pip install --force-reinstall sounddevice), "
            )
            + "or use --output null for a silent run."
        ) from None
    except ImportError:
        raise CoachError(
            "the sounddevice package is missing: pip install sounddevice, "
            "or use --output null for a silent run."
        ) from None
    return sounddevice


def _device_fix() -> str:
    if sys.platform.startswith("linux"):
        return (
            "If PulseAudio or PipeWire is running, install its ALSA plugin so PortAudio "
            "can reach it (Debian/Ubuntu: apt install libasound2-plugins, or pipewire-alsa); "
            "use --output null for a silent run."
        )
    return (
        "Check that an output device is connected and enabled; use --output null for a silent run."
    )
