"""Shared pieces of the CLI tests: the shipped sandbox as the CLI's server, result types.

The CLI tests talk to the plugin's session sandbox (``wallet_sandbox``), the product's own
faithful servers, instead of a stub of their own. The wallets below are its seeded data
(facade.sandbox._data).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from facade.sandbox import Sandbox
from facade.sandbox import _data as data

ROOT = Path(__file__).resolve().parents[2]

CF_MAIN = data.CRYPTOFUSE_WALLETS[0].id  # the documentation's example wallet
CF_EMPTY = data.CRYPTOFUSE_EMPTY_WALLET_ID
KUNA_MAIN = data.KUNA_WALLETS[0].id  # BTC, USDT, ETH, UAH
KUNA_XRP = data.KUNA_WALLETS[1].id  # XRP only: a code the asset table does not know
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
