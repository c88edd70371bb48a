"""Fireblocks' official Python SDKs against the sandbox: what works against the real API
works here, with the same numbers the facade reads.

* ``fireblocks`` (the current SDK, generated from the same document as specs/upstream);
* ``fireblocks-sdk`` (the legacy SDK, end of life 2026-11-01 but widely installed). It signs a
  request without a body with ``bodyHash = sha256('""')``, which the real API accepts.

Every balance operation each SDK offers: the vault account, one asset of it, the paged
listing, the asset refresh, and (current SDK) the embedded-wallet asset balance and its
refresh. The legacy SDK's ``FireblocksNCW`` balance calls go to ``/v1/wallets/...``, a route
the official document no longer has (it has ``/v1/ncw/wallets/...``), so neither the spec
nor the sandbox can serve them. A key that is not the API user's gets 401 from both.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import facade

pytest.importorskip("uvicorn", reason="needs the sandbox extra")
fireblocks_sdk = pytest.importorskip("fireblocks_sdk", reason="the dev extra installs it")
pytest.importorskip("fireblocks", reason="the dev extra installs it")

from fireblocks.client import Fireblocks  # noqa: E402
from fireblocks.client_configuration import ClientConfiguration  # noqa: E402
from fireblocks.exceptions import ApiException  # noqa: E402

from facade.sandbox import Sandbox  # noqa: E402

AMOUNTS = ("total", "available", "pending", "frozen", "lockedAmount")
pytestmark = pytest.mark.filterwarnings("ignore:fireblocks-sdk is deprecated:FutureWarning")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def settings(sandbox: Sandbox) -> Mapping[str, str]:
    return sandbox.providers["fireblocks-vault"].settings


def _root(settings: Mapping[str, str]) -> str:
    return settings["base_url"].removesuffix("/v1")


def _foreign_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _numbers(asset: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """An SDK's asset JSON (camelCase keys) as exact numbers."""
    return {k: None if asset.get(k) is None else Decimal(str(asset[k])) for k in AMOUNTS}


def _facade_numbers(balance: facade.Balance) -> dict[str, Decimal | None]:
    raw = balance.raw
    numbers = {k: None if raw.get(k) is None else Decimal(str(raw[k])) for k in AMOUNTS}
    # The facade's own fields are what these raw amounts map to.
    assert balance.total == numbers["total"]
    assert balance.available == numbers["available"]
    return numbers


def _facade_vault(sandbox: Sandbox, wallet_id: str, **kwargs: Any) -> dict[str, Any]:
    info = sandbox.providers["fireblocks-vault"]
    with facade.connect("fireblocks-vault", **info.settings) as client:
        result = client.get_balances(wallet_id, **kwargs)
    return {b.raw.get("id", b.asset): _facade_numbers(b) for b in result.balances}


