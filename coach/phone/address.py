"""This machine's address on the home network, for URLs a phone can open.

    lan_address()  # "192.168.1.23", or "127.0.0.1" when there is no network

Connecting a UDP socket sends nothing: it only asks the system which local address
it would route through. The target is an address in a private range, so no lookup
is made and no packet leaves the machine.
"""

from __future__ import annotations

import socket

LOOPBACK = "127.0.0.1"
_PROBE = ("10.255.255.255", 9)  # any routable-looking address; nothing is sent to it


def lan_address() -> str:
    """The IPv4 address other machines on the local network reach this one by."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address = str(probe.getsockname()[0])
    except OSError:
        return LOOPBACK
    if not address or address.startswith("0."):
        return LOOPBACK
    return address
