"""The Acme Custody server for facade.sandbox, with public names only: what a user writes to
test an adapter of their own against a faithful local server."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from facade.sandbox import CallContext, Product, ProviderBehaviour, SeededWallet, json_response

__all__ = ["API_KEY", "WALLETS", "AcmeBehaviour"]

API_KEY = "acme-sandbox-key-7f3a"
# Wallet id -> holdings as Acme sends them (amounts are decimal strings).
WALLETS: Mapping[str, list[dict[str, str]]] = {
    "treasury-1": [
        {"asset": "BTC", "total": "12.500000001", "available": "12.000000001", "onHold": "0.5"},
        {"asset": "USDT-TRON", "total": "1000000.000001", "available": "1000000.000001"},
    ],
    "empty-2": [],
}


class AcmeBehaviour(ProviderBehaviour):
    server = "acme"
    spec = "acme"
    spec_path = Path(__file__).with_name("acme.yaml")
    provides = ("acme-custody",)

    def products(self) -> tuple[Product, ...]:
        wallets = tuple(
            SeededWallet(wallet_id, None, tuple(h["asset"] for h in holdings))
            for wallet_id, holdings in WALLETS.items()
        )
        return (Product(name="acme-custody", wallets=wallets, settings={"api_key": API_KEY}),)

    def handlers(self) -> Mapping[str, Any]:
        return {"getAcmeBalances": self.get_balances}

    def new_request_id(self) -> str:
        return uuid.uuid4().hex

    def response_headers(self, ctx: CallContext) -> list[tuple[str, str]]:
        return [("X-Request-ID", ctx.request_id)]

    def authenticate(self, ctx: CallContext) -> Any:
        key = ctx.headers.get("x-acme-key") or ""
        if not hmac.compare_digest(key.encode(), API_KEY.encode()):
            return self.error(ctx, 401, "invalid API key")
        ctx.principal = key
        return None

    def error(self, ctx: CallContext, status: int, message: str) -> Any:
        code = {401: "unauthorized", 404: "not_found", 429: "rate_limited"}.get(status, "error")
        return json_response({"error": {"code": code, "message": message}}, status)

    def get_balances(self, ctx: CallContext) -> Any:
        holdings = WALLETS.get(ctx.path_params["walletId"])
        if holdings is None:
            return self.error(ctx, 404, "wallet not found")
        return json_response({"walletId": ctx.path_params["walletId"], "balances": holdings})
