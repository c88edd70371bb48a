"""The facade reads the provider's error code and message from the bodies the sandbox sends
in the documented forms (real HTTP, sync and async)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

import facade
from facade import errors

pytest.importorskip("uvicorn", reason="needs the sandbox extra")

from facade.sandbox import Sandbox

UNKNOWN_WALLET = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _read(mode: str, settings: dict[str, Any], wallet_id: str) -> Any:
    if mode == "sync":
        with facade.connect("cryptofuse", **settings) as client:
            return client.get_balances(wallet_id)

    async def run() -> Any:
        async with facade.connect_async("cryptofuse", **settings) as client:
            return await client.get_balances(wallet_id)

    return asyncio.run(run())


def _wallet(sandbox: Sandbox, which: str) -> str:
    info = sandbox.providers["cryptofuse"]
    if which == "seeded":
        return next(w.wallet_id for w in info.seeded_wallets if not w.empty)
    if which == "forbidden":
        assert info.forbidden_wallet_id is not None
        return info.forbidden_wallet_id
    return UNKNOWN_WALLET


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("overrides", "which", "error", "code", "message"),
    [
        (
            {"api_key": "not-the-key"},
            "seeded",
            errors.AuthenticationError,
            "authentication_failed",
            "Invalid API key.",
        ),
        ({}, "unknown", errors.NotFound, "not_found", "Not found."),
        (
            {},
            "forbidden",
            errors.PermissionDenied,
            "forbidden",
            "You do not have permission to perform this action.",
        ),
    ],
)
def test_cryptofuse_error_code_and_message(
    sandbox: Sandbox,
    mode: str,
    overrides: dict[str, str],
    which: str,
    error: type[errors.ProviderError],
    code: str,
    message: str,
) -> None:
    settings = {**sandbox.providers["cryptofuse"].settings, "max_retries": 0, **overrides}
    wallet = _wallet(sandbox, which)
    with pytest.raises(error) as caught:
        _read(mode, settings, wallet)
    assert (caught.value.code, caught.value.provider_message) == (code, message)
    assert "not-the-key" not in str(caught.value)
    assert sandbox.violations == []
