"""When to retry and how long to wait: pure decisions shared by the sync and async clients."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .errors import FacadeError, ProviderUnavailable, RateLimited, Timeout

__all__ = ["RetryPolicy", "parse_retry_after"]

RETRYABLE = (ProviderUnavailable, RateLimited, Timeout)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter; Retry-After honoured up to ``retry_after_cap``."""

    max_retries: int = 3
    backoff_base: float = 0.25
    backoff_max: float = 8.0
    retry_after_cap: float = 30.0

    def delay(self, error: FacadeError, attempt: int, *, retry_allowed: bool) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or None to give up."""
        if not retry_allowed or attempt >= self.max_retries or not isinstance(error, RETRYABLE):
            return None
        retry_after = error.retry_after
        if retry_after is not None:
            if retry_after > self.retry_after_cap:
                return None  # the caller is better placed to wait that long
            return retry_after
        ceiling = min(self.backoff_max, self.backoff_base * (2**attempt))
        return random.uniform(0, ceiling)  # noqa: S311 - jitter, not cryptography
