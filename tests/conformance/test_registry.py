"""Guard: every registered provider is complete. A provider added to the registry but
forgotten in one of the places below fails here by name, instead of being skipped silently
by the suites that iterate those places."""

from __future__ import annotations

import pytest

import facade
from facade._registry import adapter_class
from facade.sandbox import Sandbox

from .profiles import all_profiles

REGISTERED = pytest.mark.parametrize("provider", facade.provider_names())


def test_the_registry_is_not_empty() -> None:
    assert facade.provider_names()


@REGISTERED
def test_provider_has_a_conformance_profile(provider: str, pytestconfig: pytest.Config) -> None:
    profiles = all_profiles(pytestconfig)
    assert provider in profiles, f"add a Profile for {provider!r} to tests/conformance/profiles.py"
    assert profiles[provider].name == provider


@REGISTERED
def test_provider_has_a_sandbox_behaviour_with_wallets(
    provider: str, wallet_sandbox: Sandbox
) -> None:
    info = wallet_sandbox.providers.get(provider)
    assert info is not None, f"the sandbox serves no {provider!r} (facade.sandbox)"
    assert info.wallets, f"the sandbox seeds no wallets for {provider!r}"
    assert info.operations, f"the sandbox routes no operation of {provider!r}"


@REGISTERED
def test_provider_operations_are_served_and_validated(
    provider: str, wallet_sandbox: Sandbox
) -> None:
    """Every operation the adapter uses is in the spec the sandbox validates against."""
    info = wallet_sandbox.providers[provider]
    unserved = adapter_class(provider).operations() - set(info.operations)
    assert not unserved, f"the sandbox's {provider!r} spec has no {sorted(unserved)}"


@REGISTERED
def test_provider_has_asset_entries(provider: str, wallet_sandbox: Sandbox) -> None:
    """The adapter declares asset codes, and some code the sandbox seeds is among them."""
    declared = {entry.code for entry in adapter_class(provider).asset_codes}
    assert declared, f"{provider!r} declares no asset_codes"
    wallets = wallet_sandbox.providers[provider].wallets
    seeded = {code for wallet in wallets for code in wallet["assets"]}
    assert declared & seeded, f"none of {sorted(seeded)} is an asset code of {provider!r}"
