"""``client.with_raw_response``: the result together with every HTTP exchange behind it.

Named as in Stainless-generated SDKs (openai, anthropic): ``client.with_raw_response
.get_balances(...)`` returns a :class:`RawResponse` whose ``parse()`` gives the usual
``WalletBalances``, with ``status_code``, ``headers``, ``elapsed`` and ``content`` of the
last exchange at hand, and ``exchanges`` listing every attempt of every request (retries
included), credentials redacted from the recorded request headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from ._hooks import Exchange, raw_exchanges
from ._model import WalletBalances

if TYPE_CHECKING:
    from ._client import AsyncBalanceClient, BalanceClient

__all__ = ["AsyncWithRawResponse", "RawResponse", "WithRawResponse"]


@dataclass(frozen=True)
class RawResponse:
    """A result and the HTTP exchanges that produced it, oldest first."""

    parsed: WalletBalances
    exchanges: tuple[Exchange, ...] = field(default=())

    def parse(self) -> WalletBalances:
        """The parsed result, as the plain method returns it."""
        return self.parsed

    @property
    def last(self) -> Exchange:
        """The last exchange (a successful one, since the call succeeded)."""
        return self.exchanges[-1]

    @property
    def status_code(self) -> int | None:
        return self.last.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.last.headers

    @property
    def content(self) -> bytes:
        return self.last.content

    @property
    def elapsed(self) -> float:
        """Seconds of the last exchange."""
        return self.last.elapsed

    @property
    def request_id(self) -> str | None:
        """The provider's request id of the result (``WalletBalances.request_id``)."""
        return self.parsed.request_id or self.last.request_id

    @property
    def retries(self) -> int:
        """Attempts beyond the first, over all requests of the call."""
        return sum(1 for e in self.exchanges if e.attempt > 1)


class WithRawResponse:
    """``client.with_raw_response``: the client's methods, returning :class:`RawResponse`."""

    def __init__(self, client: BalanceClient) -> None:
        self._client = client

    def get_balances(
        self, wallet_id: str, *, account_id: str | None = None, assets: Iterable[str] | None = None
    ) -> RawResponse:
        return _collect(
            lambda: self._client.get_balances(wallet_id, account_id=account_id, assets=assets)
        )

    def refresh_balances(
        self,
        wallet_id: str,
        *,
        account_id: str | None = None,
        assets: Iterable[str] | None = None,
        idempotency_key: str | None = None,
    ) -> RawResponse:
        return _collect(
            lambda: self._client.refresh_balances(
                wallet_id, account_id=account_id, assets=assets, idempotency_key=idempotency_key
            )
        )


class AsyncWithRawResponse:
    """``client.with_raw_response`` of an :class:`AsyncBalanceClient`."""

    def __init__(self, client: AsyncBalanceClient) -> None:
        self._client = client

    async def get_balances(
        self, wallet_id: str, *, account_id: str | None = None, assets: Iterable[str] | None = None
    ) -> RawResponse:
        return await _acollect(
            lambda: self._client.get_balances(wallet_id, account_id=account_id, assets=assets)
        )

    async def refresh_balances(
        self,
        wallet_id: str,
        *,
        account_id: str | None = None,
        assets: Iterable[str] | None = None,
        idempotency_key: str | None = None,
    ) -> RawResponse:
        return await _acollect(
            lambda: self._client.refresh_balances(
                wallet_id, account_id=account_id, assets=assets, idempotency_key=idempotency_key
            )
        )


def _collect(run: Callable[[], WalletBalances]) -> RawResponse:
    exchanges: list[Exchange] = []
    token = raw_exchanges.set(exchanges)
    try:
        parsed = run()
    finally:
        raw_exchanges.reset(token)
    return RawResponse(parsed, tuple(exchanges))


async def _acollect(run: Callable[[], Awaitable[WalletBalances]]) -> RawResponse:
    exchanges: list[Exchange] = []
    token = raw_exchanges.set(exchanges)
    try:
        parsed = await run()
    finally:
        raw_exchanges.reset(token)
    # Requests of one call run as concurrent tasks: show them in the order they started.
    return RawResponse(parsed, tuple(exchanges))
