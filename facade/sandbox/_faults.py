"""Fault injection: what can go wrong between a client and a provider, on demand.

A fault is ``KIND[:ARG]``:

==============  ===================================================================
``latency:S``   wait S seconds, then answer normally
``rate_limit``  429 in the provider's error format; ``rate_limit:S`` adds ``Retry-After: S``
                (whole seconds); ``429`` and ``429:S`` are the same
``status:N``    status N (e.g. 500, 502, 503) in the provider's error format; a bare
                ``500``/``503``... is the same
``html[:N]``    an HTML error page from a "proxy", status N (default 502), text/html
``truncated``   the normal response with its JSON cut (``truncated:K`` keeps K bytes,
                default half); the HTTP message itself is complete
``reset``       the request is read, then the connection is reset (RST) with no response
``slow_body``   headers at once, then the body trickles in 10 pieces over S seconds
                (``slow_body:S``, default 2)
==============  ===================================================================

On the command line a fault is ``PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES]``, e.g.
``bpn=rate_limit:2*3`` or ``fireblocks-vault:getVaultAccountAsset=503``. TIMES defaults to
1; ``*always`` never runs out. PROVIDER is a facade provider name (``fireblocks-vault``,
``fireblocks-embedded``, ``cryptofuse``, ``kuna-core``, ``bpn``) or ``fireblocks`` for both
Fireblocks APIs. Faults fire in the order they were injected, each request consuming at most
one; their responses skip spec validation (they are deliberate).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["Fault", "FaultKind", "FaultQueue", "InjectedFault", "parse_fault_option"]

FaultKind = Literal["latency", "rate_limit", "status", "html", "truncated", "reset", "slow_body"]
_KINDS: frozenset[str] = frozenset(get_args(FaultKind))


@dataclass(frozen=True)
class Fault:
    """One misbehaviour. Build with the class methods or ``Fault.parse("rate_limit:2")``."""

    kind: FaultKind
    arg: float | None = None

    def __post_init__(self) -> None:
        arg = self.arg
        if arg is not None and (not math.isfinite(arg) or arg < 0):
            raise ValueError(f"fault {self.kind}: argument must be a finite number >= 0")
        if self.kind in ("latency",) and arg is None:
            raise ValueError("fault latency needs seconds, e.g. latency:0.5")
        if self.kind == "status" and (arg is None or not 400 <= arg <= 599 or arg % 1):
            raise ValueError("fault status needs an HTTP error status, e.g. status:503")
        if self.kind == "html" and arg is not None and (not 400 <= arg <= 599 or arg % 1):
            raise ValueError("fault html takes an HTTP error status, e.g. html:502")
        if self.kind in ("rate_limit", "truncated") and arg is not None and arg % 1:
            raise ValueError(f"fault {self.kind} takes a whole number")
        if self.kind == "reset" and arg is not None:
            raise ValueError("fault reset takes no argument")

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        return cls("latency", float(seconds))

    @classmethod
    def rate_limit(cls, retry_after: int | None = None) -> Fault:
        return cls("rate_limit", None if retry_after is None else float(retry_after))

    @classmethod
    def status(cls, status: int) -> Fault:
        return cls("status", float(status))

    @classmethod
    def html(cls, status: int = 502) -> Fault:
        return cls("html", float(status))

    @classmethod
    def truncated(cls, keep_bytes: int | None = None) -> Fault:
        return cls("truncated", None if keep_bytes is None else float(keep_bytes))

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")

    @classmethod
    def slow_body(cls, seconds: float = 2.0) -> Fault:
        return cls("slow_body", float(seconds))

    @classmethod
    def parse(cls, text: str) -> Fault:
        """``KIND[:ARG]``, or a bare status (``429[:S]``, ``503``)."""
        kind, _, raw_arg = text.strip().partition(":")
        kind = kind.strip().lower().replace("-", "_")
        try:
            arg = float(raw_arg) if raw_arg.strip() else None
        except ValueError:
            raise ValueError(f"fault {text!r}: argument {raw_arg!r} is not a number") from None
        if kind.isdigit():
            status = int(kind)
            if status == 429:
                return cls("rate_limit", arg)
            if raw_arg:
                raise ValueError(f"fault {text!r}: a bare status takes no argument")
            return cls("status", float(status))
        if kind not in _KINDS:
            raise ValueError(f"fault {text!r}: unknown kind; one of {', '.join(sorted(_KINDS))}")
        return cls(kind, arg)  # type: ignore[arg-type]  # checked against _KINDS above

    @property
    def int_arg(self) -> int | None:
        return None if self.arg is None else int(self.arg)

    def __str__(self) -> str:
        if self.arg is None:
            return self.kind
        shown = int(self.arg) if self.arg == int(self.arg) else self.arg
        return f"{self.kind}:{shown}"


@dataclass
class InjectedFault:
    """A fault waiting in the queue. ``remaining`` is None for faults that never run out."""

    fault: Fault
    server: str
    provider: str | None
    operation: str | None
    remaining: int | None
    fired: int = 0

    def matches(self, server: str, provider: str, operation: str | None) -> bool:
        return (
            self.server == server
            and (self.provider is None or self.provider == provider)
            and (self.operation is None or self.operation == operation)
        )


class FaultQueue:
    """Thread-safe: tests inject from their thread, servers consume on the sandbox loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[InjectedFault] = []

    def add(self, injected: InjectedFault) -> InjectedFault:
        with self._lock:
            self._queue.append(injected)
        return injected

    def take(self, server: str, provider: str, operation: str | None) -> Fault | None:
        with self._lock:
            for index, injected in enumerate(self._queue):
                if injected.matches(server, provider, operation):
                    injected.fired += 1
                    if injected.remaining is not None:
                        injected.remaining -= 1
                        if injected.remaining <= 0:
                            del self._queue[index]
                    return injected.fault
        return None

    def clear(self, server: str | None = None, provider: str | None = None) -> None:
        with self._lock:
            self._queue = [
                f
                for f in self._queue
                if not (
                    (server is None or f.server == server)
                    and (provider is None or f.provider in (None, provider))
                )
            ]

    def pending(self) -> list[InjectedFault]:
        with self._lock:
            return list(self._queue)


def parse_fault_option(text: str) -> tuple[str, str | None, Fault, int | None]:
    """``PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES]`` -> (provider, operation, fault, times)."""
    target, sep, spec = text.partition("=")
    if not sep or not target.strip() or not spec.strip():
        raise ValueError(
            f"--fault {text!r}: expected PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES], "
            "e.g. bpn=rate_limit:2*3"
        )
    provider, _, operation = target.strip().partition(":")
    spec, star, raw_times = spec.partition("*")
    times: int | None = 1
    if star:
        raw_times = raw_times.strip().lower()
        if raw_times in ("always", "inf", "forever"):
            times = None
        elif raw_times.isdigit() and int(raw_times) >= 1:
            times = int(raw_times)
        else:
            raise ValueError(f"--fault {text!r}: *TIMES must be a positive integer or 'always'")
    return provider.strip(), operation.strip() or None, Fault.parse(spec), times
