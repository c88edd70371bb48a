"""Canonical assets: a provider's asset code -> (symbol, network).

Codes are looked up exactly as the provider sends them. An unknown code maps to
(None, None): we never guess a network. Some providers name the network only through the
deposit address (Kuna Core's ``USDT`` with a ``TRX`` deposit address), so an entry may be
keyed by (code, deposit network).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_ASSETS", "AssetInfo", "AssetTable"]


@dataclass(frozen=True, slots=True)
class AssetInfo:
    symbol: str | None
    network: str | None


UNKNOWN = AssetInfo(None, None)


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

    def __len__(self) -> int:
        return len(self._entries)


def _default() -> AssetTable:
    table = AssetTable()
    fireblocks = {
        "BTC": ("BTC", "bitcoin"),
        "BTC_TEST": ("BTC", "bitcoin-testnet"),
        "ETH": ("ETH", "ethereum"),
        "ETH_TEST5": ("ETH", "ethereum-sepolia"),
        "USDT_ERC20": ("USDT", "ethereum"),
        "TRX_USDT_S2UZ": ("USDT", "tron"),
        "TRX": ("TRX", "tron"),
        "USDC": ("USDC", "ethereum"),
        "SOL": ("SOL", "solana"),
        "USDC_SOL": ("USDC", "solana"),
        "MATIC_POLYGON": ("MATIC", "polygon"),
        "LTC": ("LTC", "litecoin"),
    }
    for provider in ("fireblocks-vault", "fireblocks-embedded"):
        for code, (symbol, network) in fireblocks.items():
            table.add(provider, code, symbol, network)
    for code, (symbol, network) in {
        "btc": ("BTC", "bitcoin"),
        "eth": ("ETH", "ethereum"),
        "usdttrc20": ("USDT", "tron"),
        "usdterc20": ("USDT", "ethereum"),
        "usdtbsc": ("USDT", "bsc"),
        "usdcerc20": ("USDC", "ethereum"),
        "trx": ("TRX", "tron"),
        "ltc": ("LTC", "litecoin"),
    }.items():
        table.add("cryptofuse", code, symbol, network)
    table.add("kuna-core", "BTC", "BTC", "bitcoin")
    table.add("kuna-core", "ETH", "ETH", "ethereum")
    table.add("kuna-core", "TRX", "TRX", "tron")
    table.add("kuna-core", "USDT", "USDT", "tron", deposit_network="TRX")
    table.add("kuna-core", "USDT", "USDT", "ethereum", deposit_network="ETH")
    table.add("kuna-core", "USDT", "USDT", "bsc", deposit_network="BSC")
    table.add("kuna-core", "USDT", "USDT", None)  # no (or several) deposit networks
    table.add("kuna-core", "UAH", "UAH", None)
    table.add("kuna-core", "USD", "USD", None)
    table.add("kuna-core", "EUR", "EUR", None)
    # BPN balances name a currency, not a chain: the symbol is known, the network is not.
    for code in ("USDT", "USDC", "BTC", "ETH"):
        table.add("bpn", code, code, "bitcoin" if code == "BTC" else None)
    table.add("bpn", "USD", "USD", None)
    return table


DEFAULT_ASSETS = _default()
