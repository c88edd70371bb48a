"""Client-side rate limits: one token bucket per operation, shared by every caller."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from support import RecordingServer, fixture_reply

import facade
from facade import errors
from facade._ratelimit import RateLimit, RateLimiter

WALLET = "550e8400-e29b-41d4-a716-446655440000"


def assert_spaced(server: RecordingServer, started: float, burst: int, interval: float) -> None:
    """Request k (in arrival order) came no earlier than the bucket allowed: a burst of
    ``burst`` at once, then one per ``interval``. (A lower bound: a loaded machine may
    delay any request, the limiter must never let one through early.)"""
    times = sorted(r.received_at - started for r in server.requests)
    for k, at in enumerate(times):
        earliest = max(0, k - burst + 1) * interval
        assert at >= earliest - 0.02, (k, at, earliest)


def test_sync_calls_are_spaced(recording_server: RecordingServer, settings_for: Any) -> None:
    recording_server.default = fixture_reply("cryptofuse", "getWalletBalances")
    settings = settings_for("cryptofuse", rate_limits={"getWalletBalances": "5/s"})
    started = time.monotonic()
    with facade.connect("cryptofuse", **settings) as client:
        for _ in range(8):
            client.get_balances(WALLET)
    elapsed = time.monotonic() - started
    # A burst of 5 (the bucket starts full), then one request every 0.2 s.
    assert_spaced(recording_server, started, burst=5, interval=0.2)
    assert 0.58 < elapsed < 3.0


async def test_concurrent_async_calls_share_the_bucket(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = fixture_reply("cryptofuse", "getWalletBalances")
    settings = settings_for("cryptofuse", rate_limits={"getWalletBalances": "5/s"})
    async with facade.connect_async("cryptofuse", **settings) as client:
        started = time.monotonic()
        await asyncio.gather(*(client.get_balances(WALLET) for _ in range(8)))
        elapsed = time.monotonic() - started
    assert len(recording_server.requests) == 8
    assert_spaced(recording_server, started, burst=5, interval=0.2)
    assert 0.58 < elapsed < 3.0


def test_threads_share_the_bucket(recording_server: RecordingServer, settings_for: Any) -> None:
    recording_server.default = fixture_reply("cryptofuse", "getWalletBalances")
    settings = settings_for("cryptofuse", rate_limits={"getWalletBalances": "10/s"})
    with facade.connect("cryptofuse", **settings) as client:
        threads = [threading.Thread(target=client.get_balances, args=(WALLET,)) for _ in range(13)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert len(recording_server.requests) == 13
    assert_spaced(recording_server, started, burst=10, interval=0.1)
    assert elapsed > 0.28  # 10 at once, then 3 more at 0.1 s intervals


def test_other_operations_are_not_limited(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = fixture_reply("cryptofuse", "getWalletBalances")
    settings = settings_for("cryptofuse", rate_limits={"createAccessToken": "1/min"})
    started = time.monotonic()
    with facade.connect("cryptofuse", **settings) as client:
        for _ in range(5):
            client.get_balances(WALLET)
    assert time.monotonic() - started < 1.0


def test_a_limit_for_an_unknown_operation_is_a_configuration_error(settings_for: Any) -> None:
    # getAssetBalance is BPN's: a limit under that name would never apply to Cryptofuse.
    settings = settings_for("cryptofuse", rate_limits={"getAssetBalance": "1/min"})
    with pytest.raises(facade.errors.ConfigurationError, match="getWalletBalances"):
        facade.connect("cryptofuse", **settings)


@pytest.mark.parametrize(
    ("provider", "operation"),
    [
        ("fireblocks-vault", "updateVaultAccountAssetBalance"),
        ("fireblocks-embedded", "RefreshEmbeddedWalletAssetBalance"),
    ],
)
def test_fireblocks_refreshes_have_a_default_limit(
    provider: str, operation: str, settings_for: Any
) -> None:
    """The refresh endpoints are "subject to a strict rate limit": 10/min unless told."""
    with facade.connect(provider, **settings_for(provider)) as client:
        limiter = client._config.limiter
        assert limiter.limits[operation] == RateLimit(10, 60)
        assert [limiter.reserve(operation) for _ in range(10)] == [0.0] * 10
        assert limiter.reserve(operation) == pytest.approx(6.0, abs=0.1)
        assert limiter.reserve("GetEmbeddedWalletAssetBalance") == 0.0  # reads: no default


def test_default_limits_can_be_changed_or_removed(settings_for: Any) -> None:
    op = "updateVaultAccountAssetBalance"
    settings = settings_for("fireblocks-vault", rate_limits={op: "2/s"})
    with facade.connect("fireblocks-vault", **settings) as client:
        assert client._config.limiter.limits[op] == RateLimit(2, 1)
    settings = settings_for("fireblocks-vault", rate_limits={op: ""})
    with facade.connect("fireblocks-vault", **settings) as client:
        assert op not in client._config.limiter.limits


async def test_refreshes_wait_for_the_default_limit(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    """The 11th refresh of a minute waits instead of earning a 429 (here: at 600/min)."""
    recording_server.default = fixture_reply("fireblocks", "updateVaultAccountAssetBalance")
    op = "updateVaultAccountAssetBalance"
    settings = settings_for("fireblocks-vault", rate_limits={op: "10/s"})
    async with facade.connect_async("fireblocks-vault", **settings) as client:
        started = time.monotonic()
        for _ in range(12):
            await client.refresh_balances("0", assets=["BTC"])
        assert time.monotonic() - started > 0.18


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/min", RateLimit(10, 60)),
        ("5/s", RateLimit(5, 1)),
        (" 2 / second ", RateLimit(2, 1)),
        ("0.5/s", RateLimit(0.5, 1)),
        ("100/hour", RateLimit(100, 3600)),
        ("3/M", RateLimit(3, 60)),
    ],
)
def test_rate_limit_syntax(text: str, expected: RateLimit) -> None:
    assert RateLimit.parse(text) == expected


@pytest.mark.parametrize("text", ["", "10", "10/fortnight", "-1/s", "0/s", "ten/s", "5/s/s"])
def test_bad_rate_limit_syntax(text: str) -> None:
    with pytest.raises(errors.ConfigurationError):
        RateLimit.parse(text)


def test_bucket_refills_at_the_rate() -> None:
    limiter = RateLimiter.from_settings({}, {"op": "2/s"})
    assert limiter.reserve("op") == 0.0
    assert limiter.reserve("op") == 0.0
    assert limiter.reserve("op") == pytest.approx(0.5, abs=0.05)
    assert limiter.reserve("op") == pytest.approx(1.0, abs=0.05)
    time.sleep(0.3)
    assert limiter.reserve("op") == pytest.approx(1.2, abs=0.1)
