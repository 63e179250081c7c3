"""The audio outputs by name (--output NAME), each imported only when it is used.

One table, as for the speech engines (`coach.speech.engines`): a name maps to a
function that imports the output's module and returns its `Sink` class, whose
`NAME` is that name. `default` is not an output of its own: it tries PulseAudio,
then PortAudio, and opens the first that works.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from coach.errors import CoachError, InputError
from coach.live.sinks import SILENT_RUN, NullSink, OutputUnavailable, Sink, UnknownDevice

DEFAULT = "default"


def _null() -> type[Sink]:
    return NullSink


def _pulse() -> type[Sink]:
    from coach.live.pulse import PulseSink

    return PulseSink


def _portaudio() -> type[Sink]:
    from coach.live.portaudio import PortAudioSink

    return PortAudioSink


OUTPUTS: dict[str, Callable[[], type[Sink]]] = {
    "pulse": _pulse,
    "portaudio": _portaudio,
    "null": _null,
}


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
            return OUTPUTS[name]().open(sample_rate, device)
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


def open_output(name: str, sample_rate: int, device: str | None = None) -> Sink:
    """Open the output called `name`, on `device` if given (InputError if either is unknown)."""
    if name == DEFAULT:
        return default_output(sample_rate, device)
    load = OUTPUTS.get(name)
    if load is None:
        known = ", ".join([DEFAULT, *OUTPUTS])
        raise InputError(f"unknown output {name!r}; known outputs: {known}")
    return load().open(sample_rate, device)
