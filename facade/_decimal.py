"""Exact amounts: JSON in, Decimal out, and never a float in between."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["AmountError", "loads", "parse_amount", "to_plain"]


class AmountError(ValueError):
    """A value that should be an amount is missing, non-numeric or not finite."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def loads(data: bytes | str) -> Any:
    """Parse JSON with every non-integer number as Decimal (BPN sends amounts as JSON numbers).

    Raises ValueError (json.JSONDecodeError included) for anything that is not strict JSON.
    """
    return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)


def parse_amount(value: object, field: str) -> Decimal:
    """A finite Decimal from a provider's string or (already Decimal) JSON number."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise AmountError(f"{field} is not a number: {value[:40]!r}") from None
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif value is None:
        raise AmountError(f"{field} is missing")
    else:
        # bool is an int, floats are inexact: neither is an amount we trust.
        raise AmountError(f"{field} has type {type(value).__name__}, expected a decimal")
    if not result.is_finite():
        raise AmountError(f"{field} is not finite: {value!r}")
    return result


def to_plain(value: Any) -> Any:
    """JSON-ready copy: Decimals become exact strings, mappings and sequences recurse."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value
