"""BPN (Better Payment Network) wallets.

Amounts are JSON numbers on the wire; the core parses them straight into Decimal.
total = available + unavailable; locked = unavailable; balanceChange goes to extras;
totalAvailable (USD, CoinMarketCap prices) is the wallet's fiat valuation. Errors may
arrive inside a 200 envelope, so ``check_success`` reads the envelope's own status.
"""

from __future__ import annotations

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
from .._decimal import exact_sum
from .._model import FiatValuation
from .._settings import Settings, SettingSpec
from .._transport import Call, ErrorDetails, Reply
from ..errors import ConfigurationError
from ._base import Adapter, BalanceQuery, Mapped, Support

__all__ = ["Bpn"]


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


class Bpn(Adapter[AssetBalanceEnvelope]):
    name = "bpn"
    spec = "bpn"
    unset_types = (Unset,)
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        # One currency is a native query (mode 2); several are filtered from mode 1.
        "asset_filter": Support.NATIVE,
        "refresh": Support.UNSUPPORTED,
        "fiat_valuation": Support.NATIVE,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.UNSUPPORTED,
    }
    setting_specs = (
        SettingSpec("api_key", secret=True),
        SettingSpec("api_secret", secret=True),
    )
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

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[AssetBalanceEnvelope]]:
        single = query.assets[0] if query.assets and len(query.assets) == 1 else UNSET
        kwargs = get_asset_balance.build_request_kwargs(currency=single, wallet_id=query.wallet_id)
        return [Call(get_asset_balance.OPERATION_ID, kwargs, AssetBalanceEnvelope.from_dict)]

    def map_balances(
        self, query: BalanceQuery, replies: Sequence[Reply[AssetBalanceEnvelope]]
    ) -> Mapped:
        (reply,) = replies
        data = reply.model.data
        wanted = None if query.assets is None else set(query.assets)
        balances = []
        for item, raw in zip(
            data.wallets, self.array(reply.body["data"]["wallets"], "wallets"), strict=True
        ):
            if wanted is not None and item.currency not in wanted:
                continue
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
        total = self.informational_amount(data.total_available, "totalAvailable")
        currency = self.informational_text(data.total_available_currency)
        fiat = None if total is None else FiatValuation(amount=total, currency=currency or "USD")
        trace = self.informational_text(reply.model.trace_id)
        return Mapped(balances, fiat_valuation=fiat, request_id=trace or reply.request_id)
