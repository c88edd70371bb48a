"""Bearer tokens fetched from the provider and cached until shortly before they expire.

One lock per client (a threading lock for sync use, an asyncio lock for async use) makes
concurrent callers share a single refresh: the first fetches, the others wait and reuse it.
A 401 on a request made with a cached token tries once more with a new one, which covers
tokens revoked or expired early on the provider's side; callers rejected with the same
token share one new token too.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Generator
from typing import TYPE_CHECKING, Any

import httpx

from .. import errors
from .._decimal import loads
from .._transport import PARSE_FAILURES, error_for_status

if TYPE_CHECKING:
    import asyncio

__all__ = ["TokenAuth"]

REFRESH_MARGIN = 30.0  # seconds before expiry at which a token counts as expired

# OAuth2 token endpoints answer bad client credentials with 400 (RFC 6749, section 5.2), and a
# missing token endpoint is a misconfigured base_url, not a missing wallet.
_TOKEN_STATUS_ERRORS: dict[int, type[errors.ProviderError]] = {
    400: errors.AuthenticationError,
    404: errors.ProtocolError,
}


class TokenAuth(httpx.Auth, ABC):
    provider: str
    operation: str

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url.rstrip("/")
        self._token: str | None = None
        self._expires_at = 0.0
        self._thread_lock = threading.Lock()
        # Made by the first async flow: a blocking program never loads asyncio.
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(credentials='**********')"

    @abstractmethod
    def token_request(self) -> httpx.Request:
        """The request that obtains a token."""

    @abstractmethod
    def read_token(self, body: Any) -> tuple[str, float]:
        """(token, lifetime in seconds) from the decoded token response."""

    # Shared decisions.

    def _fresh(self) -> bool:
        return self._token is not None and time.monotonic() < self._expires_at

    def _url(self, path: str) -> str:
        return self._base_url + path

    def _accept(self, response: httpx.Response) -> None:
        status = response.status_code
        try:
            body = loads(response.content) if response.content else None
        except ValueError:
            body = None
        if status != 200:
            cls = error_for_status(status, _TOKEN_STATUS_ERRORS)
            raise cls(
                f"token request failed with HTTP {status}",
                provider=self.provider,
                operation=self.operation,
                status_code=status,
                request_id=response.headers.get("x-request-id"),
            )
        try:
            token, lifetime = self.read_token(body)
        except PARSE_FAILURES:
            raise errors.ProtocolError(
                "token response has no usable token",
                provider=self.provider,
                operation=self.operation,
                status_code=status,
            ) from None
        self._token = token
        self._expires_at = time.monotonic() + max(0.0, lifetime - REFRESH_MARGIN)

    def _needs_token(self, rejected: str | None) -> bool:
        """No fresh token, or the provider just rejected the one we hold (not a newer one
        that a concurrent caller fetched meanwhile)."""
        return not self._fresh() or (rejected is not None and self._token == rejected)

    def _token_request_for(self, request: httpx.Request) -> httpx.Request:
        """The token request, under the timeouts of the request it authorizes. (A request
        built outside ``client.build_request`` has none: it would wait for ever.)"""
        token_request = self.token_request()
        if "timeout" in request.extensions:
            token_request.extensions["timeout"] = request.extensions["timeout"]
        return token_request

    def _authorize(self, request: httpx.Request) -> str | None:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return self._token

    # I/O: the same steps, blocking and async.

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        rejected: str | None = None
        for _ in range(2):
            with self._thread_lock:
                if self._needs_token(rejected):
                    token_response = yield self._token_request_for(request)
                    token_response.read()
                    self._accept(token_response)
                used = self._authorize(request)
            response = yield request
            if response.status_code != 401:
                return
            rejected = used

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._async_lock is None:
            import asyncio  # noqa: PLC0415

            self._async_lock = asyncio.Lock()  # no await since the test: one lock per client
        rejected: str | None = None
        for _ in range(2):
            async with self._async_lock:
                if self._needs_token(rejected):
                    token_response = yield self._token_request_for(request)
                    await token_response.aread()
                    self._accept(token_response)
                used = self._authorize(request)
            response = yield request
            if response.status_code != 401:
                return
            rejected = used
