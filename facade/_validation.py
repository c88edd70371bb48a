"""Input checks that run before any request is built.

Ids and asset codes end up in URL paths, query strings and JSON bodies. The generated
clients percent-encode path segments, but "." and ".." survive encoding and are resolved
by URL normalisation, and control characters or a NUL would reach the wire. So every value
is held to a conservative alphabet, which the conformance suite fuzzes with hypothesis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InvalidArgument

__all__ = ["check_asset", "check_assets", "check_id", "check_numeric_id"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-.:]{0,127}")
_ASSET = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-.]{0,63}")
_NUMERIC = re.compile(r"[0-9]{1,20}")
MAX_ASSETS = 500


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _require_str(value: object, what: str) -> None:
    if not isinstance(value, str):
        raise InvalidArgument(
            f"{what} must be a string; got {type(value).__name__} {_describe(value)}"
        )


def check_id(value: object, what: str) -> str:
    _require_str(value, what)
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise InvalidArgument(
            f"{what} must be 1-128 characters of letters, digits, '_', '-', '.', ':' and"
            f" start with a letter or digit; got {_describe(value)}"
        )
    return value


def check_numeric_id(value: object, what: str) -> str:
    _require_str(value, what)
    if not isinstance(value, str) or not _NUMERIC.fullmatch(value):
        raise InvalidArgument(f"{what} must be a numeric string like '0'; got {_describe(value)}")
    return value


def check_asset(value: object) -> str:
    _require_str(value, "an asset code")
    if not isinstance(value, str) or not _ASSET.fullmatch(value):
        raise InvalidArgument(
            "asset codes are 1-64 characters of letters, digits, '_', '-', '.' starting"
            f" with a letter or digit; got {_describe(value)}"
        )
    return value


def check_assets(values: Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str | bytes):
        raise InvalidArgument("assets must be a list of asset codes, not a single string")
    codes = tuple(dict.fromkeys(check_asset(v) for v in values))
    if not codes:
        raise InvalidArgument("assets must not be empty; pass None for every asset")
    if len(codes) > MAX_ASSETS:
        raise InvalidArgument(f"at most {MAX_ASSETS} assets per call")
    return codes
