"""Canonical assets: a provider's asset code -> (symbol, network).

Codes are looked up exactly as the provider sends them. An unknown code maps to
(None, None): we never guess a network. Some providers name the network only through the
deposit address (Kuna Core's ``USDT`` with a ``TRX`` deposit address), so an entry may be
keyed by (code, deposit network).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["AssetCode", "AssetInfo", "AssetTable"]


@dataclass(frozen=True, slots=True)
class AssetInfo:
    symbol: str | None
    network: str | None


UNKNOWN = AssetInfo(None, None)


@dataclass(frozen=True, slots=True)
class AssetCode:
    """One entry of an adapter's asset codes: ``code`` (as the provider spells it) is
    ``symbol`` on ``network``; with ``deposit_network``, only when the balance's deposit
    address is on that network."""

    code: str
    symbol: str
    network: str | None
    deposit_network: str | None = None


class AssetTable:
    """Maps (provider, code[, deposit network]) to :class:`AssetInfo`. Extend with ``add``."""

    def __init__(
        self, entries: Mapping[tuple[str, str, str | None], AssetInfo] | None = None
    ) -> None:
        self._entries: dict[tuple[str, str, str | None], AssetInfo] = dict(entries or {})

    def add(
        self,
        provider: str,
        code: str,
        symbol: str,
        network: str | None,
        *,
        deposit_network: str | None = None,
    ) -> None:
        self._entries[(provider, code, deposit_network)] = AssetInfo(symbol, network)

    def lookup(self, provider: str, code: str, deposit_networks: Iterable[str] = ()) -> AssetInfo:
        networks = list(deposit_networks)
        # A deposit network only decides when it is unambiguous.
        if len(networks) == 1:
            hit = self._entries.get((provider, code, networks[0]))
            if hit is not None:
                return hit
        return self._entries.get((provider, code, None), UNKNOWN)

    def copy(self) -> AssetTable:
        return AssetTable(self._entries)

    @classmethod
    def of(cls, provider: str, codes: Iterable[AssetCode]) -> AssetTable:
        """A table holding ``provider``'s codes."""
        table = cls()
        for c in codes:
            table.add(provider, c.code, c.symbol, c.network, deposit_network=c.deposit_network)
        return table
