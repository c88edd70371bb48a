"""Contains all the data models used in inputs/outputs"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .approval_request import ApprovalRequest
    from .approval_request_state import ApprovalRequestState
    from .approval_request_type import ApprovalRequestType
    from .embedded_wallet_asset_balance import EmbeddedWalletAssetBalance
    from .embedded_wallet_asset_reward_info import EmbeddedWalletAssetRewardInfo
    from .error_schema import ErrorSchema
    from .get_paged_vault_accounts_order_by import GetPagedVaultAccountsOrderBy
    from .rewards_info import RewardsInfo
    from .tag import Tag
    from .tag_type import TagType
    from .vault_account import VaultAccount
    from .vault_accounts_paged_response import VaultAccountsPagedResponse
    from .vault_accounts_paged_response_paging import VaultAccountsPagedResponsePaging
    from .vault_asset import VaultAsset

_MODULE_OF = {
    "ApprovalRequest": ".approval_request",
    "ApprovalRequestState": ".approval_request_state",
    "ApprovalRequestType": ".approval_request_type",
    "EmbeddedWalletAssetBalance": ".embedded_wallet_asset_balance",
    "EmbeddedWalletAssetRewardInfo": ".embedded_wallet_asset_reward_info",
    "ErrorSchema": ".error_schema",
    "GetPagedVaultAccountsOrderBy": ".get_paged_vault_accounts_order_by",
    "RewardsInfo": ".rewards_info",
    "Tag": ".tag",
    "TagType": ".tag_type",
    "VaultAccount": ".vault_account",
    "VaultAccountsPagedResponse": ".vault_accounts_paged_response",
    "VaultAccountsPagedResponsePaging": ".vault_accounts_paged_response_paging",
    "VaultAsset": ".vault_asset",
}

__all__ = (
    "ApprovalRequest",
    "ApprovalRequestState",
    "ApprovalRequestType",
    "EmbeddedWalletAssetBalance",
    "EmbeddedWalletAssetRewardInfo",
    "ErrorSchema",
    "GetPagedVaultAccountsOrderBy",
    "RewardsInfo",
    "Tag",
    "TagType",
    "VaultAccount",
    "VaultAccountsPagedResponse",
    "VaultAccountsPagedResponsePaging",
    "VaultAsset",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
