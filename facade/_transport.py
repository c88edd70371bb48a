"""The one place where requests are sent, retried, timed out and turned into errors.

Adapters describe a request as a :class:`Call`: the keyword arguments the generated
client's ``build_request_kwargs`` returns, plus the generated model's ``from_dict``. This
module sends it with the provider's ``httpx.Auth``, reads the body under a deadline, parses
JSON with Decimal numbers, and translates every failure into :mod:`facade.errors`.
``SyncTransport`` and ``AsyncTransport`` differ only in how they wait and send; every
decision is in ``_Core``.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from . import errors
from ._connection import HttpSetup
from ._decimal import AmountError, loads
from ._hooks import CREDENTIAL_HEADERS, Attempt, Observer
from ._ratelimit import RateLimiter
from ._retry import RetryPolicy, parse_retry_after

__all__ = [
    "PARSE_FAILURES",
    "STATUS_ERRORS",
    "AsyncTransport",
    "Call",
    "ErrorDetails",
    "Reply",
    "SyncTransport",
    "TransportConfig",
    "error_for_status",
    "redact",
]

logger = logging.getLogger("facade")


M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Call(Generic[M]):
    """One HTTP request of an operation, as the generated client describes it.

    ``operation`` is the generated module's ``OPERATION_ID``, ``request`` what its
    ``build_request_kwargs`` returns, and ``parse`` the generated model's ``from_dict``,
    so ``Reply[M].model`` is typed by the generated model.
    """

    operation: str
    request: Mapping[str, Any]
    parse: Callable[[Any], M]
    retry_allowed: bool = True  # False for a call unsafe to repeat (every refresh carries a key)
    context: str | None = None  # handed back with the reply, e.g. the asset code asked for


@dataclass(frozen=True, slots=True)
class Reply(Generic[M]):
    """A successful answer to a :class:`Call`."""

    call: Call[M]
    status_code: int
    headers: httpx.Headers
    body: Any  # decoded JSON as received, non-integer numbers as Decimal
    model: M  # the generated model parsed from body
    request_id: str | None


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    """What an adapter reads from an error body (or from a 200 that is really an error)."""

    status_code: int | None = None
    code: str | None = None
    message: str | None = None
    request_id: str | None = None


ErrorReader = Callable[[Any], ErrorDetails]


def generic_error_details(body: Any) -> ErrorDetails:
    """Reads the usual shapes: {message, code}, {detail}, {error}, {error: {type, message}}."""
    if not isinstance(body, Mapping):
        return ErrorDetails()
    nested = body.get("error")
    if isinstance(nested, Mapping):
        return ErrorDetails(
            code=_text(nested.get("type") or nested.get("code")),
            message=_text(nested.get("message")),
        )
    message = next((body[k] for k in ("message", "msg", "detail", "error") if body.get(k)), None)
    return ErrorDetails(code=_text(body.get("code")), message=_text(message))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    return str(value)[:500]


@dataclass(frozen=True)
class TransportConfig:
    provider: str
    base_url: str
    auth: httpx.Auth | None
    timeout: float
    connect_timeout: float
    retry: RetryPolicy
    limiter: RateLimiter
    max_concurrency: int
    max_response_bytes: int
    read_error: ErrorReader = generic_error_details
    check_success: ErrorReader | None = None  # envelope APIs report errors inside a 2xx
    secrets: Sequence[str] = field(default=(), repr=False)


# The one table from a failed status to its error. A flow that reads a status differently
# (an OAuth token endpoint answers a bad client with 400) passes overrides.
STATUS_ERRORS: Mapping[int, type[errors.ProviderError]] = {
    400: errors.InvalidRequest,
    401: errors.AuthenticationError,
    403: errors.PermissionDenied,
    404: errors.NotFound,
    405: errors.InvalidRequest,
    408: errors.Timeout,
    409: errors.InvalidRequest,
    422: errors.InvalidRequest,
    429: errors.RateLimited,
}


def _credentials(request: httpx.Request) -> list[str]:
    values = []
    for name in CREDENTIAL_HEADERS:
        for value in request.headers.get_list(name):
            values.append(value)
            values.append(value.partition(" ")[2])  # the token of "Bearer <token>"
    return values


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by asterisks (longest first)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "**********")
    return text


def error_for_status(
    status: int, overrides: Mapping[int, type[errors.ProviderError]] | None = None
) -> type[errors.ProviderError]:
    """The error class of a failed status, whether from HTTP or from an envelope's body."""
    if overrides and status in overrides:
        return overrides[status]
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return errors.ProviderUnavailable if status >= 500 else errors.ProtocolError


