"""Exact amounts: JSON in, Decimal out, and never a float in between."""

from __future__ import annotations

import json
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import Any

__all__ = [
    "MAX_EXPONENT",
    "AmountError",
    "exact_difference",
    "exact_sum",
    "loads",
    "parse_amount",
    "to_plain",
]

# No real amount comes near 1E+100 or has digits below 1E-100. Beyond them a Decimal is
# still finite, but its plain form (to_plain) could run to millions of digits.
MAX_EXPONENT = 100

# Arithmetic on amounts never rounds. Decimal's default context keeps 28 significant digits
# (12345678901234567.123456789 + 0.000000000000000001 would lose the last digit); this one
# holds any sum of amounts within MAX_EXPONENT, and refuses, instead of rounding, the rest.
_EXACT = Context(
    prec=4 * MAX_EXPONENT,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, Inexact, DivisionByZero, Overflow],
)


class AmountError(ValueError):
    """A value that should be an amount is missing, non-numeric or not finite."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


# One decoder for every body: json.loads(..., parse_float=...) builds a new one per call.
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)


def loads(data: bytes | str) -> Any:
    """Parse JSON with every non-integer number as Decimal (BPN sends amounts as JSON numbers).

    Raises ValueError (json.JSONDecodeError included) for anything that is not strict JSON,
    and for nesting too deep to decode (which the json module reports as RecursionError).
    """
    # What json.loads does before decoding: bytes in any UTF encoding it detects, str
    # refused with a byte order mark.
    if isinstance(data, str):
        if data.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
        text = data
    else:
        text = data.decode(json.detect_encoding(data), "surrogatepass")
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


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
    if result.adjusted() > MAX_EXPONENT or int(result.as_tuple().exponent) < -MAX_EXPONENT:
        raise AmountError(f"{field} is out of range: {str(value)[:40]!r}")
    return result


def exact_sum(*values: Decimal) -> Decimal:
    """The exact sum of amounts; AmountError if it cannot be exact (see ``_EXACT``)."""
    total = Decimal(0)
    try:
        for value in values:
            total = _EXACT.add(total, value)
    except DecimalException:
        raise AmountError("amounts too far apart to add exactly") from None
    return total


def exact_difference(minuend: Decimal, subtrahend: Decimal) -> Decimal:
    """``minuend - subtrahend``, exactly (see :func:`exact_sum`)."""
    return exact_sum(minuend, subtrahend.copy_negate())


def to_plain(value: Any, *, integers_as_text: bool = False) -> Any:
    """JSON-ready copy: Decimals become exact strings, mappings and sequences recurse.

    ``integers_as_text``: integers (not booleans) become strings too, for data whose every
    JSON number must be text, since a reader that parses numbers as doubles rounds large ones.
    """
    if isinstance(value, Decimal):
        return format(value, "f")
    if integers_as_text and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_plain(v, integers_as_text=integers_as_text) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v, integers_as_text=integers_as_text) for v in value]
    return value
