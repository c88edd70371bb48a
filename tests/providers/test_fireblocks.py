"""Static tests of both Fireblocks products: exact requests, JWT auth, exact mapping."""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
from support import (
    RecordingServer,
    Reply,
    fixture_json,
    fixture_reply,
)
from support.clients import EMPTY_SHA256, call, fireblocks_claims

from facade import Balance, errors
from facade._auth.fireblocks import FireblocksAuth
from facade.sandbox import Sandbox

WALLET_UUID = "550e8400-e29b-41d4-a716-446655440000"
BLOCK_HASH = "0000000000000000000769e73a0b8f32a6c5d55e0d64f9ec20c6c3d4e5a9a3f1"


@pytest.fixture(scope="module")
def api_key(wallet_sandbox: Sandbox) -> str:
    """The API key of the sandbox's Fireblocks settings: what ``settings_for`` carries."""
    return wallet_sandbox.providers["fireblocks-vault"].settings["api_key"]


def assert_signed(request: Any, rsa_key: Any, api_key: str, *, body: bytes = b"") -> dict[str, Any]:
    """X-API-Key and a valid JWT for exactly this request target and body."""
    assert request.header("X-API-Key") == api_key
    claims = fireblocks_claims(request, rsa_key.public_key)
    assert claims["uri"] == request.target
    assert claims["uri"].startswith("/v1/")
    assert claims["sub"] == api_key
    assert claims["bodyHash"] == hashlib.sha256(body).hexdigest()
    assert isinstance(claims["iat"], int)
    assert isinstance(claims["exp"], int)
    assert 0 < claims["exp"] - claims["iat"] < 30
    assert abs(claims["iat"] - time.time()) < 5
    assert isinstance(claims["nonce"], str)
    assert len(claims["nonce"]) >= 16
    return claims


# --- requests ---------------------------------------------------------------------------


async def test_vault_wallet_wide_is_one_get_of_the_vault_account(
    mode: str, recording_server: RecordingServer, settings_for: Any, rsa_key: Any, api_key: str
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "getVaultAccount"))
    await call(mode, "fireblocks-vault", settings_for("fireblocks-vault"), "get_balances", "0")

    request = recording_server.only_request()
    assert request.request_line == "GET /v1/vault/accounts/0 HTTP/1.1"
    assert request.body == b""
    assert request.header("Host") == f"127.0.0.1:{recording_server.port}"
    assert request.header("Idempotency-Key") is None
    claims = assert_signed(request, rsa_key, api_key)
    assert claims["uri"] == "/v1/vault/accounts/0"
    assert claims["bodyHash"] == EMPTY_SHA256


async def test_vault_with_assets_is_one_get_per_asset(
    mode: str, recording_server: RecordingServer, settings_for: Any, rsa_key: Any, api_key: str
) -> None:
    btc = fixture_json("fireblocks", "getVaultAccountAsset")
    usdt = {**btc, "id": "USDT_ERC20"}
    recording_server.route("/v1/vault/accounts/7/BTC", Reply.json(btc))
    recording_server.route("/v1/vault/accounts/7/USDT_ERC20", Reply.json(usdt))

    wallet = await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "get_balances",
        "7",
        assets=["BTC", "USDT_ERC20"],
    )

    lines = sorted(r.request_line for r in recording_server.requests)
    assert lines == [
        "GET /v1/vault/accounts/7/BTC HTTP/1.1",
        "GET /v1/vault/accounts/7/USDT_ERC20 HTTP/1.1",
    ]
    nonces = {assert_signed(r, rsa_key, api_key)["nonce"] for r in recording_server.requests}
    assert len(nonces) == 2
    assert [b.asset for b in wallet.balances] == ["BTC", "USDT_ERC20"]  # call order


async def test_vault_refresh_posts_with_an_idempotency_key(
    mode: str, recording_server: RecordingServer, settings_for: Any, rsa_key: Any, api_key: str
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "updateVaultAccountAssetBalance"))
    await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "refresh_balances",
        "0",
        assets=["BTC"],
        idempotency_key="refresh-0001",
    )
    request = recording_server.only_request()
    assert request.request_line == "POST /v1/vault/accounts/0/BTC/balance HTTP/1.1"
    assert request.header("Idempotency-Key") == "refresh-0001"
    assert request.body == b""
    assert assert_signed(request, rsa_key, api_key)["bodyHash"] == EMPTY_SHA256


async def test_vault_refresh_generates_one_key_per_asset(
    mode: str, recording_server: RecordingServer, settings_for: Any, rsa_key: Any
) -> None:
    recording_server.default = lambda r: Reply.json(
        {**fixture_json("fireblocks", "updateVaultAccountAssetBalance"), "id": r.path.split("/")[5]}
    )
    await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "refresh_balances",
        "3",
        assets=["BTC", "ETH"],
    )
    keys = {r.path: r.header("Idempotency-Key") for r in recording_server.requests}
    assert set(keys) == {"/v1/vault/accounts/3/BTC/balance", "/v1/vault/accounts/3/ETH/balance"}
    assert all(keys.values())
    assert len(set(keys.values())) == 2


