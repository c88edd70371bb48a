"""The clients users hold: ``connect`` / ``connect_async`` and what they return."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from ._assets import AssetTable
from ._model import WalletBalances
from ._ratelimit import RateLimiter
from ._registry import adapter_class
from ._retry import RetryPolicy
from ._settings import COMMON_SETTINGS, load_settings
from ._transport import (
    PARSE_FAILURES,
    AsyncTransport,
    Call,
    Reply,
    SyncTransport,
    TransportConfig,
    redact,
)
from .errors import ConfigurationError, FacadeError, ProtocolError
from .providers._base import Adapter, BalanceQuery, Support, build_query

__all__ = ["AsyncBalanceClient", "BalanceClient", "connect", "connect_async"]


def _build(
    provider: str, options: Mapping[str, Any], settings: Mapping[str, Any]
) -> tuple[Adapter[Any], TransportConfig]:
    cls = adapter_class(provider)
    unknown_options = set(options) - cls.options
    if unknown_options:
        raise ConfigurationError(
            f"{provider} does not take {', '.join(sorted(unknown_options))}", provider=provider
        )
    resolved = load_settings(provider, COMMON_SETTINGS + cls.setting_specs, settings)
    assets = AssetTable.of(provider, cls.asset_codes)
    for code, pair in (resolved.get("asset_map") or {}).items():
        if isinstance(pair, str) or not (isinstance(pair, Sequence) and len(pair) == 2):
            raise ConfigurationError(
                f"asset_map[{code!r}] must be [symbol, network]", provider=provider
            )
        assets.add(provider, code, pair[0], pair[1])
    adapter = cls(resolved, assets, **options)
    config = TransportConfig(
        provider=provider,
        base_url=adapter.base_url,
        auth=adapter.auth(),
        timeout=resolved.get("timeout"),
        connect_timeout=resolved.get("connect_timeout"),
        retry=RetryPolicy(
            max_retries=resolved.get("max_retries"),
            backoff_base=resolved.get("backoff_base"),
            backoff_max=resolved.get("backoff_max"),
            retry_after_cap=resolved.get("retry_after_cap"),
        ),
        limiter=RateLimiter.from_settings(
            cls.default_rate_limits,
            resolved.get("rate_limits"),
            operations=cls.operations(),
        ),
        max_concurrency=max(1, resolved.get("max_concurrency")),
        max_response_bytes=resolved.get("max_response_bytes"),
        read_error=adapter.read_error,
        check_success=adapter.check_success,
        secrets=resolved.secret_values(),
    )
    return adapter, config


class _ClientBase:
    """What the sync and async clients share: validation, capabilities, result assembly."""

    def __init__(self, adapter: Adapter[Any], config: TransportConfig) -> None:
        self._adapter = adapter
        self._config = config

    @property
    def provider(self) -> str:
        return self._adapter.name

    @property
    def capabilities(self) -> Mapping[str, Support]:
        """Capability -> native / emulated / unsupported (see facade.CAPABILITIES)."""
        return dict(self._adapter.capabilities)

    @property
    def assets(self) -> AssetTable:
        """This client's asset table; ``client.assets.add(...)`` extends it."""
        return self._adapter.assets

    def __repr__(self) -> str:
        name, url = type(self).__name__, self._adapter.base_url
        return f"<{name} provider={self.provider!r} base_url={url!r}>"

    def _query(
        self,
        wallet_id: str,
        account_id: str | None,
        assets: Iterable[str] | None,
        *,
        refresh: bool = False,
        idempotency_key: str | None = None,
    ) -> BalanceQuery:
        return build_query(
            self._adapter,
            wallet_id,
            account_id,
            assets,
            refresh=refresh,
            idempotency_key=idempotency_key,
        )

    def _calls(self, query: BalanceQuery, *, refresh: bool) -> Sequence[Call[Any]]:
        adapter = self._adapter
        return adapter.refresh_calls(query) if refresh else adapter.balance_calls(query)

    def _finish(self, query: BalanceQuery, replies: Sequence[Reply[Any]]) -> WalletBalances:
        try:
            mapped = self._adapter.map_balances(query, replies)
        except PARSE_FAILURES as exc:
            first = replies[0] if replies else None
            raise ProtocolError(
                redact(f"response cannot be mapped: {exc}", self._config.secrets),
                provider=self.provider,
                operation=first.call.operation if first else None,
                status_code=first.status_code if first else None,
                request_id=first.request_id if first else None,
            ) from None
        return WalletBalances(
            provider=self.provider,
            wallet_id=query.wallet_id,
            account_id=query.account_id,
            balances=mapped.balances,
            fiat_valuation=mapped.fiat_valuation,
            request_id=mapped.request_id,
            fetched_at=datetime.now(UTC),
        )


