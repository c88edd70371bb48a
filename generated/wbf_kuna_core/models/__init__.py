"""Contains all the data models used in inputs/outputs"""

from .asset_balance import AssetBalance
from .asset_balance_deposit_address import AssetBalanceDepositAddress
from .balance_request import BalanceRequest
from .balance_response import BalanceResponse
from .deposit_address import DepositAddress
from .error_body import ErrorBody
from .login_request import LoginRequest
from .login_response import LoginResponse
from .login_response_data import LoginResponseData

__all__ = (
    "AssetBalance",
    "AssetBalanceDepositAddress",
    "BalanceRequest",
    "BalanceResponse",
    "DepositAddress",
    "ErrorBody",
    "LoginRequest",
    "LoginResponse",
    "LoginResponseData",
)
