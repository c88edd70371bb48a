"""JSON text as the providers put it on the wire.

``json.dumps`` would turn a ``Decimal`` into a float (or refuse it); BPN's amounts must reach
the client digit for digit, so numbers given as ``Decimal`` are written from their own text,
in positional notation (``0.000000000000000001``, never ``1E-18``).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias

__all__ = ["JSONValue", "dumps"]

JSONValue: TypeAlias = (
    bool | int | str | Decimal | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)

# The C encoder does the work: a Decimal first becomes a marked string, which is then
# unquoted. The marker holds a per-process random tag, so no data string can look like one.
_TAG = secrets.token_hex(8)
_MARK = f"\x00{_TAG}:"
_ESCAPED_MARK = f"\\u0000{_TAG}:"
_MARKED = re.compile(r'"\\u0000' + _TAG + r':(-?[0-9]+(?:\.[0-9]+)?)"')


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a JSON number: {value!r}")
        return _MARK + format(value, "f")
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def dumps(value: JSONValue) -> bytes:
    """Compact JSON (no spaces), UTF-8, with ``Decimal`` numbers written exactly."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_default)
    if _ESCAPED_MARK in text:
        text = _MARKED.sub(r"\1", text)
    return text.encode()