# What parsing or mapping an answer raises when the answer breaks the contract: each is a
# ProtocolError for the caller (ArithmeticError: decimal signals).
PARSE_FAILURES: tuple[type[Exception], ...] = (
    AmountError,
    ArithmeticError,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
)


class _Core:
    """Everything about a request that is not I/O."""

    def __init__(
        self,
        config: TransportConfig,
        setup: HttpSetup | None = None,
        observer: Observer | None = None,
    ) -> None:
        self.config = config
        self.setup = setup or HttpSetup()
        self.observer = observer or Observer(config.provider, None, None, self.redact)
        self.timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
        self._timeout_extension = self.timeout.as_dict()
        self._url_prefix = config.base_url.rstrip("/") + "/"
        self.limits = httpx.Limits(
            max_connections=config.max_concurrency,
            max_keepalive_connections=config.max_concurrency,
        )

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments of the httpx client this transport builds (sync or async)."""
        return {
            "base_url": self.config.base_url,
            "timeout": self.timeout,
            "limits": self.limits,
            "follow_redirects": False,
            **self.setup.client_options(self.config.base_url),
        }

    def redact(self, text: str, sent: httpx.Request | None = None) -> str:
        """``text`` without the configured secrets, nor the credentials ``sent`` carried
        (bearer tokens fetched at run time, Fireblocks JWTs)."""
        secrets = [*self.config.secrets, *(_credentials(sent) if sent is not None else ())]
        return redact(text, secrets)

    def error(
        self,
        cls: type[errors.ProviderError],
        message: str,
        call: Call[Any],
        *,
        status_code: int | None = None,
        details: ErrorDetails | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        sent: httpx.Request | None = None,
    ) -> errors.ProviderError:
        details = details or ErrorDetails()
        # Whatever an adapter read from the body, any of it may echo a credential.
        provider_message = self.redact(details.message, sent) if details.message else None
        code = self.redact(details.code, sent) if details.code else None
        text = self.redact(message, sent)
        if provider_message:
            text = f"{text}: {provider_message}"
        context: dict[str, Any] = {
            "provider": self.config.provider,
            "operation": call.operation,
            "status_code": status_code,
            "code": code,
            "provider_message": provider_message,
            "request_id": details.request_id or request_id,
        }
        return cls(text, retry_after=retry_after, **context)

    def transport_error(self, exc: Exception, call: Call[Any]) -> errors.ProviderError:
        where = _host_port(self.config.base_url)
        if isinstance(exc, httpx.ConnectTimeout):
            return self.error(
                errors.Timeout,
                f"connecting to {where} timed out after {self.config.connect_timeout:g} s",
                call,
            )
        if isinstance(exc, httpx.TimeoutException | TimeoutError):
            return self.error(
                errors.Timeout, f"no answer from {where} within {self.config.timeout:g} s", call
            )
        if isinstance(exc, httpx.DecodingError):  # the answer came, but undecodable
            return self.error(errors.ProtocolError, "response body cannot be decoded", call)
        reason = _connection_reason(exc) or f"connection failed ({type(exc).__name__})"
        return self.error(errors.ProviderUnavailable, f"{reason}: {where}", call)

    def request_for(
        self, client: httpx.Client | httpx.AsyncClient, call: Call[Any]
    ) -> httpx.Request:
        """The request of ``call``; the facade's timeouts apply whatever client sends it.

        The URL is joined to our base_url here, whoever's client sends it (a user's client
        has its own base_url, or none), and the query is written into it: httpx parses a
        URL once for an absolute one, against three times for a relative one with
        ``params`` (about 25 us a call, a twentieth of a loopback round trip).
        """
        request = dict(call.request)
        url = self._url_prefix + str(request.pop("url")).lstrip("/")
        params = request.get("params")
        if not params:
            request.pop("params", None)
        elif not client.params and "?" not in url:
            # What httpx would write: the same QueryParams encoding, on a URL without one.
            url = f"{url}?{httpx.QueryParams(params)}"
            del request["params"]
        # A fresh dict per request: httpx and event hooks may add to a request's extensions.
        extensions = {"timeout": dict(self._timeout_extension)}
        return client.build_request(url=url, **request, extensions=extensions)

    def closed(self, call: Call[Any]) -> errors.UsageError:
        return errors.UsageError(
            "this client is closed", provider=self.config.provider, operation=call.operation
        )

    def finish(
        self, attempt: Attempt | None, reply_or_error: Reply[Any] | errors.FacadeError
    ) -> None:
        if attempt is None:
            return
        if isinstance(reply_or_error, Reply):
            self.observer.finish(attempt, None, reply_or_error.request_id)
        else:
            self.observer.finish(attempt, reply_or_error, None)

    def interpret(
        self,
        call: Call[M],
        status: int,
        headers: httpx.Headers,
        content: bytes,
        sent: httpx.Request | None = None,
    ) -> Reply[M]:
        """A Reply for a usable answer; raises the matching facade error otherwise.

        ``sent`` is the request as sent, so that its credentials are kept out of errors.
        """
        request_id = headers.get("x-request-id")
        try:
            body = loads(content) if content else None
        except ValueError:
            body = _NOT_JSON
        if 200 <= status < 300:
            if body is _NOT_JSON or body is None:
                kind = headers.get("content-type", "no content type").split(";")[0]
                raise self.error(
                    errors.ProtocolError,
                    f"response is not JSON ({kind})",
                    call,
                    status_code=status,
                    request_id=request_id,
                )
            if self.config.check_success is not None:
                failed = self.config.check_success(body)
                if failed.status_code is not None:
                    raise self.error(
                        error_for_status(failed.status_code),
                        "provider reported an error",
                        call,
                        status_code=failed.status_code,
                        details=failed,
                        request_id=request_id,
                        sent=sent,
                    )
            try:
                model = call.parse(body)
            except PARSE_FAILURES as exc:
                raise self.error(
                    errors.ProtocolError,
                    f"response does not match the {call.operation} schema ({type(exc).__name__}:"
                    f" {str(exc)[:80]})",
                    call,
                    status_code=status,
                    request_id=request_id,
                ) from None
            return Reply(call, status, headers, body, model, request_id)
        details = self.config.read_error(body) if body is not _NOT_JSON else ErrorDetails()
        cls = error_for_status(status)
        reason = (
            f"HTTP {status}"
            if cls is not errors.ProtocolError
            else (f"unexpected HTTP status {status}")
        )
        raise self.error(
            cls,
            reason,
            call,
            status_code=status,
            details=details,
            request_id=request_id,
            retry_after=parse_retry_after(headers.get("retry-after")),
            sent=sent,
        )

    def too_large(self, call: Call[Any], status: int) -> errors.ProviderError:
        return self.error(
            errors.ProtocolError,
            f"response larger than {self.config.max_response_bytes} bytes",
            call,
            status_code=status,
        )


_NOT_JSON = object()


def _host_port(base_url: str) -> str:
    url = httpx.URL(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host}:{port}"


def _connection_reason(exc: BaseException) -> str | None:
    """Which of the usual failures is behind a connection error: httpx and httpcore keep
    the socket's own exception in the chain, and a user needs it to tell a typo in the host
    from a closed port or a proxy speaking plain HTTP."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "host name not resolved"
        if isinstance(current, ConnectionRefusedError):
            return "connection refused"
        if isinstance(current, ssl.SSLError):
            detail = current.reason or current.__class__.__name__
            return f"TLS handshake failed ({detail})"
        if isinstance(current, ConnectionResetError):
            return "connection reset by the server"
        current = current.__cause__ or current.__context__
    text = str(exc)
    for needle, reason in (
        ("Name or service not known", "host name not resolved"),
        ("nodename nor servname", "host name not resolved"),
        ("Temporary failure in name resolution", "host name not resolved"),
        ("Connection refused", "connection refused"),
        ("SSL", "TLS handshake failed"),
        ("CERTIFICATE", "TLS handshake failed"),
    ):
        if needle in text:
            return reason
    return None


