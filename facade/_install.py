"""What a "missing extra" message tells the user to run.

The distribution is on no package index, so installing it by name from an index cannot
work: an application installs it from a git checkout or a built wheel, with the
extras it needs (README, "Installing in an application"). Every such message says so here.
"""

from __future__ import annotations

__all__ = ["extra_hint"]


def extra_hint(extra: str) -> str:
    return (
        f"install the '{extra}' extra from a checkout or a built wheel, e.g."
        f" pip install '/path/to/wallet-balance-facade[{extra}]'"
        " (README: Installing in an application)"
    )