async def test_caller_key_is_derived_per_asset_for_several_assets(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = lambda r: Reply.json(
        {**fixture_json("fireblocks", "updateVaultAccountAssetBalance"), "id": r.path.split("/")[5]}
    )
    await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "refresh_balances",
        "3",
        assets=["BTC", "ETH"],
        idempotency_key="batch-7",
    )
    keys = sorted(r.header("Idempotency-Key") or "" for r in recording_server.requests)
    assert keys == ["batch-7-BTC", "batch-7-ETH"]


async def test_embedded_get_reads_one_asset_of_one_account(
    mode: str, recording_server: RecordingServer, settings_for: Any, rsa_key: Any, api_key: str
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "GetEmbeddedWalletAssetBalance"))
    await call(
        mode,
        "fireblocks-embedded",
        settings_for("fireblocks-embedded"),
        "get_balances",
        WALLET_UUID,
        account_id="0",
        assets=["BTC"],
    )
    request = recording_server.only_request()
    assert request.request_line == (
        f"GET /v1/ncw/wallets/{WALLET_UUID}/accounts/0/assets/BTC/balance HTTP/1.1"
    )
    assert request.body == b""
    assert assert_signed(request, rsa_key, api_key)["bodyHash"] == EMPTY_SHA256


async def test_embedded_refresh_puts_with_an_idempotency_key(
    mode: str, recording_server: RecordingServer, settings_for: Any, rsa_key: Any, api_key: str
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "RefreshEmbeddedWalletAssetBalance"))
    await call(
        mode,
        "fireblocks-embedded",
        settings_for("fireblocks-embedded"),
        "refresh_balances",
        WALLET_UUID,
        account_id="0",
        assets=["BTC"],
    )
    request = recording_server.only_request()
    assert request.request_line == (
        f"PUT /v1/ncw/wallets/{WALLET_UUID}/accounts/0/assets/BTC/balance HTTP/1.1"
    )
    key = request.header("Idempotency-Key")
    assert key
    assert len(key) >= 16
    assert assert_signed(request, rsa_key, api_key)["bodyHash"] == EMPTY_SHA256


def test_jwt_uri_carries_the_query_and_body_hash_the_exact_bytes(
    recording_server: RecordingServer, rsa_key: Any, api_key: str
) -> None:
    """The auth flow on its own, over real HTTP, for a request with a query and a body."""
    recording_server.default = Reply.json({})
    body = b'{"b": 2,  "a": "\xc3\xa9"}'
    auth = FireblocksAuth(api_key, rsa_key.pem)
    with httpx.Client(base_url=f"{recording_server.url}/v1", auth=auth) as client:
        client.get("/vault/accounts_paged", params={"namePrefix": "a b", "limit": 5})
        client.post("/vault/accounts/0/BTC/balance", content=body)
    get, post = recording_server.requests
    assert get.target == "/v1/vault/accounts_paged?namePrefix=a+b&limit=5"
    get_claims = assert_signed(get, rsa_key, api_key)
    assert get_claims["uri"] == "/v1/vault/accounts_paged?namePrefix=a+b&limit=5"
    assert get_claims["bodyHash"] == EMPTY_SHA256
    assert post.body == body
    post_claims = assert_signed(post, rsa_key, api_key, body=body)
    assert post_claims["nonce"] != get_claims["nonce"]
    assert "SECRET" not in repr(auth)


def test_auth_rejects_a_key_that_is_not_rsa_pem(api_key: str) -> None:
    with pytest.raises(errors.ConfigurationError):
        FireblocksAuth(api_key, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")


# --- mapping ----------------------------------------------------------------------------


def vault_btc(wallet_id: str, raw: dict[str, Any]) -> Balance:
    return Balance(
        provider="fireblocks-vault",
        wallet_id=wallet_id,
        account_id=None,
        asset="BTC",
        symbol="BTC",
        network="bitcoin",
        total=Decimal("0.87500000"),
        available=Decimal("0.84500000"),
        pending=Decimal("0.01500000"),
        locked=Decimal("0.01500000"),  # frozen 0.005 + lockedAmount 0.010
        extras={
            "staked": Decimal("0"),
            "frozen": Decimal("0.00500000"),
            "lockedAmount": Decimal("0.01000000"),
            "pendingRewards": Decimal("5"),
        },
        block_height="8459341",
        block_hash=BLOCK_HASH,
        raw=raw,
    )


async def test_vault_asset_maps_exactly(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "getVaultAccountAsset", request_id="rq-1"))
    wallet = await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "get_balances",
        "0",
        assets=["BTC"],
    )
    assert wallet.provider == "fireblocks-vault"
    assert wallet.wallet_id == "0"
    assert wallet.account_id is None
    assert wallet.request_id == "rq-1"
    assert wallet.fiat_valuation is None
    assert wallet.balances == [vault_btc("0", fixture_json("fireblocks", "getVaultAccountAsset"))]