class SyncTransport(_Core):
    """Blocking transport over one pooled ``httpx.Client`` (the user's, or its own)."""

    def __init__(
        self,
        config: TransportConfig,
        setup: HttpSetup | None = None,
        observer: Observer | None = None,
        *,
        shared: httpx.Client | None = None,
    ) -> None:
        super().__init__(config, setup, observer)
        given = self.setup.http_client
        if given is not None and not isinstance(given, httpx.Client):
            raise errors.ConfigurationError(
                "http_client must be an httpx.Client for connect()", provider=config.provider
            )
        # Closed by close() only when built here: a client the user (or with_options) passed
        # belongs to them.
        self._owns_client = given is None and shared is None
        self._client = shared or given or httpx.Client(**self.client_options())

    def execute(self, call: Call[M]) -> Reply[M]:
        attempt = 0
        while True:
            wait = self.config.limiter.reserve(call.operation)
            if wait > 0:
                self.observer.rate_limit_wait(call, wait)
                time.sleep(wait)
            try:
                return self._attempt(call, attempt + 1)
            except errors.ProviderError as error:
                delay = self.config.retry.delay(error, attempt, retry_allowed=call.retry_allowed)
                if delay is None:
                    self.observer.give_up(call, error, attempt + 1)
                    raise
                self.observer.retry(call, error, delay, attempt + 1)
                time.sleep(delay)
                attempt += 1

    def _attempt(self, call: Call[M], number: int) -> Reply[M]:
        if self._client.is_closed:
            raise self.closed(call)
        probe = self.observer.attempt(call, number)
        try:
            reply = self._exchange(call, probe)
        except errors.ProviderError as error:
            self.finish(probe, error)
            raise
        except BaseException as exc:
            if probe is not None:
                self.observer.abandon(probe, exc)
            raise
        self.finish(probe, reply)
        return reply

    def _exchange(self, call: Call[M], probe: Attempt | None) -> Reply[M]:
        deadline = time.monotonic() + self.config.timeout
        try:
            request = self.request_for(self._client, call)
            if probe is not None:
                probe.request = request
            response = self._client.send(
                request, auth=self.config.auth, stream=True, follow_redirects=False
            )
            if probe is not None:
                probe.request, probe.response = response.request, response
            try:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.config.max_response_bytes:
                        raise self.too_large(call, response.status_code)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline exceeded", request=request)
                    chunks.append(chunk)
            finally:
                response.close()
        except httpx.HTTPError as exc:  # every transport failure, incl. decoding and protocol
            raise self.transport_error(exc, call) from exc
        content = b"".join(chunks)
        if probe is not None:
            probe.content = content
        return self.interpret(
            call, response.status_code, response.headers, content, response.request
        )

    def close(self) -> None:
        if self._owns_client:
            self._client.close()


