"""httpx transports that serve the sandbox's providers in process: no sockets, no ports.

A request goes through the same ``ProviderApp.deliver`` pipeline the socket servers run
(recording, faults, authentication, spec validation, handlers, response validation); only
the last step differs, turning the result into an ``httpx.Response`` instead of bytes on a
socket. The host of the URL picks the provider server (``fireblocks.sandbox.test``...).

Faults keep their meaning for the client: ``reset`` raises ``httpx.ReadError``, ``latency``
and ``slow_body`` wait for real but never longer than the request's read timeout (then
``httpx.ReadTimeout``), as a socket would. The blocking transport needs no event loop: the
pipeline is synchronous but for a latency fault's wait, which it sleeps in the caller's thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx

from facade.sandbox._http import Delivery, ProviderApp, SandboxReadTimeout, slow_pieces

__all__ = ["AsyncSandboxTransport", "SandboxTransport"]


class _Base:
    def __init__(self, apps: Mapping[str, ProviderApp]) -> None:
        self._apps = dict(apps)

    def _app(self, request: httpx.Request) -> ProviderApp:
        app = self._apps.get(request.url.host)
        if app is None:
            known = ", ".join(sorted(self._apps))
            raise httpx.ConnectError(
                f"the in-process sandbox serves {known}, not {request.url.host!r}",
                request=request,
            )
        return app


def _scope(request: httpx.Request) -> dict[str, Any]:
    url = request.url
    port = url.port or (443 if url.scheme == "https" else 80)
    headers = [(k.lower(), v) for k, v in request.headers.raw]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "query_string": url.query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 0),
        "server": (url.host, port),
    }


def _read_timeout(request: httpx.Request) -> float | None:
    timeouts = request.extensions.get("timeout") or {}
    value = timeouts.get("read")
    return None if value is None else float(value)


def _response(request: httpx.Request, delivery: Delivery, stream: Any = None) -> httpx.Response:
    reply = delivery.reply
    assert reply is not None
    headers = [*reply.headers, (b"content-length", str(len(reply.body)).encode())]
    if stream is None:
        return httpx.Response(
            reply.status,
            headers=headers,
            content=reply.body,
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )
    return httpx.Response(
        reply.status,
        headers=headers,
        stream=stream,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )


def _reset(request: httpx.Request) -> httpx.ReadError:
    return httpx.ReadError("connection reset by peer (sandbox fault)", request=request)


def _timed_out(request: httpx.Request, exc: BaseException) -> httpx.ReadTimeout:
    return httpx.ReadTimeout(str(exc), request=request)


class _SlowStream(httpx.SyncByteStream):
    def __init__(self, request: httpx.Request, body: bytes, seconds: float) -> None:
        self._request, self._pieces = request, slow_pieces(body, seconds)
        self._timeout = _read_timeout(request)

    def __iter__(self) -> Iterator[bytes]:
        for pause, chunk in self._pieces:
            if self._timeout is not None and pause > self._timeout:
                time.sleep(self._timeout)
                raise httpx.ReadTimeout("body stalled (slow_body fault)", request=self._request)
            time.sleep(pause)
            yield chunk


class _AsyncSlowStream(httpx.AsyncByteStream):
    def __init__(self, request: httpx.Request, body: bytes, seconds: float) -> None:
        self._request, self._pieces = request, slow_pieces(body, seconds)
        self._timeout = _read_timeout(request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for pause, chunk in self._pieces:
            if self._timeout is not None and pause > self._timeout:
                await asyncio.sleep(self._timeout)
                raise httpx.ReadTimeout("body stalled (slow_body fault)", request=self._request)
            await asyncio.sleep(pause)
            yield chunk


class SandboxTransport(_Base, httpx.BaseTransport):
    """Blocking httpx transport: ``httpx.Client(transport=sandbox.transport())``."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        app = self._app(request)
        body = request.read()
        try:
            delivery = app.deliver_blocking(_scope(request), body, timeout=_read_timeout(request))
        except SandboxReadTimeout as exc:
            raise _timed_out(request, exc) from None
        if delivery.reply is None:
            raise _reset(request)
        if delivery.slow is not None:
            return _response(
                request, delivery, _SlowStream(request, delivery.reply.body, delivery.slow)
            )
        return _response(request, delivery)


class AsyncSandboxTransport(_Base, httpx.AsyncBaseTransport):
    """Asyncio httpx transport: ``httpx.AsyncClient(transport=sandbox.async_transport())``."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        app = self._app(request)
        body = await request.aread()
        try:
            delivery = await app.deliver(_scope(request), body, timeout=_read_timeout(request))
        except SandboxReadTimeout as exc:
            raise _timed_out(request, exc) from None
        if delivery.reply is None:
            raise _reset(request)
        if delivery.slow is not None:
            stream = _AsyncSlowStream(request, delivery.reply.body, delivery.slow)
            return _response(request, delivery, stream)
        return _response(request, delivery)
