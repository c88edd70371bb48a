"""The canonical model: types generated from specs/wallet-balances.yaml, plus JSON output."""

from __future__ import annotations

import dataclasses
from typing import Any

from wbf_model import Balance, FiatValuation, WalletBalances

from ._decimal import to_plain

__all__ = ["Balance", "FiatValuation", "WalletBalances", "to_json_dict"]


def to_json_dict(wallet: WalletBalances) -> dict[str, Any]:
    """A JSON-ready dict that validates against the unified schema (amounts as strings).

    The generated dataclasses follow the schema field for field, so their dict form is the
    JSON form once Decimals and the fetch time are written as strings.
    """
    plain: dict[str, Any] = to_plain(dataclasses.asdict(wallet))
    plain["fetched_at"] = wallet.fetched_at.isoformat()
    for item, balance in zip(plain["balances"], wallet.balances, strict=True):
        # The schema's raw item: every JSON number a decimal string, integers included.
        item["raw"] = to_plain(balance.raw, integers_as_text=True)
    return plain
