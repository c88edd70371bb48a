"""The in-process sandbox: the same providers as the socket sandbox, without sockets."""

from __future__ import annotations

import asyncio
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import facade
from facade import errors
from facade._registry import adapter_class
from facade.sandbox import PROVIDER_NAMES, Sandbox, WalletClients
from facade.sandbox._sandbox import BEHAVIOURS

# What --format json prints per seeded wallet (SeededWallet.as_json).
WALLET_KEYS = {"wallet_id", "account_id", "assets", "default", "balances", "totals"}

FAST = {"backoff_base": 0.001, "backoff_max": 0.002}


def _args(sandbox: Sandbox, provider: str) -> dict[str, Any]:
    info = sandbox.providers[provider]
    wallet = next(w for w in info.wallets if w["assets"])
    args: dict[str, Any] = {"wallet_id": wallet["wallet_id"], "account_id": wallet["account_id"]}
    if adapter_class(provider).capabilities["list_balances"] is facade.Support.UNSUPPORTED:
        args["assets"] = wallet["assets"]
    return args


def _comparable(wallet: facade.WalletBalances) -> dict[str, Any]:
    form = facade.to_json_dict(wallet)
    form.pop("fetched_at")
    form.pop("request_id")
    return form


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the in-process sandbox opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("provider", facade.provider_names())
def test_same_answers_as_the_socket_sandbox(
    provider: str, wallet_sandbox: Sandbox, wallet_clients: WalletClients
) -> None:
    with facade.connect(provider, **wallet_sandbox.providers[provider].settings) as client:
        over_sockets = client.get_balances(**_args(wallet_sandbox, provider))
    in_process = wallet_clients.connect(provider).get_balances(
        **_args(wallet_clients.sandbox, provider)
    )
    assert _comparable(in_process) == _comparable(over_sockets)
    assert in_process.balances


@pytest.mark.parametrize("provider", facade.provider_names())
async def test_async_clients_without_any_socket(
    provider: str, wallet_clients: WalletClients, no_sockets: None
) -> None:
    client = wallet_clients.connect_async(provider)
    result = await client.get_balances(**_args(wallet_clients.sandbox, provider))
    assert result.provider == provider
    assert result.balances
    assert len(wallet_clients.sandbox.requests(provider)) >= 1


def test_sync_client_without_any_socket(wallet_clients: WalletClients, no_sockets: None) -> None:
    result = wallet_clients.connect("cryptofuse").get_balances(
        **_args(wallet_clients.sandbox, "cryptofuse")
    )
    assert result.balances


async def test_a_blocking_client_inside_a_running_event_loop(
    wallet_clients: WalletClients,
) -> None:
    # The sync transport cannot use the running loop; it hands the request to a worker.
    client = wallet_clients.connect("bpn")
    assert client.get_balances(**_args(wallet_clients.sandbox, "bpn")).balances


def test_credentials_are_verified(wallet_clients: WalletClients) -> None:
    client = wallet_clients.connect("bpn", api_secret="not-the-secret", max_retries=0)
    with pytest.raises(errors.AuthenticationError):
        client.get_balances(**_args(wallet_clients.sandbox, "bpn"))
    fireblocks = wallet_clients.connect("fireblocks-vault", api_key="unknown-key", max_retries=0)
    with pytest.raises(errors.AuthenticationError):
        fireblocks.get_balances("0")


@pytest.mark.wallet_sandbox_allow_violations
def test_off_spec_requests_are_recorded_as_violations(
    wallet_sandbox_in_process: Sandbox,
) -> None:
    info = wallet_sandbox_in_process.providers["fireblocks-vault"]
    with httpx.Client(transport=wallet_sandbox_in_process.transport()) as client:
        response = client.get(f"{info.base_url}/vault/accounts/not-a-number")
    assert response.status_code in (400, 401)
    assert any(v.kind == "request" for v in wallet_sandbox_in_process.violations)


def test_faults_keep_their_meaning(wallet_clients: WalletClients) -> None:
    sandbox = wallet_clients.sandbox
    args = _args(sandbox, "kuna-core")
    sandbox.inject("kuna-core", "rate_limit:0", times=1)
    sandbox.inject("kuna-core", "503", times=1)
    sandbox.inject("kuna-core", "html", times=1)
    retried = wallet_clients.connect("kuna-core", max_retries=3, **FAST)
    assert retried.get_balances(**args).balances
    assert [r.status for r in sandbox.requests("kuna-core")] == [429, 503, 502, 200]

    once = wallet_clients.connect("kuna-core", max_retries=0)
    sandbox.inject("kuna-core", "reset", times=1)
    with pytest.raises(errors.ProviderUnavailable):
        once.get_balances(**args)
    sandbox.inject("kuna-core", "truncated", times=1)
    with pytest.raises(errors.ProtocolError):
        once.get_balances(**args)


