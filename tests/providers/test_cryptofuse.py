"""Static tests of Cryptofuse: the request, API-key and OAuth2 auth, the exact mapping."""

from __future__ import annotations

import asyncio
import base64
import itertools
import threading
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import pytest
from support import RecordedRequest, RecordingServer, Reply, fixture_json, fixture_reply
from support.clients import call

import facade
from facade import Balance, errors

WALLET = "550e8400-e29b-41d4-a716-446655440000"
BALANCES = "/wallets/balances"
TOKEN = "/o/token/"


def token_server(
    server: RecordingServer, *, expires_in: int = 3600, delay: float = 0.0
) -> list[str]:
    """Answer /o/token/ with tokens tok-1, tok-2, ...; returns the list of tokens issued."""
    issued: list[str] = []
    counter = itertools.count(1)
    lock = threading.Lock()

    def answer(request: RecordedRequest) -> Reply:
        with lock:
            token = f"tok-{next(counter)}"
            issued.append(token)
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "scope": "read write",
        }
        return Reply.json(body, delay=delay)

    server.route(TOKEN, answer)
    return issued


# --- requests ---------------------------------------------------------------------------


async def test_balances_request_with_api_key(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("cryptofuse", "getWalletBalances"))
    settings = settings_for("cryptofuse")
    await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    request = recording_server.only_request()
    assert request.request_line == f"GET /wallets/balances?wallet_id={WALLET} HTTP/1.1"
    assert request.header("X-API-Key") == settings["api_key"]
    assert request.header("Authorization") is None
    assert request.header("Host") == f"127.0.0.1:{recording_server.port}"
    assert request.body == b""


