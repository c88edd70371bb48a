"""Contains all the data models used in inputs/outputs"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .asset_balance import AssetBalance
    from .asset_balance_deposit_address_type_0 import AssetBalanceDepositAddressType0
    from .balance_request import BalanceRequest
    from .balance_response import BalanceResponse
    from .deposit_address import DepositAddress
    from .error_body import ErrorBody
    from .login_request import LoginRequest
    from .login_response import LoginResponse
    from .login_response_data import LoginResponseData

_MODULE_OF = {
    "AssetBalance": ".asset_balance",
    "AssetBalanceDepositAddressType0": ".asset_balance_deposit_address_type_0",
    "BalanceRequest": ".balance_request",
    "BalanceResponse": ".balance_response",
    "DepositAddress": ".deposit_address",
    "ErrorBody": ".error_body",
    "LoginRequest": ".login_request",
    "LoginResponse": ".login_response",
    "LoginResponseData": ".login_response_data",
}

__all__ = (
    "AssetBalance",
    "AssetBalanceDepositAddressType0",
    "BalanceRequest",
    "BalanceResponse",
    "DepositAddress",
    "ErrorBody",
    "LoginRequest",
    "LoginResponse",
    "LoginResponseData",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