async def test_vault_account_maps_every_asset_and_keeps_omissions_as_none(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "getVaultAccount", request_id="rq-2"))
    wallet = await call(
        mode, "fireblocks-vault", settings_for("fireblocks-vault"), "get_balances", "0"
    )
    account = fixture_json("fireblocks", "getVaultAccount")
    btc, usdt = wallet.balances
    assert btc == vault_btc("0", account["assets"][0])
    assert usdt == Balance(
        provider="fireblocks-vault",
        wallet_id="0",
        account_id=None,
        asset="USDT_ERC20",
        symbol="USDT",
        network="ethereum",
        total=Decimal("0.01500000"),
        available=Decimal("0.01500000"),
        pending=Decimal("0"),
        locked=None,  # no `frozen` in the answer: unknown, not zero
        extras={"lockedAmount": Decimal("0")},
        block_height=None,
        block_hash=None,
        raw=account["assets"][1],
    )
    assert wallet.request_id == "rq-2"


async def test_vault_refresh_maps_like_a_read(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(fixture_reply("fireblocks", "updateVaultAccountAssetBalance"))
    wallet = await call(
        mode,
        "fireblocks-vault",
        settings_for("fireblocks-vault"),
        "refresh_balances",
        "0",
        assets=["BTC"],
    )
    raw = fixture_json("fireblocks", "updateVaultAccountAssetBalance")
    assert wallet.balances == [vault_btc("0", raw)]


@pytest.mark.parametrize("method", ["get_balances", "refresh_balances"])
async def test_embedded_balance_maps_exactly(
    mode: str, method: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    operation = (
        "GetEmbeddedWalletAssetBalance"
        if method == "get_balances"
        else "RefreshEmbeddedWalletAssetBalance"
    )
    recording_server.queue(fixture_reply("fireblocks", operation, request_id="rq-3"))
    wallet = await call(
        mode,
        "fireblocks-embedded",
        settings_for("fireblocks-embedded"),
        method,
        WALLET_UUID,
        account_id="0",
        assets=["BTC"],
    )
    assert wallet.account_id == "0"
    assert wallet.request_id == "rq-3"
    assert wallet.balances == [
        Balance(
            provider="fireblocks-embedded",
            wallet_id=WALLET_UUID,
            account_id="0",
            # The body's id ("BTC-mainnet-acc-01") names the balance entry, not the asset.
            asset="BTC",
            symbol="BTC",
            network="bitcoin",
            total=Decimal("0.87500000"),
            available=Decimal("0.84500000"),
            pending=Decimal("0.01500000"),
            locked=Decimal("0.01500000"),
            extras={
                "frozen": Decimal("0.00500000"),
                "lockedAmount": Decimal("0.01000000"),
                "pendingRewards": Decimal("5"),
            },
            block_height="8459341",
            block_hash=BLOCK_HASH,
            raw=fixture_json("fireblocks", operation),
        )
    ]


async def test_vault_not_found_carries_code_message_and_request_id(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(
        fixture_reply("fireblocks", "error_vault_not_found", status=404, request_id="rq-404")
    )
    with pytest.raises(errors.NotFound) as caught:
        await call(mode, "fireblocks-vault", settings_for("fireblocks-vault"), "get_balances", "99")
    error = caught.value
    assert error.code == "1004"
    assert error.provider_message == "The requested vault account does not exist"
    assert error.request_id == "rq-404"
    assert error.status_code == 404
    assert error.provider == "fireblocks-vault"
    assert error.operation == "getVaultAccount"


async def test_signature_rejection_is_an_authentication_error(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(Reply.json({"message": "Unauthorized", "code": -7}, status=401))
    with pytest.raises(errors.AuthenticationError) as caught:
        await call(mode, "fireblocks-vault", settings_for("fireblocks-vault"), "get_balances", "0")
    assert caught.value.code == "-7"


async def test_newer_error_shape_is_read(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.queue(
        Reply.json({"error": {"type": "NOT_FOUND", "message": "No such asset"}}, status=404)
    )
    with pytest.raises(errors.NotFound) as caught:
        await call(
            mode,
            "fireblocks-vault",
            settings_for("fireblocks-vault"),
            "get_balances",
            "0",
            assets=["NOPE"],
        )
    assert caught.value.code == "NOT_FOUND"
    assert caught.value.provider_message == "No such asset"


@pytest.mark.parametrize("wallet_id", ["abc", "-1", "1.5", "0x10", " 1"])
async def test_vault_ids_are_numeric(
    mode: str, wallet_id: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    with pytest.raises(errors.InvalidArgument):
        await call(
            mode, "fireblocks-vault", settings_for("fireblocks-vault"), "get_balances", wallet_id
        )
    assert recording_server.requests == []
