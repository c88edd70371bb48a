"""Which hosts the sandbox may listen on (stdlib only, so the CLI can check before loading)."""

from __future__ import annotations

import ipaddress

__all__ = ["is_loopback"]


def is_loopback(host: str) -> bool:
    # The sandbox hands out working credentials to anyone who can reach it.
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
