"""Many wallets, many providers: ``gather_balances`` streams one outcome per request.

At most ``concurrency`` requests are in flight and requests are drawn from the input only
as slots free up, so memory stays flat however many requests there are. A failed request
yields its error; it never cancels or hides the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ._client import AsyncBalanceClient, connect_async
from ._model import WalletBalances
from .errors import FacadeError, InvalidArgument

__all__ = ["BalanceOutcome", "BalanceRequest", "gather_balances", "gather_balances_sync"]


@dataclass(frozen=True, slots=True)
class BalanceRequest:
    """One wallet to read in a fan-out."""

    provider: str
    wallet_id: str
    account_id: str | None = None
    assets: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class BalanceOutcome:
    """The result of one request: exactly one of ``wallet`` and ``error`` is set."""

    request: BalanceRequest
    wallet: WalletBalances | None = None
    error: FacadeError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


async def _aiter(
    requests: Iterable[BalanceRequest] | AsyncIterable[BalanceRequest],
) -> AsyncIterator[BalanceRequest]:
    if isinstance(requests, AsyncIterable):
        async for item in requests:
            yield item
    else:
        for item in requests:
            yield item


async def gather_balances(
    requests: Iterable[BalanceRequest] | AsyncIterable[BalanceRequest],
    *,
    concurrency: int = 64,
    clients: Mapping[str, AsyncBalanceClient] | None = None,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> AsyncIterator[BalanceOutcome]:
    """Yield a :class:`BalanceOutcome` per request, in completion order.

    ``clients`` are used as given (and left open); for other providers a client is made
    from ``settings[provider]`` (plus environment and config file) and closed at the end.
    Leaving the loop early cancels the requests in flight and closes those clients when
    the generator is closed (at once under ``contextlib.aclosing``; otherwise when asyncio
    finalises the abandoned generator, which is at the next turn of the loop).
    """
    if concurrency < 1:
        raise InvalidArgument("concurrency must be at least 1")
    given = dict(clients or {})
    owned: dict[str, AsyncBalanceClient | FacadeError] = {}

    def client_for(provider: str) -> AsyncBalanceClient | FacadeError:
        if provider in given:
            return given[provider]
        if provider not in owned:
            try:
                owned[provider] = connect_async(provider, **(settings or {}).get(provider, {}))
            except FacadeError as exc:
                owned[provider] = exc
        return owned[provider]

    async def run(request: BalanceRequest) -> BalanceOutcome:
        client = client_for(request.provider)
        if isinstance(client, FacadeError):
            return BalanceOutcome(request, error=client)
        try:
            wallet = await client.get_balances(
                request.wallet_id, account_id=request.account_id, assets=request.assets
            )
        except FacadeError as exc:
            return BalanceOutcome(request, error=exc)
        return BalanceOutcome(request, wallet=wallet)

    pending: set[asyncio.Task[BalanceOutcome]] = set()
    source = _aiter(requests).__aiter__()
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < concurrency:
                try:
                    request = await source.__anext__()
                except StopAsyncIteration:
                    exhausted = True
                    break
                pending.add(asyncio.create_task(run(request)))
            if not pending:
                return
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                yield task.result()
    finally:
        for task in pending:
            task.cancel()
        try:
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        finally:
            # Also when the clean-up itself is cancelled (asyncio.run cancels what is left,
            # the finaliser of an abandoned generator included): pools are closed regardless.
            for client in owned.values():
                if isinstance(client, AsyncBalanceClient):
                    with contextlib.suppress(Exception, asyncio.CancelledError):
                        await asyncio.shield(client.aclose())


_DONE = object()


def gather_balances_sync(
    requests: Iterable[BalanceRequest],
    *,
    concurrency: int = 64,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> Iterator[BalanceOutcome]:
    """Blocking :func:`gather_balances`: the asyncio fan-out runs in a helper thread and
    hands outcomes over through a bounded queue, so a slow consumer slows the producer.

    Leaving early (``break``, ``close()``, an exception in the loop body, KeyboardInterrupt)
    cancels the requests in flight and closes the clients it made before returning: it does
    not wait for their retries.
    """
    handoff: queue.Queue[Any] = queue.Queue(maxsize=max(1, concurrency))
    stop = threading.Event()
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]]] = []

    def hand_over(outcome: BalanceOutcome) -> bool:
        """Wait for room in the queue; False once the consumer has gone."""
        while not stop.is_set():
            try:
                handoff.put(outcome, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    async def produce() -> None:
        task = asyncio.current_task()
        assert task is not None
        running.append((asyncio.get_running_loop(), task))
        if stop.is_set():  # the consumer left before the loop started
            return
        try:
            async for outcome in gather_balances(
                requests, concurrency=concurrency, settings=settings
            ):
                if stop.is_set():
                    return
                try:
                    handoff.put_nowait(outcome)  # the common case: room, no thread hop
                    continue
                except queue.Full:
                    pass
                # Waiting for a slow consumer happens off the event loop, which keeps
                # serving the requests in flight (a blocked loop ran them into timeouts).
                if not await asyncio.to_thread(hand_over, outcome):
                    return
        except BaseException as exc:  # re-raised in the consumer's thread
            if not stop.is_set():
                handoff.put(exc)
            return
        handoff.put(_DONE)

    worker = threading.Thread(
        target=asyncio.run, args=(produce(),), name="gather_balances", daemon=True
    )
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        # Cancel the fan-out where it waits: gather_balances then cancels its requests and
        # closes its clients, instead of letting them run through their retries.
        for loop, task in running:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                loop.call_soon_threadsafe(task.cancel)
        while worker.is_alive():
            try:
                handoff.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)
