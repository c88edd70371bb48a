"""Cryptofuse sandbox over raw HTTP: API key, OAuth2 client credentials, DRF errors."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from support.sandbox_http import http

from facade.sandbox import ProviderInfo, Sandbox

TRADING = "550e8400-e29b-41d4-a716-446655440000"
FORBIDDEN = "You do not have permission to perform this action."
OTHER_MERCHANTS = "<the forbidden wallet>"  # ProviderInfo.forbidden_wallet_id


def _balances(
    cf: ProviderInfo, wallet_id: str | None, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    params = {} if wallet_id is None else {"wallet_id": wallet_id}
    response = http.get(cf.base_url + "/wallets/balances", params=params, headers=headers)
    return response.status_code, response.json()


def _key(cf: ProviderInfo) -> dict[str, str]:
    return {"X-API-Key": cf.settings["api_key"]}


def _token(cf: ProviderInfo, scope: str | None = "read write") -> str:
    form = {"grant_type": "client_credentials"}
    if scope is not None:
        form["scope"] = scope
    credentials = (cf.extra_credentials["client_id"], cf.extra_credentials["client_secret"])
    response = http.post(cf.base_url + "/o/token/", data=form, auth=credentials)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    token: str = body["access_token"]
    return token


def test_the_documented_example_wallet(cf: ProviderInfo) -> None:
    status, body = _balances(cf, TRADING, _key(cf))
    assert status == 200
    assert body == {
        "result": {
            "id": TRADING,
            "name": "Trading Wallet",
            "balances": [
                {"currency": "usdttrc20", "amount": "1000.50", "pendingAmount": "0.00"},
                {"currency": "usdterc20", "amount": "500.75", "pendingAmount": "100.00"},
                {"currency": "btc", "amount": "0.05", "pendingAmount": "0.00"},
            ],
        }
    }


def test_the_empty_wallet_has_an_empty_array(cf: ProviderInfo) -> None:
    status, body = _balances(cf, cf.empty_wallet.wallet_id, _key(cf))
    assert (status, body["result"]["balances"]) == (200, [])


@pytest.mark.parametrize(
    ("wallet_id", "headers", "status", "detail"),
    [
        ("not-a-uuid", None, 400, "Invalid wallet ID."),
        ("00000000-0000-4000-8000-000000000000", None, 404, "Not found."),
        (OTHER_MERCHANTS, None, 403, FORBIDDEN),
        (TRADING, {}, 401, "Authentication credentials were not provided."),
        (TRADING, {"X-API-Key": "wrong"}, 401, "Invalid API key."),
        (TRADING, {"Authorization": "Bearer nope"}, 401, "Invalid token."),
        (TRADING, {"Authorization": "Token abc"}, 401, "Invalid Authorization header."),
    ],
)
def test_documented_errors_in_the_documented_form(
    cf: ProviderInfo,
    sb: Sandbox,
    wallet_id: str,
    headers: dict[str, str] | None,
    status: int,
    detail: str,
) -> None:
    if wallet_id == OTHER_MERCHANTS:
        wallet_id = cf.forbidden_wallet_id
    got_status, body = _balances(cf, wallet_id, _key(cf) if headers is None else headers)
    code = {400: "bad_request", 401: "authentication_failed", 403: "forbidden", 404: "not_found"}
    error = {"code": code[status], "message": detail, "details": {}}
    assert (got_status, body) == (status, {"error": error})
    assert sb.violations == []


@pytest.mark.wallet_sandbox_allow_violations
def test_missing_wallet_id_is_an_off_spec_request(cf: ProviderInfo, sb: Sandbox) -> None:
    status, body = _balances(cf, None, _key(cf))
    assert (status, body["error"]["message"]) == (400, "wallet_id is required.")
    [violation] = sb.violations
    assert (violation.kind, violation.operation) == ("request", "getWalletBalances")


def test_unauthorized_answers_carry_www_authenticate(cf: ProviderInfo) -> None:
    response = http.get(cf.base_url + "/wallets/balances", params={"wallet_id": TRADING})
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_oauth_token_reads_balances_and_is_counted(cf: ProviderInfo, sb: Sandbox) -> None:
    token = _token(cf)
    status, body = _balances(cf, TRADING, {"Authorization": f"Bearer {token}"})
    assert status == 200
    assert body["result"]["id"] == TRADING
    assert sb.tokens_issued("cryptofuse") == 1
    sent = sb.requests("cryptofuse", operation="createAccessToken")[0]
    assert sent.header("content-type") == "application/x-www-form-urlencoded"
    assert (sent.header("authorization") or "").startswith("Basic ")


def test_token_response_reports_the_ttl(cf: ProviderInfo, sb: Sandbox) -> None:
    sb.token_ttl = 90
    credentials = (cf.extra_credentials["client_id"], cf.extra_credentials["client_secret"])
    response = http.post(
        cf.base_url + "/o/token/", data={"grant_type": "client_credentials"}, auth=credentials
    )
    assert response.json()["expires_in"] == 90
    assert response.json()["scope"] == "read write"
    issued = dt.datetime.fromisoformat(response.json()["issued_at"])
    assert abs((dt.datetime.now(dt.UTC) - issued).total_seconds()) < 60


def test_a_write_only_token_is_forbidden(cf: ProviderInfo) -> None:
    token = _token(cf, "write")
    status, body = _balances(cf, TRADING, {"Authorization": f"Bearer {token}"})
    assert status == 403
    assert body == {"error": {"code": "forbidden", "message": FORBIDDEN, "details": {}}}


def test_tokens_expire_after_the_ttl(cf: ProviderInfo, sb: Sandbox) -> None:
    sb.token_ttl = 0.5
    token = _token(cf)
    auth = {"Authorization": f"Bearer {token}"}
    assert _balances(cf, TRADING, auth)[0] == 200
    time.sleep(0.6)
    status, body = _balances(cf, TRADING, auth)
    assert (status, body["error"]["message"]) == (401, "Token has expired.")


def test_tokens_expire_when_the_clock_moves(cf: ProviderInfo, sb: Sandbox) -> None:
    auth = {"Authorization": f"Bearer {_token(cf)}"}
    sb.advance_clock(3601)
    assert _balances(cf, TRADING, auth)[0] == 401


@pytest.mark.parametrize(
    ("form", "auth", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, "wrong secret", 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
        ({"grant_type": "password"}, "ok", 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "admin"}, "ok", 400, "invalid_scope"),
    ],
)
def test_token_endpoint_errors_in_oauth_format(
    cf: ProviderInfo, form: dict[str, str], auth: object, status: int, error: str
) -> None:
    credentials = (cf.extra_credentials["client_id"], cf.extra_credentials["client_secret"])
    if auth == "ok":
        auth = credentials
    elif auth == "wrong secret":
        auth = (cf.extra_credentials["client_id"], "x")
    response = http.post(cf.base_url + "/o/token/", data=form, auth=auth)  # type: ignore[arg-type]
    assert (response.status_code, response.json()) == (status, {"error": error})


@pytest.mark.wallet_sandbox_allow_violations
def test_token_request_without_grant_type_is_off_spec(cf: ProviderInfo, sb: Sandbox) -> None:
    credentials = (cf.extra_credentials["client_id"], cf.extra_credentials["client_secret"])
    response = http.post(cf.base_url + "/o/token/", data={"scope": "read"}, auth=credentials)
    assert (response.status_code, response.json()) == (400, {"error": "invalid_request"})
    assert [v.operation for v in sb.violations] == ["createAccessToken"]
    assert sb.tokens_issued("cryptofuse") == 0


@pytest.mark.wallet_sandbox_allow_violations
def test_unknown_path_is_a_404_and_a_violation(cf: ProviderInfo, sb: Sandbox) -> None:
    response = http.get(cf.base_url + "/wallets/balance", headers=_key(cf))
    assert response.status_code == 404
    assert sb.violations[0].operation is None
    wrong_method = http.post(cf.base_url + "/wallets/balances", headers=_key(cf))
    assert wrong_method.status_code == 405