def _vault_wallets(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [w for w in sandbox.providers["fireblocks-vault"].wallets if w["assets"]]


def _embedded_wallets(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [w for w in sandbox.providers["fireblocks-embedded"].wallets if w["assets"]]


def _facade_embedded(sandbox: Sandbox, wallet: Mapping[str, Any]) -> dict[str, Any]:
    info = sandbox.providers["fireblocks-embedded"]
    with facade.connect("fireblocks-embedded", **info.settings) as client:
        result = client.get_balances(
            wallet["wallet_id"], account_id=wallet["account_id"], assets=wallet["assets"]
        )
    return {b.asset: _facade_numbers(b) for b in result.balances}


# --------------------------------------------------------------------------- legacy SDK


@pytest.fixture(scope="module")
def legacy(settings: Mapping[str, str]) -> Any:
    return fireblocks_sdk.FireblocksSDK(
        settings["private_key"], settings["api_key"], api_base_url=_root(settings), timeout=10
    )


def test_legacy_sdk_reads_vault_accounts_and_assets(legacy: Any, sandbox: Sandbox) -> None:
    for wallet in _vault_wallets(sandbox):
        want = _facade_vault(sandbox, wallet["wallet_id"])
        account = legacy.get_vault_account_by_id(wallet["wallet_id"])
        assert {a["id"]: _numbers(a) for a in account["assets"]} == want
        for asset in wallet["assets"]:
            one = legacy.get_vault_account_asset(wallet["wallet_id"], asset)
            assert _numbers(one) == want[asset]


def test_legacy_sdk_pages_vault_accounts(legacy: Any, sandbox: Sandbox) -> None:
    filters = fireblocks_sdk.PagedVaultAccountsRequestFilters(limit=500)
    page = legacy.get_vault_accounts_with_page_info(filters)
    by_id = {a["id"]: a for a in page["accounts"]}
    for wallet in _vault_wallets(sandbox):
        want = _facade_vault(sandbox, wallet["wallet_id"])
        assert {a["id"]: _numbers(a) for a in by_id[wallet["wallet_id"]]["assets"]} == want


def test_legacy_sdk_refreshes_a_vault_asset(legacy: Any, sandbox: Sandbox) -> None:
    wallet = _vault_wallets(sandbox)[0]
    asset = wallet["assets"][0]
    refreshed = legacy.refresh_vault_asset_balance(wallet["wallet_id"], asset)
    assert _numbers(refreshed) == _facade_vault(sandbox, wallet["wallet_id"])[asset]


def test_legacy_sdk_with_a_foreign_key_gets_401(settings: Mapping[str, str]) -> None:
    stranger = fireblocks_sdk.FireblocksSDK(
        _foreign_key(), settings["api_key"], api_base_url=_root(settings), timeout=10
    )
    with pytest.raises(fireblocks_sdk.FireblocksApiException) as info:
        stranger.get_vault_account_asset("0", "BTC")
    assert info.value.error_code == -1 or "401" in str(info.value)


# --------------------------------------------------------------------------- current SDK


@pytest.fixture(scope="module")
def current(settings: Mapping[str, str]) -> Iterator[Any]:
    config = ClientConfiguration(
        api_key=settings["api_key"],
        secret_key=settings["private_key"],
        base_path=settings["base_url"],
    )
    with Fireblocks(config) as client:
        yield client


def _json(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.to_dict()
    return data


def test_current_sdk_reads_vault_accounts_and_assets(current: Any, sandbox: Sandbox) -> None:
    for wallet in _vault_wallets(sandbox):
        want = _facade_vault(sandbox, wallet["wallet_id"])
        account = _json(current.vaults.get_vault_account(wallet["wallet_id"]).result().data)
        assert {a["id"]: _numbers(a) for a in account["assets"]} == want
        for asset in wallet["assets"]:
            one = current.vaults.get_vault_account_asset(wallet["wallet_id"], asset).result()
            assert _numbers(_json(one.data)) == want[asset]


def test_current_sdk_pages_vault_accounts(current: Any, sandbox: Sandbox) -> None:
    page = _json(current.vaults.get_paged_vault_accounts(limit=500).result().data)
    by_id = {a["id"]: a for a in page["accounts"]}
    for wallet in _vault_wallets(sandbox):
        want = _facade_vault(sandbox, wallet["wallet_id"])
        assert {a["id"]: _numbers(a) for a in by_id[wallet["wallet_id"]]["assets"]} == want


def test_current_sdk_refreshes_a_vault_asset(current: Any, sandbox: Sandbox) -> None:
    wallet = _vault_wallets(sandbox)[0]
    asset = wallet["assets"][0]
    future = current.vaults.update_vault_account_asset_balance(wallet["wallet_id"], asset)
    assert (
        _numbers(_json(future.result().data)) == _facade_vault(sandbox, wallet["wallet_id"])[asset]
    )


def test_current_sdk_reads_and_refreshes_embedded_wallets(current: Any, sandbox: Sandbox) -> None:
    api = current.embedded_wallets
    for wallet in _embedded_wallets(sandbox):
        want = _facade_embedded(sandbox, wallet)
        for asset in wallet["assets"]:
            args = (wallet["wallet_id"], wallet["account_id"], asset)
            read = api.get_embedded_wallet_asset_balance(*args).result()
            assert _numbers(_json(read.data)) == want[asset]
            refreshed = api.refresh_embedded_wallet_asset_balance(*args).result()
            assert _numbers(_json(refreshed.data)) == want[asset]


def test_current_sdk_with_a_foreign_key_gets_401(settings: Mapping[str, str]) -> None:
    config = ClientConfiguration(
        api_key=settings["api_key"], secret_key=_foreign_key(), base_path=settings["base_url"]
    )
    with Fireblocks(config) as stranger, pytest.raises(ApiException) as info:
        stranger.vaults.get_vault_account_asset("0", "BTC").result()
    assert info.value.status == 401


@pytest.mark.parametrize(
    ("method", "body", "signed", "status"),
    [
        ("GET", b"", b"", 200),
        ("GET", b"", b'""', 200),  # the legacy SDK's hash of no body
        ("GET", b"", b"{}", 401),
        ("POST", b"{}", b"{}", 200),
        ("POST", b"{}", b'""', 401),  # with a body, only its exact bytes
        ("POST", b"{}", b"", 401),
        ("POST", b'{"a": 1}', b'{"a":1}', 401),  # the same JSON, other bytes
    ],
)
def test_body_hash_rules(
    settings: Mapping[str, str], method: str, body: bytes, signed: bytes, status: int
) -> None:
    path = "/v1/vault/accounts/0/BTC" + ("/balance" if method == "POST" else "")
    now = int(time.time())
    claims = {
        "uri": path,
        "nonce": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 30,
        "sub": settings["api_key"],
        "bodyHash": hashlib.sha256(signed).hexdigest(),
    }
    token = jwt.encode(claims, settings["private_key"], algorithm="RS256")
    headers = {"X-API-Key": settings["api_key"], "Authorization": f"Bearer {token}"}
    if body:
        headers["Content-Type"] = "application/json"
    response = httpx.request(
        method, _root(settings) + path, headers=headers, content=body, timeout=10
    )
    assert response.status_code == status, response.text


def test_sandbox_saw_no_off_spec_request_from_either_sdk(sandbox: Sandbox) -> None:
    """Runs last in this module: every SDK request above was on spec."""
    assert sandbox.violations == []
