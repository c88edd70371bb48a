"""Per-provider test settings, from the registry and the shipped sandbox, not from hand-kept
tables: a newly registered provider is in every matrix at once (and fails where it lacks a
sandbox behaviour or a profile, instead of being skipped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import facade
from facade._registry import adapter_class
from facade._settings import COMMON_SETTINGS, SettingSpec
from facade.sandbox import ProviderInfo, Sandbox

__all__ = [
    "ALTERNATIVE",
    "PRIMARY",
    "auth_variants",
    "provider_info",
    "secret_values",
    "settings_at",
]

PRIMARY = "primary"  # the credentials ProviderInfo.settings carries
ALTERNATIVE = "alternative"  # ProviderInfo.extra_credentials (OAuth client, login)


def provider_info(sandbox: Sandbox, provider: str) -> ProviderInfo:
    info = sandbox.providers.get(provider)
    if info is None:
        raise AssertionError(
            f"registered provider {provider!r} has no sandbox behaviour (facade.sandbox)"
        )
    return info


def settings_at(info: ProviderInfo, url: str, auth: str = PRIMARY) -> dict[str, Any]:
    """``info``'s connect() settings pointed at ``url`` (the provider's base path kept)."""
    base_path = urlsplit(info.base_url).path.rstrip("/")
    if auth == PRIMARY:
        credentials = {k: v for k, v in info.settings.items() if k != "base_url"}
    elif auth == ALTERNATIVE:
        assert info.extra_credentials, f"{info.name} has no alternative credentials"
        credentials = dict(info.extra_credentials)
    else:
        raise AssertionError(f"auth is {PRIMARY!r} or {ALTERNATIVE!r}, not {auth!r}")
    return {**credentials, "base_url": url.rstrip("/") + base_path}


def auth_variants(sandbox: Sandbox) -> list[tuple[str, str]]:
    """(provider, auth) for every registered provider and each credential kind it accepts."""
    variants = []
    for name in facade.provider_names():
        info = provider_info(sandbox, name)
        variants.append((name, PRIMARY))
        if info.extra_credentials:
            variants.append((name, ALTERNATIVE))
    return variants


def _setting_specs(provider: str) -> tuple[SettingSpec, ...]:
    cls: Any = adapter_class(provider)
    specs = getattr(cls, "setting_specs", None) or cls.settings
    return (*COMMON_SETTINGS, *specs)


def secret_values(provider: str, settings: Mapping[str, Any]) -> list[str]:
    """The values of the settings the provider declares secret, PEM bodies line by line."""
    found: list[str] = []
    for spec in _setting_specs(provider):
        value = settings.get(spec.name)
        if not spec.secret or value is None:
            continue
        text = str(value)
        if text.startswith("-----BEGIN"):
            found += [line for line in text.splitlines() if line and not line.startswith("-----")]
        else:
            found.append(text)
    return found


def sample_query(sandbox: Sandbox, provider: str) -> tuple[str, dict[str, Any]]:
    """A get_balances call that is valid for the provider: a seeded wallet, with the account
    and an asset when the provider needs them (from its capabilities)."""
    info = provider_info(sandbox, provider)
    wallet = next(w for w in info.wallets if w["assets"])
    kwargs: dict[str, Any] = {}
    if wallet["account_id"] is not None:
        kwargs["account_id"] = wallet["account_id"]
    capabilities = adapter_class(provider).capabilities
    if capabilities.get("list_balances") is facade.Support.UNSUPPORTED:
        kwargs["assets"] = list(wallet["assets"][:1])
    return str(wallet["wallet_id"]), kwargs


def entry(table: Mapping[str, Any], provider: str, where: str) -> Any:
    """``table[provider]``, or a failure naming the table a new provider must be added to."""
    if provider not in table:
        raise AssertionError(f"registered provider {provider!r} has no entry in {where}")
    return table[provider]


def variant(sandbox: Sandbox, provider: str, auth: str) -> None:
    """Skip (saying why) a credential kind the provider does not have."""
    import pytest  # noqa: PLC0415  # support is importable without pytest running

    if auth == ALTERNATIVE and not provider_info(sandbox, provider).extra_credentials:
        pytest.skip(f"{provider} accepts one kind of credentials")


AUTH_KINDS = (PRIMARY, ALTERNATIVE)


# The fixture (tests/fixtures/<spec>/<operationId>.json) of a successful balance answer, per
# provider: what the recording server sends when a matrix test needs a provider to succeed.
BALANCE_ANSWERS = {
    "fireblocks-vault": ("fireblocks", "getVaultAccount"),
    "fireblocks-embedded": ("fireblocks", "GetEmbeddedWalletAssetBalance"),
    "cryptofuse": ("cryptofuse", "getWalletBalances"),
    "kuna-core": ("kuna-core", "getBalances"),
    "bpn": ("bpn", "getAssetBalance"),
}


def balance_answer(provider: str) -> tuple[str, str]:
    answer: tuple[str, str] = entry(BALANCE_ANSWERS, provider, "support.providers.BALANCE_ANSWERS")
    return answer
