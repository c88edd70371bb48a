"""Kuna Core wallets.

total = balance + holdBalance + lockBalance; available = balance; pending = holdBalance
(in processing); locked = lockBalance (blocked by AML policy); referralBalance goes to
extras. Deposit addresses stay in ``raw``, and their network names the chain of
multi-chain assets (``USDT`` with a ``TRX`` address is USDT on Tron).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import ClassVar

import httpx
from wbf_kuna_core.api.default import get_balances, login
from wbf_kuna_core.models import AssetBalanceDepositAddressType0, BalanceRequest, BalanceResponse
from wbf_kuna_core.types import Unset

from .._assets import AssetCode
from .._auth.headers import HeaderAuth
from .._auth.kuna import LoginTokenAuth
from .._decimal import exact_sum
from .._settings import CommonSettings, Secret, SettingSpec
from .._transport import Call, Reply
from ..errors import ConfigurationError
from ._base import Adapter, BalanceQuery, Mapped, Support

__all__ = ["KunaCore", "KunaCoreSettings"]


class KunaCoreSettings(CommonSettings, total=False):
    """Keyword settings of ``connect("kuna-core", ...)``."""

    api_key: str | Secret | None
    api_key_file: str | os.PathLike[str] | None
    merchant_id: str | None
    login_email: str | None
    login_password: str | Secret | None
    login_password_file: str | os.PathLike[str] | None


class KunaCore(Adapter[BalanceResponse]):
    name = "kuna-core"
    spec = "kuna-core"
    unset_types = (Unset,)
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        "asset_filter": Support.NATIVE,
        "refresh": Support.UNSUPPORTED,
        "refresh_all": Support.UNSUPPORTED,
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.NATIVE,
        "accounts": Support.UNSUPPORTED,
    }
    path_prefix = "/v2"  # /v2/balance, /v2/auth/login
    asset_case = "upper"  # BTC, USDT, UAH; codes the wallet does not hold are left out
    setting_specs = (
        SettingSpec("api_key", secret=True, doc="api-key credential"),
        SettingSpec("merchant_id", doc="for login (instead of api_key)"),
        SettingSpec("login_email"),
        SettingSpec("login_password", secret=True),
    )
    asset_codes = (
        AssetCode("BTC", "BTC", "bitcoin"),
        AssetCode("ETH", "ETH", "ethereum"),
        AssetCode("TRX", "TRX", "tron"),
        # USDT names its chain only through the deposit address.
        AssetCode("USDT", "USDT", "tron", deposit_network="TRX"),
        AssetCode("USDT", "USDT", "ethereum", deposit_network="ETH"),
        AssetCode("USDT", "USDT", "bsc", deposit_network="BSC"),
        AssetCode("USDT", "USDT", None),  # no (or several) deposit networks
        AssetCode("UAH", "UAH", None),
        AssetCode("USD", "USD", None),
        AssetCode("EUR", "EUR", None),
    )
    reads: ClassVar = {
        get_balances.OPERATION_ID: frozenset(
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
        login.OPERATION_ID: frozenset(
            {"param:merchant_id", "LoginResponse.data", "LoginResponse.data.accessToken"}
        ),
    }

    def auth(self) -> httpx.Auth:
        api_key = self.settings.secret("api_key")
        if api_key:
            return HeaderAuth("api-key", api_key)
        merchant, email = self.settings.get("merchant_id"), self.settings.get("login_email")
        password = self.settings.secret("login_password")
        if merchant and email and password:
            return LoginTokenAuth(
                self.name, self.base_url, merchant, {"email": email, "password": password}
            )
        raise ConfigurationError(
            "kuna-core needs api_key, or merchant_id, login_email and login_password",
            provider=self.name,
        )

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[BalanceResponse]]:
        body = BalanceRequest(wallet_id=query.wallet_id)
        if query.assets is not None:
            body.assets = [self.wire_code(code) for code in query.assets]
        kwargs = get_balances.build_request_kwargs(body=body)
        return [Call(get_balances.OPERATION_ID, kwargs, BalanceResponse.from_dict)]

    def map_balances(
        self, query: BalanceQuery, replies: Sequence[Reply[BalanceResponse]]
    ) -> Mapped:
        (reply,) = replies
        balances = []
        for item, raw in zip(reply.model.data, self.array(reply.body["data"], "data"), strict=True):
            available = self.amount(item.balance, "balance")
            hold = self.optional_amount(item.hold_balance, "holdBalance")
            lock = self.optional_amount(item.lock_balance, "lockBalance")
            addresses = self.present(item.deposit_address)
            balances.append(
                self.balance(
                    query,
                    asset=item.asset,
                    total=None
                    if hold is None or lock is None
                    else exact_sum(available, hold, lock),
                    available=available,
                    pending=hold,
                    locked=lock,
                    extras={
                        "referralBalance": self.informational_amount(
                            item.referral_balance, "referralBalance"
                        )
                    },
                    deposit_networks=addresses.additional_properties
                    if isinstance(addresses, AssetBalanceDepositAddressType0)
                    else (),
                    raw=raw,
                )
            )
        return Mapped(balances, request_id=reply.request_id)
