"""The system's audio output through PortAudio (the sounddevice package).

On Linux PortAudio reaches PulseAudio or PipeWire through ALSA's pulse plugin;
on macOS and Windows it uses the system's own audio API.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from coach.live.sinks import (
    BLOCK_FRAMES,
    OUTPUT_LATENCY,
    OutputUnavailable,
    Pull,
    Sink,
    UnknownDevice,
)


@dataclass(frozen=True)
class PortAudioDevice:
    """An output device: its number and name (either works for --device)."""

    index: int
    name: str
    default: bool


def load_sounddevice() -> Any:
    """The sounddevice module, or OutputUnavailable saying what is missing."""
    try:
        import sounddevice
    except OSError as error:  # the package is there, the PortAudio library is not
        fix = (
            "install it (Debian/Ubuntu: apt install libportaudio2)"
            if sys.platform.startswith("linux")
            else "reinstall sounddevice (pip install --force-reinstall sounddevice)"
        )
        raise OutputUnavailable(
            "portaudio", f"cannot load the PortAudio library ({error})", fix
        ) from None
    except ImportError:
        raise OutputUnavailable(
            "portaudio", "the sounddevice package is missing", "pip install sounddevice"
        ) from None
    return sounddevice


def output_devices(sd: Any | None = None) -> list[PortAudioDevice]:
    """Every PortAudio device that can play."""
    sd = sd or load_sounddevice()
    try:
        devices = sd.query_devices()
        default = sd.default.device[1]
    except sd.PortAudioError as error:
        raise OutputUnavailable("portaudio", f"PortAudio failed ({error})", _device_fix()) from None
    return [
        PortAudioDevice(info["index"], info["name"], info["index"] == default)
        for info in devices
        if info["max_output_channels"] > 0
    ]


def _find(device: str, devices: list[PortAudioDevice]) -> int:
    for found in devices:
        if device.strip().lower() == found.name.lower() or device.strip() == str(found.index):
            return found.index
    raise UnknownDevice("portaudio", device, "device", [found.name for found in devices])


class PortAudioSink(Sink):
    """A PortAudio output stream, opened when built (so a device that cannot play fails here)."""

    NAME = "portaudio"

    @classmethod
    def open(cls, sample_rate: int, device: str | None) -> Sink:
        return cls(sample_rate, device=device)

    def __init__(
        self,
        sample_rate: int,
        block_frames: int = BLOCK_FRAMES,
        device: str | None = None,
        latency: float = OUTPUT_LATENCY,
    ) -> None:
        super().__init__(sample_rate, block_frames)
        sd = load_sounddevice()
        self._sd = sd
        index = None if device is None else _find(device, output_devices(sd))
        try:
            self.info = sd.query_devices(index, kind="output")
        except (ValueError, sd.PortAudioError):
            raise OutputUnavailable("portaudio", "no output device found", _device_fix()) from None
        self._pull: Pull | None = None
        self._pulled = 0
        try:
            self._stream = sd.OutputStream(
                samplerate=sample_rate,
                blocksize=block_frames,
                device=index,
                channels=1 if self.info["max_output_channels"] == 1 else 2,
                dtype="int16",
                latency=latency,
                callback=self._callback,
            )
        except sd.PortAudioError as error:
            raise OutputUnavailable(
                "portaudio", f"cannot open {self.info['name']!r} ({error})", _device_fix()
            ) from None
        self.latency = float(self._stream.latency)

    def describe(self) -> str:
        return f"{self.NAME} ({self.info['name']})"

    def _callback(self, outdata: Any, frames: int, times: Any, status: Any) -> None:
        try:
            if (
                status.output_underflow
                and self._pulled > self.sample_rate
                and self.counts_underruns()
            ):
                self.underruns += 1  # (a stream's first moments often report one: ignored)
            self._pulled += frames
            ahead = times.outputBufferDacTime - times.currentTime
            if not 0 < ahead < 5:  # the host API gave no usable time: trust the latency
                ahead = self.latency
            assert self._pull is not None  # the stream starts only after start() sets it
            block = self._pull(frames, time.monotonic() + ahead)
            outdata[:] = block[:, np.newaxis]
        except BaseException as error:
            self.error = error
            raise self._sd.CallbackAbort from error

    def start(self, pull: Pull) -> None:
        self._pull = pull
        try:
            self._stream.start()
        except self._sd.PortAudioError as error:
            raise OutputUnavailable(
                "portaudio", f"cannot play on {self.info['name']!r} ({error})", _device_fix()
            ) from None

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()


def _device_fix() -> str:
    if sys.platform.startswith("linux"):
        return (
            "if PulseAudio or PipeWire is running, install its ALSA plugin so PortAudio "
            "can reach it (Debian/Ubuntu: apt install libasound2-plugins, or pipewire-alsa)"
        )
    return "check that an output device is connected and enabled"
