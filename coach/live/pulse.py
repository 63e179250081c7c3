"""PulseAudio (and PipeWire's PulseAudio service) directly, through libpulse-simple.

No pip package and no ALSA plugin needed: libpulse-simple ships with every
PulseAudio or PipeWire desktop (Debian: libpulse0). Writes block at the server's
pace, and the server reports exactly how much is still to be heard. The server is
whichever one libpulse finds by its own rules (see coach.live.pulse_server).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time
from typing import Any

from coach.errors import CoachError
from coach.live.pulse_server import query_server
from coach.live.sinks import (
    BLOCK_FRAMES,
    OUTPUT_LATENCY,
    OutputUnavailable,
    Pull,
    Sink,
    UnknownDevice,
)

PA_SAMPLE_S16LE = 3
PA_STREAM_PLAYBACK = 1
DEFAULT = 0xFFFFFFFF  # (uint32_t) -1: let the server choose


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _BufferAttr(ctypes.Structure):
    _fields_ = [
        ("maxlength", ctypes.c_uint32),
        ("tlength", ctypes.c_uint32),
        ("prebuf", ctypes.c_uint32),
        ("minreq", ctypes.c_uint32),
        ("fragsize", ctypes.c_uint32),
    ]


def _library() -> Any:
    name = ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        raise OutputUnavailable(
            "pulse",
            "cannot load libpulse-simple",
            "install it (Debian/Ubuntu: apt install libpulse0)",
        ) from None
    error = ctypes.POINTER(ctypes.c_int)
    lib.pa_simple_new.restype = ctypes.c_void_p
    lib.pa_simple_new.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.POINTER(_SampleSpec),
        ctypes.c_void_p,
        ctypes.POINTER(_BufferAttr),
        error,
    ]
    lib.pa_simple_write.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, error]
    lib.pa_simple_get_latency.restype = ctypes.c_uint64
    lib.pa_simple_get_latency.argtypes = [ctypes.c_void_p, error]
    lib.pa_simple_flush.argtypes = [ctypes.c_void_p, error]
    lib.pa_simple_free.argtypes = [ctypes.c_void_p]
    lib.pa_strerror.restype = ctypes.c_char_p
    lib.pa_strerror.argtypes = [ctypes.c_int]
    return lib


class PulseSink(Sink):
    """A PulseAudio playback stream on `device` (a sink name) or the server's default sink."""

    NAME = "pulse"

    @classmethod
    def open(cls, sample_rate: int, device: str | None) -> Sink:
        return cls(sample_rate, device=device)

    def __init__(
        self,
        sample_rate: int,
        block_frames: int = BLOCK_FRAMES,
        latency: float = OUTPUT_LATENCY,
        device: str | None = None,
    ) -> None:
        super().__init__(sample_rate, block_frames)
        server = query_server()
        if device is not None and device not in {sink.name for sink in server.sinks}:
            raise UnknownDevice("pulse", device, "sink", [sink.name for sink in server.sinks])
        # With no device libpulse plays on PULSE_SINK if set, else on the server's default.
        self.sink = device or os.environ.get("PULSE_SINK") or server.default_sink
        self.server = server.address
        self._lib = _library()
        spec = _SampleSpec(PA_SAMPLE_S16LE, sample_rate, 1)
        target = round(latency * sample_rate) * 2
        attr = _BufferAttr(DEFAULT, target, DEFAULT, DEFAULT, DEFAULT)
        error = ctypes.c_int(0)
        # No server name: libpulse finds the same server query_server() just reached.
        self._stream = self._lib.pa_simple_new(
            None,
            b"coach",
            PA_STREAM_PLAYBACK,
            device.encode() if device is not None else None,
            b"workout",
            ctypes.byref(spec),
            None,
            ctypes.byref(attr),
            ctypes.byref(error),
        )
        if not self._stream:
            raise OutputUnavailable(
                "pulse",
                f"the server would not open a stream ({self._message(error)})",
                "check `pactl info` and the server's log",
            )
        self.latency = self.target_latency = latency
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def _message(self, error: ctypes.c_int) -> str:
        text: bytes = self._lib.pa_strerror(error.value)
        return text.decode("utf-8", "replace")

    def describe(self) -> str:
        return f"pulse (sink {self.sink} on {self.server})"

    def start(self, pull: Pull) -> None:
        self._thread = threading.Thread(target=self._run, args=(pull,), name="coach-pulse")
        self._thread.daemon = True
        self._thread.start()

    def _run(self, pull: Pull) -> None:
        lib, stream = self._lib, self._stream
        error = ctypes.c_int(0)
        primed = dry = False
        block_seconds = self.block_frames / self.sample_rate
        try:
            while not self._stopped.is_set():
                # Everything written so far is heard before this block: the server says how long.
                ahead = lib.pa_simple_get_latency(stream, ctypes.byref(error)) / 1e6
                if ahead:
                    self.latency = ahead
                # Once the buffer has filled, less than a block still to play means this
                # thread came too late (a busy machine): the sound after it is late.
                primed = primed or ahead >= self.target_latency / 2
                running_dry = primed and ahead < block_seconds
                if running_dry and not dry and self.counts_underruns():
                    self.underruns += 1
                dry = running_dry
                block = pull(self.block_frames, time.monotonic() + ahead)
                if lib.pa_simple_write(
                    stream, block.ctypes.data, block.nbytes, ctypes.byref(error)
                ):
                    raise CoachError(f"PulseAudio stopped taking sound: {self._message(error)}")
        except BaseException as failure:
            self.error = failure

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
            if self._thread.is_alive():
                return  # still inside a write: freeing the stream under it would crash
        stream, self._stream = self._stream, None
        if stream:
            error = ctypes.c_int(0)
            self._lib.pa_simple_flush(
                stream, ctypes.byref(error)
            )  # drop what is buffered: silence now
            self._lib.pa_simple_free(stream)
