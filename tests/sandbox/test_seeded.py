"""The seeded dataset through the public API only, as a user's tests rely on it: each
provider's wallets, their exact amounts as served, and the empty, forbidden and default
wallets doing over HTTP what ``ProviderInfo`` says they do."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from decimal import Decimal
from typing import Any

import pytest
from support.clients import call
from support.sandbox_http import bpn_get

import facade
from facade import errors
from facade.sandbox import (
    PROVIDER_NAMES,
    ProviderInfo,
    Sandbox,
    SeededBalance,
    SeededWallet,
    WalletClients,
)


def query(client: facade.BalanceClient, wallet: SeededWallet, assets: list[str]) -> dict[str, Any]:
    """get_balances keyword arguments for ``wallet``: its account, and ``assets`` when the
    provider cannot list a whole wallet."""
    kwargs: dict[str, Any] = {}
    if wallet.account_id is not None:
        kwargs["account_id"] = wallet.account_id
    if client.capabilities["list_balances"] is facade.Support.UNSUPPORTED:
        kwargs["assets"] = assets
    return kwargs


def http_settings(info: ProviderInfo) -> dict[str, Any]:
    """The sandbox's settings, as a user's service would be configured, failing fast."""
    return {**info.settings, "max_retries": 0, "timeout": 5.0}


def served(item: dict[str, Any], name: str) -> Decimal:
    """The amount ``name`` (dotted: nested) of a provider item as received, read exactly."""
    value: Any = item
    for part in name.split("."):
        value = value[part]
    assert type(value) in (str, int, Decimal), (name, value)  # never a float, nor a bool
    return value if isinstance(value, Decimal) else Decimal(value)


# --- what every provider declares ---------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_every_provider_seeds_wallets_with_amounts_and_an_empty_one(
    wallet_sandbox: Sandbox, provider: str
) -> None:
    info = wallet_sandbox.providers[provider]
    assert [w.as_json() for w in info.seeded_wallets] == info.wallets
    assert info.empty_wallet.empty
    assert info.empty_wallet.balances == ()
    held = [w for w in info.seeded_wallets if not w.empty]
    assert held
    for wallet in held:
        assert [b.asset for b in wallet.balances] == list(wallet.assets)
        for balance in wallet.balances:
            assert balance.amounts, (wallet.wallet_id, balance.asset)
            assert all(type(v) is Decimal for v in balance.amounts.values())
        assert info.wallet(wallet.wallet_id, wallet.account_id) is wallet


# --- served exactly as declared -----------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_seeded_amounts_are_what_the_provider_serves_digit_for_digit(
    wallet_clients: WalletClients, provider: str
) -> None:
    info = wallet_clients.sandbox.providers[provider]
    client = wallet_clients.connect(provider)
    for wallet in (w for w in info.seeded_wallets if not w.empty):
        result = client.get_balances(wallet.wallet_id, **query(client, wallet, list(wallet.assets)))
        assert [b.asset for b in result.balances] == list(wallet.assets)
        for balance in result.balances:
            seeded = wallet.balance(balance.asset)
            for name, amount in seeded.amounts.items():
                # format(..., "f") compares the digits, trailing zeros included.
                got = served(balance.raw, name)
                assert format(got, "f") == format(amount, "f"), (wallet.wallet_id, name)


def test_bpn_amounts_a_float_cannot_hold_and_the_exact_usd_total(
    wallet_clients: WalletClients,
) -> None:
    info = wallet_clients.sandbox.providers["bpn"]
    wallet = max(
        (w for w in info.seeded_wallets if "USDT" in w.assets),
        key=lambda w: w.balance("USDT").amounts["available"],
    )
    usdt, usdc = wallet.balance("USDT").amounts, wallet.balance("USDC").amounts
    assert usdt["available"] == Decimal("12345678901234567.123456789")
    assert usdc["available"] == usdc["unavailable"] == Decimal("0.000000000000000001")
    assert float(usdt["available"]) != usdt["available"]  # what the seed exists to show

    result = wallet_clients.connect("bpn").get_balances(wallet.wallet_id)
    assert result.fiat_valuation is not None
    assert result.fiat_valuation.amount == wallet.totals["totalAvailable"]
    # The 1E-18 USDC is still there next to the 1E16 USDT.
    assert format(wallet.totals["totalAvailable"], "f").endswith(".055181014000000001")
    assert result.fiat_valuation.currency == "USD"


# --- the edges a user's test needs ---------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
async def test_the_empty_wallet_returns_no_balances_over_http(
    wallet_sandbox: Sandbox, provider: str, mode: str
) -> None:
    info = wallet_sandbox.providers[provider]
    empty = info.empty_wallet
    # A provider that reads asset by asset is asked for an asset held elsewhere.
    held = next(w for w in info.seeded_wallets if w.assets).assets[0]
    settings = http_settings(info)
    with facade.connect(provider, **settings) as client:
        kwargs = query(client, empty, [held])
    result = await call(mode, provider, settings, "get_balances", empty.wallet_id, **kwargs)
    assert (result.wallet_id, result.balances) == (empty.wallet_id, [])


async def test_the_forbidden_wallet_answers_with_the_providers_permission_error(
    wallet_sandbox: Sandbox, mode: str
) -> None:
    forbidden = {
        name: info for name, info in wallet_sandbox.providers.items() if info.forbidden_wallet_id
    }
    assert "cryptofuse" in forbidden  # the provider that documents the case
    for provider, info in forbidden.items():
        assert info.forbidden_wallet_id is not None
        assert info.forbidden_wallet_id not in {w.wallet_id for w in info.seeded_wallets}
        with pytest.raises(errors.PermissionDenied) as caught:
            await call(
                mode, provider, http_settings(info), "get_balances", info.forbidden_wallet_id
            )
        assert caught.value.status_code == 403


def test_the_default_wallet_answers_a_request_that_names_none(wallet_sandbox: Sandbox) -> None:
    for provider, info in wallet_sandbox.providers.items():
        if provider != "bpn":
            assert info.default_wallet is None, provider
    bpn = wallet_sandbox.providers["bpn"]
    default = bpn.default_wallet
    assert default is not None
    assert default.default
    body = bpn_get(bpn, "/v1/wallet/asset-balance").json()["data"]
    assert str(body["id"]) == default.wallet_id
    assert [w["currency"] for w in body["wallets"]] == list(default.assets)


def test_credentials_are_the_settings_and_extra_credentials(wallet_sandbox: Sandbox) -> None:
    """What a user configures a service with: both kinds of credentials read a wallet."""
    for provider in ("cryptofuse", "kuna-core"):
        info = wallet_sandbox.providers[provider]
        wallet = next(w for w in info.seeded_wallets if not w.empty)
        alternative = {"base_url": info.base_url, **info.extra_credentials}
        with facade.connect(provider, **alternative) as client:
            assert client.get_balances(wallet.wallet_id).balances
        assert wallet_sandbox.tokens_issued(provider) == 1


# --- the types --------------------------------------------------------------------------


def test_lookups_name_what_exists(wallet_sandbox: Sandbox) -> None:
    embedded = wallet_sandbox.providers["fireblocks-embedded"]
    first = next(w for w in embedded.seeded_wallets if not w.empty)
    accounts = [w for w in embedded.seeded_wallets if w.wallet_id == first.wallet_id]
    assert len(accounts) > 1
    assert embedded.wallet(first.wallet_id) is accounts[0]
    assert embedded.wallet(first.wallet_id, accounts[1].account_id) is accounts[1]
    with pytest.raises(KeyError, match=first.wallet_id):
        embedded.wallet("no-such-wallet")
    with pytest.raises(KeyError, match="holds no 'DOGE'"):
        first.balance("DOGE")


def test_seeded_values_are_read_only_exact_and_consistent() -> None:
    balance = SeededBalance("BTC", {"total": Decimal("1.50")})
    with pytest.raises(TypeError):
        balance.amounts["total"] = Decimal(2)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        balance.asset = "ETH"  # type: ignore[misc]
    with pytest.raises(TypeError, match="Decimal"):
        SeededBalance("BTC", {"total": 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="assets"):
        SeededWallet("w", None, ("ETH",), (balance,))
    wallet = SeededWallet("w", None, ("BTC",), (balance,), totals={"usd": Decimal("3")})
    assert hash(wallet) == hash(SeededWallet("w", None, ("BTC",), (balance,)))
    assert wallet.balance("BTC").amounts == {"total": Decimal("1.50")}
    # A behaviour of one's own may still declare asset codes only, as before.
    codes_only = SeededWallet("v", None, ("BTC",))
    assert (codes_only.balances, codes_only.empty, codes_only.default) == ((), False, False)
    with pytest.raises(KeyError, match="without amounts"):
        codes_only.balance("BTC")
    info = ProviderInfo("p", "http://x", {}, [], seeded_wallets=(codes_only,))
    with pytest.raises(LookupError, match="no seeded wallet without balances"):
        _ = info.empty_wallet
    assert (info.default_wallet, info.forbidden_wallet_id) == (None, None)


def test_provider_info_copies_pickles_and_converts_like_any_dataclass(
    wallet_sandbox: Sandbox,
) -> None:
    info = wallet_sandbox.providers["bpn"]
    assert pickle.loads(pickle.dumps(info)) == info
    assert copy.deepcopy(info) == info
    plain = dataclasses.asdict(info)
    assert [w["wallet_id"] for w in plain["seeded_wallets"]] == [
        w["wallet_id"] for w in info.wallets
    ]


# --- the seeded data as JSON, for a sandbox in another process -----------------------------


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_the_json_form_carries_every_seeded_amount_as_text(
    wallet_sandbox: Sandbox, provider: str
) -> None:
    info = wallet_sandbox.providers[provider]
    line = json.dumps(info.as_json())  # what `wallet-balances sandbox --format json` prints
    again = ProviderInfo.from_json(json.loads(line))
    assert again.seeded_wallets == info.seeded_wallets
    assert again.forbidden_wallet_id == info.forbidden_wallet_id
    assert again.settings == info.settings
    assert again.extra_credentials == info.extra_credentials
    for before, after in zip(info.seeded_wallets, again.seeded_wallets, strict=True):
        assert after.default is before.default
        assert dict(after.totals) == dict(before.totals)
        for a, b in zip(before.balances, after.balances, strict=True):
            # digit for digit, trailing zeros included
            assert {k: format(v, "f") for k, v in b.amounts.items()} == {
                k: format(v, "f") for k, v in a.amounts.items()
            }
    assert again.empty_wallet == info.empty_wallet
    assert again.default_wallet == info.default_wallet


def test_json_amounts_must_be_decimal_strings() -> None:
    wallet = {
        "wallet_id": "w",
        "account_id": None,
        "assets": ["BTC"],
        "balances": [{"asset": "BTC", "amounts": {"total": "0.10"}}],
    }
    assert SeededWallet.from_json(wallet).balance("BTC").amounts["total"] == Decimal("0.10")
    for bad in (0.1, 1, "NaN", "Infinity", "ten", None, True):
        broken = {**wallet, "balances": [{"asset": "BTC", "amounts": {"total": bad}}]}
        with pytest.raises(ValueError, match="'total' must be a finite decimal string"):
            SeededWallet.from_json(broken)
    with pytest.raises(ValueError, match="not a sandbox provider description"):
        ProviderInfo.from_json({"wallets": []})
    with pytest.raises(ValueError, match="wallets must be a list"):
        ProviderInfo.from_json({"name": "p", "base_url": "http://x", "settings": {}})


def test_json_of_an_older_sandbox_reads_without_amounts() -> None:
    older = {
        "name": "bpn",
        "base_url": "http://127.0.0.1:9",
        "settings": {"base_url": "http://127.0.0.1:9"},
        "wallets": [{"wallet_id": "40", "account_id": None, "assets": ["USDT"]}],
    }
    info = ProviderInfo.from_json(older)
    (wallet,) = info.seeded_wallets
    assert (wallet.wallet_id, wallet.assets, wallet.balances, wallet.default) == (
        "40",
        ("USDT",),
        (),
        False,
    )
    assert info.forbidden_wallet_id is None
