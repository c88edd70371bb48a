"""Static tests of BPN: the query, the default and a custom signer, the exact mapping."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest
from support import RecordingServer, Reply, fixture_json, fixture_reply
from support.clients import call

import facade
from facade import Balance, FiatValuation, errors
from facade._auth import bpn_signature
from facade._decimal import loads

PATH = "/v1/wallet/asset-balance"


# --- requests and signing ---------------------------------------------------------------


async def test_all_balances_request_is_mode_1(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("bpn", "getAssetBalance"))
    await call(mode, "bpn", settings_for("bpn"), "get_balances", "40")
    request = recording_server.only_request()
    assert request.request_line == "GET /v1/wallet/asset-balance?walletId=40 HTTP/1.1"
    assert request.body == b""


async def test_one_currency_is_mode_2(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("bpn", "getAssetBalance"))
    await call(mode, "bpn", settings_for("bpn"), "get_balances", "40", assets=["USDT"])
    request = recording_server.only_request()
    assert request.path == PATH
    assert sorted(request.query) == [("currency", "USDT"), ("walletId", "40")]


async def test_default_signer_headers_verify(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("bpn", "getAssetBalance"))
    settings = settings_for("bpn")
    before = int(time.time() * 1000)
    await call(mode, "bpn", settings, "get_balances", "40", assets=["USDT"])
    after = int(time.time() * 1000)
    request = recording_server.only_request()
    assert request.header(bpn_signature.API_KEY_HEADER) == settings["api_key"]
    timestamp = int(request.header(bpn_signature.TIMESTAMP_HEADER) or "0")
    assert before <= timestamp <= after
    expected = bpn_signature.signature(
        settings["api_secret"], request.method, request.target, request.body, timestamp
    )
    assert request.header(bpn_signature.SIGNATURE_HEADER) == expected
    wrong = bpn_signature.signature(
        "another-secret", request.method, request.target, request.body, timestamp
    )
    assert request.header(bpn_signature.SIGNATURE_HEADER) != wrong


async def test_custom_signer_is_used(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    seen: list[tuple[str, str, bytes]] = []

    def signer(method: str, target: str, body: bytes) -> dict[str, str]:
        seen.append((method, target, body))
        return {"X-Custom-Auth": f"signed {method} {target}"}

    recording_server.queue(fixture_reply("bpn", "getAssetBalance"))
    settings = settings_for("bpn", api_key=None, api_secret=None)
    await call(mode, "bpn", settings, "get_balances", "40", signer=signer)
    request = recording_server.only_request()
    assert seen == [("GET", request.target, b"")]
    assert request.header("X-Custom-Auth") == f"signed GET {request.target}"
    assert request.header(bpn_signature.SIGNATURE_HEADER) is None


def test_signer_is_only_for_providers_that_sign(settings_for: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match="signer"):
        facade.connect("cryptofuse", signer=lambda m, t, b: {}, **settings_for("cryptofuse"))


def test_default_signer_needs_key_and_secret(settings_for: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match="api_secret"):
        facade.connect("bpn", **settings_for("bpn", api_secret=None))


# --- mapping ----------------------------------------------------------------------------


async def test_seed_example_maps_exactly(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("bpn", "getAssetBalance", request_id="http-rq"))
    wallet = await call(mode, "bpn", settings_for("bpn"), "get_balances", "40")
    assert wallet.balances == [
        Balance(
            provider="bpn",
            wallet_id="40",
            account_id=None,
            asset="USDT",
            symbol="USDT",
            network=None,  # BPN names a currency, not a chain
            total=Decimal(108),
            available=Decimal(99),
            pending=Decimal(0),
            locked=Decimal(9),
            extras={"balanceChange": Decimal(64)},
            block_height=None,
            block_hash=None,
            raw=fixture_json("bpn", "getAssetBalance")["data"]["wallets"][0],
        )
    ]
    assert wallet.fiat_valuation == FiatValuation(amount=Decimal(10), currency="USD")
    assert wallet.request_id == "83"  # traceId wins over X-Request-ID


EXACT = b"""{"status": 200, "msg": null, "code": null, "traceId": "t-exact",
 "data": {"totalAvailable": 12345678901234567.123456789, "totalAvailableCurrency": "USD",
  "wallets": [
   {"currency": "BTC", "available": 12345678901234567.123456789,
    "unavailable": 0.000000000000000001, "balanceChange": -0.000000000000000001},
   {"currency": "ETH", "available": 0.000000000000000001, "unavailable": 0}
  ]}}"""


async def test_amounts_a_float_cannot_hold_arrive_exact(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json(EXACT))
    wallet = await call(mode, "bpn", settings_for("bpn"), "get_balances", "40")
    btc, eth = wallet.balances
    assert str(btc.available) == "12345678901234567.123456789"
    assert str(btc.locked) == "1E-18"
    assert btc.total == Decimal("12345678901234567.123456789000000001")
    assert str(btc.extras["balanceChange"]) == "-1E-18"
    assert eth.available == Decimal("0.000000000000000001")
    assert eth.total == Decimal("0.000000000000000001")
    assert wallet.fiat_valuation == FiatValuation(
        amount=Decimal("12345678901234567.123456789"), currency="USD"
    )
    assert btc.raw == loads(EXACT)["data"]["wallets"][0]
    assert facade.to_json_dict(wallet)["balances"][0]["total"] == (
        "12345678901234567.123456789000000001"
    )


def _per_currency(request: Any) -> Reply:
    """Mode 2 as BPN answers it: the one currency, valued alone; 400 for an unknown one."""
    currency = dict(request.query).get("currency")
    values = {"ETH": ("2", "5000.10"), "USDC": ("7.5", "7.499999999999999999")}
    if currency not in values:
        envelope = {
            "status": 400,
            "msg": f"Unsupported currency: {currency}",
            "code": "UNSUPPORTED_CURRENCY",
            "traceId": "t-400",
            "data": None,
        }
        return Reply.json(envelope, 400)
    available, usd = values[currency]
    body = (
        f'{{"status": 200, "traceId": "t-{currency}", "data": {{"totalAvailable": {usd},'
        f' "totalAvailableCurrency": "USD", "wallets": [{{"currency": "{currency}",'
        f' "available": {available}, "unavailable": 0}}]}}}}'
    )
    return Reply(200, body.encode(), {"Content-Type": "application/json"})


async def test_several_currencies_are_read_one_by_one_and_valued_exactly(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    """totalAvailable of mode 1 values the whole wallet; the sum of mode-2 answers values
    exactly the balances returned. Lower-case codes are BPN's upper-case currencies."""
    recording_server.default = _per_currency
    wallet = await call(
        mode, "bpn", settings_for("bpn"), "get_balances", "40", assets=["eth", "USDC", "NOPE"]
    )
    assert [b.asset for b in wallet.balances] == ["ETH", "USDC"]
    assert wallet.missing == ["NOPE"]
    assert wallet.fiat_valuation == FiatValuation(
        amount=Decimal("5007.599999999999999999"), currency="USD"
    )
    currencies = sorted(dict(r.query)["currency"] for r in recording_server.requests)
    assert currencies == ["ETH", "NOPE", "USDC"]


