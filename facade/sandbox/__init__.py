"""Local, faithful servers of every wallet-balance provider, for demos and tests.

``facade.sandbox`` runs Fireblocks (vaults and embedded wallets), Cryptofuse, Kuna Core and BPN
as real HTTP servers on loopback ports, or in process. They authenticate, validate and answer
like the real providers (against the provider specs as served, ``generated/specs/*.yaml``:
``specs/`` with our overlay corrections applied), serve a seeded dataset (each provider's
``ProviderInfo.seeded_wallets``, exact amounts included) and misbehave on request. It needs
the ``sandbox`` extra (installed from a checkout or a built wheel, see the README's
"Installing in an application") and those specs (a wheel carries them).

    from facade.sandbox import Sandbox

    with Sandbox() as sb:
        info = sb.providers["bpn"]            # .name .base_url .settings .seeded_wallets
        client = facade.connect(info.name, **info.settings)
        client.get_balances(info.empty_wallet.wallet_id)   # no balances
        info.wallet("40").balance("USDT").amounts["available"]   # Decimal, as served
        sb.inject("bpn", "rate_limit:2", times=1)   # next BPN request gets 429 Retry-After: 2
        ...
        sb.requests("bpn")                    # what the client sent
        sb.assert_no_violations()             # no off-spec request was sent

``Sandbox(in_process=True)`` serves the same providers through httpx transports, with no
socket: ``sb.connect(name)`` gives a client on it (``sb.transport()``, ``sb.async_transport()``
for your own httpx clients).

From a shell: ``python -m facade.sandbox`` (or ``wallet-balances sandbox``) prints the settings
(``--format json|env|toml``) and serves until interrupted; ``wallet-balances sandbox fault``
adds and clears faults of a running one. Under pytest the ``wallet_sandbox`` and
``wallet_sandbox_in_process`` fixtures give session-wide sandboxes, reset before each test,
``wallet_sandbox_faults`` the same sandbox for injecting faults (cleared when the test ends),
and ``wallet_clients`` ready clients in process (a ``WalletClients``). Fault syntax:
``facade.sandbox._faults``.

Importing this package is cheap and needs no extra: the servers load on first use of a name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from facade.sandbox._cli import cli_main
    from facade.sandbox._faults import Fault, InjectedFault
    from facade.sandbox._http import CallContext, Product, ProviderBehaviour, json_response
    from facade.sandbox._inprocess import AsyncSandboxTransport, SandboxTransport
    from facade.sandbox._pytest_plugin import WalletClients
    from facade.sandbox._sandbox import (
        PROVIDER_NAMES,
        ProviderInfo,
        Sandbox,
        SandboxViolationError,
    )
    from facade.sandbox._seeded import SeededBalance, SeededWallet
    from facade.sandbox._state import IdempotencyUse, RecordedRequest, Violation
    from facade.sandbox._validation import SpecsNotFoundError

__all__ = [
    "PROVIDER_NAMES",
    "AsyncSandboxTransport",
    "CallContext",
    "Fault",
    "IdempotencyUse",
    "InjectedFault",
    "Product",
    "ProviderBehaviour",
    "ProviderInfo",
    "RecordedRequest",
    "Sandbox",
    "SandboxTransport",
    "SandboxViolationError",
    "SeededBalance",
    "SeededWallet",
    "SpecsNotFoundError",
    "Violation",
    "WalletClients",
    "cli_main",
    "json_response",
]

_HOMES = {
    "cli_main": "facade.sandbox._cli",
    "Fault": "facade.sandbox._faults",
    "InjectedFault": "facade.sandbox._faults",
    "CallContext": "facade.sandbox._http",
    "Product": "facade.sandbox._http",
    "ProviderBehaviour": "facade.sandbox._http",
    "json_response": "facade.sandbox._http",
    "AsyncSandboxTransport": "facade.sandbox._inprocess",
    "SandboxTransport": "facade.sandbox._inprocess",
    "WalletClients": "facade.sandbox._pytest_plugin",
    "PROVIDER_NAMES": "facade.sandbox._sandbox",
    "ProviderInfo": "facade.sandbox._sandbox",
    "Sandbox": "facade.sandbox._sandbox",
    "SandboxViolationError": "facade.sandbox._sandbox",
    "SeededBalance": "facade.sandbox._seeded",
    "SeededWallet": "facade.sandbox._seeded",
    "IdempotencyUse": "facade.sandbox._state",
    "RecordedRequest": "facade.sandbox._state",
    "Violation": "facade.sandbox._state",
    "SpecsNotFoundError": "facade.sandbox._validation",
}


def __getattr__(name: str) -> Any:
    # Lazy, so the pytest plugin (and ``import facade.sandbox``) work without the extra.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'facade.sandbox' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
