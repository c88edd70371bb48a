"""Running the same call through the sync and the async client, and reading auth headers."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

import facade

from .recording_server import RecordedRequest

__all__ = ["EMPTY_SHA256", "call", "fireblocks_claims", "wallet_fields"]

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


async def call(
    mode: str,
    provider: str,
    settings: dict[str, Any],
    method: str,
    *args: Any,
    signer: Any = None,
    **kwargs: Any,
) -> Any:
    """``client.<method>(*args, **kwargs)`` on a fresh sync or async client, then close it.

    The sync client runs in a worker thread so that an async test can drive both kinds.
    """
    if mode == "sync":

        def run() -> Any:
            with facade.connect(provider, signer=signer, **settings) as client:
                return getattr(client, method)(*args, **kwargs)

        return await asyncio.to_thread(run)
    assert mode == "async", mode
    async with facade.connect_async(provider, signer=signer, **settings) as client:
        return await getattr(client, method)(*args, **kwargs)


def fireblocks_claims(request: RecordedRequest, public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The verified claims of the request's Fireblocks JWT (signature, exp and iat checked)."""
    authorization = request.header("Authorization")
    assert authorization is not None
    assert authorization.startswith("Bearer ")
    header = jwt.get_unverified_header(authorization.removeprefix("Bearer "))
    assert header["alg"] == "RS256"
    claims: dict[str, Any] = jwt.decode(
        authorization.removeprefix("Bearer "),
        public_key,
        algorithms=["RS256"],
        options={"require": ["uri", "nonce", "iat", "exp", "sub", "bodyHash"]},
    )
    return claims


def wallet_fields(wallet: facade.WalletBalances) -> dict[str, Any]:
    """Everything of a WalletBalances except fetched_at, for comparing two fetches."""
    return {
        "provider": wallet.provider,
        "wallet_id": wallet.wallet_id,
        "account_id": wallet.account_id,
        "balances": wallet.balances,
        "fiat_valuation": wallet.fiat_valuation,
        "request_id": wallet.request_id,
    }
