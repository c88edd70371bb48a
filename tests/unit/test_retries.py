"""Retries: what is retried, how often, how long the waits are, Retry-After, idempotency."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from support import RecordingServer, Reply, fixture_reply
from support.clients import call

from facade import errors
from facade._retry import RetryPolicy, parse_retry_after

WALLET = "550e8400-e29b-41d4-a716-446655440000"
OK = fixture_reply("cryptofuse", "getWalletBalances")


def gaps(server: RecordingServer) -> list[float]:
    times = [r.received_at for r in server.requests]
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.mark.parametrize(
    "failure",
    [
        Reply.close(),
        Reply.json({"detail": "Request timeout"}, 408),
        Reply.json({"detail": "Request was throttled."}, 429),
        Reply.json({"error": "Internal server error"}, 500),
        Reply.text("<html>Bad gateway</html>", 502, "text/html"),
        Reply.json({}, 503),
        Reply.text("", 504),
    ],
    ids=["connection-closed", "408", "429", "500", "502", "503", "504"],
)
async def test_transient_failures_are_retried(
    mode: str, failure: Reply, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(failure, failure, OK)
    wallet = await call(
        mode, "cryptofuse", settings_for("cryptofuse", max_retries=2), "get_balances", WALLET
    )
    assert len(wallet.balances) == 3
    assert len(recording_server.requests) == 3


async def test_timeouts_are_retried(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.hang(2), OK)
    settings = settings_for("cryptofuse", timeout=0.2, max_retries=1)
    wallet = await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert len(wallet.balances) == 3
    assert len(recording_server.requests) == 2


async def test_post_reads_are_retried(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    """Kuna Core reads balances with a POST: still a read, still retried."""
    recording_server.queue(Reply.json({}, 502), fixture_reply("kuna-core", "getBalances"))
    await call(mode, "kuna-core", settings_for("kuna-core"), "get_balances", "w1")
    first, second = recording_server.requests
    assert first.body == second.body


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (Reply.json({"error": "boom"}, 503), errors.ProviderUnavailable),
        (Reply.json({"detail": "slow down"}, 429), errors.RateLimited),
        (Reply.json({"detail": "timeout"}, 408), errors.Timeout),
        (Reply.close(), errors.ProviderUnavailable),
    ],
    ids=["503", "429", "408", "closed"],
)
@pytest.mark.parametrize("max_retries", [0, 3])
async def test_gives_up_after_max_retries(
    mode: str,
    failure: Reply,
    error: type[errors.ProviderError],
    max_retries: int,
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    recording_server.default = failure
    settings = settings_for("cryptofuse", max_retries=max_retries)
    with pytest.raises(error) as caught:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert type(caught.value) is error
    assert len(recording_server.requests) == max_retries + 1
    assert caught.value.provider == "cryptofuse"
    assert caught.value.operation == "getWalletBalances"


async def test_a_timeout_that_persists_gives_up(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.hang(5)
    settings = settings_for("cryptofuse", timeout=0.15, max_retries=2)
    started = time.monotonic()
    with pytest.raises(errors.Timeout):
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert len(recording_server.requests) == 3
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 418, 422])
async def test_client_errors_are_not_retried(
    mode: str, status: int, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.json({"detail": "no"}, status)
    with pytest.raises(errors.ProviderError):
        await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert len(recording_server.requests) == 1


async def test_backoff_waits_grow_from_base_and_stop_at_max(
    mode: str,
    recording_server: RecordingServer,
    settings_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the jitter pinned to its ceiling, waits are base, 2*base, 4*base, capped at max."""
    monkeypatch.setattr("facade._retry.random.uniform", lambda low, high: high)
    recording_server.default = Reply.json({}, 503)
    settings = settings_for("cryptofuse", max_retries=4, backoff_base=0.04, backoff_max=0.1)
    with pytest.raises(errors.ProviderUnavailable):
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    waits = gaps(recording_server)
    assert len(waits) == 4
    for wait, expected in zip(waits, [0.04, 0.08, 0.1, 0.1], strict=True):
        assert expected - 0.005 <= wait < expected + 0.2


