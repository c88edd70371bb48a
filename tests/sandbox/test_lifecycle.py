"""Starting, stopping, recording, resetting, and the sandbox's own bugs."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path

import pytest
from support.sandbox_http import Fireblocks, http, port_is_closed

from facade.sandbox import (
    PROVIDER_NAMES,
    Sandbox,
    SandboxViolationError,
    SpecsNotFoundError,
    _app_cryptofuse,
    _validation,
)
from facade.sandbox._http import json_response

# What --format json prints per seeded wallet (SeededWallet.as_json).
WALLET_KEYS = {"wallet_id", "account_id", "assets", "default", "balances", "totals"}

SETTINGS = {
    "fireblocks-vault": {"base_url", "api_key", "private_key"},
    "fireblocks-embedded": {"base_url", "api_key", "private_key"},
    "cryptofuse": {"base_url", "api_key"},
    "kuna-core": {"base_url", "api_key"},
    "bpn": {"base_url", "api_key", "api_secret"},
}


def _sandbox_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "facade-sandbox"]


def test_providers_describe_how_to_connect(wallet_sandbox: Sandbox) -> None:
    providers = wallet_sandbox.providers
    assert list(providers) == list(PROVIDER_NAMES)
    for name, info in providers.items():
        assert info.name == name
        assert set(info.settings) == SETTINGS[name]
        assert info.settings["base_url"] == info.base_url
        assert info.base_url.startswith("http://127.0.0.1:")
        assert info.wallets
        for wallet in info.wallets:
            assert set(wallet) == WALLET_KEYS
        assert any(not w["assets"] for w in info.wallets), f"{name} has no empty wallet"
    assert providers["fireblocks-vault"].base_url.endswith("/v1")
    assert providers["fireblocks-vault"].base_url == providers["fireblocks-embedded"].base_url
    assert (
        providers["fireblocks-vault"].settings["private_key"].startswith("-----BEGIN PRIVATE KEY")
    )
    assert set(providers["cryptofuse"].extra_credentials) == {"client_id", "client_secret"}
    assert set(providers["kuna-core"].extra_credentials) == {
        "merchant_id",
        "login_email",
        "login_password",
    }
    assert providers["fireblocks-embedded"].operations == (
        "GetEmbeddedWalletAssetBalance",
        "RefreshEmbeddedWalletAssetBalance",
    )


def test_stop_closes_every_port_and_the_thread() -> None:
    before = len(_sandbox_threads())
    with Sandbox() as sb:
        urls = {info.base_url for info in sb.providers.values()}
        assert len(urls) == 4
        assert not any(port_is_closed(url) for url in urls)
        assert len(_sandbox_threads()) == before + 1
    assert all(port_is_closed(url) for url in urls)
    assert len(_sandbox_threads()) == before
    assert not sb.running
    sb.stop()  # idempotent


def test_stop_with_an_open_keep_alive_connection() -> None:
    with Sandbox() as sb:
        fb = Fireblocks(sb.providers["fireblocks-vault"])
        assert fb.get("/vault/accounts/0").status_code == 200  # leaves a pooled connection
    assert port_is_closed(fb.base_url)


def test_async_context_manager() -> None:
    async def main() -> str:
        async with Sandbox() as sb:
            return sb.providers["bpn"].base_url

    url = asyncio.run(main())
    assert port_is_closed(url)


def test_only_loopback_hosts() -> None:
    with pytest.raises(ValueError, match="loopback"):
        Sandbox(host="0.0.0.0")


def test_a_given_fireblocks_key_is_used(wallet_sandbox: Sandbox) -> None:
    pem = wallet_sandbox.fireblocks_private_key
    with Sandbox(fireblocks_private_key=pem) as other:
        assert other.providers["fireblocks-vault"].settings["private_key"] == pem
        assert Fireblocks(other.providers["fireblocks-vault"]).get("/vault/accounts/0").is_success


def test_requests_are_recorded_as_received(wallet_sandbox: Sandbox, fb: Fireblocks) -> None:
    fb.request(
        "POST",
        "/vault/accounts/0/BTC/balance?x=1",
        body=b'{"a": 1}',
        headers={"Idempotency-Key": "K"},
    )
    [request] = wallet_sandbox.requests("fireblocks-vault")
    assert (request.method, request.target) == ("POST", "/v1/vault/accounts/0/BTC/balance?x=1")
    assert request.operation == "updateVaultAccountAssetBalance"
    assert request.body == b'{"a": 1}'
    assert request.json() == {"a": 1}
    assert request.header("IDEMPOTENCY-KEY") == "K"
    assert request.status == 200
    assert wallet_sandbox.requests("fireblocks") == [request]
    assert wallet_sandbox.requests("fireblocks-embedded") == []


def test_reset_forgets_everything_but_issued_tokens(
    wallet_sandbox: Sandbox, fb: Fireblocks
) -> None:
    sb = wallet_sandbox
    sb.inject("bpn", "503")
    sb.token_ttl = 5
    sb.advance_clock(10)
    fb.request("POST", "/vault/accounts/0/BTC/balance", headers={"Idempotency-Key": "K"})
    sb.reset()
    assert (sb.pending_faults(), sb.requests(), sb.idempotency_keys()) == ([], [], [])
    assert sb.token_ttl == 3600.0
    response = fb.request("POST", "/vault/accounts/0/BTC/balance", headers={"Idempotency-Key": "K"})
    assert response.status_code == 200  # clock back to normal
    assert [u.replayed for u in sb.idempotency_keys()] == [False]


def test_an_off_spec_response_is_a_loud_sandbox_bug(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: object, ctx: object) -> object:
        return json_response({"result": {"id": 42}})

    monkeypatch.setattr(_app_cryptofuse.CryptofuseBehaviour, "get_wallet_balances", broken)
    with Sandbox() as sb:
        cf = sb.providers["cryptofuse"]
        response = http.get(
            cf.base_url + "/wallets/balances",
            params={"wallet_id": "550e8400-e29b-41d4-a716-446655440000"},
            headers={"X-API-Key": cf.settings["api_key"]},
        )
        assert response.status_code == 500
        [violation] = sb.violations
        assert violation.kind == "response"
        assert "SANDBOX BUG" in str(violation)
        with pytest.raises(SandboxViolationError, match="balances"):
            sb.assert_no_violations(allow_requests=True)
    assert "facade.sandbox bug" in caplog.text


def test_a_handler_exception_is_a_sandbox_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: object, ctx: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(_app_cryptofuse.CryptofuseBehaviour, "get_wallet_balances", crash)
    with Sandbox() as sb:
        cf = sb.providers["cryptofuse"]
        response = http.get(
            cf.base_url + "/wallets/balances",
            params={"wallet_id": "x"},
            headers={"X-API-Key": cf.settings["api_key"]},
        )
        assert response.status_code == 500
        assert "boom" in sb.violations[0].errors[0]


def test_missing_specs_fail_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(_validation.SPECS_ENV_VAR, str(tmp_path))
    with pytest.raises(SpecsNotFoundError, match="WALLET_BALANCES_SANDBOX_SPECS"):
        _validation.specs_dir()


def test_dataset_invariants(wallet_sandbox: Sandbox) -> None:
    """Fireblocks documents available = total - lockedAmount - frozen for a VaultAsset."""
    for vault in wallet_sandbox.providers["fireblocks-vault"].seeded_wallets:
        for asset in vault.balances:
            amounts = asset.amounts
            available = amounts["total"] - amounts["lockedAmount"] - amounts["frozen"]
            assert amounts["available"] == available, (vault.wallet_id, asset.asset)


def test_stop_cuts_short_requests_held_by_faults(caplog: pytest.LogCaptureFixture) -> None:
    sb = Sandbox().start()
    cf = sb.providers["cryptofuse"]
    sb.inject("cryptofuse", "latency:30")
    sb.inject("cryptofuse", "slow_body:30")
    errors: list[BaseException] = []

    def call() -> None:
        try:
            http.get(
                cf.base_url + "/wallets/balances",
                params={"wallet_id": "550e8400-e29b-41d4-a716-446655440000"},
                headers={"X-API-Key": cf.settings["api_key"]},
                timeout=30,
            )
        except Exception as exc:
            errors.append(exc)

    callers = [threading.Thread(target=call) for _ in range(2)]
    for caller in callers:
        caller.start()
    while len(sb.requests()) < 2:
        time.sleep(0.01)
    started = time.perf_counter()
    sb.stop()
    assert time.perf_counter() - started < 1.0
    for caller in callers:
        caller.join(5)
    assert len(errors) == 2  # both connections dropped, not answered
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