async def test_omitted_unavailable_is_none(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    body = {"status": 200, "data": {"wallets": [{"currency": "USDC", "available": 5}]}}
    recording_server.queue(Reply.json(body))
    wallet = await call(mode, "bpn", settings_for("bpn"), "get_balances", "40")
    (balance,) = wallet.balances
    assert balance.available == Decimal(5)
    assert balance.total is None
    assert balance.locked is None
    assert balance.extras == {}
    assert wallet.fiat_valuation is None
    assert wallet.request_id is None


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, errors.NotFound),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDenied),
        (400, errors.InvalidRequest),
        (429, errors.RateLimited),
        (500, errors.ProviderUnavailable),
        (503, errors.ProviderUnavailable),
        (470, errors.ProtocolError),
    ],
)
async def test_envelope_errors_inside_http_200(
    mode: str,
    status: int,
    error: type[errors.ProviderError],
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    body = {"status": status, "msg": "wallet 41 not found", "code": "W404", "traceId": "t-41"}
    recording_server.default = Reply.json({**body, "data": None})
    with pytest.raises(error) as caught:
        await call(mode, "bpn", settings_for("bpn", max_retries=0), "get_balances", "41")
    assert caught.value.status_code == status
    assert caught.value.request_id == "t-41"
    assert caught.value.code == "W404"
    assert caught.value.provider_message == "wallet 41 not found"


async def test_envelope_error_with_http_error_status(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    body = {"status": 404, "msg": "no wallet", "code": 1001, "traceId": "t-9", "data": None}
    recording_server.queue(Reply.json(body, status=404))
    with pytest.raises(errors.NotFound) as caught:
        await call(mode, "bpn", settings_for("bpn"), "get_balances", "41")
    assert (caught.value.code, caught.value.request_id) == ("1001", "t-9")
