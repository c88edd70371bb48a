"""Kuna Core: ``POST /v2/auth/login`` and ``POST /v2/balance``.

Kuna Core documents no error bodies. The sandbox answers errors the way the NestJS stack
behind it typically does, ``{"statusCode": N, "message": "...", "error": "<HTTP reason>"}``;
that choice is ours, not Kuna's documented contract.

Login needs the ``merchant_id`` header (only there) and a JSON body ``{"email", "password"}``;
it answers ``{"data": {"accessToken": <HS256 JWT with exp>}}``, valid for the sandbox's token
TTL. ``/v2/balance`` accepts the ``api-key`` header or ``Authorization: Bearer <that JWT>``
(Bearer wins when both are sent). ``assets`` filters by exact code; omitted or empty means
all assets; codes the wallet does not hold are left out.
"""

from __future__ import annotations

import hmac
import json
import secrets
import uuid
from collections.abc import Mapping
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import jwt
from starlette.responses import Response

from facade.sandbox import _data as data
from facade.sandbox._http import CallContext, Handler, Product, ProviderBehaviour, json_response
from facade.sandbox._seeded import SeededBalance, SeededWallet
from facade.sandbox._state import SandboxState
from facade.sandbox._wire import JSONValue

__all__ = ["KunaBehaviour"]

_LOGIN_OP = "login"
_ACCESS_FILL = "__facade_sandbox_token__"


class KunaBehaviour(ProviderBehaviour):
    server = "kuna-core"
    spec = "kuna-core"
    provides = ("kuna-core",)

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._wallets = {w.id: w for w in data.KUNA_WALLETS}
        # Per sandbox, so a token from one sandbox is worthless at another.
        self._secret = secrets.token_bytes(32)

    def products(self) -> tuple[Product, ...]:
        wallets = tuple(
            SeededWallet(
                w.id,
                None,
                tuple(a.asset for a in w.assets),
                tuple(SeededBalance(a.asset, _amounts(a)) for a in w.assets),
            )
            for w in data.KUNA_WALLETS
        )
        return (
            Product(
                name="kuna-core",
                wallets=wallets,
                settings={"api_key": data.KUNA_API_KEY},
                extra_credentials={
                    "merchant_id": data.KUNA_MERCHANT_ID,
                    "login_email": data.KUNA_LOGIN_EMAIL,
                    "login_password": data.KUNA_LOGIN_PASSWORD,
                },
            ),
        )

    def handlers(self) -> Mapping[str, Handler]:
        return {_LOGIN_OP: self.login, "getBalances": self.get_balances}

    def new_request_id(self) -> str:
        return uuid.uuid4().hex

    def error(self, ctx: CallContext, status: int, message: str) -> Response:
        return json_response(
            {"statusCode": status, "message": message, "error": HTTPStatus(status).phrase}, status
        )

    # ------------------------------------------------------------------ auth

    def authenticate(self, ctx: CallContext) -> Response | None:
        if ctx.operation_id == _LOGIN_OP:
            return None
        authorization = ctx.headers.get("authorization")
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return self.error(ctx, 401, "Unauthorized")
            try:
                claims = jwt.decode(
                    token.strip(),
                    self._secret,
                    algorithms=["HS256"],
                    options={"require": ["exp", "sub"], "verify_exp": False, "verify_iat": False},
                )
            except jwt.PyJWTError as exc:
                return self.error(ctx, 401, f"Unauthorized: {exc}")
            exp = claims["exp"]
            if not isinstance(exp, int | float) or exp <= self.state.clock.now():
                return self.error(ctx, 401, "jwt expired")
            ctx.principal = str(claims["sub"])
            return None
        api_key = ctx.headers.get("api-key")
        if api_key is None:
            return self.error(ctx, 401, "Unauthorized")
        if not hmac.compare_digest(api_key.encode(), data.KUNA_API_KEY.encode()):
            return self.error(ctx, 401, "Invalid API key")
        ctx.principal = data.KUNA_MERCHANT_ID
        return None

    # ------------------------------------------------------------------ handlers

    def login(self, ctx: CallContext) -> Response:
        credentials: Any = json.loads(ctx.body)
        email, password = credentials.get("email"), credentials.get("password")
        if not isinstance(email, str) or not isinstance(password, str):
            return self.error(ctx, 400, "email and password must be strings")
        if (
            ctx.headers.get("merchant_id") != data.KUNA_MERCHANT_ID
            or email != data.KUNA_LOGIN_EMAIL
            or not hmac.compare_digest(password.encode(), data.KUNA_LOGIN_PASSWORD.encode())
        ):
            return self.error(ctx, 401, "Invalid credentials")
        now = self.state.clock.now()
        token = jwt.encode(
            {
                "sub": data.KUNA_MERCHANT_ID,
                "email": email,
                "iat": int(now),
                "exp": now + self.state.token_ttl,
                "jti": uuid.uuid4().hex,
            },
            self._secret,
            algorithm="HS256",
        )
        self.state.token_issued(self.server)
        ctx.fill[_ACCESS_FILL] = token
        return json_response({"data": {"accessToken": _ACCESS_FILL}})

    def get_balances(self, ctx: CallContext) -> Response:
        request: Any = json.loads(ctx.body)
        wallet = self._wallets.get(request["walletId"])
        if wallet is None:
            return self.error(ctx, 404, "Wallet not found")
        wanted = request.get("assets") or None
        assets = [a for a in wallet.assets if wanted is None or a.asset in wanted]
        return json_response({"data": [_asset(a) for a in assets]})


def _amounts(asset: data.KunaAssetBalance) -> dict[str, Decimal]:
    """The item's amount fields: what is served, and what ``products()`` declares."""
    return {
        "balance": asset.balance,
        "holdBalance": asset.hold_balance,
        "lockBalance": asset.lock_balance,
        "referralBalance": asset.referral_balance,
    }


def _asset(asset: data.KunaAssetBalance) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {name: data.plain(v) for name, v in _amounts(asset).items()}
    body["asset"] = asset.asset
    if asset.deposit_addresses:
        body["depositAddress"] = {
            a.network: {"address": a.address, "memo": a.memo} for a in asset.deposit_addresses
        }
    return body
