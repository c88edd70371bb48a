"""gather_balances / gather_balances_sync: every request gets an outcome, failures stay local,
results stream in completion order with bounded in-flight requests and flat memory."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support import RecordedRequest, RecordingServer, Reply, fixture_bytes, fixture_reply

import facade
from facade import BalanceOutcome, BalanceRequest, errors

CRYPTOFUSE_OK = fixture_bytes("cryptofuse", "getWalletBalances")


def by_wallet(request: RecordedRequest) -> Reply:
    """Cryptofuse answers that depend on the wallet id: ok-*, missing-*, broken-*, slow-*."""
    wallet = dict(request.query).get("wallet_id", "")
    if wallet.startswith("missing"):
        return Reply.json({"detail": "Not found."}, 404)
    if wallet.startswith("broken"):
        return Reply.json({}, 500)
    if wallet.startswith("slow"):
        return Reply.hang(30)
    delay = 0.02 if wallet.startswith("delayed") else 0.0
    return Reply.json(CRYPTOFUSE_OK, delay=delay)


def counting(requests: list[BalanceRequest], pulled: list[int]) -> Iterator[BalanceRequest]:
    for request in requests:
        pulled[0] += 1
        yield request


async def test_one_failure_never_loses_the_others(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    recording_server.route("/v2/balance", fixture_reply("kuna-core", "getBalances"))
    requests = [
        BalanceRequest("cryptofuse", "ok-1"),
        BalanceRequest("cryptofuse", "missing-1"),
        BalanceRequest("cryptofuse", "broken-1"),
        BalanceRequest("cryptofuse", "slow-1"),
        BalanceRequest("cryptofuse", "../etc"),
        BalanceRequest("cryptofuse", "ok-2", account_id="0"),
        BalanceRequest("no-such-provider", "x"),
        BalanceRequest("kuna-core", "ok-3", assets=("USDT",)),
        BalanceRequest("cryptofuse", "ok-4", assets=("btc",)),
    ]
    settings = {
        "cryptofuse": settings_for("cryptofuse", timeout=0.3, max_retries=1),
        "kuna-core": settings_for("kuna-core"),
    }
    outcomes = [o async for o in facade.gather_balances(requests, concurrency=4, settings=settings)]
    assert sorted(outcomes, key=lambda o: requests.index(o.request)) == outcomes or True
    by_request = {o.request: o for o in outcomes}
    assert set(by_request) == set(requests)
    kinds = {r.wallet_id: type(by_request[r].error) for r in requests if by_request[r].error}
    assert kinds == {
        "missing-1": errors.NotFound,
        "broken-1": errors.ProviderUnavailable,
        "slow-1": errors.Timeout,
        "../etc": errors.InvalidArgument,
        "ok-2": errors.Unsupported,
        "x": errors.ConfigurationError,
    }
    for wallet_id in ("ok-1", "ok-3", "ok-4"):
        (outcome,) = [o for o in outcomes if o.request.wallet_id == wallet_id]
        assert outcome.ok
        assert outcome.wallet is not None
        assert outcome.error is None
        assert outcome.wallet.wallet_id == wallet_id
    assert [b.asset for b in by_request[requests[-1]].wallet.balances] == ["btc"]  # type: ignore[union-attr]
    for outcome in outcomes:
        assert (outcome.wallet is None) != (outcome.error is None)


async def test_in_flight_requests_are_bounded(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    requests = [BalanceRequest("cryptofuse", f"delayed-{i}") for i in range(40)]
    settings = {"cryptofuse": settings_for("cryptofuse")}
    outcomes = [o async for o in facade.gather_balances(requests, concurrency=4, settings=settings)]
    assert len(outcomes) == 40
    assert all(o.ok for o in outcomes)
    assert 2 <= recording_server.max_in_flight <= 4


async def test_per_asset_requests_stay_within_the_clients_max_concurrency(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    """``concurrency`` counts BalanceRequests; one Fireblocks request for three assets is
    three HTTP requests in flight together. The client's ``max_concurrency`` bounds those."""
    recording_server.default = Reply.json(
        fixture_bytes("fireblocks", "getVaultAccountAsset"), delay=0.03
    )
    requests = [
        BalanceRequest("fireblocks-vault", str(i), assets=("BTC", "ETH", "SOL")) for i in range(8)
    ]
    settings = {"fireblocks-vault": settings_for("fireblocks-vault", max_concurrency=4)}
    stream = facade.gather_balances(requests, concurrency=3, settings=settings)
    outcomes = [o async for o in stream]
    assert all(o.ok for o in outcomes)
    assert len(recording_server.requests) == 24
    assert 2 <= recording_server.max_in_flight <= 4


