"""What happened on the wire: typed events for hooks, log lines, raw exchanges, telemetry.

The transport reports each attempt, rate-limit wait, retry and give-up to one ``Observer``.
When nothing listens (no hooks, no raw-response recorder, no telemetry, logger quieter than
DEBUG) an attempt costs one context-variable read and a few ``is None`` tests.
"""

from __future__ import annotations

import contextvars
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from .errors import FacadeError, ProviderError

if TYPE_CHECKING:
    from ._otel import Telemetry

__all__ = [
    "Exchange",
    "GiveUpEvent",
    "Hooks",
    "Observer",
    "RateLimitWaitEvent",
    "RetryEvent",
    "configure_logging_from_env",
]

logger = logging.getLogger("facade")

LOG_ENV = "WALLET_BALANCES_LOG"
_INFO_WAIT = 1.0  # waits longer than this are worth an INFO line
# Request headers that carry credentials, whichever auth flow set them: shown as
# "<redacted>" in raw exchanges, and their values kept out of every error text.
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "x-api-key", "api-key", "x-signature", "proxy-authorization", "cookie"}
)


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """An attempt failed and will be retried after ``delay`` seconds."""

    provider: str
    operation: str
    attempt: int
    """The attempt that failed, from 1."""
    error: ProviderError
    delay: float


@dataclass(frozen=True, slots=True)
class RateLimitWaitEvent:
    """The client-side rate limit holds a request back for ``wait`` seconds."""

    provider: str
    operation: str
    wait: float


@dataclass(frozen=True, slots=True)
class GiveUpEvent:
    """No retry is left (or allowed): ``error`` goes to the caller."""

    provider: str
    operation: str
    attempts: int
    error: ProviderError


@dataclass(frozen=True)
class Hooks:
    """Facade-level hooks: ``facade.connect(..., hooks=facade.Hooks(on_retry=[log_it]))``.

    Each is a callable or a sequence of callables taking the event. They run in the thread
    (or task) that makes the request; an exception in a hook is logged, never raised."""

    on_retry: Sequence[Callable[[RetryEvent], Any]] | Callable[[RetryEvent], Any] = ()
    on_rate_limit_wait: (
        Sequence[Callable[[RateLimitWaitEvent], Any]] | Callable[[RateLimitWaitEvent], Any]
    ) = ()
    on_give_up: Sequence[Callable[[GiveUpEvent], Any]] | Callable[[GiveUpEvent], Any] = ()

    def __post_init__(self) -> None:
        for name in ("on_retry", "on_rate_limit_wait", "on_give_up"):
            object.__setattr__(self, name, _listed(name, getattr(self, name)))


