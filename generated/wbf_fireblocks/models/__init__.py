"""Contains all the data models used in inputs/outputs"""

from .embedded_wallet_asset_balance import EmbeddedWalletAssetBalance
from .embedded_wallet_asset_reward_info import EmbeddedWalletAssetRewardInfo
from .error_schema import ErrorSchema
from .get_paged_vault_accounts_order_by import GetPagedVaultAccountsOrderBy
from .rewards_info import RewardsInfo
from .vault_account import VaultAccount
from .vault_accounts_paged_response import VaultAccountsPagedResponse
from .vault_accounts_paged_response_paging import VaultAccountsPagedResponsePaging
from .vault_asset import VaultAsset

__all__ = (
    "EmbeddedWalletAssetBalance",
    "EmbeddedWalletAssetRewardInfo",
    "ErrorSchema",
    "GetPagedVaultAccountsOrderBy",
    "RewardsInfo",
    "VaultAccount",
    "VaultAccountsPagedResponse",
    "VaultAccountsPagedResponsePaging",
    "VaultAsset",
)