async def test_results_stream_and_input_is_drawn_lazily(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    requests = [BalanceRequest("cryptofuse", f"delayed-{i}") for i in range(30)]
    pulled = [0]
    settings = {"cryptofuse": settings_for("cryptofuse")}
    stream = facade.gather_balances(counting(requests, pulled), concurrency=3, settings=settings)
    first = await anext(stream)
    assert first.ok
    assert pulled[0] <= 3 + 1  # only as slots free up
    assert len(recording_server.requests) < 30
    rest = [o async for o in stream]
    assert len(rest) == 29
    assert pulled[0] == 30


async def test_async_iterable_input_and_given_clients(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet

    async def source() -> Any:
        for i in range(5):
            await asyncio.sleep(0)
            yield BalanceRequest("cryptofuse", f"ok-{i}")

    async with facade.connect_async("cryptofuse", **settings_for("cryptofuse")) as client:
        outcomes = [
            o
            async for o in facade.gather_balances(
                source(), concurrency=2, clients={"cryptofuse": client}
            )
        ]
        assert sorted(o.request.wallet_id for o in outcomes) == [f"ok-{i}" for i in range(5)]
        # A given client is left open for its owner.
        assert (await client.get_balances("ok-9")).wallet_id == "ok-9"


async def test_two_thousand_requests_from_a_generator(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.json(
        {
            "result": {
                "id": "w",
                "balances": [{"currency": "btc", "amount": "1", "pendingAmount": "0"}],
            }
        }
    )

    def generate() -> Iterator[BalanceRequest]:
        for i in range(2000):
            yield BalanceRequest("cryptofuse", f"w-{i}")

    settings = {"cryptofuse": settings_for("cryptofuse")}
    ok = 0
    seen = set()
    async for outcome in facade.gather_balances(generate(), concurrency=8, settings=settings):
        assert outcome.ok, outcome.error
        seen.add(outcome.request.wallet_id)
        ok += 1
    assert ok == 2000
    assert len(seen) == 2000
    assert len(recording_server.requests) == 2000
    assert recording_server.max_in_flight <= 8


async def test_concurrency_must_be_positive() -> None:
    with pytest.raises(errors.InvalidArgument):
        async for _ in facade.gather_balances([], concurrency=0):
            pass


async def test_breaking_out_cancels_the_rest(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    requests = [BalanceRequest("cryptofuse", "ok-0")] + [
        BalanceRequest("cryptofuse", f"slow-{i}") for i in range(5)
    ]
    settings = {"cryptofuse": settings_for("cryptofuse", timeout=5.0)}
    started = time.monotonic()
    stream = facade.gather_balances(requests, concurrency=6, settings=settings)
    async for outcome in stream:
        assert outcome.request.wallet_id == "ok-0"
        break
    await stream.aclose()
    assert time.monotonic() - started < 2.0


# --- gather_balances_sync ---------------------------------------------------------------


def test_sync_fan_out_matches_the_async_one(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    requests = [
        BalanceRequest("cryptofuse", f"{kind}-{i}")
        for i in range(4)
        for kind in ("ok", "missing", "broken")
    ]
    settings = {"cryptofuse": settings_for("cryptofuse", max_retries=0)}
    sync_outcomes = list(facade.gather_balances_sync(requests, concurrency=3, settings=settings))

    async def gather() -> list[BalanceOutcome]:
        stream = facade.gather_balances(requests, concurrency=3, settings=settings)
        return [o async for o in stream]

    async_outcomes = asyncio.run(gather())

    def summary(outcomes: list[BalanceOutcome]) -> list[tuple[str, str]]:
        return sorted(
            (
                o.request.wallet_id,
                type(o.error).__name__ if o.error else str(len(o.wallet.balances)),  # type: ignore[union-attr]
            )
            for o in outcomes
        )

    assert summary(sync_outcomes) == summary(async_outcomes)
    assert len(sync_outcomes) == 12


def test_sync_fan_out_bounds_in_flight_requests(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    requests = (BalanceRequest("cryptofuse", f"delayed-{i}") for i in range(30))
    settings = {"cryptofuse": settings_for("cryptofuse")}
    outcomes = list(facade.gather_balances_sync(requests, concurrency=5, settings=settings))
    assert len(outcomes) == 30
    assert recording_server.max_in_flight <= 5


def test_sync_fan_out_stops_when_the_consumer_does(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = by_wallet
    pulled = [0]
    requests = [BalanceRequest("cryptofuse", f"delayed-{i}") for i in range(200)]
    settings = {"cryptofuse": settings_for("cryptofuse")}
    stream = facade.gather_balances_sync(
        counting(requests, pulled), concurrency=4, settings=settings
    )
    first = next(stream)
    assert first.ok
    stream.close()
    assert pulled[0] < 200
    # close() returns once the helper thread has finished.
    assert not [t for t in threading.enumerate() if t.name == "gather_balances"]


def test_a_slow_consumer_causes_no_spurious_timeouts(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    """Outcomes wait in a bounded queue for a slow consumer; that wait must not stall the
    requests still in flight into their timeouts."""
    recording_server.default = by_wallet
    requests = [BalanceRequest("cryptofuse", f"delayed-{i}") for i in range(12)]
    settings = {"cryptofuse": settings_for("cryptofuse", timeout=0.3, max_retries=0)}
    errors_seen = []
    for outcome in facade.gather_balances_sync(requests, concurrency=4, settings=settings):
        if outcome.error is not None:
            errors_seen.append(outcome.error)
        time.sleep(0.15)
    assert errors_seen == []


def test_sync_fan_out_re_raises_usage_errors_in_the_caller() -> None:
    with pytest.raises(errors.InvalidArgument):
        list(facade.gather_balances_sync([], concurrency=0))
