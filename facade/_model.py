"""The canonical model: types generated from specs/wallet-balances.yaml, plus JSON output."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
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
        item["raw"] = _raw_json(balance.raw)
    return plain


def _raw_json(value: Any) -> Any:
    """A provider's item as the schema describes it: every JSON number a decimal string.

    Integers too: a reader that parses JSON numbers as doubles (JavaScript, many JSON
    libraries) would round a large one.
    """
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _raw_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_raw_json(v) for v in value]
    return value
