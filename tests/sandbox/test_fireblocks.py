"""Fireblocks sandbox over raw HTTP: JWT auth codes, errors, paging, idempotency."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from support import own_rsa_key
from support.sandbox_http import DROP, Fireblocks

from facade.sandbox import Sandbox

ALLOW_VIOLATIONS = pytest.mark.wallet_sandbox_allow_violations
EMBEDDED = "/ncw/wallets/550e8400-e29b-41d4-a716-446655440000/accounts/{}/assets/{}/balance"


@pytest.fixture(scope="module")
def other_key() -> str:
    """The tests' own key: not the one the sandbox registered for its API key."""
    return own_rsa_key().pem


def test_vault_asset_is_the_seeded_one_with_string_amounts(fb: Fireblocks) -> None:
    response = fb.get("/vault/accounts/0/ETH")
    assert response.status_code == 200
    assert response.json() == {
        "id": "ETH",
        "total": "310.125000000000000000",
        "balance": "310.125000000000000000",
        "available": "310.125000000000000000",
        "pending": "1.500000000000000000",
        "frozen": "0",
        "lockedAmount": "0.000000000000000000",
        "staked": "32",
        "blockHeight": "21034567",
        "blockHash": "0x9d4b5c2e1f3a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e",
        "rewardsInfo": {"pendingRewards": "0.041235"},
    }


def test_every_response_has_a_unique_request_id(fb: Fireblocks) -> None:
    ids = {fb.get("/vault/accounts/0").headers["X-Request-ID"] for _ in range(3)}
    ids.add(fb.get("/vault/accounts/999").headers["X-Request-ID"])
    ids.add(fb.get("/vault/accounts/0", api_key="nope").headers["X-Request-ID"])
    assert len(ids) == 5


def test_vault_account_lists_its_assets(fb: Fireblocks, sb: Sandbox) -> None:
    body = fb.get("/vault/accounts/1").json()
    assert body["id"] == "1"
    assert body["autoFuel"] is True
    assert [a["id"] for a in body["assets"]] == ["BTC", "USDT_ERC20", "SOL"]
    sol = body["assets"][2]
    assert (sol["staked"], sol["rewardsInfo"]) == ("500", {"pendingRewards": "1.25"})
    empty_id = sb.providers["fireblocks-vault"].empty_wallet.wallet_id
    empty = fb.get(f"/vault/accounts/{empty_id}").json()
    assert empty["assets"] == []


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/vault/accounts/999", 404, 1004),
        ("/vault/accounts/999/BTC", 404, 1004),
        ("/vault/accounts/0/DOGE", 404, 1006),
        ("/vault/accounts/2/BTC", 404, 1006),
    ],
)
def test_documented_not_found_codes(fb: Fireblocks, path: str, status: int, code: int) -> None:
    response = fb.get(path)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)


@ALLOW_VIOLATIONS
def test_non_numeric_vault_id_is_off_spec(fb: Fireblocks, sb: Sandbox) -> None:
    response = fb.get("/vault/accounts/treasury")
    assert response.status_code == 400
    assert response.json()["code"] == 1000
    [violation] = sb.violations
    assert violation.kind == "request"
    assert violation.operation == "getVaultAccount"
    assert "numeric" in violation.errors[0]


# --------------------------------------------------------------------------- auth


def _auth_cases(other_key: str) -> list[tuple[str, dict[str, Any], int]]:
    now = int(time.time())
    return [
        ("no JWT", {"headers": {"Authorization": ""}}, -3),
        ("not Bearer", {"headers": {"Authorization": "Basic abc"}}, -3),
        ("garbage token", {"token": "not-a-jwt"}, -5),
        ("bad base64", {"token": "a.b!.c"}, -5),
        ("no sub", {"sub": DROP}, -2),
        ("sub differs from X-API-Key", {"sub": "someone-else"}, -2),
        ("no X-API-Key header", {"headers": {"X-API-Key": ""}}, -2),
        ("unknown API key", {"api_key": "unknown", "sub": "unknown"}, -7),
        ("signed with another key", {"private_key": other_key}, -1),
        ("uri without /v1", {"uri": "/vault/accounts/0"}, -4),
        ("uri of another path", {"uri": "/v1/vault/accounts/1"}, -4),
        ("no nonce", {"nonce": DROP}, -5),
        ("no iat", {"iat": DROP}, -5),
        ("string exp", {"exp": str(now + 30)}, -5),
        ("expired", {"iat": now - 60, "exp": now - 5}, -10),
        ("iat in the future", {"iat": now + 60, "exp": now + 90}, -12),
        ("lifetime over 55 s", {"exp": now + 3600}, -5),
        ("bodyHash of another body", {"bodyHash": "00" * 32}, -1),
    ]


