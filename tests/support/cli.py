"""Shared pieces of the CLI tests: the shipped sandbox as the CLI's server, result types.

The CLI tests talk to the plugin's session sandbox (``wallet_sandbox``), the product's own
faithful servers, instead of a stub of their own. ``CliSandbox`` names the seeded wallets they
use, found through the sandbox's public API as a user's tests would find them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from facade.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]

MISSING = "00000000-0000-4000-8000-000000000000"  # well-formed, unknown to every provider


@dataclass(frozen=True)
class CliSandbox:
    sandbox: Sandbox

    def url(self, provider: str) -> str:
        return self.sandbox.providers[provider].base_url

    def settings(self, provider: str) -> dict[str, Any]:
        """connect() settings for the sandbox: fast, no retries."""
        info = self.sandbox.providers[provider]
        return {**info.settings, "max_retries": 0, "timeout": 5.0}

    def _holding(self, provider: str, *assets: str) -> str:
        """The seeded wallet of ``provider`` that holds exactly ``assets``."""
        wallets = self.sandbox.providers[provider].seeded_wallets
        return next(w.wallet_id for w in wallets if w.assets == assets)

    @property
    def cf_main(self) -> str:
        """The Cryptofuse documentation's example wallet."""
        return self._holding("cryptofuse", "usdttrc20", "usdterc20", "btc")

    @property
    def cf_empty(self) -> str:
        return self.sandbox.providers["cryptofuse"].empty_wallet.wallet_id

    @property
    def kuna_main(self) -> str:
        return self._holding("kuna-core", "BTC", "USDT", "ETH", "UAH")

    @property
    def kuna_xrp(self) -> str:
        """XRP only: a code the asset table does not know."""
        return self._holding("kuna-core", "XRP")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


CliRunner = Callable[..., Result]


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


SAMPLE_WALLET = {
    "provider": "p",
    "wallet_id": "w",
    "account_id": None,
    "balances": [],
    "missing": [],
    "fiat_valuation": None,
    "request_id": None,
    "fetched_at": "2026-01-02T03:04:05.678+00:00",
}
