"""Injected faults, seen from a raw HTTP client."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from support.sandbox_http import Fireblocks, bpn_get, http

from facade.sandbox import Fault, ProviderInfo, Sandbox
from facade.sandbox._faults import parse_fault_option

TRADING = "550e8400-e29b-41d4-a716-446655440000"


def _cf_get(cf: ProviderInfo, client: httpx.Client = http) -> httpx.Response:
    return client.get(
        cf.base_url + "/wallets/balances",
        params={"wallet_id": TRADING},
        headers={"X-API-Key": cf.settings["api_key"]},
    )


def test_latency(sb: Sandbox, cf: ProviderInfo) -> None:
    sb.inject("cryptofuse", "latency:0.3")
    started = time.perf_counter()
    assert _cf_get(cf).status_code == 200
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    _cf_get(cf)
    assert time.perf_counter() - started < 0.3  # consumed


def test_rate_limit_with_and_without_retry_after(sb: Sandbox, cf: ProviderInfo) -> None:
    sb.inject("cryptofuse", "rate_limit:7")
    sb.inject("cryptofuse", Fault.rate_limit())
    limited = _cf_get(cf)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    assert limited.json() == {
        "error": {"code": "rate_limit_exceeded", "message": "Too Many Requests", "details": {}}
    }
    bare = _cf_get(cf)
    assert bare.status_code == 429
    assert "Retry-After" not in bare.headers
    assert _cf_get(cf).status_code == 200


def test_5xx_in_the_provider_format(sb: Sandbox, fb: Fireblocks, bpn: ProviderInfo) -> None:
    sb.inject("fireblocks-vault", "503")
    sb.inject("bpn", "status:500")
    failed = fb.get("/vault/accounts/0")
    assert (failed.status_code, failed.json()) == (503, {"message": "Service Unavailable"})
    assert failed.headers["X-Request-ID"]
    envelope = bpn_get(bpn, "/v1/wallet/asset-balance").json()
    assert (envelope["status"], envelope["data"]) == (500, None)


def test_html_error_page(sb: Sandbox, cf: ProviderInfo) -> None:
    sb.inject("cryptofuse", "html")
    response = _cf_get(cf)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


def test_truncated_json(sb: Sandbox, cf: ProviderInfo) -> None:
    full = _cf_get(cf).content
    sb.inject("cryptofuse", "truncated")
    response = _cf_get(cf)
    assert response.status_code == 200
    assert response.content == full[: len(full) // 2]
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_connection_reset(sb: Sandbox, cf: ProviderInfo) -> None:
    sb.inject("cryptofuse", "reset")
    with httpx.Client(trust_env=False) as client, pytest.raises(httpx.TransportError):
        _cf_get(cf, client)
    [request] = sb.requests("cryptofuse")
    assert (request.status, request.fault) == (None, "reset")
    assert _cf_get(cf).status_code == 200


def test_slow_body(sb: Sandbox, cf: ProviderInfo) -> None:
    sb.inject("cryptofuse", "slow_body:1", times=2)
    impatient = httpx.Client(trust_env=False, timeout=httpx.Timeout(5.0, read=0.05))
    with impatient, pytest.raises(httpx.ReadTimeout):
        _cf_get(cf, impatient)
    started = time.perf_counter()
    response = _cf_get(cf)
    assert response.status_code == 200
    assert response.json()["result"]["id"] == TRADING
    assert time.perf_counter() - started >= 0.9


def test_times_operation_and_scope(sb: Sandbox, fb: Fireblocks) -> None:
    sb.inject("fireblocks-embedded", "503", times=None)
    sb.inject("fireblocks-vault", "429", operation="getVaultAccountAsset", times=2)
    assert fb.get("/vault/accounts/0").status_code == 200
    assert fb.get("/vault/accounts/0/BTC").status_code == 429
    assert fb.get("/vault/accounts/0/BTC").status_code == 429
    assert fb.get("/vault/accounts/0/BTC").status_code == 200
    embedded = "/ncw/wallets/550e8400-e29b-41d4-a716-446655440000/accounts/0/assets/BTC/balance"
    assert [fb.get(embedded).status_code for _ in range(3)] == [503, 503, 503]
    [pending] = sb.pending_faults()
    assert (pending.provider, pending.remaining, pending.fired) == ("fireblocks-embedded", None, 3)
    sb.clear_faults("fireblocks-embedded")
    assert fb.get(embedded).status_code == 200


def test_faults_are_not_violations_and_are_recorded(sb: Sandbox, cf: ProviderInfo) -> None:
    sb.inject("cryptofuse", "html:504")
    _cf_get(cf)
    [request] = sb.requests("cryptofuse")
    assert (request.fault, request.status) == ("html:504", 504)
    assert sb.violations == []


def test_inject_rejects_unknown_targets(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown provider"):
        sb.inject("kraken", "503")
    with pytest.raises(ValueError, match="no operation"):
        sb.inject("fireblocks-vault", "503", operation="GetEmbeddedWalletAssetBalance")
    with pytest.raises(ValueError, match="unknown kind"):
        sb.inject("bpn", "explode")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bpn=rate_limit:2*3", ("bpn", None, Fault("rate_limit", 2), 3)),
        ("bpn=429:2", ("bpn", None, Fault("rate_limit", 2), 1)),
        (
            "fireblocks-vault:getVaultAccount=503",
            ("fireblocks-vault", "getVaultAccount", Fault("status", 503), 1),
        ),
        ("kuna-core=latency:0.25*always", ("kuna-core", None, Fault("latency", 0.25), None)),
        ("cryptofuse=html", ("cryptofuse", None, Fault("html"), 1)),
        ("fireblocks=slow-body:3", ("fireblocks", None, Fault("slow_body", 3), 1)),
    ],
)
def test_cli_fault_syntax(text: str, expected: tuple[object, ...]) -> None:
    assert parse_fault_option(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "bpn",
        "=503",
        "bpn=",
        "bpn=503*0",
        "bpn=latency",
        "bpn=status:200",
        "bpn=reset:1",
        "bpn=503:1",
    ],
)
def test_cli_fault_syntax_errors(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        parse_fault_option(text)
