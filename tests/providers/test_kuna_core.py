"""Static tests of Kuna Core: the POST body, api-key and login auth, the exact mapping."""

from __future__ import annotations

import base64
import json
import time
from decimal import Decimal
from typing import Any

import pytest
from support import RecordingServer, Reply, fixture_json, fixture_reply
from support.clients import call

import facade
from facade import Balance, errors

WALLET = "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5"
BALANCE = "/v2/balance"
LOGIN = "/v2/auth/login"


def jwt_with_exp(exp: float) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'sub': 'merchant', 'exp': int(exp)})}.c2ln"


# --- requests ---------------------------------------------------------------------------


async def test_balances_request_with_assets(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("kuna-core", "getBalances"))
    settings = settings_for("kuna-core")
    await call(mode, "kuna-core", settings, "get_balances", WALLET, assets=["USDT", "BTC"])
    request = recording_server.only_request()
    assert request.request_line == "POST /v2/balance HTTP/1.1"
    assert request.header("Content-Type") == "application/json"
    assert request.json() == {"walletId": WALLET, "assets": ["USDT", "BTC"]}
    assert request.header("api-key") == settings["api_key"]
    assert request.header("Authorization") is None
    assert request.header("merchant_id") is None


async def test_balances_request_without_assets_omits_the_field(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("kuna-core", "getBalances"))
    await call(mode, "kuna-core", settings_for("kuna-core"), "get_balances", WALLET)
    assert recording_server.only_request().json() == {"walletId": WALLET}


async def test_login_then_bearer_token(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.route(LOGIN, fixture_reply("kuna-core", "login"))
    recording_server.route(BALANCE, fixture_reply("kuna-core", "getBalances"))
    settings = settings_for("kuna-core", auth="login")
    await call(mode, "kuna-core", settings, "get_balances", WALLET)
    login, balance = recording_server.requests
    assert login.request_line == "POST /v2/auth/login HTTP/1.1"
    assert login.header("merchant_id") == settings["merchant_id"]
    assert login.json() == {
        "email": settings["login_email"],
        "password": settings["login_password"],
    }
    token = fixture_json("kuna-core", "login")["data"]["accessToken"]
    assert balance.header("Authorization") == f"Bearer {token}"
    assert balance.header("merchant_id") is None
    assert balance.header("api-key") is None


def test_login_token_is_reused_until_its_exp(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.route(
        LOGIN, Reply.json({"data": {"accessToken": jwt_with_exp(time.time() + 3600)}})
    )
    recording_server.route(BALANCE, fixture_reply("kuna-core", "getBalances"))
    with facade.connect("kuna-core", **settings_for("kuna-core", auth="login")) as client:
        for _ in range(3):
            client.get_balances(WALLET)
    assert len(recording_server.requests_to(LOGIN)) == 1
    assert len(recording_server.requests_to(BALANCE)) == 3


def test_login_token_near_its_exp_is_replaced(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.route(
        LOGIN, Reply.json({"data": {"accessToken": jwt_with_exp(time.time() + 10)}})
    )
    recording_server.route(BALANCE, fixture_reply("kuna-core", "getBalances"))
    with facade.connect("kuna-core", **settings_for("kuna-core", auth="login")) as client:
        client.get_balances(WALLET)
        client.get_balances(WALLET)
    assert len(recording_server.requests_to(LOGIN)) == 2


async def test_failed_login_is_an_authentication_error(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.route(LOGIN, Reply.json({"message": "bad credentials"}, 401))
    with pytest.raises(errors.AuthenticationError) as caught:
        await call(
            mode, "kuna-core", settings_for("kuna-core", auth="login"), "get_balances", WALLET
        )
    assert caught.value.operation == "login"
    assert recording_server.requests_to(BALANCE) == []


def test_missing_credentials_are_a_configuration_error(settings_for: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match="api_key"):
        facade.connect("kuna-core", **settings_for("kuna-core", api_key=None))


# --- mapping ----------------------------------------------------------------------------


async def test_seed_example_maps_exactly(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("kuna-core", "getBalances", request_id="kn-rq"))
    wallet = await call(mode, "kuna-core", settings_for("kuna-core"), "get_balances", WALLET)
    raw = fixture_json("kuna-core", "getBalances")["data"]
    common = {
        "provider": "kuna-core",
        "wallet_id": WALLET,
        "account_id": None,
        "block_height": None,
        "block_hash": None,
    }
    assert wallet.balances == [
        Balance(
            **common,
            asset="BTC",
            symbol="BTC",
            network="bitcoin",
            total=Decimal("0"),
            available=Decimal("0"),
            pending=Decimal("0"),
            locked=Decimal("0"),
            extras={"referralBalance": Decimal("0")},
            raw=raw[0],
        ),
        Balance(
            **common,
            asset="USDT",
            symbol="USDT",
            network="tron",  # from the TRX deposit address
            total=Decimal("0.64"),
            available=Decimal("0.64"),
            pending=Decimal("0"),
            locked=Decimal("0"),
            extras={"referralBalance": Decimal("0")},
            raw=raw[1],
        ),
    ]
    assert wallet.balances[1].raw["depositAddress"]["TRX"]["address"] == (
        "TW6fBsVChypHoN3xFXpizHFJNQa7b1wRWc"
    )
    assert wallet.request_id == "kn-rq"


async def test_total_is_the_sum_of_the_three_parts(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    item = {
        "asset": "ETH",
        "balance": "1.000000000000000001",
        "holdBalance": "0.25",
        "lockBalance": "0.125",
        "referralBalance": "0.5",
    }
    recording_server.queue(Reply.json({"data": [item]}))
    wallet = await call(mode, "kuna-core", settings_for("kuna-core"), "get_balances", WALLET)
    (balance,) = wallet.balances
    assert str(balance.total) == "1.375000000000000001"
    assert balance.available == Decimal("1.000000000000000001")
    assert balance.pending == Decimal("0.25")
    assert balance.locked == Decimal("0.125")
    assert balance.extras == {"referralBalance": Decimal("0.5")}
    assert (balance.symbol, balance.network) == ("ETH", "ethereum")


async def test_omitted_fields_are_none_not_zero(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json({"data": [{"asset": "XYZ", "balance": "3"}]}))
    wallet = await call(mode, "kuna-core", settings_for("kuna-core"), "get_balances", WALLET)
    (balance,) = wallet.balances
    assert balance.available == Decimal(3)
    assert balance.total is None
    assert balance.pending is None
    assert balance.locked is None
    assert balance.extras == {}
    assert (balance.symbol, balance.network) == (None, None)  # unknown code: never a guess


async def test_usdt_with_several_deposit_networks_has_no_network(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    item = {
        "asset": "USDT",
        "balance": "1",
        "holdBalance": "0",
        "lockBalance": "0",
        "depositAddress": {"TRX": {"address": "T1", "memo": None}, "ETH": {"address": "0x1"}},
    }
    recording_server.queue(Reply.json({"data": [item]}))
    wallet = await call(mode, "kuna-core", settings_for("kuna-core"), "get_balances", WALLET)
    assert (wallet.balances[0].symbol, wallet.balances[0].network) == ("USDT", None)
