"""BPN (Better Payment Network): ``GET /v1/wallet/asset-balance``.

Requests must carry the facade's default signature (``facade._auth.bpn_signature``; BPN's own
scheme is undocumented): ``X-Api-Key``, ``X-Timestamp`` (ms, within ``MAX_SKEW_MS`` of the
sandbox clock) and ``X-Signature`` over the exact request target, body and timestamp.

Every answer is the envelope ``{status, msg, code, traceId, data}`` with ``traceId`` set
(also sent as ``X-Request-ID``). Errors reuse it with ``status`` equal to the HTTP status,
``data: null`` and a string ``code`` of ours (BPN does not document its codes):
``UNAUTHORIZED`` (401), ``BAD_REQUEST`` (400), ``UNSUPPORTED_CURRENCY`` (400),
``WALLET_NOT_FOUND`` (404).

Mode 1 (no ``currency``): every currency the wallet holds, ``totalAvailable`` their USD value.
Mode 2 (``currency=X``, a currency BPN supports): that currency only (zeros when the wallet
holds none of it), ``totalAvailable`` its USD value. Without ``walletId`` the main wallet
answers. Amounts are JSON numbers written from ``Decimal`` text, never through a float.
"""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Mapping
from decimal import Decimal

from starlette.responses import Response

from facade._auth import bpn_signature
from facade.sandbox import _data as data
from facade.sandbox._http import CallContext, Handler, Product, ProviderBehaviour, json_response
from facade.sandbox._seeded import SeededBalance, SeededWallet
from facade.sandbox._state import SandboxState
from facade.sandbox._wire import JSONValue

__all__ = ["BpnBehaviour"]

_TRACE_FILL = "__facade_sandbox_trace__"


class BpnBehaviour(ProviderBehaviour):
    server = "bpn"
    spec = "bpn"
    provides = ("bpn",)

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._wallets = {w.id: w for w in data.BPN_WALLETS}
        self._trace_ids = itertools.count(1000)

    def products(self) -> tuple[Product, ...]:
        wallets = tuple(
            SeededWallet(
                str(w.id),
                None,
                tuple(b.currency for b in w.balances),
                tuple(SeededBalance(b.currency, _amounts(b)) for b in w.balances),
                totals={"totalAvailable": data.bpn_total_available(w)},
                default=w.id == data.BPN_DEFAULT_WALLET_ID,
            )
            for w in data.BPN_WALLETS
        )
        return (
            Product(
                name="bpn",
                wallets=wallets,
                settings={"api_key": data.BPN_API_KEY, "api_secret": data.BPN_API_SECRET},
            ),
        )

    def handlers(self) -> Mapping[str, Handler]:
        return {"getAssetBalance": self.get_asset_balance}

    def new_request_id(self) -> str:
        return str(next(self._trace_ids))

    def response_headers(self, ctx: CallContext) -> list[tuple[str, str]]:
        return [("X-Request-ID", ctx.request_id)]

    def _envelope(
        self, ctx: CallContext, status: int, data_: JSONValue, msg: str | None, code: str | None
    ) -> Response:
        # The trace id is filled in after validation, see CallContext.fill.
        ctx.fill[_TRACE_FILL] = ctx.request_id
        body = {"status": status, "msg": msg, "code": code, "traceId": _TRACE_FILL, "data": data_}
        return json_response(body, status)

    def error(
        self, ctx: CallContext, status: int, message: str, code: str | None = None
    ) -> Response:
        default = {
            400: "BAD_REQUEST",
            401: "UNAUTHORIZED",
            404: "NOT_FOUND",
            429: "TOO_MANY_REQUESTS",
        }
        return self._envelope(ctx, status, None, message, code or default.get(status, "ERROR"))

    # ------------------------------------------------------------------ auth

    def authenticate(self, ctx: CallContext) -> Response | None:
        headers = ctx.headers
        api_key = headers.get(bpn_signature.API_KEY_HEADER)
        timestamp = headers.get(bpn_signature.TIMESTAMP_HEADER)
        signature = headers.get(bpn_signature.SIGNATURE_HEADER)
        if not api_key or not timestamp or not signature:
            return self.error(ctx, 401, "Missing signature headers")
        if not hmac.compare_digest(api_key.encode(), data.BPN_API_KEY.encode()):
            return self.error(ctx, 401, "Invalid API key")
        if not timestamp.isdigit():
            return self.error(ctx, 401, "Invalid timestamp")
        timestamp_ms = int(timestamp)
        if abs(self.state.clock.now() * 1000 - timestamp_ms) > bpn_signature.MAX_SKEW_MS:
            return self.error(ctx, 401, "Timestamp outside the allowed window")
        expected = bpn_signature.signature(
            data.BPN_API_SECRET, ctx.method, ctx.target, ctx.body, timestamp_ms
        )
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return self.error(ctx, 401, "Invalid signature")
        ctx.principal = api_key
        return None

    # ------------------------------------------------------------------ handler

    def get_asset_balance(self, ctx: CallContext) -> Response:
        raw_wallet = ctx.query.get("walletId")
        if raw_wallet is None:
            wallet_id = data.BPN_DEFAULT_WALLET_ID
        elif raw_wallet.isdigit():
            wallet_id = int(raw_wallet)
        else:
            return self.error(ctx, 400, "walletId must be an integer")
        wallet = self._wallets.get(wallet_id)
        if wallet is None:
            return self.error(ctx, 404, "Wallet not found", "WALLET_NOT_FOUND")
        currency = ctx.query.get("currency")
        if currency is None:
            balances = list(wallet.balances)
        elif currency in data.BPN_USD_PRICES:
            balances = [wallet.balance(currency) or data.BpnCurrencyBalance(currency, Decimal(0))]
        else:
            return self.error(ctx, 400, f"Unsupported currency: {currency}", "UNSUPPORTED_CURRENCY")
        payload: dict[str, JSONValue] = {
            "totalAvailable": data.bpn_total_available(wallet, currency),
            "totalAvailableCurrency": "USD",
            "id": wallet.id,
            "walletType": wallet.wallet_type,
            "name": wallet.name,
            "wallets": [
                {
                    "currency": b.currency,
                    "currencyFullName": data.BPN_FULL_NAMES.get(b.currency, b.currency),
                    **_amounts(b),
                }
                for b in balances
            ],
        }
        return self._envelope(ctx, 200, payload, None, None)


def _amounts(balance: data.BpnCurrencyBalance) -> dict[str, Decimal]:
    """The item's amount fields (JSON numbers): what is served, and what ``products()``
    declares."""
    return {
        "available": balance.available,
        "unavailable": balance.unavailable,
        "balanceChange": balance.balance_change,
    }
