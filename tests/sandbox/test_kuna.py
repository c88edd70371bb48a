"""Kuna Core sandbox over raw HTTP: api-key and login JWT auth, asset filters, errors."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from support.sandbox_http import http

from facade.sandbox import ProviderInfo, Sandbox

MAIN = "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5"


def _login(kuna: ProviderInfo, **override: Any) -> Any:
    extra = kuna.extra_credentials
    headers = {"merchant_id": override.pop("merchant_id", extra["merchant_id"])}
    body = {"email": extra["login_email"], "password": extra["login_password"], **override}
    return http.post(kuna.base_url + "/v2/auth/login", headers=headers, json=body)


def _balance(kuna: ProviderInfo, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return http.post(kuna.base_url + "/v2/balance", json=body, headers=headers)


def _key(kuna: ProviderInfo) -> dict[str, str]:
    return {"api-key": kuna.settings["api_key"]}


def test_login_returns_a_jwt_that_reads_balances(kuna: ProviderInfo, sb: Sandbox) -> None:
    response = _login(kuna)
    assert response.status_code == 200
    token = response.json()["data"]["accessToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] > claims["iat"]
    balance = _balance(kuna, {"walletId": MAIN}, {"Authorization": f"Bearer {token}"})
    assert balance.status_code == 200
    assert sb.tokens_issued("kuna-core") == 1


def test_all_assets_with_the_documented_fields(kuna: ProviderInfo) -> None:
    body = _balance(kuna, {"walletId": MAIN}, _key(kuna)).json()
    assert [a["asset"] for a in body["data"]] == ["BTC", "USDT", "ETH", "UAH"]
    usdt = body["data"][1]
    assert usdt == {
        "balance": "15230.64",
        "asset": "USDT",
        "holdBalance": "120.00",
        "lockBalance": "500",
        "referralBalance": "12.5",
        "depositAddress": {
            "TRX": {"address": "TW6fBsVChypHoN3xFXpizHFJNQa7b1wRWc", "memo": None},
            "ETH": {"address": "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", "memo": None},
        },
    }
    assert "depositAddress" not in body["data"][3]  # UAH is fiat


@pytest.mark.parametrize(
    ("assets", "expected"),
    [
        (["USDT", "BTC"], ["BTC", "USDT"]),
        (["UAH", "XRP"], ["UAH"]),
        ([], ["BTC", "USDT", "ETH", "UAH"]),
    ],
)
def test_assets_filter(kuna: ProviderInfo, assets: list[str], expected: list[str]) -> None:
    body = _balance(kuna, {"walletId": MAIN, "assets": assets}, _key(kuna)).json()
    assert [a["asset"] for a in body["data"]] == expected


def test_empty_wallet(kuna: ProviderInfo) -> None:
    body = _balance(kuna, {"walletId": kuna.empty_wallet.wallet_id}, _key(kuna)).json()
    assert body == {"data": []}


@pytest.mark.parametrize(
    ("body", "headers", "status", "message"),
    [
        ({"walletId": "nope"}, None, 404, "Wallet not found"),
        ({"walletId": MAIN}, {}, 401, "Unauthorized"),
        ({"walletId": MAIN}, {"api-key": "wrong"}, 401, "Invalid API key"),
        ({"walletId": MAIN}, {"Authorization": "Bearer x.y.z"}, 401, None),
    ],
)
def test_errors_use_the_nest_style_body(
    kuna: ProviderInfo,
    body: dict[str, Any],
    headers: dict[str, str] | None,
    status: int,
    message: str | None,
) -> None:
    response = _balance(kuna, body, _key(kuna) if headers is None else headers)
    assert response.status_code == status
    payload = response.json()
    assert set(payload) == {"statusCode", "message", "error"}
    assert payload["statusCode"] == status
    assert payload["error"] == response.reason_phrase
    if message is not None:
        assert payload["message"] == message


def test_expired_login_token(kuna: ProviderInfo, sb: Sandbox) -> None:
    sb.token_ttl = 30
    token = _login(kuna).json()["data"]["accessToken"]
    sb.advance_clock(31)
    response = _balance(kuna, {"walletId": MAIN}, {"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()["message"]) == (401, "jwt expired")


def test_a_token_from_another_sandbox_is_rejected(kuna: ProviderInfo) -> None:
    forged = jwt.encode({"sub": "x", "exp": 4102444800}, "another-sandbox-secret-of-32-bytes!")
    response = _balance(kuna, {"walletId": MAIN}, {"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("override", "status"),
    [({"password": "wrong"}, 401), ({"merchant_id": "other"}, 401), ({"email": 5}, 400)],
)
def test_login_failures(kuna: ProviderInfo, override: dict[str, Any], status: int) -> None:
    response = _login(kuna, **override)
    assert response.status_code == status
    assert response.json()["statusCode"] == status


@pytest.mark.wallet_sandbox_allow_violations
def test_off_spec_requests_get_400(kuna: ProviderInfo, sb: Sandbox) -> None:
    no_merchant = http.post(kuna.base_url + "/v2/auth/login", json={"email": "a", "password": "b"})
    assert no_merchant.status_code == 400
    no_wallet = _balance(kuna, {"assets": ["BTC"]}, _key(kuna))
    assert no_wallet.status_code == 400
    assert no_wallet.json()["statusCode"] == 400
    form = http.post(kuna.base_url + "/v2/balance", data={"walletId": MAIN}, headers=_key(kuna))
    assert form.status_code == 400
    assert [v.operation for v in sb.violations] == ["login", "getBalances", "getBalances"]
