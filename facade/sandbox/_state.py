"""What a running sandbox remembers: requests, spec violations, idempotency keys, tokens.

Written on the sandbox's event loop thread, read (and reset) from the test's thread, hence
the lock.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from facade.sandbox._faults import FaultQueue

__all__ = ["Clock", "IdempotencyUse", "RecordedRequest", "SandboxState", "Violation"]


class Clock:
    """Wall-clock time as the providers see it; ``offset`` simulates server clock skew."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset


@dataclass
class RecordedRequest:
    """One request as it arrived on the wire, and what became of it."""

    provider: str
    """The facade provider name (``fireblocks-vault``, ``fireblocks-embedded``, ...)."""
    server: str
    """The sandbox server that received it (``fireblocks`` serves both Fireblocks APIs)."""
    operation: str | None
    """The spec's operationId, None when the request matched no operation."""
    method: str
    target: str
    """The raw request target: path and, when sent, ``?`` and the query string."""
    headers: tuple[tuple[str, str], ...]
    body: bytes
    received_at: float
    status: int | None = None
    """The status answered; None while in flight or when the connection was reset."""
    fault: str | None = None
    """The injected fault this request consumed, if any."""

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k == wanted), None)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Violation:
    """A spec violation seen by the sandbox.

    ``kind == "request"``: a client sent a request its provider's spec does not allow (the
    client has a bug; the request was answered 400, or 404/405 for an unknown operation).
    ``kind == "response"``: the sandbox produced a response its spec does not allow (the
    sandbox has a bug; the client got a 500 instead).
    """

    kind: Literal["request", "response"]
    provider: str
    operation: str | None
    method: str
    target: str
    errors: tuple[str, ...]

    def __str__(self) -> str:
        who = "off-spec request" if self.kind == "request" else "SANDBOX BUG, off-spec response"
        where = f"{self.provider} {self.operation or '(no operation)'}"
        return f"{who} [{where}] {self.method} {self.target}: " + "; ".join(self.errors)


@dataclass(frozen=True)
class IdempotencyUse:
    """An ``Idempotency-Key`` received by a refresh operation."""

    provider: str
    operation: str
    key: str
    replayed: bool
    """True when the key had been seen before and the first response was replayed."""


@dataclass
class SandboxState:
    faults: FaultQueue = field(default_factory=FaultQueue)
    clock: Clock = field(default_factory=Clock)
    token_ttl: float = 3600.0
    record_limit: int = 100_000
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _requests: deque[RecordedRequest] = field(default_factory=deque)
    _violations: list[Violation] = field(default_factory=list)
    _idempotency: list[IdempotencyUse] = field(default_factory=list)
    _tokens: Counter[str] = field(default_factory=Counter)
    _reset_hooks: list[Callable[[], None]] = field(default_factory=list)
    _initial_ttl: float | None = None

    def __post_init__(self) -> None:
        self._requests = deque(maxlen=self.record_limit)
        self._initial_ttl = self.token_ttl

    def record(self, request: RecordedRequest) -> RecordedRequest:
        with self._lock:
            self._requests.append(request)
        return request

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def reset_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def violate(self, violation: Violation) -> None:
        with self._lock:
            self._violations.append(violation)

    def violations(self) -> list[Violation]:
        with self._lock:
            return list(self._violations)

    def idempotency_used(self, use: IdempotencyUse) -> None:
        with self._lock:
            self._idempotency.append(use)

    def idempotency(self) -> list[IdempotencyUse]:
        with self._lock:
            return list(self._idempotency)

    def token_issued(self, server: str) -> None:
        with self._lock:
            self._tokens[server] += 1

    def tokens_issued(self, server: str) -> int:
        with self._lock:
            return self._tokens[server]

    def on_reset(self, hook: Callable[[], None]) -> None:
        self._reset_hooks.append(hook)

    def reset(self) -> None:
        """Forget faults, requests, violations, idempotency keys, counters and clock skew.

        Issued tokens stay valid, as they would at a real provider.
        """
        self.faults.clear()
        with self._lock:
            self._requests.clear()
            self._violations.clear()
            self._idempotency.clear()
            self._tokens.clear()
            self.clock.offset = 0.0
            if self._initial_ttl is not None:
                self.token_ttl = self._initial_ttl
        for hook in self._reset_hooks:
            hook()
