"""Static-header and request-signer authentication."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Protocol

import httpx

__all__ = ["HeaderAuth", "RequestSigner", "SignerAuth"]


class HeaderAuth(httpx.Auth):
    """Sends one fixed credential header (Cryptofuse ``X-API-Key``, Kuna Core ``api-key``)."""

    def __init__(self, header: str, value: str) -> None:
        self._header = header
        self._value = value

    def __repr__(self) -> str:
        return f"HeaderAuth({self._header!r}, '**********')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._value
        yield request


class RequestSigner(Protocol):
    """Signs one request. Return the headers to add.

    ``target`` is the request target exactly as sent (path and ``?query``), ``body`` the
    exact body bytes. Implement this to plug in a provider's real scheme.
    """

    def __call__(self, method: str, target: str, body: bytes) -> Mapping[str, str]: ...


class SignerAuth(httpx.Auth):
    requires_request_body = True

    def __init__(self, signer: RequestSigner) -> None:
        self._signer = signer

    def __repr__(self) -> str:
        return f"SignerAuth({type(self._signer).__name__})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        target = request.url.raw_path.decode("ascii")
        request.headers.update(self._signer(request.method, target, request.content))
        yield request
