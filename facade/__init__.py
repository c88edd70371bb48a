"""wallet-balance-facade: one typed interface over wallet-balance APIs.

    import facade

    with facade.connect("fireblocks-vault", api_key=..., private_key=..., base_url=...) as c:
        wallet = c.get_balances("0", assets=["BTC", "USDT_ERC20"])
        for b in wallet.balances:
            print(b.asset, b.symbol, b.network, b.available, b.total)

Providers: "fireblocks-vault", "fireblocks-embedded", "cryptofuse", "kuna-core", "bpn".
Amounts are ``decimal.Decimal``; errors are in :mod:`facade.errors`.
"""

import importlib
from typing import TYPE_CHECKING, Any

from . import errors
from ._assets import AssetInfo, AssetTable
from ._client import AsyncBalanceClient, BalanceClient
from ._connect import connect, connect_async
from ._hooks import Exchange, GiveUpEvent, Hooks, RateLimitWaitEvent, RetryEvent
from ._model import Balance, FiatValuation, WalletBalances, to_json_dict
from ._registry import provider_names, register_provider, unregister_provider
from ._settings import Secret
from .providers._base import CAPABILITIES, Support

if TYPE_CHECKING:
    from ._fanout import BalanceOutcome, BalanceRequest, gather_balances, gather_balances_sync
    from ._raw import RawResponse
    from ._totals import SymbolTotal, totals_by_symbol

__all__ = [
    "CAPABILITIES",
    "AssetInfo",
    "AssetTable",
    "AsyncBalanceClient",
    "Balance",
    "BalanceClient",
    "BalanceOutcome",
    "BalanceRequest",
    "Exchange",
    "FiatValuation",
    "GiveUpEvent",
    "Hooks",
    "RateLimitWaitEvent",
    "RawResponse",
    "RetryEvent",
    "Secret",
    "Support",
    "SymbolTotal",
    "WalletBalances",
    "connect",
    "connect_async",
    "errors",
    "gather_balances",
    "gather_balances_sync",
    "provider_names",
    "register_provider",
    "to_json_dict",
    "totals_by_symbol",
    "unregister_provider",
]

__version__ = "0.1.0"

# Loaded on first use (PEP 562): the fan-out brings asyncio and threads, which a blocking
# program reading one client never needs; raw responses and totals serve some callers only.
_LAZY = {
    "BalanceOutcome": "._fanout",
    "BalanceRequest": "._fanout",
    "gather_balances": "._fanout",
    "gather_balances_sync": "._fanout",
    "RawResponse": "._raw",
    "SymbolTotal": "._totals",
    "totals_by_symbol": "._totals",
}


def _published(obj: Any) -> Any:
    """Public names report where users import them from (help(), reprs, Sphinx): classes
    and functions alike. Modules and plain values keep theirs."""
    if callable(obj) and getattr(obj, "__module__", "").startswith("facade."):
        obj.__module__ = "facade"
    return obj


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = _published(getattr(importlib.import_module(module, __name__), name))
    globals()[name] = value
    return value


for _name in __all__:
    if _name not in _LAZY:
        _published(globals()[_name])
del _name
