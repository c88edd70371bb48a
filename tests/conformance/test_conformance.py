"""The same tests for every provider, sync and async, over real HTTP against the sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import facade
from facade import _registry, errors
from facade.providers.cryptofuse import Cryptofuse

from .harness import Harness, client_settings
from .profiles import PROFILES, Profile

pytestmark = pytest.mark.timeout(120)


# --- the mapping table and its invariants -----------------------------------------------


def check_mapping(harness: Harness, wallet_ids: list[str] | None = None) -> int:
    """Every seeded wallet maps as the README's table says. Returns balances checked."""
    checked = 0
    for wallet in harness.wallets():
        if wallet_ids is not None and wallet["wallet_id"] not in wallet_ids:
            continue
        query = harness.query_for(wallet)
        if query.get("assets") == []:
            continue  # nothing to ask a per-asset API about
        result = harness.get(wallet["wallet_id"], **query)
        assert result.provider == harness.name
        assert result.wallet_id == wallet["wallet_id"]
        assert sorted(b.asset for b in result.balances) == sorted(wallet["assets"])
        for balance in result.balances:
            want = harness.profile.expected(balance.raw)
            got = (balance.total, balance.available, balance.pending, balance.locked)
            assert got == (want.total, want.available, want.pending, want.locked), balance.asset
            assert dict(balance.extras) == dict(want.extras), balance.asset
            for amount in (*got, *balance.extras.values()):
                assert amount is None or type(amount) is Decimal
            assert all(amount is None or amount >= 0 for amount in got), balance.asset
            if balance.total is not None and balance.available is not None:
                assert balance.available <= balance.total
            checked += 1
    return checked


def test_mapping_table(harness: Harness) -> None:
    assert check_mapping(harness) > 0


def test_results_validate_against_unified_schema(harness: Harness, wallet_schema: Any) -> None:
    documents = []
    for wallet in harness.wallets():
        query = harness.query_for(wallet)
        if query.get("assets") != []:
            documents.append(facade.to_json_dict(harness.get(wallet["wallet_id"], **query)))
    wallet_schema.validate({"wallets": documents})


def test_amounts_are_exact_decimals(harness: Harness) -> None:
    wallet = harness.wallets()[0]
    result = harness.get(wallet["wallet_id"], **harness.query_for(wallet))
    for balance in result.balances:
        json_form = facade.to_json_dict(result)
        amounts = {b["asset"]: b["total"] for b in json_form["balances"]}
        if balance.total is not None:
            assert amounts[balance.asset] == format(balance.total, "f")
            assert Decimal(amounts[balance.asset]) == balance.total


def test_bpn_amounts_beyond_float_precision(conformance_sandbox: Any) -> None:
    info = conformance_sandbox.providers["bpn"]
    with facade.connect("bpn", **client_settings(conformance_sandbox, "bpn")) as client:
        amounts = {
            amount
            for wallet in info.wallets
            for b in client.get_balances(wallet["wallet_id"]).balances
            for amount in (b.total, b.available, b.locked)
        }
    assert Decimal("12345678901234567.123456789") in amounts
    assert Decimal("0.000000000000000001") in amounts


# --- filtering and capabilities -----------------------------------------------------------


def test_asset_filter_returns_only_those_assets(harness: Harness) -> None:
    wallet = next(w for w in harness.wallets() if len(w["assets"]) >= 2)
    wanted = wallet["assets"][:1]
    result = harness.get(wallet["wallet_id"], account_id=wallet["account_id"], assets=wanted)
    assert [b.asset for b in result.balances] == wanted


def test_wallet_wide_listing_or_unsupported(harness: Harness) -> None:
    wallet = harness.wallets()[0]
    if harness.capability("list_balances") is facade.Support.UNSUPPORTED:
        with pytest.raises(errors.Unsupported):
            harness.get(wallet["wallet_id"], account_id=wallet["account_id"])
        assert harness.sandbox.requests(harness.name) == []
    else:
        result = harness.get(wallet["wallet_id"], account_id=wallet["account_id"])
        assert {b.asset for b in result.balances} == set(wallet["assets"])


def test_refresh_native_or_unsupported(harness: Harness) -> None:
    wallet = next(w for w in harness.wallets() if w["assets"])
    args = {"account_id": wallet["account_id"], "assets": wallet["assets"][:1]}
    if harness.capability("refresh") is facade.Support.UNSUPPORTED:
        with pytest.raises(errors.Unsupported):
            harness.call("refresh_balances", wallet["wallet_id"], **args)
        assert harness.sandbox.requests(harness.name) == []
        return
    result = harness.call("refresh_balances", wallet["wallet_id"], **args)
    assert [b.asset for b in result.balances] == args["assets"]