async def test_backoff_max_bounds_every_wait(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.json({}, 500)
    settings = settings_for("cryptofuse", max_retries=6, backoff_base=0.01, backoff_max=0.02)
    started = time.monotonic()
    with pytest.raises(errors.ProviderUnavailable):
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert len(recording_server.requests) == 7
    assert all(gap < 0.02 + 0.2 for gap in gaps(recording_server))
    # At the default backoff (0.25 s base) six retries would wait about 8 s.
    assert time.monotonic() - started < 1.5


def test_retry_policy_delays_are_full_jitter_within_the_ceiling() -> None:
    policy = RetryPolicy(max_retries=20, backoff_base=0.01, backoff_max=0.5)
    error = errors.ProviderUnavailable("x")
    for attempt in range(20):
        ceiling = min(0.5, 0.01 * 2**attempt)
        for _ in range(20):
            delay = policy.delay(error, attempt, retry_allowed=True)
            assert delay is not None
            assert 0 <= delay <= ceiling
    assert policy.delay(error, 20, retry_allowed=True) is None
    assert policy.delay(error, 0, retry_allowed=False) is None
    assert policy.delay(errors.NotFound("x"), 0, retry_allowed=True) is None


async def test_retry_after_seconds_is_honoured(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json({"detail": "throttled"}, 429, {"Retry-After": "1"}), OK)
    await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    (wait,) = gaps(recording_server)
    assert 1.0 <= wait < 2.0


async def test_retry_after_on_503_is_honoured(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json({"detail": "maintenance"}, 503, {"Retry-After": "1"}), OK)
    await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    (wait,) = gaps(recording_server)
    assert 1.0 <= wait < 2.0


async def test_unavailable_with_retry_after_over_the_cap_raises_at_once(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json({"detail": "maintenance"}, 503, {"Retry-After": "600"}))
    with pytest.raises(errors.ProviderUnavailable) as caught:
        await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert caught.value.retry_after == 600.0
    assert len(recording_server.requests) == 1


async def test_retry_after_over_the_cap_raises_at_once(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(
        Reply.json({"detail": "throttled"}, 429, {"Retry-After": "120", "X-Request-ID": "r-1"}), OK
    )
    started = time.monotonic()
    with pytest.raises(errors.RateLimited) as caught:
        await call(
            mode,
            "cryptofuse",
            settings_for("cryptofuse", retry_after_cap=30),
            "get_balances",
            WALLET,
        )
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 120.0
    assert caught.value.request_id == "r-1"
    assert caught.value.provider_message == "throttled"
    assert len(recording_server.requests) == 1


async def test_rate_limited_after_the_budget_keeps_retry_after(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.json({}, 429, {"Retry-After": "0"})
    with pytest.raises(errors.RateLimited) as caught:
        await call(
            mode, "cryptofuse", settings_for("cryptofuse", max_retries=2), "get_balances", WALLET
        )
    assert caught.value.retry_after == 0.0
    assert len(recording_server.requests) == 3


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0
    for bad in (None, "", "soon", "-1", "1.5", "Mon, 99 Foo 2026"):
        assert parse_retry_after(bad, now) is None


@pytest.mark.parametrize(
    ("provider", "extra", "path"),
    [
        ("fireblocks-vault", {}, "/v1/vault/accounts/0/BTC/balance"),
        (
            "fireblocks-embedded",
            {"account_id": "0"},
            "/v1/ncw/wallets/w-1/accounts/0/assets/BTC/balance",
        ),
    ],
)
async def test_refresh_retries_reuse_the_idempotency_key(
    mode: str,
    provider: str,
    extra: dict[str, str],
    path: str,
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    operation = (
        "updateVaultAccountAssetBalance"
        if provider == "fireblocks-vault"
        else "RefreshEmbeddedWalletAssetBalance"
    )
    recording_server.queue(
        Reply.json({}, 503),
        Reply.close(),
        Reply.json({}, 429),
        fixture_reply("fireblocks", operation),
    )
    wallet_id = "0" if provider == "fireblocks-vault" else "w-1"
    await call(
        mode,
        provider,
        settings_for(provider, max_retries=3),
        "refresh_balances",
        wallet_id,
        assets=["BTC"],
        **extra,
    )
    assert [r.path for r in recording_server.requests] == [path] * 4
    keys = {r.header("Idempotency-Key") for r in recording_server.requests}
    assert len(keys) == 1
    assert None not in keys
    tokens = {r.header("Authorization") for r in recording_server.requests}
    assert len(tokens) == 4  # a fresh JWT (new nonce) per attempt


async def test_caller_idempotency_key_is_sent_on_every_attempt(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(
        Reply.json({}, 500), fixture_reply("fireblocks", "updateVaultAccountAssetBalance")
    )
    await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "refresh_balances",
        "0",
        assets=["BTC"],
        idempotency_key="my-key-1",
    )
    assert [r.header("Idempotency-Key") for r in recording_server.requests] == ["my-key-1"] * 2


async def test_two_refreshes_use_two_keys(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = fixture_reply("fireblocks", "updateVaultAccountAssetBalance")
    settings = settings_for("fireblocks-vault")
    for _ in range(2):
        await call(mode, "fireblocks-vault", settings, "refresh_balances", "0", assets=["BTC"])
    first, second = (r.header("Idempotency-Key") for r in recording_server.requests)
    assert first != second
