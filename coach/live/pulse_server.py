"""Ask the PulseAudio server (or PipeWire's PulseAudio service) what it has.

Connects through libpulse with no server name, so libpulse finds the server by
its own rules, exactly as `pactl` does: PULSE_SERVER, client.conf's
default-server, the X11 root window, $XDG_RUNTIME_DIR/pulse/native,
~/.config/pulse/<machine-id>-runtime, the system-wide socket. Coach never looks
for a socket itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from dataclasses import dataclass
from typing import Any

from coach.live.sinks import OutputUnavailable

CONNECT_TIMEOUT = 5.0  # seconds; a unix socket answers at once, a dead TCP host never does

# pa_context_state_t
_READY, _FAILED, _TERMINATED = 4, 5, 6
_OPERATION_RUNNING = 0

_NO_SERVER_FIX = (
    "start PulseAudio or PipeWire (`pactl info` shows whether one answers), "
    "or name the server in PULSE_SERVER"
)


@dataclass(frozen=True)
class PulseDevice:
    """A sink: its name (for --device) and the server's description of it."""

    name: str
    description: str


@dataclass(frozen=True)
class PulseServer:
    """What the server said: where it is, its default sink and all its sinks."""

    address: str
    default_sink: str
    sinks: tuple[PulseDevice, ...]


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _ServerInfo(ctypes.Structure):
    """The leading fields of pa_server_info (only read through a pointer from libpulse)."""

    _fields_ = [
        ("user_name", ctypes.c_char_p),
        ("host_name", ctypes.c_char_p),
        ("server_version", ctypes.c_char_p),
        ("server_name", ctypes.c_char_p),
        ("sample_spec", _SampleSpec),
        ("default_sink_name", ctypes.c_char_p),
    ]


class _SinkInfo(ctypes.Structure):
    """The leading fields of pa_sink_info (only read through a pointer from libpulse)."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("index", ctypes.c_uint32),
        ("description", ctypes.c_char_p),
    ]


_SERVER_CALLBACK = ctypes.CFUNCTYPE(
    None, ctypes.c_void_p, ctypes.POINTER(_ServerInfo), ctypes.c_void_p
)
_SINK_CALLBACK = ctypes.CFUNCTYPE(
    None, ctypes.c_void_p, ctypes.POINTER(_SinkInfo), ctypes.c_int, ctypes.c_void_p
)


def _text(value: bytes | None) -> str:
    return value.decode("utf-8", "replace") if value else ""


def _library() -> Any:
    name = ctypes.util.find_library("pulse") or "libpulse.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        raise OutputUnavailable(
            "pulse",
            "cannot load libpulse",
            "install it (Debian/Ubuntu: apt install libpulse0)",
        ) from None
    pointer = ctypes.c_void_p
    for function, result, arguments in (
        ("pa_mainloop_new", pointer, []),
        ("pa_mainloop_get_api", pointer, [pointer]),
        ("pa_mainloop_prepare", ctypes.c_int, [pointer, ctypes.c_int]),
        ("pa_mainloop_poll", ctypes.c_int, [pointer]),
        ("pa_mainloop_dispatch", ctypes.c_int, [pointer]),
        ("pa_mainloop_free", None, [pointer]),
        ("pa_context_new", pointer, [pointer, ctypes.c_char_p]),
        ("pa_context_connect", ctypes.c_int, [pointer, ctypes.c_char_p, ctypes.c_int, pointer]),
        ("pa_context_get_state", ctypes.c_int, [pointer]),
        ("pa_context_errno", ctypes.c_int, [pointer]),
        ("pa_context_get_server", ctypes.c_char_p, [pointer]),
        ("pa_context_get_server_info", pointer, [pointer, _SERVER_CALLBACK, pointer]),
        ("pa_context_get_sink_info_list", pointer, [pointer, _SINK_CALLBACK, pointer]),
        ("pa_context_disconnect", None, [pointer]),
        ("pa_context_unref", None, [pointer]),
        ("pa_operation_get_state", ctypes.c_int, [pointer]),
        ("pa_operation_unref", None, [pointer]),
        ("pa_strerror", ctypes.c_char_p, [ctypes.c_int]),
    ):
        getattr(lib, function).restype = result
        getattr(lib, function).argtypes = arguments
    return lib


def query_server(timeout: float = CONNECT_TIMEOUT) -> PulseServer:
    """Connect to the server libpulse finds and list its sinks.

    Raises OutputUnavailable saying why when no server answers.
    """
    lib = _library()
    loop = lib.pa_mainloop_new()
    context = lib.pa_context_new(lib.pa_mainloop_get_api(loop), b"coach")
    deadline = time.monotonic() + timeout

    def run_until(done: Any) -> None:
        while not done():
            if time.monotonic() > deadline:
                raise OutputUnavailable(
                    "pulse",
                    f"the PulseAudio server did not answer within {timeout:g} s",
                    _NO_SERVER_FIX,
                )
            if lib.pa_mainloop_prepare(loop, 100_000) < 0 or lib.pa_mainloop_poll(loop) < 0:
                break
            lib.pa_mainloop_dispatch(loop)

    def run(operation: int | None) -> None:
        if not operation:
            raise OutputUnavailable("pulse", _failure(lib, context), _NO_SERVER_FIX)
        try:
            run_until(lambda: lib.pa_operation_get_state(operation) != _OPERATION_RUNNING)
        finally:
            lib.pa_operation_unref(operation)

    try:
        # No server name and no flags: the same search (and autospawn policy) as pactl.
        if lib.pa_context_connect(context, None, 0, None) < 0:
            raise OutputUnavailable("pulse", _failure(lib, context), _NO_SERVER_FIX)
        run_until(lambda: lib.pa_context_get_state(context) in (_READY, _FAILED, _TERMINATED))
        if lib.pa_context_get_state(context) != _READY:
            raise OutputUnavailable("pulse", _failure(lib, context), _NO_SERVER_FIX)
        address = _text(lib.pa_context_get_server(context))
        default: list[str] = []
        sinks: list[PulseDevice] = []

        def on_server(_context: Any, info: Any, _data: Any) -> None:
            if info:
                default.append(_text(info.contents.default_sink_name))

        def on_sink(_context: Any, info: Any, last: int, _data: Any) -> None:
            if not last and info:
                sinks.append(
                    PulseDevice(_text(info.contents.name), _text(info.contents.description))
                )

        # The callback objects must outlive the operations: keep them in locals.
        server_callback, sink_callback = _SERVER_CALLBACK(on_server), _SINK_CALLBACK(on_sink)
        run(lib.pa_context_get_server_info(context, server_callback, None))
        run(lib.pa_context_get_sink_info_list(context, sink_callback, None))
        return PulseServer(address, default[0] if default else "", tuple(sinks))
    finally:
        lib.pa_context_disconnect(context)
        lib.pa_context_unref(context)
        lib.pa_mainloop_free(loop)


def _failure(lib: Any, context: int) -> str:
    reason = _text(lib.pa_strerror(lib.pa_context_errno(context))) or "unknown error"
    return f"cannot connect to a PulseAudio server ({reason})"