async def test_oauth_client_credentials_flow(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    issued = token_server(recording_server)
    recording_server.route(BALANCES, fixture_reply("cryptofuse", "getWalletBalances"))
    settings = settings_for("cryptofuse", auth="oauth")
    await call(mode, "cryptofuse", settings, "get_balances", WALLET)

    token_request, balance_request = recording_server.requests
    assert token_request.request_line == "POST /o/token/ HTTP/1.1"
    basic = base64.b64encode(
        f"{settings['client_id']}:{settings['client_secret']}".encode()
    ).decode()
    assert token_request.header("Authorization") == f"Basic {basic}"
    assert token_request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert parse_qsl(token_request.body.decode()) == [
        ("grant_type", "client_credentials"),
        ("scope", "read write"),
    ]
    assert balance_request.target == f"/wallets/balances?wallet_id={WALLET}"
    assert balance_request.header("Authorization") == f"Bearer {issued[0]}"
    assert balance_request.header("X-API-Key") is None


def test_oauth_token_is_cached(recording_server: RecordingServer, settings_for: Any) -> None:
    issued = token_server(recording_server, expires_in=36000)
    recording_server.route(BALANCES, fixture_reply("cryptofuse", "getWalletBalances"))
    with facade.connect("cryptofuse", **settings_for("cryptofuse", auth="oauth")) as client:
        for _ in range(3):
            client.get_balances(WALLET)
    assert issued == ["tok-1"]
    assert len(recording_server.requests_to(BALANCES)) == 3
    assert {r.header("Authorization") for r in recording_server.requests_to(BALANCES)} == {
        "Bearer tok-1"
    }


def test_oauth_token_is_refreshed_before_it_expires(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    """A token within the refresh margin (30 s) of expiry is replaced before it is used."""
    issued = token_server(recording_server, expires_in=30)
    recording_server.route(BALANCES, fixture_reply("cryptofuse", "getWalletBalances"))
    with facade.connect("cryptofuse", **settings_for("cryptofuse", auth="oauth")) as client:
        client.get_balances(WALLET)
        client.get_balances(WALLET)
    assert issued == ["tok-1", "tok-2"]
    assert [r.header("Authorization") for r in recording_server.requests_to(BALANCES)] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


async def test_a_401_refetches_the_token_once(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    issued = token_server(recording_server)
    answers = iter(
        [
            Reply.json({"detail": "Token expired."}, 401),
            fixture_reply("cryptofuse", "getWalletBalances"),
        ]
    )
    recording_server.route(BALANCES, lambda r: next(answers))
    wallet = await call(
        mode, "cryptofuse", settings_for("cryptofuse", auth="oauth"), "get_balances", WALLET
    )
    assert len(wallet.balances) == 3
    assert issued == ["tok-1", "tok-2"]
    assert [r.header("Authorization") for r in recording_server.requests_to(BALANCES)] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


async def test_a_persistent_401_fails_after_one_refetch(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    issued = token_server(recording_server)
    recording_server.route(
        BALANCES, Reply.json({"detail": "Invalid token."}, 401, {"X-Request-ID": "rq-401"})
    )
    with pytest.raises(errors.AuthenticationError) as caught:
        await call(
            mode, "cryptofuse", settings_for("cryptofuse", auth="oauth"), "get_balances", WALLET
        )
    assert issued == ["tok-1", "tok-2"]
    assert len(recording_server.requests_to(BALANCES)) == 2
    assert caught.value.provider_message == "Invalid token."
    assert caught.value.request_id == "rq-401"


async def test_concurrent_async_callers_share_one_token_request(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    issued = token_server(recording_server, delay=0.1)
    recording_server.route(BALANCES, fixture_reply("cryptofuse", "getWalletBalances"))
    async with facade.connect_async("cryptofuse", **settings_for("cryptofuse", auth="oauth")) as c:
        wallets = await asyncio.gather(*(c.get_balances(WALLET) for _ in range(20)))
    assert len(wallets) == 20
    assert issued == ["tok-1"]
    assert len(recording_server.requests_to(TOKEN)) == 1
    assert len(recording_server.requests_to(BALANCES)) == 20


async def test_concurrent_401s_share_one_refetch(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    """Twenty callers hold a token the provider has revoked: one new token serves them all."""
    issued = token_server(recording_server, delay=0.05)
    ok = fixture_reply("cryptofuse", "getWalletBalances")
    revoked = Reply.json({"detail": "Token revoked."}, 401, delay=0.05)
    recording_server.route(
        BALANCES, lambda r: revoked if r.header("Authorization") == "Bearer tok-1" else ok
    )
    async with facade.connect_async("cryptofuse", **settings_for("cryptofuse", auth="oauth")) as c:
        wallets = await asyncio.gather(*(c.get_balances(WALLET) for _ in range(20)))
    assert len(wallets) == 20
    assert issued == ["tok-1", "tok-2"]


def test_concurrent_threads_share_one_token_request(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    issued = token_server(recording_server, delay=0.1)
    recording_server.route(BALANCES, fixture_reply("cryptofuse", "getWalletBalances"))
    with facade.connect("cryptofuse", **settings_for("cryptofuse", auth="oauth")) as client:
        threads = [threading.Thread(target=client.get_balances, args=(WALLET,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert issued == ["tok-1"]
    assert len(recording_server.requests_to(BALANCES)) == 8


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply.json({"error": "invalid_client"}, 401), errors.AuthenticationError),
        (Reply.json({"error": "invalid_client"}, 403), errors.PermissionDenied),
        (Reply.text("<html>oops</html>", 200, "text/html"), errors.ProtocolError),
        (Reply.json({"token_type": "Bearer"}), errors.ProtocolError),
        (
            Reply.json({"access_token": "x", "token_type": "mac", "expires_in": 60}),
            errors.ProtocolError,
        ),
        (Reply.json([1, 2]), errors.ProtocolError),
    ],
)
async def test_token_endpoint_failures_are_facade_errors(
    mode: str,
    reply: Reply,
    error: type[Exception],
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    recording_server.route(TOKEN, reply)
    settings = settings_for("cryptofuse", auth="oauth", max_retries=0)
    with pytest.raises(error) as caught:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert caught.value.operation == "createAccessToken"  # type: ignore[attr-defined]
    assert recording_server.requests_to(BALANCES) == []
    assert settings["client_secret"] not in str(caught.value)


# --- mapping ----------------------------------------------------------------------------


def cryptofuse_balance(raw: dict[str, Any], **amounts: Decimal) -> Balance:
    symbol, network = {
        "usdttrc20": ("USDT", "tron"),
        "usdterc20": ("USDT", "ethereum"),
        "btc": ("BTC", "bitcoin"),
    }[raw["currency"]]
    return Balance(
        provider="cryptofuse",
        wallet_id=WALLET,
        account_id=None,
        asset=raw["currency"],
        symbol=symbol,
        network=network,
        total=amounts["total"],
        available=amounts["available"],
        pending=amounts["pending"],
        locked=Decimal(0),
        extras={},
        block_height=None,
        block_hash=None,
        raw=raw,
    )


async def test_seed_example_maps_exactly(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("cryptofuse", "getWalletBalances", request_id="cf-rq"))
    wallet = await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    raw = fixture_json("cryptofuse", "getWalletBalances")["result"]["balances"]
    d = Decimal
    assert wallet.balances == [
        cryptofuse_balance(raw[0], total=d("1000.50"), available=d("1000.50"), pending=d("0.00")),
        cryptofuse_balance(raw[1], total=d("500.75"), available=d("400.75"), pending=d("100.00")),
        cryptofuse_balance(raw[2], total=d("0.05"), available=d("0.05"), pending=d("0.00")),
    ]
    assert wallet.request_id == "cf-rq"
    assert wallet.fiat_valuation is None
    assert wallet.account_id is None


async def test_available_never_goes_below_zero(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    body = {
        "result": {
            "id": WALLET,
            "balances": [{"currency": "eth", "amount": "1.5", "pendingAmount": "2.25"}],
        }
    }
    recording_server.queue(Reply.json(body))
    wallet = await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    (balance,) = wallet.balances
    assert balance.total == Decimal("1.5")
    assert balance.available == Decimal(0)
    assert balance.pending == Decimal("2.25")


async def test_asset_filter_is_emulated_case_insensitively(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("cryptofuse", "getWalletBalances"))
    wallet = await call(
        mode,
        "cryptofuse",
        settings_for("cryptofuse"),
        "get_balances",
        WALLET,
        assets=["BTC", "usdterc20"],
    )
    assert [b.asset for b in wallet.balances] == ["usdterc20", "btc"]
    assert recording_server.only_request().target == f"/wallets/balances?wallet_id={WALLET}"


async def test_empty_wallet_is_an_empty_list(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json({"result": {"id": WALLET, "name": "Empty", "balances": []}}))
    wallet = await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert wallet.balances == []


def _documented(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": {}}}


@pytest.mark.parametrize(
    ("status", "body", "error", "code", "message"),
    [
        # The documented object (the user balances page's 401), with the tables' codes.
        (
            401,
            _documented("authentication_failed", "Invalid or missing authentication token"),
            errors.AuthenticationError,
            "authentication_failed",
            "Invalid or missing authentication token",
        ),
        (
            404,
            _documented("not_found", "Wallet ID not found"),
            errors.NotFound,
            "not_found",
            "Wallet ID not found",
        ),
        (
            500,
            _documented("server_error", "Server error while processing request"),
            errors.ProviderUnavailable,
            "server_error",
            "Server error while processing request",
        ),
        # The string forms: a machine code (v0.9, OAuth2) or a sentence.
        (
            401,
            {"error": "authentication_failed"},
            errors.AuthenticationError,
            "authentication_failed",
            None,
        ),
        (
            500,
            {"error": "Internal server error"},
            errors.ProviderUnavailable,
            None,
            "Internal server error",
        ),
    ],
)
async def test_documented_error_bodies_give_code_and_message(
    mode: str,
    status: int,
    body: Any,
    error: type[errors.ProviderError],
    code: str | None,
    message: str | None,
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    recording_server.default = Reply.json(body, status)
    with pytest.raises(error) as caught:
        await call(
            mode, "cryptofuse", settings_for("cryptofuse", max_retries=0), "get_balances", WALLET
        )
    assert (caught.value.code, caught.value.provider_message) == (code, message)


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (
            400,
            {"detail": "wallet_id is required."},
            errors.InvalidRequest,
            "wallet_id is required.",
        ),
        (404, {"detail": "Not found."}, errors.NotFound, "Not found."),
        (403, {"detail": "You do not have permission."}, errors.PermissionDenied, None),
        (500, {"error": "Internal server error"}, errors.ProviderUnavailable, None),
    ],
)
async def test_documented_errors(
    mode: str,
    status: int,
    body: Any,
    error: type[errors.ProviderError],
    message: str | None,
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    recording_server.default = Reply.json(body, status, {"X-Request-ID": "cf-err"})
    with pytest.raises(error) as caught:
        await call(
            mode, "cryptofuse", settings_for("cryptofuse", max_retries=0), "get_balances", WALLET
        )
    assert caught.value.status_code == status
    assert caught.value.request_id == "cf-err"
    expected = message or next(iter(body.values()))
    assert caught.value.provider_message == expected
    assert expected in str(caught.value)
