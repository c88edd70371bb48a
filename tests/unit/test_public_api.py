"""The public API is pinned, and importing it costs no provider's generated client."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from support.specs import client_specs, manifest_entry

import facade
import facade.sandbox
from facade._registry import adapter_class
from facade.sandbox import Sandbox

REPO = Path(__file__).resolve().parents[2]
# The generated HTTP clients (the model-only package is facade's own vocabulary).
GENERATED = tuple(entry.package for entry in client_specs())

PUBLIC = [
    "CAPABILITIES",
    "AssetInfo",
    "AssetTable",
    "AsyncBalanceClient",
    "Balance",
    "BalanceClient",
    "BalanceOutcome",
    "BalanceRequest",
    "Exchange",
    "FiatValuation",
    "GiveUpEvent",
    "Hooks",
    "RateLimitWaitEvent",
    "RawResponse",
    "RetryEvent",
    "Secret",
    "Support",
    "SymbolTotal",
    "WalletBalances",
    "connect",
    "connect_async",
    "errors",
    "gather_balances",
    "gather_balances_sync",
    "provider_names",
    "register_provider",
    "to_json_dict",
    "totals_by_symbol",
    "unregister_provider",
]
ERRORS = [
    "AuthenticationError",
    "ConfigurationError",
    "FacadeError",
    "InvalidArgument",
    "InvalidRequest",
    "NotFound",
    "PermissionDenied",
    "ProtocolError",
    "ProviderError",
    "ProviderUnavailable",
    "RateLimited",
    "Timeout",
    "Unsupported",
    "UsageError",
]

SANDBOX = [
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


def test_all_is_pinned() -> None:
    assert facade.__all__ == PUBLIC
    assert sorted(facade.__all__, key=lambda n: (not n.isupper(), n)) == PUBLIC
    for name in PUBLIC:
        assert hasattr(facade, name), name


def test_errors_all_is_pinned() -> None:
    assert facade.errors.__all__ == ERRORS


def test_sandbox_all_is_pinned_and_every_name_resolves() -> None:
    """What users' tests import from ``facade.sandbox`` (loaded lazily, on first use)."""
    assert facade.sandbox.__all__ == SANDBOX
    for name in SANDBOX:
        assert getattr(facade.sandbox, name) is not None, name


def test_public_classes_present_themselves_as_facade() -> None:
    for name in PUBLIC:
        obj = getattr(facade, name)
        if isinstance(obj, type) and obj.__module__.startswith("facade"):
            assert obj.__module__ == "facade", name


def run(code: str) -> object:
    """Run ``code`` in a fresh interpreter; it prints one JSON value."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_facade_imports_no_generated_client() -> None:
    loaded = run(
        f"""
        import json, sys
        import facade, facade.errors
        print(json.dumps(sorted(m for m in sys.modules if m.startswith({GENERATED!r}))))
        """
    )
    assert loaded == []


def test_a_blocking_program_loads_no_asyncio_nor_the_fan_out(wallet_sandbox: Sandbox) -> None:
    # asyncio alone is ~7 ms of a cold start; the fan-out, raw responses and totals load on
    # first use of their names, and still present themselves as facade's.
    settings = {
        name: dict(wallet_sandbox.providers[name].settings) for name in facade.provider_names()
    }
    loaded = run(
        f"""
        import json, sys
        import facade

        settings = json.loads({json.dumps(settings)!r})
        clients = [facade.connect(p, **s) for p, s in settings.items()]
        wallet = facade.connect("bpn", **settings["bpn"]).get_balances("1", assets=["USDT"])
        assert wallet.balances
        watched = ("asyncio", "facade._fanout", "facade._raw", "facade._totals", "tomllib")
        before = sorted(m for m in watched if m in sys.modules)
        names = [facade.BalanceRequest, facade.gather_balances, facade.RawResponse]
        print(json.dumps([before, [n.__module__ for n in names]]))
        """
    )
    assert loaded == [[], ["facade", "facade", "facade"]]


def generated_package(provider: str) -> str:
    """The generated client package of a provider: its adapter's spec in specs/sources.toml."""
    return manifest_entry(adapter_class(provider).spec).package


def test_connecting_imports_only_that_providers_client(wallet_sandbox: Sandbox) -> None:
    """Connect to each registered provider in turn (in a fresh process, with the sandbox's
    settings) and see which generated packages each one added: its own at most."""
    settings = {
        name: dict(wallet_sandbox.providers[name].settings) for name in facade.provider_names()
    }
    added = run(
        f"""
        import json, sys
        import facade

        settings = json.loads({json.dumps(settings)!r})

        def generated():
            return {{m.split(".")[0] for m in sys.modules if m.startswith({GENERATED!r})}}

        added, present = {{}}, {{}}
        for provider in sorted(settings, reverse=True):
            before = generated()
            facade.connect(provider, **settings[provider]).close()
            added[provider] = sorted(generated() - before)
            present[provider] = sorted(generated())
        print(json.dumps([added, present]))
        """
    )
    added_by, present_after = added
    assert set(added_by) == set(facade.provider_names())
    for provider, packages in added_by.items():
        own = generated_package(provider)
        assert set(packages) <= {own}, provider  # nothing of another provider
        assert own in present_after[provider], provider  # and its own is loaded