class BalanceClient(_ClientBase):
    """Blocking client for one provider. Use ``facade.connect(...)`` to make one.

    ``get_balances`` returns a :class:`facade.WalletBalances`; failures raise
    :mod:`facade.errors`. The client pools connections: reuse it, and close it (or use it
    as a context manager) when done.
    """

    def __init__(self, adapter: Adapter[Any], config: TransportConfig) -> None:
        super().__init__(adapter, config)
        self._transport = SyncTransport(config)

    def get_balances(
        self, wallet_id: str, *, account_id: str | None = None, assets: Iterable[str] | None = None
    ) -> WalletBalances:
        """Balances of one wallet: every asset, or just ``assets`` (provider codes)."""
        query = self._query(wallet_id, account_id, assets)
        return self._run(query, refresh=False)

    def refresh_balances(
        self,
        wallet_id: str,
        *,
        account_id: str | None = None,
        assets: Iterable[str] | None = None,
        idempotency_key: str | None = None,
    ) -> WalletBalances:
        """Ask the provider to re-read balances from the chain; returns the new balances.

        Retries reuse one ``Idempotency-Key`` (yours, or a generated one).
        """
        query = self._query(
            wallet_id, account_id, assets, refresh=True, idempotency_key=idempotency_key
        )
        return self._run(query, refresh=True)

    def _run(self, query: BalanceQuery, *, refresh: bool) -> WalletBalances:
        replies = [self._transport.execute(call) for call in self._calls(query, refresh=refresh)]
        return self._finish(query, replies)

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBalanceClient(_ClientBase):
    """Asyncio client for one provider; same methods as :class:`BalanceClient`, awaited."""

    def __init__(self, adapter: Adapter[Any], config: TransportConfig) -> None:
        super().__init__(adapter, config)
        self._transport = AsyncTransport(config)

    async def get_balances(
        self, wallet_id: str, *, account_id: str | None = None, assets: Iterable[str] | None = None
    ) -> WalletBalances:
        query = self._query(wallet_id, account_id, assets)
        return await self._run(query, refresh=False)

    async def refresh_balances(
        self,
        wallet_id: str,
        *,
        account_id: str | None = None,
        assets: Iterable[str] | None = None,
        idempotency_key: str | None = None,
    ) -> WalletBalances:
        query = self._query(
            wallet_id, account_id, assets, refresh=True, idempotency_key=idempotency_key
        )
        return await self._run(query, refresh=True)

    async def _run(self, query: BalanceQuery, *, refresh: bool) -> WalletBalances:
        calls = self._calls(query, refresh=refresh)
        if len(calls) == 1:
            replies = [await self._transport.execute(calls[0])]
        else:
            try:
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(self._transport.execute(c)) for c in calls]
            except* FacadeError as failures:
                raise failures.exceptions[0] from None
            replies = [task.result() for task in tasks]
        return self._finish(query, replies)

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def connect(provider: str, *, signer: Any = None, **settings: Any) -> BalanceClient:
    """A blocking client for ``provider`` ("fireblocks-vault", "fireblocks-embedded",
    "cryptofuse", "kuna-core" or "bpn").

    Settings come from keyword arguments, then ``WALLET_BALANCES_<PROVIDER>_<SETTING>``
    environment variables, then the TOML file in ``config_file`` / ``WALLET_BALANCES_CONFIG``.
    Secrets may be given as ``<name>_file``. ``signer`` plugs a request signer into
    providers that sign requests (BPN).
    """
    options = {} if signer is None else {"signer": signer}
    return BalanceClient(*_build(provider, options, settings))


def connect_async(provider: str, *, signer: Any = None, **settings: Any) -> AsyncBalanceClient:
    """Like :func:`connect`, for asyncio: ``async with facade.connect_async(...) as client``."""
    options = {} if signer is None else {"signer": signer}
    return AsyncBalanceClient(*_build(provider, options, settings))
