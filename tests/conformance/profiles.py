"""What the conformance suite knows about each provider: the mapping table, in test form.

Adding a provider to the suite means adding one ``Profile`` here (after registering the
adapter with ``facade.register_provider`` and serving it from the sandbox). Every test in
tests/conformance/ is then parametrized over it. A provider from outside the package brings
its profile in a pytest plugin instead (``-p my_plugin``), as ``CONFORMANCE_PROFILES``: see
tests/outside_provider/.

``expected`` states the README's mapping table independently of the adapters: from the
provider's raw item (as received, kept in ``Balance.raw``) it gives the canonical amounts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

D = Decimal
ZERO = D(0)


def _d(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else D(str(value))


def _sum(*values: Decimal | None) -> Decimal | None:
    return None if any(v is None for v in values) else sum(values, ZERO)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Expected:
    total: Decimal | None
    available: Decimal | None
    pending: Decimal | None
    locked: Decimal | None
    extras: Mapping[str, Decimal]


def _extras(**values: Decimal | None) -> dict[str, Decimal]:
    return {k: v for k, v in values.items() if v is not None}


def fireblocks(raw: Mapping[str, Any]) -> Expected:
    rewards = raw.get("rewardsInfo") or raw.get("rewardInfo") or {}
    frozen, locked_amount = _d(raw.get("frozen")), _d(raw.get("lockedAmount"))
    return Expected(
        total=_d(raw["total"]),
        available=_d(raw["available"]),
        pending=_d(raw.get("pending")),
        locked=_sum(frozen, locked_amount),
        extras=_extras(
            staked=_d(raw.get("staked")),
            frozen=frozen,
            lockedAmount=locked_amount,
            pendingRewards=_d(rewards.get("pendingRewards")),
        ),
    )


def cryptofuse(raw: Mapping[str, Any]) -> Expected:
    amount, pending = D(raw["amount"]), D(raw["pendingAmount"])
    return Expected(amount, max(amount - pending, ZERO), pending, ZERO, {})


def kuna_core(raw: Mapping[str, Any]) -> Expected:
    balance, hold, lock = D(raw["balance"]), _d(raw.get("holdBalance")), _d(raw.get("lockBalance"))
    return Expected(
        total=_sum(balance, hold, lock),
        available=balance,
        pending=hold,
        locked=lock,
        extras=_extras(referralBalance=_d(raw.get("referralBalance"))),
    )


def bpn(raw: Mapping[str, Any]) -> Expected:
    available, unavailable = _d(raw["available"]), _d(raw.get("unavailable"))
    return Expected(
        total=_sum(available, unavailable),
        available=available,
        pending=ZERO,
        locked=unavailable,
        extras=_extras(balanceChange=_d(raw.get("balanceChange"))),
    )


@dataclass(frozen=True)
class Profile:
    name: str  # the facade provider name
    expected: Callable[[Mapping[str, Any]], Expected]
    missing_wallet: str  # a well-formed id the sandbox does not know
    wrong_credentials: Mapping[str, str]  # settings overrides that the sandbox must reject
    refresh_operation: str | None = None
    read_operations: tuple[str, ...] = ()
    secret_settings: tuple[str, ...] = field(default=("api_key",))
    # What time does to the provider's auth: "token" (a fetched token, renewed when it
    # expires: needs the alternative credentials), "signature" (per-request signatures a
    # skewed clock makes stale) or "static" (a fixed key: nothing expires).
    auth_expiry: str = "static"


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "fireblocks-vault",
            fireblocks,
            missing_wallet="987654",
            wrong_credentials={"api_key": "00000000-0000-0000-0000-000000000000"},
            refresh_operation="updateVaultAccountAssetBalance",
            read_operations=("getVaultAccount", "getVaultAccountAsset"),
            secret_settings=("api_key", "private_key"),
            auth_expiry="signature",
        ),
        Profile(
            "fireblocks-embedded",
            fireblocks,
            missing_wallet="00000000-0000-4000-8000-000000000000",
            wrong_credentials={"api_key": "00000000-0000-0000-0000-000000000000"},
            refresh_operation="RefreshEmbeddedWalletAssetBalance",
            read_operations=("GetEmbeddedWalletAssetBalance",),
            secret_settings=("api_key", "private_key"),
            auth_expiry="signature",
        ),
        Profile(
            "cryptofuse",
            cryptofuse,
            missing_wallet="00000000-0000-4000-8000-000000000000",
            wrong_credentials={"api_key": "cf_wrong_key"},
            read_operations=("getWalletBalances",),
            auth_expiry="token",
        ),
        Profile(
            "kuna-core",
            kuna_core,
            missing_wallet="00000000-0000-4000-8000-000000000000",
            wrong_credentials={"api_key": "kuna_wrong_key"},
            read_operations=("getBalances",),
            auth_expiry="token",
        ),
        Profile(
            "bpn",
            bpn,
            missing_wallet="999999",
            wrong_credentials={"api_secret": "not-the-secret"},
            read_operations=("getAssetBalance",),
            secret_settings=("api_key", "api_secret"),
            auth_expiry="signature",
        ),
    )
}


def all_profiles(config: pytest.Config) -> dict[str, Profile]:
    """The profiles above, plus those of plugins that define ``CONFORMANCE_PROFILES``."""
    profiles = dict(PROFILES)
    for plugin in config.pluginmanager.get_plugins():
        extra = getattr(plugin, "CONFORMANCE_PROFILES", None)
        if isinstance(extra, Mapping):
            profiles.update(extra)
    return profiles
