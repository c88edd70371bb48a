"""Kuna Core wallets.

total = balance + holdBalance + lockBalance; available = balance; pending = holdBalance
(in processing); locked = lockBalance (blocked by AML policy); referralBalance goes to
extras. Deposit addresses stay in ``raw``, and their network names the chain of
multi-chain assets (``USDT`` with a ``TRX`` address is USDT on Tron).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import httpx
from wbf_kuna_core.api.default import get_balances
from wbf_kuna_core.models import BalanceRequest, BalanceResponse

from .._auth.headers import HeaderAuth
from .._auth.kuna import LoginTokenAuth
from .._decimal import exact_sum
from .._settings import SettingSpec
from .._transport import Call, Reply
from ..errors import ConfigurationError
from ._base import Adapter, BalanceQuery, Mapped, Support, present

__all__ = ["KunaCore"]


class KunaCore(Adapter):
    name = "kuna-core"
    spec = "kuna-core"
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        "asset_filter": Support.NATIVE,
        "refresh": Support.UNSUPPORTED,
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.NATIVE,
        "accounts": Support.UNSUPPORTED,
    }
    settings = (
        SettingSpec("api_key", secret=True, doc="api-key credential"),
        SettingSpec("merchant_id", doc="for login (instead of api_key)"),
        SettingSpec("login_email"),
        SettingSpec("login_password", secret=True),
    )

    def auth(self) -> httpx.Auth:
        api_key = self.config.secret("api_key")
        if api_key:
            return HeaderAuth("api-key", api_key)
        merchant, email = self.config.get("merchant_id"), self.config.get("login_email")
        password = self.config.secret("login_password")
        if merchant and email and password:
            return LoginTokenAuth(
                self.name, self.base_url, merchant, {"email": email, "password": password}
            )
        raise ConfigurationError(
            "kuna-core needs api_key, or merchant_id, login_email and login_password",
            provider=self.name,
        )

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call]:
        body = BalanceRequest(wallet_id=query.wallet_id)
        if query.assets is not None:
            body.assets = list(query.assets)
        return [Call("getBalances", get_balances._get_kwargs(body=body), BalanceResponse.from_dict)]

    def map_balances(self, query: BalanceQuery, replies: Sequence[Reply]) -> Mapped:
        (reply,) = replies
        balances = []
        for item, raw in zip(reply.model.data, self.array(reply.body["data"], "data"), strict=True):
            available = self.amount(item.balance, "balance")
            hold = self.optional_amount(item.hold_balance, "holdBalance")
            lock = self.optional_amount(item.lock_balance, "lockBalance")
            addresses = present(item.deposit_address)
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
                        "referralBalance": self.optional_amount(
                            item.referral_balance, "referralBalance"
                        )
                    },
                    deposit_networks=addresses.additional_properties if addresses else (),
                    raw=raw,
                )
            )
        return Mapped(balances, request_id=reply.request_id)
