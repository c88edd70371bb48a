"""JSON text as the providers put it on the wire.

``json.dumps`` would turn a ``Decimal`` into a float (or refuse it); BPN's amounts must reach
the client digit for digit, so numbers given as ``Decimal`` are written from their own text,
in positional notation (``0.000000000000000001``, never ``1E-18``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias

__all__ = ["JSONValue", "dumps"]

JSONValue: TypeAlias = (
    None | bool | int | str | Decimal | Sequence["JSONValue"] | Mapping[str, "JSONValue"]
)

_encode_str = json.JSONEncoder(ensure_ascii=False).encode


def dumps(value: JSONValue) -> bytes:
    """Compact JSON (no spaces), UTF-8."""
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode()


def _write(value: JSONValue, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_str(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a JSON number: {value!r}")
        out.append(format(value, "f"))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, Mapping):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_encode_str(key))
            out.append(":")
            _write(item, out)
        out.append("}")
    else:
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