def test_retried_refresh_reuses_its_idempotency_key(harness: Harness) -> None:
    operation = harness.profile.refresh_operation
    if operation is None:
        pytest.skip(f"{harness.name} has no refresh operation")
    wallet = next(w for w in harness.wallets() if w["assets"])
    harness.sandbox.inject(harness.name, "503", operation=operation, times=2)
    harness.call(
        "refresh_balances",
        wallet["wallet_id"],
        account_id=wallet["account_id"],
        assets=wallet["assets"][:1],
    )
    keys = [use.key for use in harness.sandbox.idempotency_keys(harness.name)]
    received = harness.sandbox.requests(harness.name, operation=operation)
    assert len(received) == 3
    sent = {dict((k.lower(), v) for k, v in r.headers)["idempotency-key"] for r in received}
    assert len(sent) == 1
    assert set(keys) <= sent


# --- errors ---------------------------------------------------------------------------------


def _first(harness: Harness) -> dict[str, Any]:
    """A one-request read of a seeded wallet."""
    wallet = next(w for w in harness.wallets() if w["assets"])
    query = harness.query_for(wallet)
    if "assets" in query:
        query["assets"] = query["assets"][:1]
    return {"wallet_id": wallet["wallet_id"], **query}


def test_unknown_wallet_is_not_found(harness: Harness) -> None:
    args = _first(harness)
    args["wallet_id"] = harness.profile.missing_wallet
    with pytest.raises(errors.NotFound) as info:
        harness.get(**args)
    assert info.value.provider == harness.name
    assert info.value.status_code == 404
    assert info.value.operation in harness.profile.read_operations


def test_bad_credentials_are_authentication_errors(harness: Harness) -> None:
    settings = harness.settings(**harness.profile.wrong_credentials)
    with pytest.raises(errors.AuthenticationError) as info:
        harness.get(**_first(harness), settings=settings)
    assert info.value.status_code == 401
    assert len(harness.sandbox.requests(harness.name)) == 1  # never retried


def test_expired_auth(harness: Harness) -> None:
    """Token-based auth renews itself; per-request signatures from a skewed clock fail; a
    static key keeps working."""
    sandbox = harness.sandbox
    expiry = harness.profile.auth_expiry
    assert expiry in ("token", "signature", "static"), expiry
    if expiry == "token":
        settings = harness.settings(api_key=None, **harness.info.extra_credentials)
        settings = {k: v for k, v in settings.items() if v is not None}
        sandbox.token_ttl = 60.0
        if harness.mode == "sync":
            with facade.connect(harness.name, **settings) as client:
                client.get_balances(**_first(harness))
                sandbox.advance_clock(120)  # the cached token is now expired server-side
                client.get_balances(**_first(harness))
        else:

            async def run() -> None:
                async with facade.connect_async(harness.name, **settings) as client:
                    await client.get_balances(**_first(harness))
                    sandbox.advance_clock(120)
                    await client.get_balances(**_first(harness))

            asyncio.run(run())
        assert sandbox.tokens_issued(harness.name) == 2
    elif expiry == "signature":
        sandbox.advance_clock(300)  # our fresh signatures look stale to the provider
        with pytest.raises(errors.AuthenticationError):
            harness.get(**_first(harness))
    else:
        sandbox.advance_clock(300)
        assert harness.get(**_first(harness)).wallet_id


# --- resilience -----------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["rate_limit", "503", "500", "reset", "html:502"])
def test_retry_then_success(harness: Harness, fault: str) -> None:
    harness.sandbox.inject(harness.name, fault, times=2)
    result = harness.get(**_first(harness))
    assert result.balances
    assert len(harness.sandbox.requests(harness.name)) >= 3


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("503", errors.ProviderUnavailable),
        ("rate_limit", errors.RateLimited),
        ("reset", errors.ProviderUnavailable),
    ],
)
def test_gives_up_after_retry_budget(harness: Harness, fault: str, error: type) -> None:
    harness.sandbox.inject(harness.name, fault, times=None)
    with pytest.raises(error) as info:
        harness.get(**_first(harness), settings=harness.settings(max_retries=2))
    assert info.value.provider == harness.name
    assert len(harness.sandbox.requests(harness.name)) == 3


def test_retry_after_is_honoured(harness: Harness) -> None:
    harness.sandbox.inject(harness.name, "rate_limit:1", times=1)
    started = time.monotonic()
    harness.get(**_first(harness))
    assert time.monotonic() - started >= 0.95


def test_retry_after_beyond_cap_raises_rate_limited(harness: Harness) -> None:
    harness.sandbox.inject(harness.name, "rate_limit:120", times=1)
    started = time.monotonic()
    with pytest.raises(errors.RateLimited) as info:
        harness.get(**_first(harness), settings=harness.settings(retry_after_cap=5))
    assert info.value.retry_after == 120
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("fault", ["latency:3", "slow_body:3"])
def test_timeout_within_bound(harness: Harness, fault: str) -> None:
    harness.sandbox.inject(harness.name, fault, times=1)
    started = time.monotonic()
    with pytest.raises(errors.Timeout):
        harness.get(**_first(harness), settings=harness.settings(timeout=0.5, max_retries=0))
    assert time.monotonic() - started < 1.5


