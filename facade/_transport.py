"""The one place where requests are sent, retried, timed out and turned into errors.

Adapters describe a request as a :class:`Call`: the keyword arguments the generated
client's ``build_request_kwargs`` returns, plus the generated model's ``from_dict``. This
module sends it with the provider's ``httpx.Auth``, reads the body under a deadline, parses
JSON with Decimal numbers, and translates every failure into :mod:`facade.errors`.
``SyncTransport`` and ``AsyncTransport`` differ only in how they wait and send; every
decision is in ``_Core``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from . import errors
from ._decimal import AmountError, loads
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


# Headers whose values are credentials, whichever auth flow set them.
_CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key")


def _credentials(request: httpx.Request) -> list[str]:
    values = []
    for name in _CREDENTIAL_HEADERS:
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

    def __init__(self, config: TransportConfig) -> None:
        self.config = config
        self.timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
        self.limits = httpx.Limits(
            max_connections=config.max_concurrency,
            max_keepalive_connections=config.max_concurrency,
        )

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
        if isinstance(exc, httpx.TimeoutException | TimeoutError):
            return self.error(errors.Timeout, f"no answer within {self.config.timeout:g} s", call)
        if isinstance(exc, httpx.DecodingError):  # the answer came, but undecodable
            return self.error(errors.ProtocolError, "response body cannot be decoded", call)
        name = type(exc).__name__
        return self.error(errors.ProviderUnavailable, f"connection failed ({name})", call)

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

    def log_retry(
        self, call: Call[Any], error: errors.FacadeError, delay: float, attempt: int
    ) -> None:
        logger.info(
            "%s %s: %s; retry %d in %.2f s",
            self.config.provider,
            call.operation,
            type(error).__name__,
            attempt + 1,
            delay,
        )


_NOT_JSON = object()


@functools.cache
def _verifying_context() -> ssl.SSLContext:
    # Loading the CA bundle costs 30-140 ms; every https client shares one context.
    return httpx.create_ssl_context()  # honours SSL_CERT_FILE / SSL_CERT_DIR


@functools.cache
def _no_ca_context() -> ssl.SSLContext:
    # Plain-http clients never speak TLS (redirects are not followed), so they skip the CA
    # bundle. Verification stays on: any TLS handshake with this context would fail closed.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _tls_for(base_url: str) -> ssl.SSLContext:
    return _verifying_context() if httpx.URL(base_url).scheme == "https" else _no_ca_context()


class SyncTransport(_Core):
    """Blocking transport over one pooled ``httpx.Client``."""

    def __init__(self, config: TransportConfig) -> None:
        super().__init__(config)
        self._client = httpx.Client(
            base_url=config.base_url,
            verify=_tls_for(config.base_url),
            timeout=self.timeout,
            limits=self.limits,
            follow_redirects=False,
        )

    def execute(self, call: Call[M]) -> Reply[M]:
        attempt = 0
        while True:
            wait = self.config.limiter.reserve(call.operation)
            if wait > 0:
                time.sleep(wait)
            try:
                return self._attempt(call)
            except errors.ProviderError as error:
                delay = self.config.retry.delay(error, attempt, retry_allowed=call.retry_allowed)
                if delay is None:
                    raise
                self.log_retry(call, error, delay, attempt)
                time.sleep(delay)
                attempt += 1

    def _attempt(self, call: Call[M]) -> Reply[M]:
        deadline = time.monotonic() + self.config.timeout
        try:
            request = self._client.build_request(**call.request)
            logger.debug("%s %s %s", self.config.provider, request.method, request.url.path)
            response = self._client.send(request, auth=self.config.auth, stream=True)
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
        return self.interpret(
            call, response.status_code, response.headers, content, response.request
        )

    def close(self) -> None:
        self._client.close()


class AsyncTransport(_Core):
    """Asyncio transport over one pooled ``httpx.AsyncClient``, bounded concurrency."""

    def __init__(self, config: TransportConfig) -> None:
        super().__init__(config)
        self._client = httpx.AsyncClient(
            base_url=config.base_url,
            verify=_tls_for(config.base_url),
            timeout=self.timeout,
            limits=self.limits,
            follow_redirects=False,
        )
        self._slots = asyncio.Semaphore(config.max_concurrency)

    async def execute(self, call: Call[M]) -> Reply[M]:
        attempt = 0
        while True:
            wait = self.config.limiter.reserve(call.operation)
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                async with self._slots:
                    return await self._attempt(call)
            except errors.ProviderError as error:
                delay = self.config.retry.delay(error, attempt, retry_allowed=call.retry_allowed)
                if delay is None:
                    raise
                self.log_retry(call, error, delay, attempt)
                await asyncio.sleep(delay)
                attempt += 1

    async def _attempt(self, call: Call[M]) -> Reply[M]:
        try:
            async with asyncio.timeout(self.config.timeout):
                request = self._client.build_request(**call.request)
                logger.debug("%s %s %s", self.config.provider, request.method, request.url.path)
                response = await self._client.send(request, auth=self.config.auth, stream=True)
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
        return self.interpret(
            call, response.status_code, response.headers, content, response.request
        )

    async def aclose(self) -> None:
        await self._client.aclose()
