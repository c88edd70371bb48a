"""Contains all the data models used in inputs/outputs"""

from .currency_balance import CurrencyBalance
from .error_body import ErrorBody
from .token_request import TokenRequest
from .token_response import TokenResponse
from .wallet_balances import WalletBalances
from .wallet_balances_response import WalletBalancesResponse

__all__ = (
    "CurrencyBalance",
    "ErrorBody",
    "TokenRequest",
    "TokenResponse",
    "WalletBalances",
    "WalletBalancesResponse",
)
