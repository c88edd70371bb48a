"""Contains all the data models used in inputs/outputs"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .currency_balance import CurrencyBalance
    from .error_body import ErrorBody
    from .error_object import ErrorObject
    from .error_object_details import ErrorObjectDetails
    from .o_auth_error_body import OAuthErrorBody
    from .token_request import TokenRequest
    from .token_response import TokenResponse
    from .wallet_balances import WalletBalances
    from .wallet_balances_response import WalletBalancesResponse

_MODULE_OF = {
    "CurrencyBalance": ".currency_balance",
    "ErrorBody": ".error_body",
    "ErrorObject": ".error_object",
    "ErrorObjectDetails": ".error_object_details",
    "OAuthErrorBody": ".o_auth_error_body",
    "TokenRequest": ".token_request",
    "TokenResponse": ".token_response",
    "WalletBalances": ".wallet_balances",
    "WalletBalancesResponse": ".wallet_balances_response",
}

__all__ = (
    "CurrencyBalance",
    "ErrorBody",
    "ErrorObject",
    "ErrorObjectDetails",
    "OAuthErrorBody",
    "TokenRequest",
    "TokenResponse",
    "WalletBalances",
    "WalletBalancesResponse",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
