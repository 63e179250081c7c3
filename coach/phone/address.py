"""The address other devices on the home network reach this computer at."""

from __future__ import annotations

import socket

# A documentation-only address (TEST-NET-1, RFC 5737): connecting a UDP socket to it
# sends nothing, but makes the system choose the interface it would route through.
_PROBE = ("192.0.2.1", 9)
FALLBACK = "127.0.0.1"


def lan_address() -> str:
    """This computer's address on the network its default route leads to, or
    127.0.0.1 when it has none (no network, or only the loopback)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address = probe.getsockname()[0]
    except OSError:
        return FALLBACK
    return str(address) if address and address != "0.0.0.0" else FALLBACK
