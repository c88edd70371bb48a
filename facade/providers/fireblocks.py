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

import uuid
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
from wbf_fireblocks.models import EmbeddedWalletAssetBalance, VaultAccount, VaultAsset

from .._auth.fireblocks import FireblocksAuth
from .._decimal import exact_sum
from .._model import Balance
from .._settings import SettingSpec
from .._transport import Call, ErrorDetails, Reply, generic_error_details
from .._validation import check_numeric_id
from ..errors import InvalidArgument
from ._base import Adapter, BalanceQuery, Mapped, Support, present

__all__ = ["FireblocksEmbedded", "FireblocksVault"]

_SETTINGS = (
    SettingSpec("api_key", secret=True, doc="Fireblocks API user key"),
    SettingSpec("private_key", secret=True, doc="the API user's RSA private key (PEM)"),
)


class _Fireblocks(Adapter):
    spec = "fireblocks"
    settings = _SETTINGS

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
        rewards: Any,
        asset: Any,
    ) -> Balance:
        if not isinstance(asset, str) or not asset:
            raise ValueError("asset id is missing")
        frozen = self.optional_amount(item.frozen, "frozen")
        locked_amount = self.optional_amount(item.locked_amount, "lockedAmount")
        rewards = present(rewards)
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
                "staked": self.optional_amount(getattr(item, "staked", None), "staked"),
                "frozen": frozen,
                "lockedAmount": locked_amount,
                "pendingRewards": None
                if rewards is None
                else self.optional_amount(rewards.pending_rewards, "pendingRewards"),
            },
            block_height=present(item.block_height),
            block_hash=present(item.block_hash),
            raw=raw,
        )

    def _request_id(self, replies: Sequence[Reply]) -> str | None:
        return next((r.request_id for r in replies if r.request_id), None)

    def _idempotency_key(self, query: BalanceQuery, asset: str) -> str:
        # One key per (call, asset) so each refresh is deduplicated on its own.
        base = query.idempotency_key or uuid.uuid4().hex
        return base if query.assets and len(query.assets) == 1 else f"{base}-{asset}"


class FireblocksVault(_Fireblocks):
    """Vault accounts: ``wallet_id`` is the numeric vault account id."""

    name = "fireblocks-vault"
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        "asset_filter": Support.NATIVE,
        "refresh": Support.NATIVE,
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.UNSUPPORTED,
    }
    default_rate_limits: ClassVar = {"updateVaultAccountAssetBalance": "10/min"}

    def validate(self, query: BalanceQuery) -> None:
        check_numeric_id(query.wallet_id, "wallet_id (a Fireblocks vault account id)")

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call]:
        if query.assets is None:
            kwargs = get_vault_account._get_kwargs(query.wallet_id)
            return [Call("getVaultAccount", kwargs, VaultAccount.from_dict)]
        return [
            Call(
                "getVaultAccountAsset",
                get_vault_account_asset._get_kwargs(query.wallet_id, asset),
                VaultAsset.from_dict,
                context=asset,
            )
            for asset in query.assets
        ]

    def refresh_calls(self, query: BalanceQuery) -> Sequence[Call]:
        if query.assets is None:
            raise InvalidArgument(
                "refresh_balances needs the assets to refresh", provider=self.name
            )
        return [
            Call(
                "updateVaultAccountAssetBalance",
                update_vault_account_asset_balance._get_kwargs(
                    query.wallet_id, asset, idempotency_key=self._idempotency_key(query, asset)
                ),
                VaultAsset.from_dict,
                context=asset,
            )
            for asset in query.assets
        ]

    def map_balances(self, query: BalanceQuery, replies: Sequence[Reply]) -> Mapped:
        balances: list[Balance] = []
        for reply in replies:
            if isinstance(reply.model, VaultAccount):
                items = present(reply.model.assets) or []
                raw = reply.body.get("assets")
                raw_items = [] if raw is None else self.array(raw, "assets")
                for item, raw in zip(items, raw_items, strict=True):
                    asset = present(item.id)
                    balances.append(self._to_balance(query, item, raw, item.rewards_info, asset))
            else:
                model = reply.model
                balances.append(
                    self._to_balance(
                        query, model, reply.body, model.rewards_info, reply.call.context
                    )
                )
        return Mapped(balances=balances, request_id=self._request_id(replies))


class FireblocksEmbedded(_Fireblocks):
    """Embedded wallets (NCW): ``wallet_id`` is the wallet UUID, ``account_id`` e.g. '0'."""

    name = "fireblocks-embedded"
    capabilities: ClassVar = {
        # The NCW asset listing returns asset metadata, not balances: no wallet-wide read.
        "list_balances": Support.UNSUPPORTED,
        "asset_filter": Support.NATIVE,
        "refresh": Support.NATIVE,
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.NATIVE,
    }
    default_rate_limits: ClassVar = {"RefreshEmbeddedWalletAssetBalance": "10/min"}

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call]:
        if query.assets is None or query.account_id is None:  # the client checks first
            raise InvalidArgument("embedded wallets are read per asset", provider=self.name)
        return [
            Call(
                "GetEmbeddedWalletAssetBalance",
                get_embedded_wallet_asset_balance._get_kwargs(
                    query.wallet_id, query.account_id, asset
                ),
                EmbeddedWalletAssetBalance.from_dict,
                context=asset,
            )
            for asset in query.assets
        ]

    def refresh_calls(self, query: BalanceQuery) -> Sequence[Call]:
        if query.assets is None or query.account_id is None:
            raise InvalidArgument(
                "refresh_balances needs account_id and assets", provider=self.name
            )
        return [
            Call(
                "RefreshEmbeddedWalletAssetBalance",
                refresh_embedded_wallet_asset_balance._get_kwargs(
                    query.wallet_id,
                    query.account_id,
                    asset,
                    idempotency_key=self._idempotency_key(query, asset),
                ),
                EmbeddedWalletAssetBalance.from_dict,
                context=asset,
            )
            for asset in query.assets
        ]

    def map_balances(self, query: BalanceQuery, replies: Sequence[Reply]) -> Mapped:
        return Mapped(
            balances=[
                self._to_balance(query, r.model, r.body, r.model.reward_info, r.call.context)
                for r in replies
            ],
            request_id=self._request_id(replies),
        )
