"""Running the same call through the sync and the async client, and reading auth headers."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import facade
from facade.sandbox import Sandbox
from scripts.raw_auth import verify_fireblocks

from .providers import provider_info, settings_at
from .recording_server import RecordedRequest, RecordingServer

__all__ = ["EMPTY_SHA256", "call", "connect_all", "fireblocks_claims", "wallet_fields"]

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


@contextlib.contextmanager
def connect_all(
    server: RecordingServer, sandbox: Sandbox, **common: Any
) -> Iterator[dict[str, facade.BalanceClient]]:
    """One sync client per registered provider, all pointed at ``server`` with the sandbox's
    credentials (for module-scoped fixtures, where ``settings_for`` is not available).
    WALLET_BALANCES_* variables are ignored."""
    common = {"timeout": 2.0, **common}
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("WALLET_BALANCES_"):
                patch.delenv(name)
        clients = {
            name: facade.connect(
                name, **settings_at(provider_info(sandbox, name), server.url), **common
            )
            for name in facade.provider_names()
        }
        try:
            yield clients
        finally:
            for client in clients.values():
                client.close()


def fireblocks_claims(request: RecordedRequest, public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The verified claims of the request's Fireblocks JWT (signature, exp and iat checked),
    by PyJWT: the product's own signer is what is being checked."""
    return verify_fireblocks(request.header("Authorization"), public_key)


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
