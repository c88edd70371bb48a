"""What the facade reads from each provider spec, for the breaking-change report.

Keys are spec names (specs/sources.toml); values map operationId to the identifiers the
adapters depend on: ``param:<name>`` for a parameter, ``<Schema>.<property>`` for a field
of a components schema, ``<Schema>.<property>.<property>`` for a field of an inline object,
and ``security:<scheme>`` for a security scheme.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SPEC_USAGE", "spec_usage"]

_VAULT_ASSET = frozenset(
    {
        "VaultAsset.id",
        "VaultAsset.total",
        "VaultAsset.available",
        "VaultAsset.pending",
        "VaultAsset.frozen",
        "VaultAsset.lockedAmount",
        "VaultAsset.staked",
        "VaultAsset.blockHeight",
        "VaultAsset.blockHash",
        "VaultAsset.rewardsInfo",
        "RewardsInfo.pendingRewards",
        "ErrorSchema.message",
        "ErrorSchema.code",
        "security:bearerTokenAuth",
        "security:ApiKeyAuth",
    }
)
_EMBEDDED = frozenset(
    {
        "param:walletId",
        "param:accountId",
        "param:assetId",
        "EmbeddedWalletAssetBalance.id",
        "EmbeddedWalletAssetBalance.total",
        "EmbeddedWalletAssetBalance.available",
        "EmbeddedWalletAssetBalance.pending",
        "EmbeddedWalletAssetBalance.frozen",
        "EmbeddedWalletAssetBalance.lockedAmount",
        "EmbeddedWalletAssetBalance.blockHeight",
        "EmbeddedWalletAssetBalance.blockHash",
        "EmbeddedWalletAssetBalance.rewardInfo",
        "EmbeddedWalletAssetRewardInfo.pendingRewards",
        "ErrorSchema.message",
        "ErrorSchema.code",
        "security:bearerTokenAuth",
        "security:ApiKeyAuth",
    }
)

SPEC_USAGE: Mapping[str, Mapping[str, frozenset[str]]] = {
    "fireblocks": {
        "getVaultAccountAsset": _VAULT_ASSET | {"param:vaultAccountId", "param:assetId"},
        "getVaultAccount": _VAULT_ASSET
        | {"param:vaultAccountId", "VaultAccount.id", "VaultAccount.assets"},
        "updateVaultAccountAssetBalance": _VAULT_ASSET
        | {"param:vaultAccountId", "param:assetId", "param:Idempotency-Key"},
        "GetEmbeddedWalletAssetBalance": _EMBEDDED,
        "RefreshEmbeddedWalletAssetBalance": _EMBEDDED | {"param:Idempotency-Key"},
    },
    "cryptofuse": {
        "getWalletBalances": frozenset(
            {
                "param:wallet_id",
                "WalletBalancesResponse.result",
                "WalletBalances.id",
                "WalletBalances.balances",
                "CurrencyBalance.currency",
                "CurrencyBalance.amount",
                "CurrencyBalance.pendingAmount",
                "ErrorBody.detail",
                "ErrorBody.error",
                "security:ApiKeyAuth",
                "security:OAuth2",
            }
        ),
        "createAccessToken": frozenset(
            {
                "TokenRequest.grant_type",
                "TokenRequest.scope",
                "TokenResponse.access_token",
                "TokenResponse.expires_in",
                "security:ClientBasicAuth",
            }
        ),
    },
    "kuna-core": {
        "getBalances": frozenset(
            {
                "BalanceRequest.walletId",
                "BalanceRequest.assets",
                "BalanceResponse.data",
                "AssetBalance.asset",
                "AssetBalance.balance",
                "AssetBalance.holdBalance",
                "AssetBalance.lockBalance",
                "AssetBalance.referralBalance",
                "AssetBalance.depositAddress",
                "DepositAddress.address",
                "DepositAddress.memo",
                "security:ApiKeyAuth",
                "security:BearerAuth",
            }
        ),
        "login": frozenset(
            {"param:merchant_id", "LoginResponse.data", "LoginResponse.data.accessToken"}
        ),
    },
    "bpn": {
        "getAssetBalance": frozenset(
            {
                "param:currency",
                "param:walletId",
                "AssetBalanceEnvelope.status",
                "AssetBalanceEnvelope.msg",
                "AssetBalanceEnvelope.code",
                "AssetBalanceEnvelope.traceId",
                "AssetBalanceEnvelope.data",
                "WalletBalance.totalAvailable",
                "WalletBalance.totalAvailableCurrency",
                "WalletBalance.wallets",
                "CurrencyBalance.currency",
                "CurrencyBalance.available",
                "CurrencyBalance.unavailable",
                "CurrencyBalance.balanceChange",
                "security:BpnSignature",
            }
        ),
    },
}


def spec_usage() -> Mapping[str, Mapping[str, frozenset[str]]]:
    """Spec name -> operationId -> identifiers the facade depends on."""
    return SPEC_USAGE