def _listed(name: str, value: Any) -> tuple[Callable[[Any], Any], ...]:
    listed = (value,) if callable(value) else tuple(value)
    if not all(callable(f) for f in listed):
        raise TypeError(f"Hooks.{name} takes callables")
    return listed


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP attempt behind a result, as ``with_raw_response`` shows it."""

    operation: str
    attempt: int
    """1 for the first attempt of this request, 2 for its first retry..."""
    method: str
    url: str
    request_headers: httpx.Headers
    """As sent, credential headers shown as ``<redacted>``."""
    status_code: int | None
    """None when no answer came (connection failure, timeout)."""
    headers: httpx.Headers
    content: bytes
    elapsed: float
    """Seconds from sending to the last byte read (or to the failure)."""
    request_id: str | None
    error: FacadeError | None = field(default=None)


# The list that with_raw_response collects exchanges into, for the call in progress.
raw_exchanges: contextvars.ContextVar[list[Exchange] | None] = contextvars.ContextVar(
    "facade_raw_exchanges", default=None
)


def _redacted_headers(headers: httpx.Headers, redact: Callable[[str], str]) -> httpx.Headers:
    return httpx.Headers(
        [
            (k, "<redacted>" if k.lower() in CREDENTIAL_HEADERS else redact(v))
            for k, v in headers.multi_items()
        ]
    )


class Attempt:
    """One attempt in flight; the transport fills in what it learns."""

    __slots__ = ("call", "content", "number", "raw", "request", "response", "span", "started")

    def __init__(self, call: Any, number: int, raw: list[Exchange] | None) -> None:
        self.call = call
        self.number = number
        self.raw = raw
        self.request: httpx.Request | None = None
        self.response: httpx.Response | None = None
        self.content = b""
        self.span: Any = None
        self.started = time.perf_counter()


class Observer:
    """Hooks, log lines, raw exchanges and telemetry of one client."""

    def __init__(
        self,
        provider: str,
        hooks: Hooks | None,
        telemetry: Telemetry | None,
        redact: Callable[[str, httpx.Request | None], str],
    ) -> None:
        self.provider = provider
        hooks = hooks or Hooks()
        self._on_retry = _listed("on_retry", hooks.on_retry)
        self._on_wait = _listed("on_rate_limit_wait", hooks.on_rate_limit_wait)
        self._on_give_up = _listed("on_give_up", hooks.on_give_up)
        self.telemetry = telemetry
        self._redact = redact

    # ------------------------------------------------------------------ attempts

    def attempt(self, call: Any, number: int) -> Attempt | None:
        raw = raw_exchanges.get()
        span = (
            None if self.telemetry is None else self.telemetry.start_attempt(call.operation, number)
        )
        if raw is None and span is None and not logger.isEnabledFor(logging.DEBUG):
            return None
        attempt = Attempt(call, number, raw)
        attempt.span = span
        return attempt

    def finish(self, attempt: Attempt, error: FacadeError | None, request_id: str | None) -> None:
        elapsed = time.perf_counter() - attempt.started
        request, response = attempt.request, attempt.response
        status = None if response is None else response.status_code
        if request_id is None and response is not None:
            request_id = response.headers.get("x-request-id")
        if request_id is None and error is not None:
            request_id = error.request_id
        if request is not None and logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s %s %s -> %s in %.1f ms (attempt %d, request id %s)",
                self.provider,
                attempt.call.operation,
                request.method,
                self._redact(request.url.path, request),
                status if status is not None else type(error).__name__,
                elapsed * 1000,
                attempt.number,
                request_id or "-",
                extra={
                    "provider": self.provider,
                    "operation": attempt.call.operation,
                    "method": request.method,
                    "path": self._redact(request.url.path, request),
                    "status_code": status,
                    "latency_ms": round(elapsed * 1000, 3),
                    "attempt": attempt.number,
                    "request_id": request_id,
                },
            )
        if attempt.raw is not None and request is not None:
            attempt.raw.append(
                Exchange(
                    operation=attempt.call.operation,
                    attempt=attempt.number,
                    method=request.method,
                    url=self._redact(str(request.url), request),
                    request_headers=_redacted_headers(
                        request.headers, lambda t: self._redact(t, request)
                    ),
                    status_code=status,
                    headers=response.headers if response is not None else httpx.Headers(),
                    content=attempt.content,
                    elapsed=elapsed,
                    request_id=request_id,
                    error=error,
                )
            )
        if attempt.span is not None and self.telemetry is not None:
            self.telemetry.end_attempt(attempt.span, request, status, error)

    def abandon(self, attempt: Attempt, exc: BaseException) -> None:
        """An attempt cut short by something other than a provider failure (cancellation,
        KeyboardInterrupt, a bug): its span still ends, its context is still restored."""
        if attempt.span is not None and self.telemetry is not None:
            response = attempt.response
            status = None if response is None else response.status_code
            self.telemetry.end_attempt(attempt.span, attempt.request, status, exc)

    # ------------------------------------------------------------------ decisions

    def rate_limit_wait(self, call: Any, wait: float) -> None:
        if wait > _INFO_WAIT:
            logger.info(
                "%s %s: client-side rate limit, waiting %.2f s",
                self.provider,
                call.operation,
                wait,
                extra={"provider": self.provider, "operation": call.operation, "wait_s": wait},
            )
        self._emit(self._on_wait, RateLimitWaitEvent(self.provider, call.operation, wait))

    def retry(self, call: Any, error: ProviderError, delay: float, attempt: int) -> None:
        logger.info(
            "%s %s: %s; retry %d in %.2f s",
            self.provider,
            call.operation,
            type(error).__name__,
            attempt,
            delay,
            extra={
                "provider": self.provider,
                "operation": call.operation,
                "attempt": attempt,
                "error_type": type(error).__name__,
                "status_code": error.status_code,
                "delay_s": delay,
            },
        )
        self._emit(self._on_retry, RetryEvent(self.provider, call.operation, attempt, error, delay))

    def give_up(self, call: Any, error: ProviderError, attempts: int) -> None:
        self._emit(self._on_give_up, GiveUpEvent(self.provider, call.operation, attempts, error))

    def _emit(self, hooks: Iterable[Callable[[Any], Any]], event: Any) -> None:
        for hook in hooks:
            try:
                hook(event)
            except Exception:
                logger.warning("%s: hook %r raised; ignored", self.provider, hook, exc_info=True)


_configured = False


def configure_logging_from_env() -> None:
    """``WALLET_BALANCES_LOG=debug|info`` logs the ``facade`` logger to stderr, once, unless
    the application has configured that logger itself (as ``ANTHROPIC_LOG`` does)."""
    global _configured  # noqa: PLW0603 - once per process
    if _configured:
        return
    _configured = True
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        os.environ.get(LOG_ENV, "").strip().lower()
    )
    if level is None or logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