@pytest.mark.parametrize("fault", ["latency:5", "slow_body:20"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_slow_faults_are_bounded_by_the_client_timeout(
    wallet_clients: WalletClients, fault: str, mode: str
) -> None:
    sandbox = wallet_clients.sandbox
    sandbox.inject("cryptofuse", fault, times=1)
    args = _args(sandbox, "cryptofuse")
    started = time.monotonic()
    if mode == "sync":
        client = wallet_clients.connect("cryptofuse", timeout=0.3, max_retries=0)
        with pytest.raises(errors.Timeout):
            client.get_balances(**args)
    else:
        aclient = wallet_clients.connect_async("cryptofuse", timeout=0.3, max_retries=0)
        with pytest.raises(errors.Timeout):
            asyncio.run(aclient.get_balances(**args))
    assert time.monotonic() - started < 3


def test_unknown_host_is_a_connection_error(wallet_sandbox_in_process: Sandbox) -> None:
    with (
        facade.connect(
            "bpn",
            **{
                **wallet_sandbox_in_process.providers["bpn"].settings,
                "max_retries": 0,
                "base_url": "http://elsewhere.sandbox.test",
            },
            transport=wallet_sandbox_in_process.transport(),
        ) as client,
        pytest.raises(errors.ProviderUnavailable),
    ):
        client.get_balances("1")


def test_base_urls_never_resolve_to_a_real_host(wallet_sandbox_in_process: Sandbox) -> None:
    for info in wallet_sandbox_in_process.providers.values():
        assert httpx.URL(info.base_url).host.endswith(".sandbox.test")


# --- the behaviours declare what they serve (no per-provider table in the sandbox) -------


def test_provider_names_come_from_the_behaviours() -> None:
    assert tuple(name for b in BEHAVIOURS for name in b.provides) == PROVIDER_NAMES
    assert len(set(PROVIDER_NAMES)) == len(PROVIDER_NAMES)


def test_every_registered_provider_has_a_sandbox_product() -> None:
    assert set(facade.provider_names()) <= set(PROVIDER_NAMES)


def test_products_carry_their_seeded_wallets_and_operations(
    wallet_sandbox_in_process: Sandbox,
) -> None:
    sandbox = wallet_sandbox_in_process
    for name, info in sandbox.providers.items():
        assert info.wallets, name
        assert all(set(w) == WALLET_KEYS for w in info.wallets)
        assert info.operations, name
        assert set(info.settings) >= {"base_url"}
    vault, embedded = (
        sandbox.providers["fireblocks-vault"],
        sandbox.providers["fireblocks-embedded"],
    )
    assert not set(vault.operations) & set(embedded.operations)
    assert all(w["account_id"] is not None for w in embedded.wallets)


def test_faults_can_target_a_server_or_one_product(wallet_sandbox_in_process: Sandbox) -> None:
    sandbox = wallet_sandbox_in_process
    sandbox.inject("fireblocks", "503", times=1)
    sandbox.inject("fireblocks-embedded", "503", times=1)
    [whole, product] = sandbox.pending_faults()
    assert (whole.server, whole.provider) == ("fireblocks", None)
    assert (product.server, product.provider) == ("fireblocks", "fireblocks-embedded")
    with pytest.raises(ValueError, match="has no operation"):
        sandbox.inject("fireblocks-vault", "503", operation="GetEmbeddedWalletAssetBalance")
    with pytest.raises(ValueError, match="unknown provider"):
        sandbox.inject("nowhere", "503")
    sandbox.clear_faults("fireblocks")
    assert sandbox.pending_faults() == []


def test_many_threads_share_one_in_process_sandbox(wallet_clients: WalletClients) -> None:
    # OAuth tokens are issued and checked by the Cryptofuse behaviour from every thread.
    info = wallet_clients.sandbox.providers["cryptofuse"]
    oauth = {"api_key": None, **info.extra_credentials}
    wallet = _args(wallet_clients.sandbox, "cryptofuse")

    def work() -> int:
        with wallet_clients.sandbox.connect("cryptofuse", **oauth) as client:
            return sum(len(client.get_balances(**wallet).balances) for _ in range(30))

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: work(), range(8)))
    assert len(set(results)) == 1
    assert results[0] > 0
    assert wallet_clients.sandbox.tokens_issued("cryptofuse") == 8
