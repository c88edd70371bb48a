"""Contains all the data models used in inputs/outputs"""

from .asset_balance_envelope import AssetBalanceEnvelope
from .currency_balance import CurrencyBalance
from .error_envelope import ErrorEnvelope
from .wallet_balance import WalletBalance

__all__ = (
    "AssetBalanceEnvelope",
    "CurrencyBalance",
    "ErrorEnvelope",
    "WalletBalance",
)
