"""Cryptofuse wallets.

The balance page calls ``amount`` both "available balance" and the figure from which
``pendingAmount`` is subtracted to get what is available. We read ``amount`` as the total
and ``amount - pendingAmount`` (never below zero) as available: of the two readings it is
the one that never overstates what can be spent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import httpx
from wbf_cryptofuse.api.default import create_access_token, get_wallet_balances
from wbf_cryptofuse.models import WalletBalancesResponse
from wbf_cryptofuse.types import Unset

from .._assets import AssetCode
from .._auth.cryptofuse import ClientCredentialsAuth
from .._auth.headers import HeaderAuth
from .._decimal import exact_difference
from .._settings import CommonSettings, Secret, SettingSpec
from .._transport import Call, ErrorDetails, Reply, generic_error_details
from ..errors import ConfigurationError
from ._base import Adapter, BalanceQuery, Mapped, Support

__all__ = ["Cryptofuse", "CryptofuseSettings"]

ZERO = Decimal(0)
_MACHINE_CODE = re.compile(r"[a-z]+(?:_[a-z]+)+|[a-z]+")


class CryptofuseSettings(CommonSettings, total=False):
    """Keyword settings of ``connect("cryptofuse", ...)``."""

    api_key: str | Secret | None
    api_key_file: str | os.PathLike[str] | None
    client_id: str | None
    client_secret: str | Secret | None
    client_secret_file: str | os.PathLike[str] | None
    scope: str | None


class Cryptofuse(Adapter[WalletBalancesResponse]):
    name = "cryptofuse"
    spec = "cryptofuse"
    unset_types = (Unset,)
    capabilities: ClassVar = {
        "list_balances": Support.NATIVE,
        "asset_filter": Support.EMULATED,
        "refresh": Support.UNSUPPORTED,
        "refresh_all": Support.UNSUPPORTED,
        "fiat_valuation": Support.UNSUPPORTED,
        "deposit_addresses": Support.UNSUPPORTED,
        "accounts": Support.UNSUPPORTED,
    }
    asset_case = "lower"  # btc, usdttrc20; the core filters the listing (asset_filter)
    setting_specs = (
        SettingSpec("api_key", secret=True, doc="X-API-Key credential"),
        SettingSpec("client_id", doc="OAuth2 client credentials (instead of api_key)"),
        SettingSpec("client_secret", secret=True),
        SettingSpec("scope", default="read write"),
    )
    asset_codes = (
        AssetCode("btc", "BTC", "bitcoin"),
        AssetCode("eth", "ETH", "ethereum"),
        AssetCode("usdttrc20", "USDT", "tron"),
        AssetCode("usdterc20", "USDT", "ethereum"),
        AssetCode("usdtbsc", "USDT", "bsc"),
        AssetCode("usdcerc20", "USDC", "ethereum"),
        AssetCode("trx", "TRX", "tron"),
        AssetCode("ltc", "LTC", "litecoin"),
    )
    reads: ClassVar = {
        get_wallet_balances.OPERATION_ID: frozenset(
            {
                "param:wallet_id",
                "WalletBalancesResponse.result",
                "WalletBalances.balances",
                "CurrencyBalance.currency",
                "CurrencyBalance.amount",
                "CurrencyBalance.pendingAmount",
                "ErrorBody.detail",
                "ErrorBody.error",
                "ErrorObject.code",  # read_error: the documented error object
                "ErrorObject.message",
                "security:ApiKeyAuth",
                "security:OAuth2",
            }
        ),
        create_access_token.OPERATION_ID: frozenset(
            {
                "TokenRequest.grant_type",
                "TokenRequest.scope",
                "TokenResponse.access_token",
                "TokenResponse.expires_in",
                "security:ClientBasicAuth",
            }
        ),
    }

    def auth(self) -> httpx.Auth:
        api_key = self.settings.secret("api_key")
        if api_key:
            return HeaderAuth("X-API-Key", api_key)
        client_id = self.settings.get("client_id")
        secret = self.settings.secret("client_secret")
        if client_id and secret:
            return ClientCredentialsAuth(
                self.name, self.base_url, client_id, secret, self.settings.get("scope")
            )
        raise ConfigurationError(
            "cryptofuse needs api_key, or client_id and client_secret", provider=self.name
        )

    def read_error(self, body: Any) -> ErrorDetails:
        # Documented: {"error": {"code", "message", "details"}}; the v0.9 pages show
        # {"error": "<text>"}, the token endpoint OAuth2's {"error": "<code>",
        # "error_description": ...}, older pages {"detail": "<text>"}.
        error = body.get("error") if isinstance(body, Mapping) else None
        if isinstance(error, str) and _MACHINE_CODE.fullmatch(error):
            description = body.get("error_description")
            return ErrorDetails(
                code=error, message=description if isinstance(description, str) else None
            )
        return generic_error_details(body)

    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[WalletBalancesResponse]]:
        kwargs = get_wallet_balances.build_request_kwargs(wallet_id=query.wallet_id)
        return [Call(get_wallet_balances.OPERATION_ID, kwargs, WalletBalancesResponse.from_dict)]

    def map_balances(
        self, query: BalanceQuery, replies: Sequence[Reply[WalletBalancesResponse]]
    ) -> Mapped:
        (reply,) = replies
        raw_items = self.array(reply.body["result"]["balances"], "balances")
        balances = []
        for item, raw in zip(reply.model.result.balances, raw_items, strict=True):
            amount = self.amount(item.amount, "amount")
            pending = self.amount(item.pending_amount, "pendingAmount")
            balances.append(
                self.balance(
                    query,
                    asset=item.currency,
                    total=amount,
                    available=max(exact_difference(amount, pending), ZERO),
                    pending=pending,
                    locked=ZERO,
                    raw=raw,
                )
            )
        return Mapped(balances, request_id=reply.request_id)
