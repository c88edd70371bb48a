"""The Acme Custody adapter: written as a user would, outside the package, with public names
only (``facade.providers`` and the client generated from acme.yaml, ``wbf_acme``).

total = total, available = available, locked = onHold (absent: nothing on hold, so zero;
Acme documents the field as absent exactly then), pending: not reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

import httpx
from wbf_acme.api.default import get_acme_balances
from wbf_acme.models import Wallet
from wbf_acme.types import Unset

import facade.providers as fp

__all__ = ["Acme"]


class Acme(fp.Adapter[Wallet]):
    name = "acme-custody"
    spec = "acme"
    unset_types = (Unset,)
    capabilities: ClassVar = {
        "list_balances": fp.Support.NATIVE,
        "asset_filter": fp.Support.EMULATED,
        "refresh": fp.Support.UNSUPPORTED,
        "fiat_valuation": fp.Support.UNSUPPORTED,
        "deposit_addresses": fp.Support.UNSUPPORTED,
        "accounts": fp.Support.UNSUPPORTED,
    }
    setting_specs = (fp.SettingSpec("api_key", secret=True, doc="X-Acme-Key credential"),)
    asset_codes = (
        fp.AssetCode("BTC", "BTC", "bitcoin"),
        fp.AssetCode("USDT-TRON", "USDT", "tron"),
    )
    asset_case = "upper"
    reads: ClassVar = {
        get_acme_balances.OPERATION_ID: frozenset(
            {
                "param:walletId",
                "Wallet.balances",
                "Holding.asset",
                "Holding.total",
                "Holding.available",
                "Holding.onHold",
                "Error.error",
                "security:AcmeKey",
            }
        )
    }

    def auth(self) -> httpx.Auth:
        return fp.HeaderAuth("X-Acme-Key", self.require_secret("api_key"))

    def balance_calls(self, query: fp.BalanceQuery) -> Sequence[fp.Call[Wallet]]:
        kwargs = get_acme_balances.build_request_kwargs(query.wallet_id)
        return [fp.Call(get_acme_balances.OPERATION_ID, kwargs, Wallet.from_dict)]

    def map_balances(
        self, query: fp.BalanceQuery, replies: Sequence[fp.Reply[Wallet]]
    ) -> fp.Mapped:
        (reply,) = replies
        raw_items = self.array(reply.body["balances"], "balances")
        balances = []
        for item, raw in zip(reply.model.balances, raw_items, strict=True):
            on_hold = self.optional_amount(item.on_hold, "onHold")
            balances.append(
                self.balance(
                    query,
                    asset=item.asset,
                    total=self.amount(item.total, "total"),
                    available=self.amount(item.available, "available"),
                    pending=None,
                    locked=Decimal(0) if on_hold is None else on_hold,
                    raw=raw,
                )
            )
        return fp.Mapped(balances, request_id=reply.request_id)