@pytest.mark.parametrize("case", range(18))
def test_auth_rejections_use_the_documented_codes(
    fb: Fireblocks, other_key: str, case: int, sb: Sandbox
) -> None:
    name, options, code = _auth_cases(other_key)[case]
    response = fb.get("/vault/accounts/0", **options)
    assert response.status_code == 401, name
    body = response.json()
    assert body["code"] == code, name
    assert set(body) == {"message", "code"}
    assert response.headers["X-Request-ID"]
    assert sb.violations == []


def test_auth_with_an_hs256_token_is_a_format_error(fb: Fireblocks) -> None:
    token = jwt.encode(fb.claims("/v1/vault/accounts/0"), "s" * 32, algorithm="HS256")
    assert fb.get("/vault/accounts/0", token=token).json()["code"] == -5


def test_uri_must_include_the_query(fb: Fireblocks) -> None:
    assert fb.get("/vault/accounts_paged?limit=2").status_code == 200
    signed_without_query = fb.get("/vault/accounts_paged?limit=2", uri="/v1/vault/accounts_paged")
    assert signed_without_query.json()["code"] == -4


def test_body_hash_covers_the_exact_body(fb: Fireblocks) -> None:
    path = "/vault/accounts/0/BTC/balance"
    signed_for_empty = fb.claims("/v1" + path, b"")
    response = fb.request("POST", path, body=b"{}", token=fb.token(signed_for_empty))
    assert response.json()["code"] == -1
    assert fb.request("POST", path, body=b"{}").status_code == 200
    assert fb.request("POST", path).status_code == 200


def test_a_registered_second_api_user_is_accepted(
    fb: Fireblocks, sb: Sandbox, other_key: str
) -> None:
    assert other_key == own_rsa_key().pem
    sb.register_fireblocks_key("second-user", own_rsa_key().public_pem)
    response = fb.get(
        "/vault/accounts/0", api_key="second-user", sub="second-user", private_key=other_key
    )
    assert response.status_code == 200


def test_server_clock_skew_turns_fresh_tokens_stale(fb: Fireblocks, sb: Sandbox) -> None:
    sb.advance_clock(120)
    assert fb.get("/vault/accounts/0").json()["code"] == -10
    sb.advance_clock(-240)
    assert fb.get("/vault/accounts/0").json()["code"] == -12


# --------------------------------------------------------------------------- paging


def _ids(body: dict[str, Any]) -> list[str]:
    return [a["id"] for a in body["accounts"]]


def _vault_ids(sb: Sandbox) -> list[str]:
    return sorted((w.wallet_id for w in sb.providers["fireblocks-vault"].seeded_wallets), key=int)


def test_paging_walks_forward_and_back(fb: Fireblocks, sb: Sandbox) -> None:
    everything = _vault_ids(sb)
    pages: list[list[str]] = []
    query = "limit=3&orderBy=ASC"
    body = fb.get(f"/vault/accounts_paged?{query}").json()
    pages.append(_ids(body))
    assert "before" not in body["paging"]
    while "after" in body["paging"]:
        assert body["nextUrl"].startswith(fb.base_url + "/vault/accounts_paged?")
        body = fb.get(f"/vault/accounts_paged?{query}&after={body['paging']['after']}").json()
        pages.append(_ids(body))
    assert [i for page in pages for i in page] == everything
    assert "nextUrl" not in body
    back = fb.get(f"/vault/accounts_paged?{query}&before={body['paging']['before']}").json()
    assert _ids(back) == pages[-2]


def test_paging_defaults_to_descending_ids(fb: Fireblocks, sb: Sandbox) -> None:
    body = fb.get("/vault/accounts_paged").json()
    assert _ids(body) == _vault_ids(sb)[::-1]
    assert body["paging"] == {}


