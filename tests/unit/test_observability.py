"""What happened on the wire: raw responses, hooks, event_hooks and log lines, secret-free."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

import facade
from facade import errors
from facade._hooks import Observer
from facade._registry import adapter_class

pytest.importorskip("uvicorn", reason="these tests use the sandbox extra")

from facade.sandbox import Sandbox, WalletClients

ROOT = Path(__file__).resolve().parents[2]
FAST = {"backoff_base": 0.001, "backoff_max": 0.002}


def _args(sandbox: Sandbox, provider: str) -> dict[str, Any]:
    info = sandbox.providers[provider]
    wallet = next(w for w in info.wallets if w["assets"])
    args: dict[str, Any] = {"wallet_id": wallet["wallet_id"], "account_id": wallet["account_id"]}
    if adapter_class(provider).capabilities["list_balances"] is facade.Support.UNSUPPORTED:
        args["assets"] = wallet["assets"]
    return args


def _secrets(sandbox: Sandbox, provider: str) -> list[str]:
    info = sandbox.providers[provider]
    values = [v for k, v in info.settings.items() if k != "base_url"]
    values += list(info.extra_credentials.values())
    values += [line for v in values for line in v.splitlines() if len(line) > 20]
    return values


def _run(mode: str, clients: WalletClients, provider: str, method: str, **kwargs: Any) -> Any:
    args = {**_args(clients.sandbox, provider), **kwargs}
    if mode == "sync":
        client = clients.connect(provider, **FAST)
        return getattr(client.with_raw_response, method)(**args)
    aclient = clients.connect_async(provider, **FAST)
    return asyncio.run(getattr(aclient.with_raw_response, method)(**args))


# --- raw responses -------------------------------------------------------------------------


@pytest.mark.parametrize("provider", facade.provider_names())
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_raw_response_shows_every_exchange(
    wallet_clients: WalletClients, provider: str, mode: str
) -> None:
    raw = _run(mode, wallet_clients, provider, "get_balances")
    assert isinstance(raw, facade.RawResponse)
    wallet = raw.parse()
    assert isinstance(wallet, facade.WalletBalances)
    assert wallet.balances
    assert raw.exchanges
    received = wallet_clients.sandbox.requests(provider)
    assert len(raw.exchanges) == len(received)  # token fetches included
    for exchange in raw.exchanges:
        assert exchange.status_code == 200
        assert exchange.attempt == 1
        assert exchange.elapsed > 0
        assert exchange.error is None
        json.loads(exchange.content)
        assert exchange.url.startswith(wallet_clients.sandbox.providers[provider].base_url)
    assert raw.status_code == 200
    assert raw.headers.get("content-type", "").startswith("application/json")
    assert raw.request_id == wallet.request_id or wallet.request_id is None
    shown = " ".join(f"{e.url} {list(e.request_headers.multi_items())}" for e in raw.exchanges)
    for secret in _secrets(wallet_clients.sandbox, provider):
        assert secret not in shown
    assert "<redacted>" in shown


def test_raw_response_keeps_failed_attempts(wallet_clients: WalletClients) -> None:
    wallet_clients.sandbox.inject("kuna-core", "503", times=1)
    wallet_clients.sandbox.inject("kuna-core", "rate_limit:0", times=1)
    raw = _run("sync", wallet_clients, "kuna-core", "get_balances")
    assert [(e.attempt, e.status_code) for e in raw.exchanges] == [(1, 503), (2, 429), (3, 200)]
    assert isinstance(raw.exchanges[0].error, errors.ProviderUnavailable)
    assert isinstance(raw.exchanges[1].error, errors.RateLimited)
    assert raw.retries == 2
    assert raw.last.status_code == 200


def test_a_connection_failure_is_an_exchange_without_status(
    wallet_clients: WalletClients,
) -> None:
    wallet_clients.sandbox.inject("bpn", "reset", times=1)
    raw = _run("sync", wallet_clients, "bpn", "get_balances")
    first, second = raw.exchanges
    assert first.status_code is None
    assert isinstance(first.error, errors.ProviderUnavailable)
    assert second.status_code == 200


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_raw_refresh_shows_the_one_idempotency_key(
    wallet_clients: WalletClients, mode: str
) -> None:
    wallet_clients.sandbox.inject("fireblocks-vault", "503", times=1)
    raw = _run(mode, wallet_clients, "fireblocks-vault", "refresh_balances", assets=["BTC"])
    keys = {e.request_headers["idempotency-key"] for e in raw.exchanges}
    assert len(keys) == 1
    assert [e.status_code for e in raw.exchanges] == [503, 200]
    assert raw.parse().balances


def test_raw_response_over_real_http(wallet_sandbox: Sandbox) -> None:
    info = wallet_sandbox.providers["fireblocks-vault"]
    with facade.connect("fireblocks-vault", **info.settings) as client:
        raw = client.with_raw_response.get_balances("0")
    [exchange] = raw.exchanges
    assert exchange.headers["x-request-id"] == raw.request_id == raw.parse().request_id
    assert exchange.request_headers["authorization"] == "<redacted>"
    assert exchange.request_headers["x-api-key"] == "<redacted>"


def test_plain_calls_record_nothing(wallet_clients: WalletClients) -> None:
    client = wallet_clients.connect("cryptofuse")
    client.with_raw_response.get_balances(**_args(wallet_clients.sandbox, "cryptofuse"))
    # A plain call after a raw one collects nowhere (the recorder is per call).
    assert client.get_balances(**_args(wallet_clients.sandbox, "cryptofuse")).balances


# --- facade hooks and httpx event hooks ----------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_retry_and_give_up_hooks(wallet_clients: WalletClients, mode: str) -> None:
    seen: list[Any] = []
    hooks = facade.Hooks(on_retry=seen.append, on_give_up=[seen.append])
    sandbox = wallet_clients.sandbox
    args = _args(sandbox, "cryptofuse")
    sandbox.inject("cryptofuse", "503", times=None)

    async def run_async() -> None:
        client = wallet_clients.connect_async("cryptofuse", hooks=hooks, max_retries=2, **FAST)
        await client.get_balances(**args)

    def run_sync() -> None:
        client = wallet_clients.connect("cryptofuse", hooks=hooks, max_retries=2, **FAST)
        client.get_balances(**args)

    with pytest.raises(errors.ProviderUnavailable):
        run_sync() if mode == "sync" else asyncio.run(run_async())
    retries, give_up = seen[:2], seen[2]
    assert [type(e) for e in seen] == [facade.RetryEvent, facade.RetryEvent, facade.GiveUpEvent]
    assert [e.attempt for e in retries] == [1, 2]
    assert all(isinstance(e.error, errors.ProviderUnavailable) for e in retries)
    assert all(0 <= e.delay <= FAST["backoff_max"] for e in retries)
    assert (give_up.provider, give_up.operation, give_up.attempts) == (
        "cryptofuse",
        "getWalletBalances",
        3,
    )


def test_rate_limit_wait_hook(wallet_clients: WalletClients) -> None:
    waits: list[facade.RateLimitWaitEvent] = []
    client = wallet_clients.connect(
        "bpn",
        hooks=facade.Hooks(on_rate_limit_wait=waits.append),
        rate_limits={"getAssetBalance": "20/s"},
    )
    for _ in range(25):
        client.get_balances("1", assets=["USDT"])
    assert waits
    assert all(w.operation == "getAssetBalance" and 0 < w.wait <= 0.06 for w in waits)


def test_a_failing_hook_is_logged_not_raised(
    wallet_clients: WalletClients, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("hook bug")

    wallet_clients.sandbox.inject("bpn", "503", times=1)
    client = wallet_clients.connect("bpn", hooks=facade.Hooks(on_retry=broken), **FAST)
    with caplog.at_level(logging.WARNING, logger="facade"):
        assert client.get_balances("1", assets=["USDT"]).balances
    assert "raised; ignored" in caplog.text


def test_hooks_must_be_callables() -> None:
    with pytest.raises(TypeError):
        facade.Hooks(on_retry=["not callable"])  # type: ignore[list-item]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_event_hooks_reach_httpx(wallet_clients: WalletClients, mode: str) -> None:
    seen: list[str] = []
    args = _args(wallet_clients.sandbox, "kuna-core")
    if mode == "sync":
        hooks: dict[str, list[Any]] = {
            "request": [lambda r: seen.append(f"> {r.method} {r.url.path}")],
            "response": [lambda r: seen.append(f"< {r.status_code}")],
        }
        wallet_clients.connect("kuna-core", event_hooks=hooks).get_balances(**args)
    else:

        async def on_request(request: httpx.Request) -> None:
            seen.append(f"> {request.method} {request.url.path}")

        async def on_response(response: httpx.Response) -> None:
            seen.append(f"< {response.status_code}")

        client = wallet_clients.connect_async(
            "kuna-core", event_hooks={"request": [on_request], "response": [on_response]}
        )
        asyncio.run(client.get_balances(**args))
    assert seen == ["> POST /v2/balance", "< 200"]


def test_event_hooks_must_be_httpx_shaped(wallet_sandbox_in_process: Sandbox) -> None:
    with pytest.raises(errors.ConfigurationError, match="event_hooks"):
        wallet_sandbox_in_process.connect("bpn", event_hooks={"before": []})


# --- log lines -----------------------------------------------------------------------------


@pytest.mark.parametrize("provider", facade.provider_names())
def test_one_debug_line_per_attempt_and_info_for_retries(
    wallet_clients: WalletClients, provider: str, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = wallet_clients.sandbox
    sandbox.inject(provider, "503", times=1)
    with caplog.at_level(logging.DEBUG, logger="facade"):
        wallet_clients.connect(provider, **FAST).get_balances(**_args(sandbox, provider))
    records = [r for r in caplog.records if r.name == "facade"]
    attempts = [r for r in records if r.levelno == logging.DEBUG and hasattr(r, "attempt")]
    assert len(attempts) == len(sandbox.requests(provider))
    first = attempts[0]
    assert first.provider == provider  # type: ignore[attr-defined]
    assert first.status_code == 503  # type: ignore[attr-defined]
    assert first.latency_ms > 0  # type: ignore[attr-defined]
    assert first.method in ("GET", "POST")  # type: ignore[attr-defined]
    assert "?" not in first.path  # type: ignore[attr-defined]
    assert attempts[-1].status_code == 200  # type: ignore[attr-defined]
    retries = [r for r in records if r.levelno == logging.INFO]
    assert len(retries) == 1
    assert "retry 1" in retries[0].getMessage()
    everything = "\n".join(f"{r.getMessage()} {vars(r)}" for r in records)
    for secret in _secrets(sandbox, provider):
        assert secret not in everything


def test_waits_over_a_second_are_info_shorter_ones_are_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Call:
        operation = "getWalletBalances"

    observer = Observer("cryptofuse", None, None, lambda text, sent: text)
    with caplog.at_level(logging.DEBUG, logger="facade"):
        observer.rate_limit_wait(Call(), 0.5)
        observer.rate_limit_wait(Call(), 1.5)
    [line] = [r for r in caplog.records if r.levelno == logging.INFO]
    assert "waiting 1.50 s" in line.getMessage()


def _logged_run(level: str) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(
        """
        from facade.sandbox import Sandbox
        with Sandbox(in_process=True) as sb:
            sb.inject("bpn", "503", times=1)
            with sb.connect("bpn", backoff_base=0.001) as client:
                client.get_balances("1", assets=["USDT"])
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    env["WALLET_BALANCES_LOG"] = level
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )


def test_wallet_balances_log_debug_turns_logging_on() -> None:
    err = _logged_run("debug").stderr
    assert "DEBUG facade: bpn getAssetBalance GET /v1/wallet/asset-balance -> 503" in err
    assert "INFO facade: bpn getAssetBalance: ProviderUnavailable; retry 1" in err
    assert "bpn_sandbox_secret" not in err


def test_wallet_balances_log_info_shows_retries_only() -> None:
    err = _logged_run("info").stderr
    assert "retry 1" in err
    assert "DEBUG" not in err
