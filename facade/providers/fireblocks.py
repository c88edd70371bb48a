"""Fireblocks vault accounts and embedded wallets (both over the Fireblocks API v1).

Mapping: total, available and pending as sent; locked = frozen + lockedAmount; extras keep
staked, frozen, lockedAmount and pending rewards. Vault assets call it ``rewardsInfo``,
embedded-wallet balances ``rewardInfo``.

A per-asset read answers for the asset it names, so its balance is filed under the
requested asset code: an embedded-wallet balance's ``id`` identifies the balance entry
(documented example ``BTC-mainnet-acc-01``), not the asset. Only the wallet-wide vault read
takes the asset code from each item's ``id``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

import httpx
from wbf_fireblocks.api.embedded_wallets import (
    get_embedded_wallet_asset_balance,
    refresh_embedded_wallet_asset_balance,
)
from wbf_fireblocks.api.vaults import (
    get_vault_account,
    get_vault_account_asset,
    update_vault_account_asset_balance,
)
from wbf_fireblocks.models import (
    EmbeddedWalletAssetBalance,
    EmbeddedWalletAssetRewardInfo,
    RewardsInfo,
    VaultAccount,
    VaultAsset,
)
from wbf_fireblocks.types import Unset

from .._assets import AssetCode
from .._auth.fireblocks import FireblocksAuth
from .._decimal import exact_sum
from .._model import Balance
from .._settings import CommonSettings, Secret, SettingSpec
from .._transport import Call, ErrorDetails, Reply, generic_error_details
from .._validation import check_numeric_id
from ..errors import ProviderError
from ._base import Adapter, BalanceQuery, M, Mapped, Support

__all__ = ["FireblocksEmbedded", "FireblocksSettings", "FireblocksVault"]

_ASSET_CODES = tuple(
    AssetCode(code, symbol, network)
    for code, symbol, network in (
        ("BTC", "BTC", "bitcoin"),
        ("BTC_TEST", "BTC", "bitcoin-testnet"),
        ("ETH", "ETH", "ethereum"),
        ("ETH_TEST5", "ETH", "ethereum-sepolia"),
        ("USDT_ERC20", "USDT", "ethereum"),
        ("TRX_USDT_S2UZ", "USDT", "tron"),
        ("TRX", "TRX", "tron"),
        ("USDC", "USDC", "ethereum"),
        ("SOL", "SOL", "solana"),
        ("USDC_SOL", "USDC", "solana"),
        ("MATIC_POLYGON", "MATIC", "polygon"),
        ("LTC", "LTC", "litecoin"),
    )
)

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
        "header:X-Request-ID",  # the transport reads it into every result and error
    }
)
_EMBEDDED = frozenset(
    {
        "param:walletId",
        "param:accountId",
        "param:assetId",
        # Not EmbeddedWalletAssetBalance.id: a balance-entry id, never read (the asset is the
        # one asked for); the overlay makes it optional so its absence never fails a read.
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
        "header:X-Request-ID",  # the transport reads it into every result and error
    }
)


class FireblocksSettings(CommonSettings, total=False):
    """Keyword settings of ``connect("fireblocks-vault" | "fireblocks-embedded", ...)``."""

    api_key: str | Secret | None
    api_key_file: str | os.PathLike[str] | None
    private_key: str | Secret | None
    private_key_file: str | os.PathLike[str] | None


class _Fireblocks(Adapter[M]):
    spec = "fireblocks"
    setting_specs = (
        SettingSpec("api_key", secret=True, doc="Fireblocks API user key"),
        SettingSpec("private_key", secret=True, doc="the API user's RSA private key (PEM)"),
    )
    asset_codes = _ASSET_CODES
    unset_types = (Unset,)
    asset_case = "upper"  # Fireblocks asset ids: BTC, USDT_ERC20, ETH_TEST5
    base_path = "/v1"
    base_url_example = "https://api.fireblocks.io/v1"

    def absent(self, call: Call[M], error: ProviderError) -> bool:
        # 1006 "Asset doesn't exist": the account exists but has no such asset (an unknown
        # vault account is 1004, an unknown embedded wallet or account a plain 404).
        return error.status_code == 404 and error.code == "1006"

    def auth(self) -> httpx.Auth:
        return FireblocksAuth(self.require_secret("api_key"), self.require_secret("private_key"))

    def read_error(self, body: Any) -> ErrorDetails:
        # {message, code} with a numeric code; newer endpoints {error: {type, message}}.
        details = generic_error_details(body)
        code = details.code
        if code is not None and code.endswith(".0"):
            code = code[:-2]
        return ErrorDetails(code=code, message=details.message)

    def _to_balance(
        self,
        query: BalanceQuery,
        item: VaultAsset | EmbeddedWalletAssetBalance,
        raw: dict[str, Any],
        rewards: RewardsInfo | EmbeddedWalletAssetRewardInfo | Unset | None,
        asset: str | Unset | None,
    ) -> Balance:
        asset = self.present(asset)
        if not isinstance(asset, str) or not asset:
            raise ValueError("asset id is missing")
        frozen = self.optional_amount(item.frozen, "frozen")
        locked_amount = self.optional_amount(item.locked_amount, "lockedAmount")
        reward = None if isinstance(rewards, Unset) else rewards
        staked = item.staked if isinstance(item, VaultAsset) else None  # vaults only
        return self.balance(
            query,
            asset=asset,
            total=self.amount(item.total, "total"),
            available=self.amount(item.available, "available"),
            pending=self.optional_amount(item.pending, "pending"),
            locked=None
            if frozen is None or locked_amount is None
            else exact_sum(frozen, locked_amount),
            extras={
                "staked": self.informational_amount(staked, "staked"),
                "frozen": frozen,
                "lockedAmount": locked_amount,
                "pendingRewards": None
                if reward is None
                else self.informational_amount(reward.pending_rewards, "pendingRewards"),
            },
            block_height=self.informational_text(item.block_height),
            block_hash=self.informational_text(item.block_hash),
            raw=raw,
        )

    def _request_id(self, replies: Sequence[Reply[M]]) -> str | None:
        return next((r.request_id for r in replies if r.request_id), None)


class FireblocksVault(_Fireblocks[VaultAccount | VaultAsset]):
    """Vault accounts: ``wallet_id`` is the numeric vault account id."""

    name = "fireblocks-vault"
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        "asset_filter": Support.NATIVE,
        "refresh": Support.NATIVE,
        # The account is listed first, then each asset it holds is refreshed.
        "refresh_all": Support.EMULATED,
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.UNSUPPORTED,
    }
    default_rate_limits: ClassVar = {update_vault_account_asset_balance.OPERATION_ID: "10/min"}
    reads: ClassVar = {
        get_vault_account_asset.OPERATION_ID: _VAULT_ASSET
        | {"param:vaultAccountId", "param:assetId"},
        get_vault_account.OPERATION_ID: _VAULT_ASSET
        | {"param:vaultAccountId", "VaultAccount.id", "VaultAccount.assets"},
        update_vault_account_asset_balance.OPERATION_ID: _VAULT_ASSET
        | {"param:vaultAccountId", "param:assetId", "param:Idempotency-Key"},
    }

    def validate(self, query: BalanceQuery) -> None:
        check_numeric_id(query.wallet_id, "wallet_id (a Fireblocks vault account id)")

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[VaultAccount | VaultAsset]]:
        if query.assets is None:
            kwargs = get_vault_account.build_request_kwargs(query.wallet_id)
            return [Call(get_vault_account.OPERATION_ID, kwargs, VaultAccount.from_dict)]
        return [
            Call(
                get_vault_account_asset.OPERATION_ID,
                get_vault_account_asset.build_request_kwargs(query.wallet_id, asset),
                VaultAsset.from_dict,
                context=asset,
            )
            for asset in map(self.wire_code, query.assets)
        ]

    def refresh_calls(self, query: BalanceQuery) -> Sequence[Call[VaultAccount | VaultAsset]]:
        return [
            Call(
                update_vault_account_asset_balance.OPERATION_ID,
                update_vault_account_asset_balance.build_request_kwargs(
                    query.wallet_id, asset, idempotency_key=self.idempotency_key(query, asset)
                ),
                VaultAsset.from_dict,
                context=asset,
            )
            for asset in map(self.wire_code, query.named_assets())
        ]

    def map_balances(
        self, query: BalanceQuery, replies: Sequence[Reply[VaultAccount | VaultAsset]]
    ) -> Mapped:
        balances: list[Balance] = []
        for reply in replies:
            model = reply.model
            if isinstance(model, VaultAccount):
                items = self.present(model.assets) or []
                raw = reply.body.get("assets")
                raw_items = [] if raw is None else self.array(raw, "assets")
                for item, raw in zip(items, raw_items, strict=True):
                    balances.append(self._to_balance(query, item, raw, item.rewards_info, item.id))
            else:
                balances.append(
                    self._to_balance(
                        query, model, reply.body, model.rewards_info, reply.call.context
                    )
                )
        return Mapped(balances=balances, request_id=self._request_id(replies))


class FireblocksEmbedded(_Fireblocks[EmbeddedWalletAssetBalance]):
    """Embedded wallets (NCW): ``wallet_id`` is the wallet UUID, ``account_id`` e.g. '0'."""

    name = "fireblocks-embedded"
    capabilities: ClassVar = {
        # The NCW asset listing returns asset metadata, not balances: no wallet-wide read.
        "list_balances": Support.UNSUPPORTED,
        "asset_filter": Support.NATIVE,
        "refresh": Support.NATIVE,
        "refresh_all": Support.UNSUPPORTED,  # nothing lists what the account holds
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.NATIVE,
    }
    default_rate_limits: ClassVar = {refresh_embedded_wallet_asset_balance.OPERATION_ID: "10/min"}
    reads: ClassVar = {
        get_embedded_wallet_asset_balance.OPERATION_ID: _EMBEDDED,
        refresh_embedded_wallet_asset_balance.OPERATION_ID: _EMBEDDED | {"param:Idempotency-Key"},
    }

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[EmbeddedWalletAssetBalance]]:
        return [
            Call(
                get_embedded_wallet_asset_balance.OPERATION_ID,
                get_embedded_wallet_asset_balance.build_request_kwargs(
                    query.wallet_id, query.account(), asset
                ),
                EmbeddedWalletAssetBalance.from_dict,
                context=asset,
            )
            for asset in map(self.wire_code, query.named_assets())
        ]

    def refresh_calls(self, query: BalanceQuery) -> Sequence[Call[EmbeddedWalletAssetBalance]]:
        return [
            Call(
                refresh_embedded_wallet_asset_balance.OPERATION_ID,
                refresh_embedded_wallet_asset_balance.build_request_kwargs(
                    query.wallet_id,
                    query.account(),
                    asset,
                    idempotency_key=self.idempotency_key(query, asset),
                ),
                EmbeddedWalletAssetBalance.from_dict,
                context=asset,
            )
            for asset in map(self.wire_code, query.named_assets())
        ]

    def map_balances(
        self, query: BalanceQuery, replies: Sequence[Reply[EmbeddedWalletAssetBalance]]
    ) -> Mapped:
        return Mapped(
            balances=[
                self._to_balance(query, r.model, r.body, r.model.reward_info, r.call.context)
                for r in replies
            ],
            request_id=self._request_id(replies),
        )