def test_paging_filters(fb: Fireblocks) -> None:
    assert _ids(fb.get("/vault/accounts_paged?namePrefix=deposit&orderBy=ASC").json()) == [
        "4", "5", "6", "7", "8",
    ]  # fmt: skip
    assert _ids(fb.get("/vault/accounts_paged?nameSuffix=(HIDDEN)").json()) == ["3"]
    by_asset = fb.get("/vault/accounts_paged?assetId=SOL").json()
    assert _ids(by_asset) == ["1"]
    assert [a["id"] for a in by_asset["accounts"][0]["assets"]] == ["SOL"]
    rich = fb.get("/vault/accounts_paged?assetId=USDT_ERC20&minAmountThreshold=60").json()
    assert _ids(rich) == ["8", "7", "1", "0"]


@ALLOW_VIOLATIONS
@pytest.mark.parametrize("query", ["limit=0", "limit=501", "orderBy=UP", "limit=ten"])
def test_paging_rejects_off_spec_queries(fb: Fireblocks, sb: Sandbox, query: str) -> None:
    response = fb.get(f"/vault/accounts_paged?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == 1000
    assert [v.operation for v in sb.violations] == ["getPagedVaultAccounts"]


def test_paging_rejects_bad_cursors_without_a_violation(fb: Fireblocks, sb: Sandbox) -> None:
    response = fb.get("/vault/accounts_paged?after=bm9wZQ")
    assert (response.status_code, response.json()["code"]) == (400, 1000)
    assert sb.violations == []


# --------------------------------------------------------------------------- embedded wallets


def test_embedded_balance_uses_reward_info(fb: Fireblocks) -> None:
    body = fb.get(EMBEDDED.format("0", "ETH")).json()
    assert body["total"] == "2.500000000000000000"
    assert body["rewardInfo"] == {"pendingRewards": "0.0005"}
    assert "rewardsInfo" not in body


@pytest.mark.parametrize(
    ("path", "status", "message", "code"),
    [
        ("/ncw/wallets/nope/accounts/0/assets/BTC/balance", 404, "Wallet not found", 404),
        (EMBEDDED.format("7", "BTC"), 404, "Account not found", 404),
        # An asset the account does not hold: Fireblocks' asset-level code, as for vaults.
        (EMBEDDED.format("0", "DOGE"), 404, "Asset doesn't exist", 1006),
        (
            EMBEDDED.format("main", "BTC"),
            400,
            "Validation failed (numeric string is expected)",
            400,
        ),
    ],
)
def test_embedded_errors(fb: Fireblocks, path: str, status: int, message: str, code: int) -> None:
    response = fb.get(path)
    assert response.status_code == status
    assert response.json() == {"error": response.reason_phrase, "message": message, "code": code}


# --------------------------------------------------------------------------- idempotency


@pytest.mark.parametrize(
    ("method", "path", "provider"),
    [
        ("POST", "/vault/accounts/0/BTC/balance", "fireblocks-vault"),
        ("PUT", EMBEDDED.format("0", "BTC"), "fireblocks-embedded"),
    ],
)
def test_refresh_replays_the_first_response_for_a_key(
    fb: Fireblocks, sb: Sandbox, method: str, path: str, provider: str
) -> None:
    first = fb.request(method, path, headers={"Idempotency-Key": "k-1"})
    again = fb.request(method, path, headers={"Idempotency-Key": "k-1"})
    other = fb.request(method, path, headers={"Idempotency-Key": "k-2"})
    assert first.status_code == again.status_code == other.status_code == 200
    assert first.content == again.content
    assert first.headers["X-Request-ID"] != again.headers["X-Request-ID"]
    uses = sb.idempotency_keys(provider)
    assert [(u.key, u.replayed) for u in uses] == [("k-1", False), ("k-1", True), ("k-2", False)]
    assert [r.header("idempotency-key") for r in sb.requests(provider)] == ["k-1", "k-1", "k-2"]


def test_a_replayed_key_returns_the_first_answer_even_for_another_asset(fb: Fireblocks) -> None:
    missing = fb.request("POST", "/vault/accounts/0/DOGE/balance", headers={"Idempotency-Key": "k"})
    assert missing.status_code == 404
    replay = fb.request("POST", "/vault/accounts/0/BTC/balance", headers={"Idempotency-Key": "k"})
    assert (replay.status_code, replay.content) == (404, missing.content)
