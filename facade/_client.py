"""The clients users hold: ``connect`` / ``connect_async`` and what they return."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from ._assets import AssetTable
from ._connection import CONNECTION_SETTINGS, HttpSetup, split_objects
from ._hooks import Hooks, Observer, configure_logging_from_env
from ._model import WalletBalances
from ._ratelimit import RateLimiter
from ._registry import adapter_class, provider_names
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
from .errors import (
    ConfigurationError,
    FacadeError,
    InvalidArgument,
    ProtocolError,
    ProviderError,
)
from .providers._base import (
    CAPABILITIES,
    Adapter,
    BalanceQuery,
    Support,
    build_query,
    same_code,
)

if TYPE_CHECKING:
    from ._otel import Telemetry
    from ._raw import AsyncWithRawResponse, WithRawResponse

__all__ = ["AsyncBalanceClient", "BalanceClient", "connect", "connect_async"]


@dataclasses.dataclass(frozen=True)
class _Wiring:
    """What a client hands its transport besides the TransportConfig (see _connection.py,
    _hooks.py, _otel.py)."""

    setup: HttpSetup
    hooks: Hooks | None
    telemetry: Telemetry | None


# connect() keywords that configure the instrumentation, never read from env or TOML.
_INSTRUMENTATION = ("hooks", "telemetry", "otel_wallet_ids")


def _wiring(provider: str, objects: Mapping[str, Any], resolved: Any) -> _Wiring:
    configure_logging_from_env()
    hooks = objects.get("hooks")
    if hooks is not None and not isinstance(hooks, Hooks):
        raise ConfigurationError("hooks must be a facade.Hooks", provider=provider)
    telemetry = None
    if objects.get("telemetry", True):
        from . import _otel  # noqa: PLC0415 - stdlib-only until opentelemetry is found

        if _otel.available():
            telemetry = _otel.Telemetry(
                provider, wallet_ids=bool(objects.get("otel_wallet_ids", False))
            )
    return _Wiring(HttpSetup.from_settings(provider, objects, resolved), hooks, telemetry)


def _build(
    provider: str, options: Mapping[str, Any], settings: Mapping[str, Any]
) -> tuple[Adapter[Any], TransportConfig, _Wiring]:
    cls = adapter_class(provider)
    try:
        return _build_for(cls, provider, options, settings)
    except ConfigurationError as exc:
        # Whatever part of the set-up noticed (auth, rate limits), the error names the
        # provider as the caller spelled it in connect().
        exc.provider = provider
        raise


def _build_for(
    cls: type[Adapter[Any]],
    provider: str,
    options: Mapping[str, Any],
    settings: Mapping[str, Any],
) -> tuple[Adapter[Any], TransportConfig, _Wiring]:
    unknown_options = set(options) - cls.options
    if unknown_options:
        raise ConfigurationError(
            f"{provider} does not take {', '.join(sorted(unknown_options))}", provider=provider
        )
    objects, settings = split_objects(settings)
    objects.update({k: settings.pop(k) for k in _INSTRUMENTATION if k in settings})
    specs = COMMON_SETTINGS + CONNECTION_SETTINGS + cls.setting_specs
    resolved = load_settings(provider, specs, settings, known_providers=provider_names())
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
        max_concurrency=resolved.get("max_concurrency"),
        max_response_bytes=resolved.get("max_response_bytes"),
        read_error=adapter.read_error,
        # Only envelope APIs read a 2xx body for errors; for the others interpret skips it.
        check_success=(
            adapter.check_success if cls.check_success is not Adapter.check_success else None
        ),
        secrets=resolved.secret_values(),
    )
    return adapter, config, _wiring(provider, objects, resolved)


class _ClientBase:
    """What the sync and async clients share: validation, capabilities, result assembly."""

    def __init__(
        self, adapter: Adapter[Any], config: TransportConfig, wiring: _Wiring | None = None
    ) -> None:
        self._adapter = adapter
        self._config = config
        self._wiring = wiring or _Wiring(HttpSetup(), None, None)

    def _observer(self) -> Observer:
        def redact_for(text: str, sent: Any) -> str:
            from ._transport import _credentials  # noqa: PLC0415

            return redact(text, [*self._config.secrets, *(_credentials(sent) if sent else ())])

        return Observer(self.provider, self._wiring.hooks, self._wiring.telemetry, redact_for)

    def _changed(
        self,
        timeout: float | None,
        connect_timeout: float | None,
        max_retries: int | None,
    ) -> TransportConfig:
        changes: dict[str, Any] = {}
        for name, value in (("timeout", timeout), ("connect_timeout", connect_timeout)):
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    raise InvalidArgument(f"{name} must be a positive number of seconds")
                changes[name] = float(value)
        if max_retries is not None:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise InvalidArgument("max_retries must be a whole number >= 0")
            changes["retry"] = dataclasses.replace(self._config.retry, max_retries=max_retries)
        return dataclasses.replace(self._config, **changes)

    @property
    def provider(self) -> str:
        return self._adapter.name

    @property
    def capabilities(self) -> Mapping[str, Support]:
        """Capability -> native / emulated / unsupported, for every capability in
        ``facade.CAPABILITIES`` (one an adapter does not name is unsupported)."""
        declared = self._adapter.capabilities
        return {name: declared.get(name, Support.UNSUPPORTED) for name in CAPABILITIES}

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

    @staticmethod
    def _held(query: BalanceQuery, listed: WalletBalances) -> BalanceQuery | None:
        """The query of a whole-wallet refresh narrowed to the assets the listing showed;
        None when the wallet holds nothing (there is nothing to refresh)."""
        held = tuple(dict.fromkeys(b.asset for b in listed.balances))
        if not held:
            return None
        return BalanceQuery(query.wallet_id, query.account_id, held, query.idempotency_key)

    def _absent(self, call: Call[Any], error: FacadeError) -> bool:
        """A per-asset call whose error says the asset is not in the wallet."""
        return (
            call.context is not None
            and isinstance(error, ProviderError)
            and self._adapter.absent(call, error)
        )

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
        balances, missing = mapped.balances, []
        if query.assets is not None:
            # One rule for every provider: a requested code matches a returned asset whatever
            # its ASCII case; what the provider did not return is listed, never dropped.
            wanted = {same_code(code) for code in query.assets}
            balances = [b for b in balances if same_code(b.asset) in wanted]
            returned = {same_code(b.asset) for b in balances}
            missing = [code for code in query.assets if same_code(code) not in returned]
        return WalletBalances(
            provider=self.provider,
            wallet_id=query.wallet_id,
            account_id=query.account_id,
            balances=balances,
            missing=missing,
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

    def __init__(
        self,
        adapter: Adapter[Any],
        config: TransportConfig,
        wiring: _Wiring | None = None,
        *,
        _shared: SyncTransport | None = None,
    ) -> None:
        super().__init__(adapter, config, wiring)
        self._transport = SyncTransport(
            config,
            self._wiring.setup,
            self._observer(),
            shared=None if _shared is None else _shared._client,
        )

    @functools.cached_property
    def with_raw_response(self) -> WithRawResponse:
        """The same methods, returning a :class:`facade.RawResponse` (result + exchanges)."""
        from ._raw import WithRawResponse  # noqa: PLC0415

        return WithRawResponse(self)

    def with_options(
        self,
        *,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        max_retries: int | None = None,
    ) -> BalanceClient:
        """A client like this one with other timeouts or retries, sharing its connection
        pool: ``client.with_options(timeout=2).get_balances(...)``. Closing it leaves the
        pool open; closing this client closes the pool for both."""
        config = self._changed(timeout, connect_timeout, max_retries)
        return BalanceClient(self._adapter, config, self._wiring, _shared=self._transport)

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

        ``assets=None`` refreshes every asset the wallet holds where the provider can list
        the wallet (``capabilities["refresh_all"]``); elsewhere it raises
        :class:`facade.errors.Unsupported` before anything is sent.

        Idempotency: each HTTP request carries one ``Idempotency-Key`` derived from
        ``idempotency_key`` (or from a generated one): the key itself when one asset is
        refreshed, ``"<key>-<ASSET>"`` per asset when several are. Every retry of a request
        resends its key, so repeating the whole call with the same key is safe.
        """
        query = self._query(
            wallet_id, account_id, assets, refresh=True, idempotency_key=idempotency_key
        )
        return self._run(query, refresh=True)

    def _run(self, query: BalanceQuery, *, refresh: bool) -> WalletBalances:
        telemetry = self._wiring.telemetry
        if telemetry is None or not telemetry.active():
            return self._run_calls(query, refresh=refresh)
        operation = "refresh_balances" if refresh else "get_balances"
        with telemetry.call(operation, query.wallet_id):
            return self._run_calls(query, refresh=refresh)

    def _run_calls(self, query: BalanceQuery, *, refresh: bool) -> WalletBalances:
        if refresh and query.assets is None:
            listed = self._run_calls(query, refresh=False)
            narrowed = self._held(query, listed)
            if narrowed is None:
                return listed
            query = narrowed
        replies = []
        for call in self._calls(query, refresh=refresh):
            try:
                replies.append(self._transport.execute(call))
            except FacadeError as error:
                if not self._absent(call, error):
                    raise
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

    def __init__(
        self,
        adapter: Adapter[Any],
        config: TransportConfig,
        wiring: _Wiring | None = None,
        *,
        _shared: AsyncTransport | None = None,
    ) -> None:
        super().__init__(adapter, config, wiring)
        self._transport = AsyncTransport(
            config,
            self._wiring.setup,
            self._observer(),
            shared=None if _shared is None else _shared._client,
        )

    @functools.cached_property
    def with_raw_response(self) -> AsyncWithRawResponse:
        """The same methods, returning a :class:`facade.RawResponse` (result + exchanges)."""
        from ._raw import AsyncWithRawResponse  # noqa: PLC0415

        return AsyncWithRawResponse(self)

    def with_options(
        self,
        *,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        max_retries: int | None = None,
    ) -> AsyncBalanceClient:
        """Like :meth:`BalanceClient.with_options`: same connection pool, other settings."""
        config = self._changed(timeout, connect_timeout, max_retries)
        return AsyncBalanceClient(self._adapter, config, self._wiring, _shared=self._transport)

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
        telemetry = self._wiring.telemetry
        if telemetry is None or not telemetry.active():
            return await self._run_calls(query, refresh=refresh)
        operation = "refresh_balances" if refresh else "get_balances"
        with telemetry.call(operation, query.wallet_id):
            return await self._run_calls(query, refresh=refresh)

    async def _run_calls(self, query: BalanceQuery, *, refresh: bool) -> WalletBalances:
        if refresh and query.assets is None:
            listed = await self._run_calls(query, refresh=False)
            narrowed = self._held(query, listed)
            if narrowed is None:
                return listed
            query = narrowed
        calls = self._calls(query, refresh=refresh)
        if len(calls) == 1:
            replies = [await self._execute(calls[0])]
        else:
            import asyncio  # noqa: PLC0415 - a blocking program never loads asyncio

            try:
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(self._execute(c)) for c in calls]
            except* FacadeError as failures:
                raise failures.exceptions[0] from None
            replies = [task.result() for task in tasks]
        return self._finish(query, [r for r in replies if r is not None])

    async def _execute(self, call: Call[Any]) -> Reply[Any] | None:
        """The reply, or None when the provider says the call's asset is not in the wallet."""
        try:
            return await self._transport.execute(call)
        except FacadeError as error:
            if self._absent(call, error):
                return None
            raise

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

    Also taken as keywords (never from the environment or a file): ``http_client`` (your
    ``httpx.Client``, used as given and not closed), ``transport`` (an httpx transport for the
    client the facade builds), ``event_hooks`` (httpx's), ``trust_env``, ``verify`` as an
    ``ssl.SSLContext``, ``hooks`` (a :class:`facade.Hooks`), ``telemetry=False`` (no
    OpenTelemetry even when installed) and ``otel_wallet_ids=True`` (wallet ids on spans).
    """
    options = {} if signer is None else {"signer": signer}
    return BalanceClient(*_build(provider, options, settings))


def connect_async(provider: str, *, signer: Any = None, **settings: Any) -> AsyncBalanceClient:
    """Like :func:`connect`, for asyncio: ``async with facade.connect_async(...) as client``."""
    options = {} if signer is None else {"signer": signer}
    return AsyncBalanceClient(*_build(provider, options, settings))
