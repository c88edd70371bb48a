"""BPN (Better Payment Network) wallets.

Amounts are JSON numbers on the wire; the core parses them straight into Decimal.
total = available + unavailable; locked = unavailable; balanceChange goes to extras;
totalAvailable (USD, CoinMarketCap prices) is the fiat valuation. Errors may arrive inside
a 200 envelope, so ``check_success`` reads the envelope's own status.

BPN's ``totalAvailable`` values everything the answer covers: the whole wallet in mode 1 (no
``currency``), one currency in mode 2. So a read of named assets asks once per currency
(mode 2) and the valuation is the exact sum of those answers: it values exactly the balances
returned. A currency BPN does not support is a 400 (``UNSUPPORTED_CURRENCY``), which puts
that code in ``WalletBalances.missing``; one it supports but the wallet does not hold is
answered with zeros by BPN itself.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

import httpx
from wbf_bpn.api.default import get_asset_balance
from wbf_bpn.models import AssetBalanceEnvelope
from wbf_bpn.types import UNSET, Unset

from .._assets import AssetCode, AssetTable
from .._auth.bpn_signature import HmacSigner
from .._auth.headers import RequestSigner, SignerAuth
from .._decimal import AmountError, exact_sum
from .._model import Balance, FiatValuation
from .._settings import CommonSettings, Secret, Settings, SettingSpec
from .._transport import Call, ErrorDetails, Reply
from ..errors import ConfigurationError, ProviderError
from ._base import Adapter, BalanceQuery, Mapped, Support

__all__ = ["Bpn", "BpnSettings"]


def _envelope(body: Any) -> ErrorDetails:
    if not isinstance(body, dict):
        return ErrorDetails()
    status = body.get("status")
    code, msg, trace = body.get("code"), body.get("msg"), body.get("traceId")
    return ErrorDetails(
        status_code=status if isinstance(status, int) and not isinstance(status, bool) else None,
        code=None if code is None else str(code),
        message=None if msg is None else str(msg)[:500],
        request_id=None if trace is None else str(trace),
    )


class BpnSettings(CommonSettings, total=False):
    """Keyword settings of ``connect("bpn", ...)`` (``signer`` is a separate keyword)."""

    api_key: str | Secret | None
    api_key_file: str | os.PathLike[str] | None
    api_secret: str | Secret | None
    api_secret_file: str | os.PathLike[str] | None


class Bpn(Adapter[AssetBalanceEnvelope]):
    name = "bpn"
    spec = "bpn"
    unset_types = (Unset,)
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        "asset_filter": Support.NATIVE,  # one mode-2 request per named currency
        "refresh": Support.UNSUPPORTED,
        "refresh_all": Support.UNSUPPORTED,
        "fiat_valuation": Support.NATIVE,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.UNSUPPORTED,
    }
    setting_specs = (
        SettingSpec("api_key", secret=True),
        SettingSpec("api_secret", secret=True),
    )
    asset_case = "upper"  # USDT, BTC
    path_prefix = "/v1"  # /v1/wallet/asset-balance
    # BPN balances name a currency, not a chain: the symbol is known, the network is not.
    asset_codes = (
        AssetCode("USDT", "USDT", None),
        AssetCode("USDC", "USDC", None),
        AssetCode("BTC", "BTC", "bitcoin"),
        AssetCode("ETH", "ETH", None),
        AssetCode("USD", "USD", None),
    )
    reads: ClassVar = {
        get_asset_balance.OPERATION_ID: frozenset(
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
    }

    options: ClassVar = frozenset({"signer"})

    def __init__(
        self, settings: Settings, assets: AssetTable, signer: RequestSigner | None = None
    ) -> None:
        super().__init__(settings, assets)
        self._signer = signer

    def auth(self) -> httpx.Auth:
        if self._signer is not None:
            return SignerAuth(self._signer)
        key, secret = self.settings.secret("api_key"), self.settings.secret("api_secret")
        if not (key and secret):
            raise ConfigurationError(
                "bpn needs api_key and api_secret (or a signer)", provider=self.name
            )
        return SignerAuth(HmacSigner(key, secret))

    def read_error(self, body: Any) -> ErrorDetails:
        return _envelope(body)

    def check_success(self, body: Any) -> ErrorDetails:
        details = _envelope(body)
        return details if details.status_code not in (None, 200) else ErrorDetails()

    def absent(self, call: Call[AssetBalanceEnvelope], error: ProviderError) -> bool:
        return error.status_code == 400 and error.code == "UNSUPPORTED_CURRENCY"

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[AssetBalanceEnvelope]]:
        currencies: list[str | Unset] = (
            [UNSET] if query.assets is None else [self.wire_code(a) for a in query.assets]
        )
        return [
            Call(
                get_asset_balance.OPERATION_ID,
                get_asset_balance.build_request_kwargs(
                    currency=currency, wallet_id=query.wallet_id
                ),
                AssetBalanceEnvelope.from_dict,
                context=None if isinstance(currency, Unset) else currency,
            )
            for currency in currencies
        ]

    def map_balances(
        self, query: BalanceQuery, replies: Sequence[Reply[AssetBalanceEnvelope]]
    ) -> Mapped:
        balances: list[Balance] = []
        valuations: list[FiatValuation | None] = []
        for reply in replies:
            balances.extend(self._balances(query, reply))
            valuations.append(self._valuation(reply))
        return Mapped(
            balances,
            fiat_valuation=_sum(valuations),
            request_id=next(
                (self.informational_text(r.model.trace_id) or r.request_id for r in replies), None
            ),
        )

    def _valuation(self, reply: Reply[AssetBalanceEnvelope]) -> FiatValuation | None:
        data = reply.model.data
        total = self.informational_amount(data.total_available, "totalAvailable")
        currency = self.informational_text(data.total_available_currency)
        return None if total is None else FiatValuation(amount=total, currency=currency or "USD")

    def _balances(self, query: BalanceQuery, reply: Reply[AssetBalanceEnvelope]) -> list[Balance]:
        data = reply.model.data
        balances = []
        for item, raw in zip(
            data.wallets, self.array(reply.body["data"]["wallets"], "wallets"), strict=True
        ):
            available = self.amount(item.available, "available")
            unavailable = self.optional_amount(item.unavailable, "unavailable")
            balances.append(
                self.balance(
                    query,
                    asset=item.currency,
                    total=None if unavailable is None else exact_sum(available, unavailable),
                    available=available,
                    pending=Decimal(0),
                    locked=unavailable,
                    extras={
                        "balanceChange": self.informational_amount(
                            item.balance_change, "balanceChange"
                        )
                    },
                    raw=raw,
                )
            )
        return balances


def _sum(valuations: Sequence[FiatValuation | None]) -> FiatValuation | None:
    """The exact sum of per-currency valuations; None unless every one is known, in one
    currency (a partial sum would understate what was returned)."""
    if not valuations or any(v is None for v in valuations):
        return None
    known = [v for v in valuations if v is not None]
    if len({v.currency for v in known}) != 1:
        return None
    try:
        amount = exact_sum(*(v.amount for v in known))
    except AmountError:  # too far apart to add exactly: no valuation rather than a rounded one
        return None
    return FiatValuation(amount=amount, currency=known[0].currency)
