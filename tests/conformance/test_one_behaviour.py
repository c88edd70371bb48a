"""One behaviour for every provider where they differ natively (issue 11): unheld and unknown
assets, code case, unknown wallets and accounts, valuation scope, whole-wallet refresh and
Idempotency-Key derivation. Sync and async, over real HTTP against the sandbox."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest

import facade
from facade import errors

from .conftest import Harness

pytestmark = pytest.mark.timeout(120)

UNKNOWN = "NOPE"  # a well-formed code no provider knows


def _held(harness: Harness, count: int = 1) -> Mapping[str, Any]:
    return next(w for w in harness.wallets() if len(w["assets"]) >= count)


def _args(wallet: Mapping[str, Any], assets: list[str]) -> dict[str, Any]:
    return {"account_id": wallet["account_id"], "assets": assets}


# --- unheld and unknown assets ---------------------------------------------------------------


def test_an_unknown_code_is_listed_as_missing(harness: Harness) -> None:
    wallet = _held(harness)
    held = wallet["assets"][0]
    result = harness.get(wallet["wallet_id"], **_args(wallet, [held, UNKNOWN]))
    assert [b.asset for b in result.balances] == [held]
    assert result.missing == [UNKNOWN]
    assert facade.to_json_dict(result)["missing"] == [UNKNOWN]


def test_only_unknown_codes_give_an_empty_result_not_an_error(harness: Harness) -> None:
    wallet = _held(harness)
    result = harness.get(wallet["wallet_id"], **_args(wallet, [UNKNOWN, "NOPE2"]))
    assert result.balances == []
    assert result.missing == [UNKNOWN, "NOPE2"]
    assert result.fiat_valuation is None


def test_codes_held_by_other_wallets_are_never_dropped_silently(harness: Harness) -> None:
    """A code the provider knows but this wallet does not hold is either in ``missing`` or
    answered by the provider itself (BPN answers a supported currency with zeros)."""
    wallets = harness.wallets()
    known = {code for w in wallets for code in w["assets"]}
    checked = 0
    for wallet in wallets:
        unheld = sorted(known - set(wallet["assets"]))
        if not wallet["assets"] or not unheld:
            continue
        asked = [wallet["assets"][0], *unheld]
        result = harness.get(wallet["wallet_id"], **_args(wallet, asked))
        returned = [b.asset for b in result.balances]
        assert wallet["assets"][0] in returned
        for code in unheld:
            assert (code in result.missing) != (code in returned), code
            if code in returned:
                (balance,) = [b for b in result.balances if b.asset == code]
                assert balance.total in (None, Decimal(0)), code
        checked += 1
    if checked == 0:
        pytest.skip(f"every {harness.name} wallet of the sandbox holds the same assets")


def test_codes_compare_case_insensitively_and_come_back_in_the_providers_spelling(
    harness: Harness,
) -> None:
    wallet = _held(harness)
    held = wallet["assets"][0]
    for asked in (held.swapcase(), held.lower(), held.upper()):
        result = harness.get(wallet["wallet_id"], **_args(wallet, [asked]))
        assert [b.asset for b in result.balances] == [held], asked
        assert result.missing == []
    # Two spellings of one code are one asset, asked once.
    harness.sandbox.clear_requests()
    result = harness.get(wallet["wallet_id"], **_args(wallet, [held.lower(), held.upper()]))
    assert [b.asset for b in result.balances] == [held]
    assert len(harness.sandbox.requests(harness.name)) == 1


def test_an_unknown_wallet_is_not_found_whatever_the_assets(harness: Harness) -> None:
    wallet = _held(harness)
    for assets in ([wallet["assets"][0], UNKNOWN], [UNKNOWN]):
        with pytest.raises(errors.NotFound) as info:
            harness.get(harness.profile.missing_wallet, **_args(wallet, assets))
        assert info.value.provider == harness.name


def test_an_unknown_account_is_not_found(harness: Harness) -> None:
    wallet = _held(harness)
    if harness.capability("accounts") is facade.Support.UNSUPPORTED:
        with pytest.raises(errors.Unsupported):
            harness.get(wallet["wallet_id"], account_id="987", assets=wallet["assets"][:1])
        assert harness.sandbox.requests(harness.name) == []
        return
    with pytest.raises(errors.NotFound) as info:
        harness.get(wallet["wallet_id"], account_id="987", assets=[wallet["assets"][0], UNKNOWN])
    assert info.value.provider == harness.name


# --- valuation scope -------------------------------------------------------------------------


def test_fiat_valuation_values_exactly_the_balances_returned(harness: Harness) -> None:
    wallet = max(harness.wallets(), key=lambda w: len(w["assets"]))
    if harness.capability("fiat_valuation") is facade.Support.UNSUPPORTED:
        result = harness.get(wallet["wallet_id"], **harness.query_for(wallet))
        assert result.fiat_valuation is None
        return
    assert len(wallet["assets"]) >= 3, "the sandbox needs a wallet of three assets"
    first, second = wallet["assets"][:2]
    alone = {}
    for code in (first, second):
        valuation = harness.get(wallet["wallet_id"], assets=[code]).fiat_valuation
        assert valuation is not None
        alone[code] = valuation
    pair = harness.get(wallet["wallet_id"], assets=[first, second])
    assert {b.asset for b in pair.balances} == {first, second}
    assert pair.fiat_valuation == facade.FiatValuation(
        amount=alone[first].amount + alone[second].amount, currency=alone[first].currency
    )
    whole = harness.get(wallet["wallet_id"])
    assert whole.fiat_valuation is not None
    assert whole.fiat_valuation.amount > pair.fiat_valuation.amount  # the third asset counts


# --- refresh -------------------------------------------------------------------------------


def test_refresh_without_assets_refreshes_every_held_asset_or_is_unsupported(
    harness: Harness,
) -> None:
    wallet = _held(harness, 2)
    args = {"account_id": wallet["account_id"]}
    if harness.capability("refresh_all") is facade.Support.UNSUPPORTED:
        with pytest.raises(errors.Unsupported) as info:
            harness.call("refresh_balances", wallet["wallet_id"], **args)
        assert info.value.operation == "refresh_balances"
        assert harness.sandbox.requests(harness.name) == []
        return
    result = harness.call("refresh_balances", wallet["wallet_id"], **args)
    assert sorted(b.asset for b in result.balances) == sorted(wallet["assets"])
    operation = harness.profile.refresh_operation
    refreshed = harness.sandbox.requests(harness.name, operation=operation)
    assert len(refreshed) == len(wallet["assets"])


def test_idempotency_keys_one_per_request_derived_from_the_callers_and_kept_on_retry(
    harness: Harness,
) -> None:
    operation = harness.profile.refresh_operation
    if operation is None:
        pytest.skip(f"{harness.name} has no refresh operation")
    wallet = _held(harness, 2)
    first, second = wallet["assets"][:2]
    harness.sandbox.inject(harness.name, "503", operation=operation, times=2)
    harness.call(
        "refresh_balances",
        wallet["wallet_id"],
        account_id=wallet["account_id"],
        assets=[first, second],
        idempotency_key="run-42",
    )
    keys_by_path: dict[str, set[str]] = defaultdict(set)
    for request in harness.sandbox.requests(harness.name, operation=operation):
        headers = {k.lower(): v for k, v in request.headers}
        keys_by_path[request.target].add(headers["idempotency-key"])
    assert len(keys_by_path) == 2
    assert all(len(keys) == 1 for keys in keys_by_path.values())  # retries resend their key
    assert {k for keys in keys_by_path.values() for k in keys} == {
        f"run-42-{first}",
        f"run-42-{second}",
    }
    # One asset: the caller's key as given.
    harness.sandbox.clear_requests()
    harness.call(
        "refresh_balances",
        wallet["wallet_id"],
        account_id=wallet["account_id"],
        assets=[first],
        idempotency_key="run-43",
    )
    (request,) = harness.sandbox.requests(harness.name, operation=operation)
    assert dict((k.lower(), v) for k, v in request.headers)["idempotency-key"] == "run-43"