def test_truncated_json_is_protocol_error(harness: Harness) -> None:
    harness.sandbox.inject(harness.name, "truncated", times=1)
    with pytest.raises(errors.ProtocolError):
        harness.get(**_first(harness))


# --- inputs never leave their route ------------------------------------------------------

_ROUTE = {
    "fireblocks-vault": re.compile(r"/v1/vault/accounts/[0-9]+(/[^/?]+)?"),
    "fireblocks-embedded": re.compile(
        r"/v1/ncw/wallets/[^/?]+/accounts/[^/?]+/assets/[^/?]+/balance"
    ),
    "cryptofuse": re.compile(r"/wallets/balances\?wallet_id=[^&/]+"),
    "kuna-core": re.compile(r"/v2/balance"),
    "bpn": re.compile(r"/v1/wallet/asset-balance\?(currency=[^&/]+&)?walletId=[^&/]+"),
}
_TEXT = st.text(st.characters(codec="utf-8"), min_size=0, max_size=12) | st.sampled_from(
    ["..", ".", "../..", "a/b", "%2e%2e", "x?y=1", "x#y", "a b", "\x00", "0/../1", "@evil.test"]
)


@pytest.mark.parametrize("provider", sorted(PROFILES))
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(wallet_id=_TEXT, asset=_TEXT)
def test_fuzzed_ids_stay_on_their_route(
    conformance_sandbox: Any, provider: str, wallet_id: str, asset: str
) -> None:
    info = conformance_sandbox.providers[provider]
    conformance_sandbox.clear_requests()
    account = next((w["account_id"] for w in info.wallets if w["account_id"]), None)
    with (
        facade.connect(
            provider, **client_settings(conformance_sandbox, provider), max_retries=0
        ) as client,
        contextlib.suppress(errors.InvalidArgument, errors.ProviderError),
    ):
        client.get_balances(wallet_id, account_id=account, assets=[asset])
    host = info.base_url.split("//", 1)[1].split("/", 1)[0]
    for request in conformance_sandbox.requests(provider):
        assert _ROUTE[provider].fullmatch(request.target), request.target
        headers = {k.lower(): v for k, v in request.headers}
        assert headers["host"] == host


# --- secrets ------------------------------------------------------------------------------


def test_no_secret_in_repr_logs_or_errors(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    settings = harness.settings()
    secrets = [settings[name] for name in harness.profile.secret_settings]
    secrets += [line for s in secrets for line in s.splitlines() if len(line) > 20]
    caplog.set_level(logging.DEBUG)
    harness.sandbox.inject(harness.name, "503", times=1)
    harness.get(**_first(harness))
    plain = {k: v for k, v in settings.items() if k != "transport"}  # only repr is used
    with facade.connect(harness.name, **plain) as client:
        shown = [repr(client), str(client)]
    args = _first(harness)
    args["wallet_id"] = harness.profile.missing_wallet
    try:
        harness.get(**args)
    except errors.FacadeError as exc:
        shown += [str(exc), repr(exc), str(vars(exc))]
    shown.append(caplog.text)
    for text in shown:
        for secret in secrets:
            assert secret not in text


# --- a deliberately broken adapter fails the suite -------------------------------------


def test_the_suite_catches_a_wrong_mapping(
    conformance_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Registration is global: give this test its own copy of the registry.
    monkeypatch.setattr(_registry, "_PROVIDERS", dict(_registry._PROVIDERS))

    class OverstatingCryptofuse(Cryptofuse):
        """Reads ``amount`` as available: the reading the README rejects."""

        name = "cryptofuse-overstating"

        def map_balances(self, query: Any, replies: Any) -> Any:
            mapped = super().map_balances(query, replies)
            mapped.balances = [dataclasses.replace(b, available=b.total) for b in mapped.balances]
            return mapped

    facade.register_provider("cryptofuse-overstating", OverstatingCryptofuse)
    info = conformance_sandbox.providers["cryptofuse"]
    profile = Profile(
        "cryptofuse-overstating",
        PROFILES["cryptofuse"].expected,
        missing_wallet="x",
        wrong_credentials={},
    )

    class BrokenHarness(Harness):
        @property
        def info(self) -> Any:
            return info

    broken = BrokenHarness(conformance_sandbox, profile, "sync")
    with pytest.raises(AssertionError):
        check_mapping(broken)
    # The same harness over the real adapter passes: the failure is the mapping's.
    assert check_mapping(Harness(conformance_sandbox, PROFILES["cryptofuse"], "sync")) > 0
