"""wallet-balance-facade: one typed interface over wallet-balance APIs.

    import facade

    with facade.connect("fireblocks-vault", api_key=..., private_key=..., base_url=...) as c:
        wallet = c.get_balances("0", assets=["BTC", "USDT_ERC20"])
        for b in wallet.balances:
            print(b.asset, b.symbol, b.network, b.available, b.total)

Providers: "fireblocks-vault", "fireblocks-embedded", "cryptofuse", "kuna-core", "bpn".
Amounts are ``decimal.Decimal``; errors are in :mod:`facade.errors`.
"""

from . import errors
from ._assets import AssetInfo, AssetTable
from ._client import AsyncBalanceClient, BalanceClient
from ._connect import connect, connect_async
from ._fanout import BalanceOutcome, BalanceRequest, gather_balances, gather_balances_sync
from ._hooks import Exchange, GiveUpEvent, Hooks, RateLimitWaitEvent, RetryEvent
from ._model import Balance, FiatValuation, WalletBalances, to_json_dict
from ._raw import RawResponse
from ._registry import provider_names, register_provider, unregister_provider
from ._settings import Secret
from ._totals import SymbolTotal, totals_by_symbol
from .providers._base import CAPABILITIES, Support

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

# Public names report where users import them from (help(), reprs, Sphinx): classes and
# functions alike. Modules and plain values keep theirs.
for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj) and getattr(_obj, "__module__", "").startswith("facade."):
        _obj.__module__ = "facade"
del _name, _obj
