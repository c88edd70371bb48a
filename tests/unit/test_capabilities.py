"""Capabilities per provider, and Unsupported raised before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import RecordingServer
from support.clients import connect_all

import facade
from facade import Support, _registry, errors
from facade.providers.cryptofuse import Cryptofuse
from facade.sandbox import Sandbox

N, E, U = Support.NATIVE, Support.EMULATED, Support.UNSUPPORTED
EXPECTED = {
    "fireblocks-vault": {
        "list_balances": N,
        "asset_filter": N,
        "refresh": N,
        "refresh_all": E,
        "fiat_valuation": U,
        "deposit_addresses": U,
        "accounts": U,
    },
    "fireblocks-embedded": {
        "list_balances": U,
        "asset_filter": N,
        "refresh": N,
        "refresh_all": U,
        "fiat_valuation": U,
        "deposit_addresses": U,
        "accounts": N,
    },
    "cryptofuse": {
        "list_balances": N,
        "asset_filter": E,
        "refresh": U,
        "refresh_all": U,
        "fiat_valuation": U,
        "deposit_addresses": U,
        "accounts": U,
    },
    "kuna-core": {
        "list_balances": N,
        "asset_filter": N,
        "refresh": U,
        "refresh_all": U,
        "fiat_valuation": U,
        "deposit_addresses": N,
        "accounts": U,
    },
    "bpn": {
        "list_balances": N,
        "asset_filter": N,
        "refresh": U,
        "refresh_all": U,
        "fiat_valuation": N,
        "deposit_addresses": U,
        "accounts": U,
    },
}


@pytest.fixture(scope="module")
def clients(
    wallet_sandbox: Sandbox,
) -> Iterator[tuple[RecordingServer, dict[str, facade.BalanceClient]]]:
    with (
        RecordingServer() as server,
        connect_all(server, wallet_sandbox, max_retries=0) as all_clients,
    ):
        yield server, all_clients


Clients = tuple[RecordingServer, dict[str, facade.BalanceClient]]


def test_provider_names() -> None:
    assert facade.provider_names() == sorted(EXPECTED)


@pytest.mark.parametrize("provider", sorted(EXPECTED))
def test_capability_map(provider: str, clients: Clients) -> None:
    _, by_name = clients
    assert by_name[provider].capabilities == EXPECTED[provider]
    assert set(by_name[provider].capabilities) == set(facade.CAPABILITIES)
    by_name[provider].capabilities["refresh"] = U  # a copy: the client is not changed
    assert by_name[provider].capabilities == EXPECTED[provider]


@pytest.mark.parametrize(
    ("provider", "method", "args", "kwargs", "operation"),
    [
        ("fireblocks-embedded", "get_balances", ("w-1",), {"account_id": "0"}, "get_balances"),
        (
            "fireblocks-embedded",
            "refresh_balances",
            ("w-1",),
            {"account_id": "0"},
            "refresh_balances",
        ),
        ("cryptofuse", "refresh_balances", ("w-1",), {"assets": ["btc"]}, "refresh_balances"),
        ("kuna-core", "refresh_balances", ("w-1",), {}, "refresh_balances"),
        ("bpn", "refresh_balances", ("40",), {"assets": ["USDT"]}, "refresh_balances"),
        ("fireblocks-vault", "get_balances", ("0",), {"account_id": "0"}, None),
        ("cryptofuse", "get_balances", ("w-1",), {"account_id": "0"}, None),
        ("kuna-core", "get_balances", ("w-1",), {"account_id": "a"}, None),
        ("bpn", "get_balances", ("40",), {"account_id": "0"}, None),
    ],
)
def test_unsupported_is_raised_before_anything_is_sent(
    provider: str,
    method: str,
    args: tuple[str, ...],
    kwargs: dict[str, Any],
    operation: str | None,
    clients: Clients,
) -> None:
    server, by_name = clients
    server.reset()
    with pytest.raises(errors.Unsupported) as caught:
        getattr(by_name[provider], method)(*args, **kwargs)
    assert caught.value.provider == provider
    assert caught.value.operation == operation
    assert server.requests == []


@pytest.mark.parametrize(
    ("provider", "method", "kwargs"),
    [
        ("fireblocks-embedded", "get_balances", {"assets": ["BTC"]}),  # no account_id
        ("fireblocks-embedded", "refresh_balances", {"assets": ["BTC"]}),
    ],
)
def test_impossible_calls_are_invalid_arguments(
    provider: str, method: str, kwargs: dict[str, Any], clients: Clients
) -> None:
    server, by_name = clients
    server.reset()
    with pytest.raises(errors.InvalidArgument):
        getattr(by_name[provider], method)("0", **kwargs)
    assert server.requests == []


async def test_async_clients_refuse_the_same(settings_for: Any) -> None:
    async with facade.connect_async("kuna-core", **settings_for("kuna-core")) as client:
        assert client.capabilities == EXPECTED["kuna-core"]
        with pytest.raises(errors.Unsupported):
            await client.refresh_balances("w-1")


def test_register_provider(settings_for: Any) -> None:
    class Custom(Cryptofuse):
        name = "custom-cryptofuse"

    facade.register_provider("custom-cryptofuse", Custom)
    try:
        assert "custom-cryptofuse" in facade.provider_names()
        settings = settings_for("cryptofuse")
        with facade.connect("custom-cryptofuse", **settings) as client:
            assert client.provider == "custom-cryptofuse"
        facade.register_provider("custom-cryptofuse", "no_such_module_xyz:Adapter")
        with pytest.raises(errors.ConfigurationError, match="cannot load adapter"):
            facade.connect("custom-cryptofuse", **settings)
        facade.register_provider("custom-cryptofuse", "facade.errors:NotFound")
        with pytest.raises(errors.ConfigurationError, match=r"not a facade\.providers\.Adapter"):
            facade.connect("custom-cryptofuse", **settings)
        with pytest.raises(errors.ConfigurationError, match="module:ClassName"):
            facade.register_provider("custom-cryptofuse", "no_colon")
    finally:
        _registry._PROVIDERS.pop("custom-cryptofuse", None)