class AsyncTransport(_Core):
    """Asyncio transport over one pooled ``httpx.AsyncClient``, bounded concurrency."""

    def __init__(
        self,
        config: TransportConfig,
        setup: HttpSetup | None = None,
        observer: Observer | None = None,
        *,
        shared: httpx.AsyncClient | None = None,
    ) -> None:
        # asyncio is imported where async code runs (by then the program has it loaded, and
        # a repeated import costs a dict lookup): a blocking program never pays its ~7 ms.
        import asyncio  # noqa: PLC0415

        super().__init__(config, setup, observer)
        given = self.setup.http_client
        if given is not None and not isinstance(given, httpx.AsyncClient):
            raise errors.ConfigurationError(
                "http_client must be an httpx.AsyncClient for connect_async()",
                provider=config.provider,
            )
        self._owns_client = given is None and shared is None
        self._client = shared or given or httpx.AsyncClient(**self.client_options())
        self._slots = asyncio.Semaphore(config.max_concurrency)

    async def execute(self, call: Call[M]) -> Reply[M]:
        import asyncio  # noqa: PLC0415 - see the comment on AsyncTransport.__init__

        attempt = 0
        while True:
            wait = self.config.limiter.reserve(call.operation)
            if wait > 0:
                self.observer.rate_limit_wait(call, wait)
                await asyncio.sleep(wait)
            try:
                async with self._slots:
                    return await self._attempt(call, attempt + 1)
            except errors.ProviderError as error:
                delay = self.config.retry.delay(error, attempt, retry_allowed=call.retry_allowed)
                if delay is None:
                    self.observer.give_up(call, error, attempt + 1)
                    raise
                self.observer.retry(call, error, delay, attempt + 1)
                await asyncio.sleep(delay)
                attempt += 1

    async def _attempt(self, call: Call[M], number: int) -> Reply[M]:
        if self._client.is_closed:
            raise self.closed(call)
        probe = self.observer.attempt(call, number)
        try:
            reply = await self._exchange(call, probe)
        except errors.ProviderError as error:
            self.finish(probe, error)
            raise
        except BaseException as exc:
            if probe is not None:
                self.observer.abandon(probe, exc)
            raise
        self.finish(probe, reply)
        return reply

    async def _exchange(self, call: Call[M], probe: Attempt | None) -> Reply[M]:
        import asyncio  # noqa: PLC0415

        try:
            async with asyncio.timeout(self.config.timeout):
                request = self.request_for(self._client, call)
                if probe is not None:
                    probe.request = request
                response = await self._client.send(
                    request, auth=self.config.auth, stream=True, follow_redirects=False
                )
                if probe is not None:
                    probe.request, probe.response = response.request, response
                try:
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > self.config.max_response_bytes:
                            raise self.too_large(call, response.status_code)
                        chunks.append(chunk)
                finally:
                    await response.aclose()
        except (httpx.HTTPError, TimeoutError) as exc:
            raise self.transport_error(exc, call) from exc
        content = b"".join(chunks)
        if probe is not None:
            probe.content = content
        return self.interpret(
            call, response.status_code, response.headers, content, response.request
        )

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
