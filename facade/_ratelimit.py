"""Client-side rate limiting: one token bucket per operation, shared by all callers.

Fireblocks limits per API user, per endpoint, per minute, and its refresh endpoints are
strict; waiting on our side is cheaper than a 429 and its backoff.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .errors import ConfigurationError

__all__ = ["RateLimit", "RateLimiter"]

_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "h": 3600.0,
    "hour": 3600.0,
}
_SPEC = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``count`` requests per ``period`` seconds, with bursts up to ``count``."""

    count: float
    period: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        match = _SPEC.fullmatch(text.lower())
        if not match or match.group(2) not in _UNITS or float(match.group(1)) <= 0:
            raise ConfigurationError(f"rate limit {text!r} is not like '10/min' or '5/s'")
        return cls(float(match.group(1)), _UNITS[match.group(2)])


@dataclass(slots=True)
class _Bucket:
    limit: RateLimit
    tokens: float
    updated: float

    def reserve(self, now: float) -> float:
        """Take one token; return how long the caller must wait before using it."""
        rate = self.limit.count / self.limit.period
        self.tokens = min(self.limit.count, self.tokens + (now - self.updated) * rate)
        self.updated = now
        self.tokens -= 1.0
        return 0.0 if self.tokens >= 0 else -self.tokens / rate


@dataclass
class RateLimiter:
    """Per-operation buckets. ``reserve`` is thread-safe and never blocks; callers sleep."""

    limits: Mapping[str, RateLimit]
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(
        cls,
        defaults: Mapping[str, str],
        overrides: Mapping[str, object] | None,
        operations: Collection[str] = (),
    ) -> RateLimiter:
        """Defaults merged with the ``rate_limits`` setting; with ``operations`` given, a
        limit for any other operationId is a ConfigurationError (a typo would be ignored)."""
        merged: dict[str, RateLimit] = {op: RateLimit.parse(v) for op, v in defaults.items()}
        for op, value in (overrides or {}).items():
            if operations and op not in operations:
                raise ConfigurationError(
                    f"rate_limits names unknown operation {op!r}; known: "
                    + ", ".join(sorted(operations))
                )
            if value is None or value == "":
                merged.pop(op, None)  # explicitly unlimited
            elif isinstance(value, str):
                merged[op] = RateLimit.parse(value)
            else:
                raise ConfigurationError(f"rate limit for {op} must be a string like '10/min'")
        return cls(merged)

    def reserve(self, operation: str) -> float:
        limit = self.limits.get(operation)
        if limit is None:
            return 0.0
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(operation)
            if bucket is None:
                bucket = self._buckets[operation] = _Bucket(limit, limit.count, now)
            return bucket.reserve(now)
