"""Contains all the data models used in inputs/outputs"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .asset_balance_envelope import AssetBalanceEnvelope
    from .currency_balance import CurrencyBalance
    from .error_envelope import ErrorEnvelope
    from .wallet_balance import WalletBalance

_MODULE_OF = {
    "AssetBalanceEnvelope": ".asset_balance_envelope",
    "CurrencyBalance": ".currency_balance",
    "ErrorEnvelope": ".error_envelope",
    "WalletBalance": ".wallet_balance",
}

__all__ = (
    "AssetBalanceEnvelope",
    "CurrencyBalance",
    "ErrorEnvelope",
    "WalletBalance",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
