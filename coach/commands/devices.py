"""`coach devices`: the sound outputs `coach play --device` can use."""

from __future__ import annotations

import click


@click.command("devices")
def devices_command() -> None:
    """List the sound devices for play --device.

    The PulseAudio sinks (by name) and the PortAudio devices (by number or name);
    an output that cannot be reached is shown with the reason and the fix.
    """
    from coach.errors import CoachError
    from coach.live.portaudio import output_devices
    from coach.live.pulse_server import query_server
    from coach.live.sinks import SILENT_RUN, OutputUnavailable
    from coach.terminal import printable

    lines: list[str] = []
    missing = 0
    try:
        server = query_server()
    except OutputUnavailable as failure:
        lines.append(f"PulseAudio (--output pulse): {failure.reason}; {failure.fix}")
        missing += 1
    else:
        lines.append(f"PulseAudio sinks (--output pulse), server {server.address}:")
        width = max((len(sink.name) for sink in server.sinks), default=0)
        lines += [
            f"  {sink.name:<{width}}  {sink.description}"
            + ("  (default)" if sink.name == server.default_sink else "")
            for sink in server.sinks
        ] or ["  (none)"]
    try:
        devices = output_devices()
    except OutputUnavailable as failure:
        lines.append(f"PortAudio (--output portaudio): {failure.reason}; {failure.fix}")
        missing += 1
    else:
        lines.append("PortAudio devices (--output portaudio):")
        lines += [
            f"  {device.index:>2}  {device.name}" + ("  (default)" if device.default else "")
            for device in devices
        ] or ["  (none)"]
    if missing == 2:
        listing = "\n  ".join(lines)
        raise CoachError(f"no audio output works here:\n  {listing}\nOr {SILENT_RUN}.")
    for line in lines:
        click.echo(printable(line))
