"""Cryptofuse: ``GET /wallets/balances`` and the OAuth2 token endpoint ``POST /o/token/``.

Errors are the documented ``{"error": {"code", "message", "details"}}`` (the user balances
page's 401 body; codes from the API-reference error tables); the token endpoint answers in
OAuth2's own format (``{"error": "invalid_client"}`` and friends, RFC 6749 section 5.2).
401s carry ``WWW-Authenticate``. Token responses carry ``issued_at`` (ISO 8601).

Authentication of balance reads: ``Authorization: Bearer <token>`` when that header is present
(a token from ``/o/token/``, expiring after the sandbox's token TTL; it needs the ``read``
scope, else 403), otherwise ``X-API-Key``. Wallet ids are UUIDs: any other string is a 400,
an unknown UUID a 404, a wallet of another merchant (the product's ``forbidden_wallet_id``)
a 403.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import math
import secrets
import uuid
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import parse_qsl

from starlette.responses import Response

from facade.sandbox import _data as data
from facade.sandbox._http import CallContext, Handler, Product, ProviderBehaviour, json_response
from facade.sandbox._seeded import SeededBalance, SeededWallet
from facade.sandbox._state import SandboxState
from facade.sandbox._wire import JSONValue

__all__ = ["CryptofuseBehaviour"]

_OAUTH_OP = "createAccessToken"
_ACCESS_FILL = "__facade_sandbox_token__"
_PRUNE_AT = 10_000
# The documented machine codes (specs/cryptofuse.yaml, ErrorObject.code).
_ERROR_CODES = {
    400: "bad_request",
    401: "authentication_failed",
    403: "forbidden",
    404: "not_found",
    429: "rate_limit_exceeded",
}


class CryptofuseBehaviour(ProviderBehaviour):
    server = "cryptofuse"
    spec = "cryptofuse"
    provides = ("cryptofuse",)

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._wallets = {w.id: w for w in data.CRYPTOFUSE_WALLETS}
        # token -> (expires at, granted scopes)
        self._tokens: dict[str, tuple[float, frozenset[str]]] = {}

    def products(self) -> tuple[Product, ...]:
        wallets = tuple(
            SeededWallet(
                w.id,
                None,
                tuple(b.currency for b in w.balances),
                tuple(SeededBalance(b.currency, _amounts(b)) for b in w.balances),
            )
            for w in data.CRYPTOFUSE_WALLETS
        )
        return (
            Product(
                name="cryptofuse",
                wallets=wallets,
                settings={"api_key": data.CRYPTOFUSE_API_KEY},
                extra_credentials={
                    "client_id": data.CRYPTOFUSE_CLIENT_ID,
                    "client_secret": data.CRYPTOFUSE_CLIENT_SECRET,
                },
                forbidden_wallet_id=data.CRYPTOFUSE_FORBIDDEN_WALLET_ID,
            ),
        )

    def handlers(self) -> Mapping[str, Handler]:
        return {"getWalletBalances": self.get_wallet_balances, _OAUTH_OP: self.create_token}

    def new_request_id(self) -> str:
        return uuid.uuid4().hex

    def error(self, ctx: CallContext, status: int, message: str) -> Response:
        if ctx.operation_id == _OAUTH_OP and status in (400, 401):
            return json_response({"error": message}, status)
        headers = {"WWW-Authenticate": 'Bearer realm="api"'} if status == 401 else None
        code = _ERROR_CODES.get(status, "server_error" if status >= 500 else "bad_request")
        body: JSONValue = {"error": {"code": code, "message": message, "details": {}}}
        return json_response(body, status, headers)

    def bad_request(self, ctx: CallContext, errors: tuple[str, ...]) -> Response:
        if ctx.operation_id == _OAUTH_OP:
            return self.error(ctx, 400, "invalid_request")
        if any("wallet_id" in e for e in errors):
            return self.error(ctx, 400, "wallet_id is required.")
        return self.error(ctx, 400, "; ".join(errors))

    # ------------------------------------------------------------------ auth

    def authenticate(self, ctx: CallContext) -> Response | None:
        if ctx.operation_id == _OAUTH_OP:
            return self._authenticate_client(ctx)
        authorization = ctx.headers.get("authorization")
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return self.error(ctx, 401, "Invalid Authorization header.")
            grant = self._tokens.get(token.strip())
            if grant is None:
                return self.error(ctx, 401, "Invalid token.")
            expires_at, scopes = grant
            if expires_at <= self.state.clock.now():
                return self.error(ctx, 401, "Token has expired.")
            if "read" not in scopes:
                return self.error(ctx, 403, "You do not have permission to perform this action.")
            ctx.principal = data.CRYPTOFUSE_CLIENT_ID
            return None
        api_key = ctx.headers.get("x-api-key")
        if api_key is None:
            return self.error(ctx, 401, "Authentication credentials were not provided.")
        if not hmac.compare_digest(api_key.encode(), data.CRYPTOFUSE_API_KEY.encode()):
            return self.error(ctx, 401, "Invalid API key.")
        ctx.principal = api_key
        return None

    def _authenticate_client(self, ctx: CallContext) -> Response | None:
        scheme, _, encoded = (ctx.headers.get("authorization") or "").partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        client_id, _, secret = decoded.partition(":")
        if (
            scheme.lower() != "basic"
            or client_id != data.CRYPTOFUSE_CLIENT_ID
            or not hmac.compare_digest(secret.encode(), data.CRYPTOFUSE_CLIENT_SECRET.encode())
        ):
            return json_response(
                {"error": "invalid_client"}, 401, {"WWW-Authenticate": 'Basic realm="api"'}
            )
        ctx.principal = client_id
        return None

    # ------------------------------------------------------------------ handlers

    def create_token(self, ctx: CallContext) -> Response:
        form = dict(parse_qsl(ctx.body.decode("utf-8", "replace"), keep_blank_values=True))
        if form.get("grant_type") != "client_credentials":
            return self.error(ctx, 400, "unsupported_grant_type")
        requested = frozenset((form.get("scope") or "read write").split())
        if not requested or not requested <= data.CRYPTOFUSE_SCOPES:
            return self.error(ctx, 400, "invalid_scope")
        ttl = self.state.token_ttl
        now = self.state.clock.now()
        if len(self._tokens) > _PRUNE_AT:
            # A long-running sandbox (the CLI) must not grow without bound.
            self._tokens = {t: g for t, g in self._tokens.items() if g[0] > now}
        token = secrets.token_urlsafe(24)
        self._tokens[token] = (now + ttl, requested)
        self.state.token_issued(self.server)
        ctx.fill[_ACCESS_FILL] = token
        return json_response(
            {
                "access_token": _ACCESS_FILL,
                "token_type": "Bearer",
                "expires_in": max(1, math.ceil(ttl)),
                "scope": " ".join(sorted(requested)),
                "issued_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    def get_wallet_balances(self, ctx: CallContext) -> Response:
        wallet_id = ctx.query.get("wallet_id", "")
        try:
            uuid.UUID(wallet_id)
        except ValueError:
            return self.error(ctx, 400, "Invalid wallet ID.")
        if wallet_id == data.CRYPTOFUSE_FORBIDDEN_WALLET_ID:
            return self.error(ctx, 403, "You do not have permission to perform this action.")
        wallet = self._wallets.get(wallet_id)
        if wallet is None:
            return self.error(ctx, 404, "Not found.")
        return json_response(
            {
                "result": {
                    "id": wallet.id,
                    "name": wallet.name,
                    "balances": [
                        {
                            "currency": b.currency,
                            **{name: data.plain(v) for name, v in _amounts(b).items()},
                        }
                        for b in wallet.balances
                    ],
                }
            }
        )


def _amounts(balance: data.CryptofuseBalance) -> dict[str, Decimal]:
    """The item's amount fields: what is served, and what ``products()`` declares."""
    return {"amount": balance.amount, "pendingAmount": balance.pending_amount}
