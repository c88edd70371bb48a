"""BPN sandbox over raw HTTP: the default signature, exact JSON numbers, envelope errors."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal

import pytest
from support.sandbox_http import bpn_get, bpn_headers, http

from facade._auth import bpn_signature
from facade.sandbox import ProviderInfo, Sandbox

PATH = "/v1/wallet/asset-balance"


def test_amounts_are_exact_json_numbers_on_the_wire(bpn: ProviderInfo) -> None:
    response = bpn_get(bpn, f"{PATH}?walletId=40")
    assert response.status_code == 200
    text = response.text
    assert '"available":12345678901234567.123456789,' in text
    assert '"available":0.000000000000000001,' in text
    assert not re.search(r"\d[eE][-+]?\d", text)  # no exponent notation anywhere
    body = json.loads(text, parse_float=Decimal)
    usdt, usdc, _ = body["data"]["wallets"]
    wallet = bpn.wallet("40")
    assert usdt["available"] == wallet.balance("USDT").amounts["available"]
    assert usdc["available"] == usdc["unavailable"] == Decimal("0.000000000000000001")
    assert usdc == {
        "currency": "USDC",
        "currencyFullName": "USD Coin",
        **wallet.balance("USDC").amounts,
    }
    assert body["data"]["totalAvailable"] == wallet.totals["totalAvailable"]
    assert str(body["data"]["totalAvailable"]).endswith("000001")


def test_envelope_and_trace_id(bpn: ProviderInfo) -> None:
    first = bpn_get(bpn, PATH)
    second = bpn_get(bpn, PATH)
    for response in (first, second):
        body = response.json()
        assert (body["status"], body["msg"], body["code"]) == (200, None, None)
        assert body["traceId"] == response.headers["X-Request-ID"]
    assert first.json()["traceId"] != second.json()["traceId"]


def test_mode_1_all_currencies_of_the_default_wallet(bpn: ProviderInfo) -> None:
    payload = json.loads(bpn_get(bpn, PATH).text, parse_float=Decimal)["data"]
    main = bpn.default_wallet
    assert main is not None
    assert str(payload["id"]) == main.wallet_id
    assert [w["currency"] for w in payload["wallets"]] == ["USDT", "USDC", "BTC"]
    assert payload["totalAvailable"] == main.totals["totalAvailable"]
    assert payload["totalAvailableCurrency"] == "USD"


def test_mode_2_one_currency(bpn: ProviderInfo) -> None:
    target = f"{PATH}?currency=BTC&walletId=40"
    payload = json.loads(bpn_get(bpn, target).text, parse_float=Decimal)["data"]
    assert [w["currency"] for w in payload["wallets"]] == ["BTC"]
    assert payload["totalAvailable"] == Decimal("0.00012345") * Decimal("64250.5")
    # Mode 2's valuation keeps 1E-18 exact (USDC is priced at 1).
    tiny = json.loads(bpn_get(bpn, f"{PATH}?currency=USDC&walletId=40").text, parse_float=Decimal)
    usdc = bpn.wallet("40").balance("USDC").amounts["available"]
    assert tiny["data"]["totalAvailable"] == usdc == Decimal("0.000000000000000001")
    not_held = json.loads(bpn_get(bpn, f"{PATH}?currency=ETH&walletId=40").text)["data"]
    assert not_held["wallets"][0]["available"] == 0
    assert not_held["totalAvailable"] == 0


def test_empty_wallet(bpn: ProviderInfo) -> None:
    payload = bpn_get(bpn, f"{PATH}?walletId={bpn.empty_wallet.wallet_id}").json()["data"]
    assert (payload["wallets"], payload["totalAvailable"]) == ([], 0)


@pytest.mark.parametrize(
    ("target", "status", "code"),
    [
        (f"{PATH}?walletId=999", 404, "WALLET_NOT_FOUND"),
        (f"{PATH}?walletId=abc", 400, "BAD_REQUEST"),
        (f"{PATH}?currency=DOGE", 400, "UNSUPPORTED_CURRENCY"),
    ],
)
def test_errors_reuse_the_envelope(bpn: ProviderInfo, target: str, status: int, code: str) -> None:
    response = bpn_get(bpn, target)
    body = response.json()
    assert response.status_code == body["status"] == status
    assert body["code"] == code
    assert body["data"] is None
    assert body["traceId"] == response.headers["X-Request-ID"]
    assert isinstance(body["msg"], str)


@pytest.mark.parametrize(
    "tamper",
    [
        "no signature",
        "wrong key",
        "stale",
        "future",
        "other target",
        "other method",
        "uppercase hex",
        "not a number",
    ],
)
def test_signature_rejections(bpn: ProviderInfo, sb: Sandbox, tamper: str) -> None:
    target = f"{PATH}?walletId=40"
    headers = bpn_headers(bpn, target)
    now = int(time.time() * 1000)
    secret = bpn.settings["api_secret"]
    if tamper == "no signature":
        del headers[bpn_signature.SIGNATURE_HEADER]
    elif tamper == "wrong key":
        headers[bpn_signature.API_KEY_HEADER] = "someone"
    elif tamper in ("stale", "future"):
        skew = bpn_signature.MAX_SKEW_MS + 1000
        headers = bpn_headers(bpn, target, ts=now - skew if tamper == "stale" else now + skew)
    elif tamper == "other target":
        headers = bpn_headers(bpn, f"{PATH}?walletId=1")
    elif tamper == "other method":
        headers = bpn_headers(bpn, target, method="POST")
    elif tamper == "uppercase hex":
        headers[bpn_signature.SIGNATURE_HEADER] = headers[bpn_signature.SIGNATURE_HEADER].upper()
    else:
        headers[bpn_signature.TIMESTAMP_HEADER] = "soon"
        headers[bpn_signature.SIGNATURE_HEADER] = bpn_signature.signature(
            secret, "GET", target, b"", 0
        )
    response = http.get(bpn.base_url + target, headers=headers)
    body = response.json()
    assert response.status_code == body["status"] == 401
    assert body["code"] == "UNAUTHORIZED"
    assert body["traceId"]
    assert sb.violations == []


def test_the_signature_covers_the_query_as_sent(bpn: ProviderInfo) -> None:
    # Same parameters, other order: a different target, so a different signature.
    signed_for = f"{PATH}?walletId=40&currency=BTC"
    sent = f"{PATH}?currency=BTC&walletId=40"
    response = http.get(bpn.base_url + sent, headers=bpn_headers(bpn, signed_for))
    assert response.status_code == 401
    assert bpn_get(bpn, sent).status_code == 200


@pytest.mark.wallet_sandbox_allow_violations
def test_empty_wallet_id_is_off_spec(bpn: ProviderInfo, sb: Sandbox) -> None:
    # The documentation's own curl sends "walletId" without a value.
    response = bpn_get(bpn, f"{PATH}?currency=USDC&walletId")
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"
    [violation] = sb.violations
    assert "walletId" in violation.errors[0]
