"""The blocking and the asyncio client send the same requests and return the same results."""

from __future__ import annotations

from typing import Any

import pytest
from support import RecordedRequest, RecordingServer, Reply, fixture_reply
from support.clients import call, wallet_fields

import facade

# Headers that legitimately differ between two runs (fresh JWTs, timestamps, signatures).
VOLATILE = {"authorization", "x-timestamp", "x-signature", "idempotency-key"}

CASES = [
    ("fireblocks-vault", "get_balances", ("0",), {}, ("fireblocks", "getVaultAccount")),
    (
        "fireblocks-vault",
        "get_balances",
        ("0",),
        {"assets": ["BTC", "ETH"]},
        ("fireblocks", "getVaultAccountAsset"),
    ),
    (
        "fireblocks-vault",
        "refresh_balances",
        ("0",),
        {"assets": ["BTC"], "idempotency_key": "k-1"},
        ("fireblocks", "updateVaultAccountAssetBalance"),
    ),
    (
        "fireblocks-embedded",
        "get_balances",
        ("w-1",),
        {"account_id": "0", "assets": ["BTC", "ETH"]},
        ("fireblocks", "GetEmbeddedWalletAssetBalance"),
    ),
    (
        "fireblocks-embedded",
        "refresh_balances",
        ("w-1",),
        {"account_id": "0", "assets": ["BTC"], "idempotency_key": "k-2"},
        ("fireblocks", "RefreshEmbeddedWalletAssetBalance"),
    ),
    ("cryptofuse", "get_balances", ("w-1",), {}, ("cryptofuse", "getWalletBalances")),
    (
        "cryptofuse",
        "get_balances",
        ("w-1",),
        {"assets": ["btc"]},
        ("cryptofuse", "getWalletBalances"),
    ),
    ("kuna-core", "get_balances", ("w-1",), {}, ("kuna-core", "getBalances")),
    (
        "kuna-core",
        "get_balances",
        ("w-1",),
        {"assets": ["USDT"]},
        ("kuna-core", "getBalances"),
    ),
    ("bpn", "get_balances", ("40",), {}, ("bpn", "getAssetBalance")),
    ("bpn", "get_balances", ("40",), {"assets": ["USDT"]}, ("bpn", "getAssetBalance")),
]


def test_every_registered_provider_has_parity_cases() -> None:
    """The cases are per provider (their arguments differ); a new provider must add its own."""
    assert {case[0] for case in CASES} == set(facade.provider_names())


def shape(request: RecordedRequest) -> tuple[Any, ...]:
    headers = sorted((k.lower(), v) for k, v in request.headers if k.lower() not in VOLATILE)
    volatile = sorted(k.lower() for k, _ in request.headers if k.lower() in VOLATILE)
    return (request.request_line, tuple(headers), tuple(volatile), request.body)


@pytest.mark.parametrize(
    ("provider", "method", "args", "kwargs", "fixture"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{'-'.join(c[3].get('assets', []))}" for c in CASES],
)
async def test_sync_and_async_agree(
    provider: str,
    method: str,
    args: tuple[str, ...],
    kwargs: dict[str, Any],
    fixture: tuple[str, str],
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    recording_server.default = fixture_reply(*fixture, request_id="same-id")
    settings = settings_for(provider)
    results = {}
    sent = {}
    for mode in ("sync", "async"):
        recording_server.requests.clear()
        results[mode] = await call(mode, provider, settings, method, *args, **kwargs)
        sent[mode] = sorted(shape(r) for r in recording_server.requests)
    assert wallet_fields(results["sync"]) == wallet_fields(results["async"])
    assert results["sync"].balances  # the comparison is not vacuous
    assert sent["sync"] == sent["async"]


@pytest.mark.parametrize(
    "reply",
    [
        Reply.json({"detail": "Not found."}, 404, {"X-Request-ID": "e-1"}),
        Reply.text("<html>", 200, "text/html"),
        Reply.json({"result": {"id": "w", "balances": [{"currency": "btc"}]}}),
    ],
)
async def test_sync_and_async_fail_alike(
    reply: Reply, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = reply
    failures = []
    for mode in ("sync", "async"):
        with pytest.raises(Exception) as caught:  # noqa: PT011 - compared below
            await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", "w-1")
        exc = caught.value
        failures.append(
            (
                type(exc),
                str(exc),
                getattr(exc, "status_code", None),
                getattr(exc, "request_id", None),
            )
        )
    assert failures[0] == failures[1]
