"""A pytest plugin that puts Acme Custody into the conformance suite (``-p conformance_plugin``
with ``--wallet-sandbox-behaviour acme_sandbox:AcmeBehaviour``): it registers the adapter and
states the provider's row of the mapping table as a conformance profile, independently of the
adapter's code."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from acme_adapter import Acme
from conformance.profiles import Expected, Profile

import facade

facade.register_provider("acme-custody", Acme)


def acme(raw: Mapping[str, Any]) -> Expected:
    on_hold = raw.get("onHold")
    return Expected(
        total=Decimal(raw["total"]),
        available=Decimal(raw["available"]),
        pending=None,
        locked=Decimal(0) if on_hold is None else Decimal(on_hold),
        extras={},
    )


CONFORMANCE_PROFILES = {
    "acme-custody": Profile(
        "acme-custody",
        acme,
        missing_wallet="no-such-wallet",
        wrong_credentials={"api_key": "acme-wrong-key"},
        read_operations=("getAcmeBalances",),
    )
}
