"""Fireblocks: vault accounts and embedded wallets (NCW) on one server under ``/v1``.

Authentication follows Fireblocks' documented JWT scheme and error codes (HTTP 401,
``{"message", "code"}``), checked in this order: -3 no Bearer JWT; -5 not a well-formed
RS256 JWT; -2 no ``sub`` claim, or ``sub`` differs from ``X-API-Key``; -7 unknown API key;
-1 bad signature; -5 missing or non-numeric ``iat``/``exp``, or no ``nonce``; -4 ``uri`` is not
the exact path and query received; -1 ``bodyHash`` is not the SHA-256 of the body received
(without a body: of ``""`` or of ``'""'``, as the legacy official SDK signs it);
-12 ``iat`` more than 5 s in the future; -10 ``exp`` passed; -5 ``exp - iat`` over 55 s (the
docs say 30 s, the official SDKs sign 55 s tokens, so 55 s is the bound accepted here).

Other errors, decided where Fireblocks documents nothing precise:

* vault operations: ``{"message", "code"}``; 1004 (404) unknown vault account, 1006 (404)
  asset not in the account; off-spec requests (a non-numeric ``vaultAccountId``, ``limit``
  outside 1..500, bad cursors) get 400 with code 1000, Fireblocks' "request has invalid
  values" code;
* embedded-wallet operations: the NCW docs' ``{"error", "message"}`` plus ``code`` (the HTTP
  status), which still fits the spec's ErrorSchema; unknown wallet or account -> 404; an
  asset the account does not hold -> 404 with code 1006, as for vault accounts;
  a non-numeric accountId -> 400 "Validation failed (numeric string is expected)";
* 429 and 5xx (injected faults) carry only ``message``.

Refresh operations honour ``Idempotency-Key``: a key seen before (per API key) gets the first
response again, whatever the new request was. getPagedVaultAccounts sorts by numeric id
(``orderBy`` DESC by default), matches ``namePrefix``/``nameSuffix`` case-insensitively, keeps
accounts holding ``assetId`` (listing only that asset), and ``minAmountThreshold`` keeps
accounts where some listed asset's ``total`` exceeds it. Cursors are opaque.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from starlette.responses import Response

from facade.sandbox import _data as data
from facade.sandbox._http import CallContext, Handler, Product, ProviderBehaviour, json_response
from facade.sandbox._seeded import SeededBalance, SeededWallet
from facade.sandbox._state import IdempotencyUse, SandboxState
from facade.sandbox._wire import JSONValue

__all__ = ["FireblocksBehaviour"]

MAX_TOKEN_LIFETIME = 55.0
IAT_SKEW = 5.0
# A request without a body: the current SDKs hash the empty string; the legacy official
# fireblocks-sdk (2.x, still widely installed) hashes its JSON encoding '""', and the real
# API accepts both (years of that SDK's GETs in production). With a body: its exact bytes.
_NO_BODY_HASHES = (hashlib.sha256(b"").hexdigest(), hashlib.sha256(b'""').hexdigest())
_NUMERIC = re.compile(r"[0-9]+")
_CURSOR_PREFIX = "vault:"
_Listed = tuple[data.VaultAccount, tuple[data.VaultAsset, ...]]


class _Denied(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _b64url(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise _Denied(-5, "Unauthorized: Invalid token format") from None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class FireblocksBehaviour(ProviderBehaviour):
    server = "fireblocks"
    spec = "fireblocks"
    provides = ("fireblocks-vault", "fireblocks-embedded")

    def __init__(self, state: SandboxState, private_key_pem: str | None = None) -> None:
        """``private_key_pem``: the RSA key registered for the sandbox's API key; by
        default a fresh 2048-bit key, so no two sandboxes accept each other's tokens."""
        super().__init__(state)
        if private_key_pem is None:
            generated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            private_key_pem = generated.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
        private_key = serialization.load_pem_private_key(private_key_pem.encode(), None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError("fireblocks_private_key must be an RSA private key")
        self.private_key_pem = private_key_pem
        self._keys: dict[str, RSAPublicKey] = {data.FIREBLOCKS_API_KEY: private_key.public_key()}
        self._vaults = {v.id: v for v in data.FIREBLOCKS_VAULTS}
        self._wallets = {w.wallet_id: w for w in data.EMBEDDED_WALLETS}
        self._idempotent: dict[tuple[str, str], tuple[int, bytes]] = {}

    def register_key(self, api_key: str, public_key: RSAPublicKey) -> None:
        self._keys[api_key] = public_key

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "getPagedVaultAccounts": self.get_paged_vault_accounts,
            "getVaultAccount": self.get_vault_account,
            "getVaultAccountAsset": self.get_vault_account_asset,
            "updateVaultAccountAssetBalance": self.refresh_vault_account_asset,
            "GetEmbeddedWalletAssetBalance": self.get_embedded_balance,
            "RefreshEmbeddedWalletAssetBalance": self.refresh_embedded_balance,
        }

    def products(self) -> tuple[Product, ...]:
        credentials = {"api_key": data.FIREBLOCKS_API_KEY, "private_key": self.private_key_pem}
        operations = tuple(self.handlers())
        return (
            Product(
                name="fireblocks-vault",
                wallets=tuple(
                    SeededWallet(
                        v.id,
                        None,
                        tuple(a.id for a in v.assets),
                        tuple(SeededBalance(a.id, _vault_amounts(a)) for a in v.assets),
                    )
                    for v in data.FIREBLOCKS_VAULTS
                ),
                settings=credentials,
                base_path="/v1",
                operations=tuple(o for o in operations if "Embedded" not in o),
            ),
            Product(
                name="fireblocks-embedded",
                wallets=tuple(
                    SeededWallet(
                        w.wallet_id,
                        a.account_id,
                        tuple(x.id for x in a.assets),
                        tuple(SeededBalance(x.id, _embedded_amounts(x)) for x in a.assets),
                    )
                    for w in data.EMBEDDED_WALLETS
                    for a in w.accounts
                ),
                settings=credentials,
                base_path="/v1",
                operations=tuple(o for o in operations if "Embedded" in o),
                path_prefix="/v1/ncw/",
            ),
        )

    def new_request_id(self) -> str:
        return str(uuid.uuid4())

    def response_headers(self, ctx: CallContext) -> list[tuple[str, str]]:
        return [("X-Request-ID", ctx.request_id)]

    def reset(self) -> None:
        self._idempotent.clear()

    # ------------------------------------------------------------------ errors

    def error(
        self, ctx: CallContext, status: int, message: str, code: int | None = None
    ) -> Response:
        body: dict[str, JSONValue]
        if ctx.provider == "fireblocks-embedded" and status < 429:
            body = {
                "error": HTTPStatus(status).phrase,
                "message": message,
                "code": status if code is None else code,
            }
        else:
            body = {"message": message}
            if code is not None:
                body["code"] = code
        return json_response(body, status)

    def bad_request(self, ctx: CallContext, errors: tuple[str, ...]) -> Response:
        return self.error(ctx, 400, "Invalid request: " + "; ".join(errors), 1000)

    # ------------------------------------------------------------------ auth

    def authenticate(self, ctx: CallContext) -> Response | None:
        try:
            ctx.principal = self._verify(ctx)
        except _Denied as denied:
            return json_response({"message": denied.message, "code": denied.code}, 401)
        return None

    def _verify(self, ctx: CallContext) -> str:
        scheme, _, token = (ctx.headers.get("authorization") or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise _Denied(-3, "Unauthorized: JWT is missing")
        parts = token.split(".")
        if len(parts) != 3:
            raise _Denied(-5, "Unauthorized: Invalid token format")
        try:
            header = json.loads(_b64url(parts[0]))
            claims = json.loads(_b64url(parts[1]))
        except ValueError:
            raise _Denied(-5, "Unauthorized: Invalid token format") from None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise _Denied(-5, "Unauthorized: Invalid token format")
        if header.get("alg") != "RS256":
            raise _Denied(-5, "Unauthorized: Invalid token format (alg must be RS256)")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise _Denied(-2, "Unauthorized: Missing API Key in the JWT")
        if ctx.headers.get("x-api-key") != sub:
            raise _Denied(-2, "Unauthorized: The API key in the JWT does not match X-API-Key")
        public_key = self._keys.get(sub)
        if public_key is None:
            raise _Denied(-7, "Unauthorized: Token was not accepted")
        try:
            public_key.verify(
                _b64url(parts[2]),
                f"{parts[0]}.{parts[1]}".encode("ascii"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (InvalidSignature, UnicodeEncodeError):
            raise _Denied(-1, "Unauthorized: Invalid signature") from None
        iat, exp, nonce = claims.get("iat"), claims.get("exp"), claims.get("nonce")
        if not _number(iat) or not _number(exp):
            raise _Denied(-5, "Unauthorized: Invalid token format (iat and exp are required)")
        if nonce is None or nonce == "":
            raise _Denied(-5, "Unauthorized: Invalid token format (nonce is required)")
        if claims.get("uri") != ctx.target:
            raise _Denied(-4, "Unauthorized: Wrong URL in the JWT")
        accepted = (hashlib.sha256(ctx.body).hexdigest(),) if ctx.body else _NO_BODY_HASHES
        if claims.get("bodyHash") not in accepted:
            raise _Denied(-1, "Unauthorized: Invalid signature (bodyHash does not match the body)")
        now = self.state.clock.now()
        assert isinstance(iat, int | float)
        assert isinstance(exp, int | float)
        if iat > now + IAT_SKEW:
            raise _Denied(
                -12, "Unauthorized: The request is with a future issuance timestamp (iat)"
            )
        if exp <= now:
            raise _Denied(-10, "Unauthorized: The request has expired")
        if exp - iat > MAX_TOKEN_LIFETIME or exp < iat:
            limit = f"{MAX_TOKEN_LIFETIME:g} s"
            raise _Denied(
                -5, f"Unauthorized: Invalid token format (exp must be within {limit} of iat)"
            )
        return sub

    # ------------------------------------------------------------------ vaults

    def get_paged_vault_accounts(self, ctx: CallContext) -> Response:
        query = ctx.query
        before, after = query.get("before"), query.get("after")
        try:
            if before and after:
                raise ValueError("Use either before or after, not both")
            cursor = before or after
            pivot = _decode_cursor(cursor) if cursor else None
            threshold = _decimal_or_none(query.get("minAmountThreshold"))
        except ValueError as exc:
            return self.error(ctx, 400, str(exc), 1000)
        descending = query.get("orderBy", "DESC") == "DESC"
        accounts = self._matching_accounts(query, threshold, descending)
        limit = int(float(query.get("limit", "200")))

        def ahead(listed: _Listed) -> bool:
            assert pivot is not None
            account_id = int(listed[0].id)
            return account_id < pivot if descending else account_id > pivot

        if after and pivot is not None:
            page = [item for item in accounts if ahead(item)][:limit]
        elif before and pivot is not None:
            page = [i for i in accounts if not ahead(i) and int(i[0].id) != pivot][-limit:]
        else:
            page = accounts[:limit]

        paging: dict[str, JSONValue] = {}
        body: dict[str, JSONValue] = {
            "accounts": [_vault_account(a, assets) for a, assets in page],
            "paging": paging,
        }
        if page:
            kept = [(k, v) for k, v in query.multi_items() if k not in ("before", "after")]
            base = f"{ctx.base_url}/v1/vault/accounts_paged?"
            if accounts.index(page[0]) > 0:
                paging["before"] = _encode_cursor(page[0][0].id)
                body["previousUrl"] = base + urlencode([*kept, ("before", paging["before"])])
            if accounts.index(page[-1]) < len(accounts) - 1:
                paging["after"] = _encode_cursor(page[-1][0].id)
                body["nextUrl"] = base + urlencode([*kept, ("after", paging["after"])])
        return json_response(body)

    def _matching_accounts(
        self, query: Mapping[str, str], threshold: Decimal | None, descending: bool
    ) -> list[_Listed]:
        asset_id = query.get("assetId") or None
        prefix = (query.get("namePrefix") or "").lower()
        suffix = (query.get("nameSuffix") or "").lower()
        accounts: list[_Listed] = []
        for account in sorted(self._vaults.values(), key=lambda a: int(a.id), reverse=descending):
            name = account.name.lower()
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            assets = account.assets
            if asset_id is not None:
                assets = tuple(a for a in assets if a.id == asset_id)
                if not assets:
                    continue
            if threshold is not None and not any(a.total > threshold for a in assets):
                continue
            accounts.append((account, assets))
        return accounts

    def get_vault_account(self, ctx: CallContext) -> Response:
        account = self._vaults.get(ctx.path_params["vaultAccountId"])
        if account is None:
            return self.error(ctx, 404, "Vault account not found", 1004)
        return json_response(_vault_account(account, account.assets))

    def get_vault_account_asset(self, ctx: CallContext) -> Response:
        account = self._vaults.get(ctx.path_params["vaultAccountId"])
        if account is None:
            return self.error(ctx, 404, "Vault account not found", 1004)
        asset = account.asset(ctx.path_params["assetId"])
        if asset is None:
            return self.error(ctx, 404, "Asset doesn't exist", 1006)
        return json_response(_vault_asset(asset))

    def refresh_vault_account_asset(self, ctx: CallContext) -> Response:
        return self._idempotently(ctx, self.get_vault_account_asset)

    # ------------------------------------------------------------------ embedded wallets

    def get_embedded_balance(self, ctx: CallContext) -> Response:
        account_id = ctx.path_params["accountId"]
        if not _NUMERIC.fullmatch(account_id):
            return self.error(ctx, 400, "Validation failed (numeric string is expected)")
        wallet = self._wallets.get(ctx.path_params["walletId"])
        if wallet is None:
            return self.error(ctx, 404, "Wallet not found")
        account = wallet.account(account_id)
        if account is None:
            return self.error(ctx, 404, "Account not found")
        asset = account.asset(ctx.path_params["assetId"])
        if asset is None:
            return self.error(ctx, 404, "Asset doesn't exist", 1006)
        return json_response(_embedded_balance(asset))

    def refresh_embedded_balance(self, ctx: CallContext) -> Response:
        return self._idempotently(ctx, self.get_embedded_balance)

    def _idempotently(self, ctx: CallContext, handler: Handler) -> Response:
        key = ctx.headers.get("idempotency-key")
        if key is None:
            return handler(ctx)
        operation = ctx.operation_id or ""
        slot = (ctx.principal or "", key)
        seen = self._idempotent.get(slot)
        self.state.idempotency_used(IdempotencyUse(ctx.provider, operation, key, seen is not None))
        if seen is not None:
            status, body = seen
            return Response(body, status, media_type="application/json")
        response = handler(ctx)
        self._idempotent[slot] = (response.status_code, bytes(response.body))
        return response


def _decimal_or_none(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError("minAmountThreshold must be a number") from None


def _encode_cursor(account_id: str) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{account_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("Invalid paging cursor") from None
    if not text.startswith(_CURSOR_PREFIX) or not text[len(_CURSOR_PREFIX) :].isdigit():
        raise ValueError("Invalid paging cursor")
    return int(text[len(_CURSOR_PREFIX) :])


def _vault_account(
    account: data.VaultAccount, assets: tuple[data.VaultAsset, ...]
) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {
        "id": account.id,
        "name": account.name,
        "assets": [_vault_asset(a) for a in assets],
        "hiddenOnUI": account.hidden_on_ui,
        "autoFuel": account.auto_fuel,
    }
    if account.customer_ref_id is not None:
        body["customerRefId"] = account.customer_ref_id
    return body


def _vault_amounts(asset: data.VaultAsset) -> dict[str, Decimal]:
    """The amount fields of a VaultAsset (``balance`` is the deprecated copy of ``total``):
    what is served, and what ``products()`` declares."""
    amounts = {
        "total": asset.total,
        "balance": asset.total,
        "available": asset.available,
        "pending": asset.pending,
        "frozen": asset.frozen,
        "lockedAmount": asset.locked_amount,
        "staked": asset.staked,
    }
    if asset.pending_rewards is not None:
        amounts["rewardsInfo.pendingRewards"] = asset.pending_rewards
    return amounts


def _embedded_amounts(asset: data.EmbeddedAssetBalance) -> dict[str, Decimal]:
    """The amount fields of an EmbeddedWalletAssetBalance (``rewardInfo``, singular)."""
    amounts = {
        "total": asset.total,
        "available": asset.available,
        "pending": asset.pending,
        "frozen": asset.frozen,
        "lockedAmount": asset.locked_amount,
    }
    if asset.pending_rewards is not None:
        amounts["rewardInfo.pendingRewards"] = asset.pending_rewards
    return amounts


def _on_the_wire(amounts: Mapping[str, Decimal]) -> dict[str, Any]:
    """Amounts as Fireblocks sends them: decimal strings, a dotted name as a nested object."""
    body: dict[str, Any] = {}
    for name, amount in amounts.items():
        *parents, leaf = name.split(".")
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = data.plain(amount)
    return body


def _vault_asset(asset: data.VaultAsset) -> dict[str, JSONValue]:
    body: dict[str, JSONValue] = {
        "id": asset.id,
        **_on_the_wire(_vault_amounts(asset)),
        "blockHeight": asset.block_height,
    }
    if asset.block_hash:
        body["blockHash"] = asset.block_hash
    return body


def _embedded_balance(asset: data.EmbeddedAssetBalance) -> dict[str, Any]:
    body: dict[str, JSONValue] = {"id": asset.id, **_on_the_wire(_embedded_amounts(asset))}
    if asset.block_height is not None:
        body["blockHeight"] = asset.block_height
    if asset.block_hash is not None:
        body["blockHash"] = asset.block_hash
    return body
