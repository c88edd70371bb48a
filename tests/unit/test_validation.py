"""Input validation: no id or asset code can leave its operation's route or reach another host.

Hypothesis feeds arbitrary text to every place a caller's value reaches the wire. Either the
facade raises InvalidArgument before sending anything, or the request it sends (as recorded
raw by the server) stays on the operation's route, with the value intact in its own path
segment, query parameter, header or JSON field, and the Host header is the server's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import RecordedRequest, RecordingServer, Reply, fixture_bytes
from support.clients import connect_all
from support.providers import sample_query

import facade
from facade import errors
from facade.sandbox import Sandbox

NASTY = [
    "",
    ".",
    "..",
    "../admin",
    "..%2f..%2fadmin",
    "%2e%2e",
    "a/b",
    "a/../../b",
    "a?b=c",
    "a#frag",
    "a b",
    "a\r\nHost: evil.example",
    "a\nX-Injected: 1",
    "0\x00",
    "\u0661\u0662",  # Arabic-Indic digits: numeric to str.isdigit, not to the provider
    "😀",
    "http://evil.example/",
    "//evil.example",
    "@evil.example",
    "a\\b",
    " 1",
    "1 ",
    "a" * 129,
    "-leading-dash",
    ":colon",
    "_underscore",
]
ALLOWED_ID = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_\-.:]{0,40}", fullmatch=True)
TEXT = st.one_of(st.text(max_size=60), ALLOWED_ID, st.sampled_from(NASTY))
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def answer(request: RecordedRequest) -> Reply:
    """A valid answer for whichever operation was called."""
    path = request.path
    if path.startswith("/v1/vault/"):
        return Reply.json(fixture_bytes("fireblocks", "getVaultAccountAsset"))
    if path.startswith("/v1/ncw/"):
        return Reply.json(fixture_bytes("fireblocks", "GetEmbeddedWalletAssetBalance"))
    if path == "/wallets/balances":
        return Reply.json(fixture_bytes("cryptofuse", "getWalletBalances"))
    if path == "/v2/balance":
        return Reply.json(fixture_bytes("kuna-core", "getBalances"))
    if path == "/v1/wallet/asset-balance":
        return Reply.json(fixture_bytes("bpn", "getAssetBalance"))
    return Reply.json({"message": "no such route"}, 404)


@pytest.fixture(scope="module")
def wire(
    wallet_sandbox: Sandbox,
) -> Iterator[tuple[RecordingServer, dict[str, facade.BalanceClient]]]:
    with RecordingServer() as server, connect_all(server, wallet_sandbox, max_retries=0) as clients:
        server.default = answer
        yield server, clients


def sent(server: RecordingServer, action: Callable[[], object]) -> list[RecordedRequest] | None:
    """The requests an action sent, or None if it was refused with InvalidArgument."""
    server.requests.clear()
    try:
        action()
    except errors.InvalidArgument:
        assert server.requests == [], "refused, yet something was sent"
        return None
    assert server.requests, "accepted, yet nothing was sent"
    return list(server.requests)


def segments(request: RecordedRequest) -> list[str]:
    assert request.target.startswith("/")
    return request.path.split("/")[1:]


def check_host(request: RecordedRequest, server: RecordingServer) -> None:
    assert request.header("Host") == f"127.0.0.1:{server.port}"
    assert "\r" not in request.target
    assert "\n" not in request.target


def check_segment(raw: str, value: str) -> None:
    """One encoded path segment holding exactly ``value``."""
    assert raw not in ("", ".", "..")
    assert "/" not in raw
    assert unquote(raw) == value


Wire = tuple[RecordingServer, dict[str, facade.BalanceClient]]


@SETTINGS
@given(wallet_id=TEXT, asset=TEXT)
@example(wallet_id="0", asset="BTC")
def test_fireblocks_vault_paths(wire: Wire, wallet_id: str, asset: str) -> None:
    server, clients = wire
    requests = sent(
        server, lambda: clients["fireblocks-vault"].get_balances(wallet_id, assets=[asset])
    )
    if requests is None:
        return
    (request,) = requests
    check_host(request, server)
    assert request.method == "GET"
    assert wallet_id.isascii()
    assert wallet_id.isdigit()
    v1, vault, accounts, raw_wallet, raw_asset = segments(request)
    assert (v1, vault, accounts) == ("v1", "vault", "accounts")
    check_segment(raw_wallet, wallet_id)
    check_segment(raw_asset, asset.upper())  # Fireblocks' spelling of the code
    assert "?" not in request.target


@SETTINGS
@given(wallet_id=TEXT, account_id=TEXT, asset=TEXT)
@example(wallet_id="550e8400-e29b-41d4-a716-446655440000", account_id="0", asset="BTC")
def test_fireblocks_embedded_paths(wire: Wire, wallet_id: str, account_id: str, asset: str) -> None:
    server, clients = wire
    client = clients["fireblocks-embedded"]
    requests = sent(
        server, lambda: client.get_balances(wallet_id, account_id=account_id, assets=[asset])
    )
    if requests is None:
        return
    (request,) = requests
    check_host(request, server)
    parts = segments(request)
    assert len(parts) == 9
    assert parts[:3] == ["v1", "ncw", "wallets"]
    assert (parts[4], parts[6], parts[8]) == ("accounts", "assets", "balance")
    check_segment(parts[3], wallet_id)
    check_segment(parts[5], account_id)
    check_segment(parts[7], asset.upper())


@SETTINGS
@given(wallet_id=TEXT, key=TEXT)
@example(wallet_id="0", key="my-key")
def test_idempotency_keys_stay_in_their_header(wire: Wire, wallet_id: str, key: str) -> None:
    server, clients = wire
    client = clients["fireblocks-vault"]
    requests = sent(
        server,
        lambda: client.refresh_balances(wallet_id, assets=["BTC"], idempotency_key=key),
    )
    if requests is None:
        return
    (request,) = requests
    check_host(request, server)
    assert request.path == f"/v1/vault/accounts/{wallet_id}/BTC/balance"
    assert request.header_values("Idempotency-Key") == [key]
    assert len(request.headers) == len({k.lower() for k, _ in request.headers})


@SETTINGS
@given(wallet_id=TEXT)
@example(wallet_id="550e8400-e29b-41d4-a716-446655440000")
def test_cryptofuse_query(wire: Wire, wallet_id: str) -> None:
    server, clients = wire
    requests = sent(server, lambda: clients["cryptofuse"].get_balances(wallet_id))
    if requests is None:
        return
    (request,) = requests
    check_host(request, server)
    assert request.path == "/wallets/balances"
    assert request.query == [("wallet_id", wallet_id)]


@SETTINGS
@given(wallet_id=TEXT, asset=TEXT)
@example(wallet_id="1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5", asset="USDT")
def test_kuna_core_body(wire: Wire, wallet_id: str, asset: str) -> None:
    server, clients = wire
    requests = sent(server, lambda: clients["kuna-core"].get_balances(wallet_id, assets=[asset]))
    if requests is None:
        return
    (request,) = requests
    check_host(request, server)
    assert request.target == "/v2/balance"
    assert json.loads(request.body) == {"walletId": wallet_id, "assets": [asset.upper()]}


@SETTINGS
@given(wallet_id=TEXT, asset=TEXT)
@example(wallet_id="40", asset="USDT")
def test_bpn_query(wire: Wire, wallet_id: str, asset: str) -> None:
    server, clients = wire
    requests = sent(server, lambda: clients["bpn"].get_balances(wallet_id, assets=[asset]))
    if requests is None:
        return
    (request,) = requests
    check_host(request, server)
    assert request.path == "/v1/wallet/asset-balance"
    assert sorted(request.query) == sorted([("walletId", wallet_id), ("currency", asset.upper())])


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("provider", facade.provider_names())
def test_nasty_wallet_ids_are_refused(
    wire: Wire, provider: str, value: str, wallet_sandbox: Sandbox
) -> None:
    server, clients = wire
    # Everything else is a valid query for this provider, so only the wallet id is refused.
    _, kwargs = sample_query(wallet_sandbox, provider)
    assert sent(server, lambda: clients[provider].get_balances(value, **kwargs)) is None


@pytest.mark.parametrize("value", NASTY)
def test_nasty_asset_codes_are_refused(wire: Wire, value: str) -> None:
    server, clients = wire
    client = clients["fireblocks-vault"]
    assert sent(server, lambda: client.get_balances("0", assets=[value])) is None


@pytest.mark.parametrize(
    "assets",
    [
        "BTC",  # a string, not a list of codes
        b"BTC",
        [],
        [None],
        [5],
        ["BTC", ""],
        [f"A{i}" for i in range(501)],
    ],
)
def test_bad_asset_lists_are_refused(wire: Wire, assets: Any) -> None:
    server, clients = wire
    client = clients["kuna-core"]
    assert sent(server, lambda: client.get_balances("w-1", assets=assets)) is None


@pytest.mark.parametrize("wallet_id", [None, 5, b"w-1", ["w-1"], object()])
def test_non_string_ids_are_refused(wire: Wire, wallet_id: Any) -> None:
    server, clients = wire
    assert sent(server, lambda: clients["cryptofuse"].get_balances(wallet_id)) is None


def test_duplicate_assets_are_asked_once(wire: Wire) -> None:
    server, clients = wire
    requests = sent(
        server,
        lambda: clients["fireblocks-vault"].get_balances("0", assets=["BTC", "ETH", "BTC"]),
    )
    assert requests is not None
    assert sorted(r.path for r in requests) == [
        "/v1/vault/accounts/0/BTC",
        "/v1/vault/accounts/0/ETH",
    ]


def test_invalid_argument_is_a_value_error_and_names_the_field(wire: Wire) -> None:
    _, clients = wire
    with pytest.raises(ValueError, match="wallet_id"):
        clients["cryptofuse"].get_balances("../x")


@pytest.mark.parametrize("provider", ["cryptofuse", "fireblocks-vault"])
@pytest.mark.parametrize("wallet_id", [3, None, b"w-1"])
def test_non_string_ids_are_told_to_be_strings(wire: Wire, provider: str, wallet_id: Any) -> None:
    _, clients = wire
    with pytest.raises(errors.InvalidArgument, match=r"wallet_id.* must be a string; got "):
        clients[provider].get_balances(wallet_id)


def test_non_string_asset_codes_are_told_to_be_strings(wire: Wire) -> None:
    _, clients = wire
    with pytest.raises(errors.InvalidArgument, match="asset code must be a string; got int 5"):
        clients["kuna-core"].get_balances("w-1", assets=[5])
