"""The request pipeline every provider server shares.

Each provider is a ``ProviderBehaviour`` (handlers per spec operation, auth, error format)
served by ``ProviderApp``: the ASGI callable uvicorn serves, and the pipeline the in-process
transport calls directly. For every request it:

1. reads the whole body and records the request as received (raw target, headers, body);
2. finds the spec operation, and consumes the first matching injected fault, if any;
3. authenticates the way the provider does (the provider's status codes and error bodies);
4. validates parameters and body against the spec (openapi-core): an off-spec request is
   recorded as a violation and answered with the provider's 400;
5. runs the operation's handler (routed by Starlette's path matching);
6. validates the response against the spec: an off-spec response is a sandbox bug, logged,
   recorded, and replaced by a 500 so the test that provoked it fails.

Faults act around this: before it (reset, latency, 429, 5xx, HTML page) or on its result
(truncated JSON, slow body). Handlers are called directly rather than through a Starlette
app: the response must be inspected before anything reaches the wire, the connection-reset
fault needs uvicorn's ``receive`` (which leads to the socket), and the in-process transport
has no wire at all.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import logging
import math
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, ClassVar

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Message, Receive, Scope, Send

from facade.sandbox._faults import Fault
from facade.sandbox._seeded import SeededWallet
from facade.sandbox._state import RecordedRequest, SandboxState, Violation
from facade.sandbox._validation import Operation, SpecValidator
from facade.sandbox._wire import JSONValue, dumps

__all__ = [
    "CallContext",
    "Delivery",
    "Product",
    "ProviderApp",
    "ProviderBehaviour",
    "Reply",
    "SandboxReadTimeout",
    "json_response",
    "slow_pieces",
]

logger = logging.getLogger("facade.sandbox")

_HTML_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_SLOW_BODY_PIECES = 10


def json_response(
    payload: JSONValue, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        dumps(payload), status, headers=dict(headers or {}), media_type="application/json"
    )


@dataclass
class CallContext:
    """One request as the provider behaviour sees it."""

    provider: str
    operation: Operation | None
    method: str
    path: str
    target: str
    path_params: dict[str, str]
    query: QueryParams
    headers: Headers
    body: bytes
    base_url: str
    request_id: str
    principal: str | None = None
    # Placeholder -> value, substituted after response validation. For per-request values
    # (trace ids, tokens) that would otherwise make every response body unique and defeat
    # the validation memo. Values must be valid inside a JSON string.
    fill: dict[str, str] = field(default_factory=dict)

    @property
    def operation_id(self) -> str | None:
        return None if self.operation is None else self.operation.operation_id


Handler = Callable[[CallContext], Response]


@dataclass(frozen=True)
class Product:
    """One facade provider a behaviour serves (Fireblocks serves two from one server)."""

    name: str
    """The facade provider name, e.g. ``fireblocks-vault``."""
    wallets: tuple[SeededWallet, ...]
    settings: Mapping[str, str]
    """Credentials for ``facade.connect(name, base_url=..., **settings)``."""
    extra_credentials: Mapping[str, str] = field(default_factory=dict)
    """Alternative credentials the provider also accepts (OAuth client, login)."""
    base_path: str = ""
    """Appended to the server's root to make the ``base_url`` (``/v1`` for Fireblocks)."""
    operations: tuple[str, ...] | None = None
    """The spec operations of this product; None: all of the behaviour's spec."""
    path_prefix: str | None = None
    """Requests under this path belong to this product (when a server serves several)."""
    forbidden_wallet_id: str | None = None
    """A well-formed wallet id these credentials may not read: the provider answers it with
    its permission error. None when the provider has no such case."""


class ProviderBehaviour(abc.ABC):
    """What differs between providers: auth, error format, handlers, headers, and the
    products (facade providers) it serves with their seeded wallets and credentials."""

    server: str
    """The server's name: a port of its own, and a target for faults of all its products."""
    spec: str
    spec_path: ClassVar[Path | None] = None
    """The OpenAPI document requests are validated against. The built-in behaviours use the
    sandbox's served specs; a behaviour of another provider names its file here."""
    provides: tuple[str, ...]
    """The names of the products (facade providers) ``products()`` returns, in its order."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    @abc.abstractmethod
    def products(self) -> tuple[Product, ...]:
        """The facade providers this server answers for; the first is the default."""

    def provider_for(self, path: str) -> str:
        """The facade provider name a request path belongs to."""
        routes = self.__dict__.get("_product_routes")
        if routes is None:
            products = self.products()
            default = next((p.name for p in products if p.path_prefix is None), products[0].name)
            prefixed = tuple((p.path_prefix, p.name) for p in products if p.path_prefix)
            routes = self.__dict__["_product_routes"] = (prefixed, default)
        for prefix, name in routes[0]:
            if path.startswith(prefix):
                return name
        return routes[1]

    @abc.abstractmethod
    def handlers(self) -> Mapping[str, Handler]:
        """operationId -> handler, for every operation of the spec."""

    @abc.abstractmethod
    def authenticate(self, ctx: CallContext) -> Response | None:
        """None when the request may proceed (setting ``ctx.principal``), else the 401/403."""

    @abc.abstractmethod
    def error(self, ctx: CallContext, status: int, message: str) -> Response:
        """The provider's error response."""

    def bad_request(self, ctx: CallContext, errors: tuple[str, ...]) -> Response:
        return self.error(ctx, 400, "; ".join(errors))

    def new_request_id(self) -> str:
        raise NotImplementedError

    def response_headers(self, ctx: CallContext) -> list[tuple[str, str]]:
        """Headers the provider puts on every response it produces (not on proxy pages)."""
        return []

    def reset(self) -> None:  # noqa: B027  # optional hook, most providers keep no state
        """Forget per-test state (idempotency keys and the like)."""


@dataclass
class Reply:
    """A response as the pipeline produced it: status, raw headers, the whole body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @classmethod
    def of(cls, response: Response) -> Reply:
        body = response.body if isinstance(response.body, bytes) else bytes(response.body)
        return cls(response.status_code, list(response.raw_headers), body)


class ProviderApp:
    """The ASGI app uvicorn serves for one provider."""

    def __init__(self, behaviour: ProviderBehaviour, validator: SpecValidator) -> None:
        self.behaviour = behaviour
        self.validator = validator
        self.state = behaviour.state
        handlers = behaviour.handlers()
        missing = set(validator.operations) - set(handlers)
        if missing:
            raise RuntimeError(f"{behaviour.server}: no handler for {sorted(missing)}")
        self.handlers = dict(handlers)
        # Routes only match paths: the handlers are called by _handle.
        self.routes = [
            Route(op.path, _unrouted, methods=[op.method], name=op_id)
            for op_id, op in validator.operations.items()
        ]
        self._closing: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        # Behaviours keep state (tokens, idempotency keys) written by their handlers. The
        # socket servers run them on one event loop; in-process callers may be any number of
        # threads and loops, so the synchronous steps run one at a time (never across a wait).
        self._lock = threading.Lock()

    def close(self) -> None:
        """Cut short the requests a fault keeps waiting (call on the server's loop)."""
        self._pause_event().set()

    def _pause_event(self) -> asyncio.Event:
        # One event per loop: a restarted sandbox serves from a new loop.
        loop = asyncio.get_running_loop()
        if self._closing is None or self._closing[0] is not loop:
            self._closing = (loop, asyncio.Event())
        return self._closing[1]

    async def _pause(self, seconds: float) -> None:
        """Sleep for a fault; raise _Closing if the sandbox stops meanwhile."""
        closing = self._pause_event()
        if closing.is_set():
            raise _Closing
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing.wait(), seconds)
            raise _Closing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            delivery = await self.deliver(scope, await _read_body(receive))
            if delivery.reply is None:
                await _reset_connection(receive)
            elif delivery.slow is not None:
                await self._send_slowly(send, delivery.reply, delivery.slow)
            else:
                await _send(send, delivery.reply)
        except _Closing:
            # The sandbox is stopping while a fault holds this request: drop the connection
            # now rather than keep the shutdown waiting (or logging cancelled tasks).
            await _reset_connection(receive)

    async def deliver(self, scope: Scope, body: bytes, *, timeout: float | None = None) -> Delivery:
        """The whole pipeline for one request whose body has been read, up to what to put on
        the wire. The ASGI server and the in-process transports differ only in how they deliver
        it. ``timeout`` (in-process only) bounds a latency fault the way a client's read
        timeout would: the wait stops there and ``SandboxReadTimeout`` is raised."""
        with self._lock:
            incoming = self.receive(scope, body)
        wait = incoming.latency
        if wait is not None:
            if timeout is not None and wait > timeout:
                await self._pause(timeout)
                raise SandboxReadTimeout(f"no answer within {timeout:g} s (latency fault)")
            await self._pause(wait)
        with self._lock:
            return self.answer(incoming)

    def deliver_blocking(
        self, scope: Scope, body: bytes, *, timeout: float | None = None
    ) -> Delivery:
        """:meth:`deliver` for a blocking caller: a latency fault sleeps in its thread."""
        with self._lock:
            incoming = self.receive(scope, body)
        wait = incoming.latency
        if wait is not None:
            if timeout is not None and wait > timeout:
                time.sleep(timeout)
                raise SandboxReadTimeout(f"no answer within {timeout:g} s (latency fault)")
            time.sleep(wait)
        with self._lock:
            return self.answer(incoming)

    def receive(self, scope: Scope, body: bytes) -> Incoming:
        """Steps 1 and 2: record the request, route it, take its fault."""
        path: str = scope["path"]
        raw_path: bytes = scope.get("raw_path") or path.encode()
        query_string: bytes = scope.get("query_string", b"")
        target = raw_path.decode("latin-1")
        if query_string:
            target += "?" + query_string.decode("latin-1")
        headers = Headers(scope=scope)
        method: str = scope["method"]
        operation, path_params = self._route(scope)
        provider = self.behaviour.provider_for(path)
        record = self.state.record(
            RecordedRequest(
                provider=provider,
                server=self.behaviour.server,
                operation=None if operation is None else operation.operation_id,
                method=method,
                target=target,
                headers=tuple(
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
                ),
                body=body,
                received_at=self.state.clock.now(),
            )
        )
        host = headers.get("host") or "{}:{}".format(*scope.get("server") or ("127.0.0.1", 0))
        ctx = CallContext(
            provider=provider,
            operation=operation,
            method=method,
            path=path,
            target=target,
            path_params=path_params,
            query=QueryParams(query_string),
            headers=headers,
            body=body,
            base_url=f"{scope.get('scheme', 'http')}://{host}",
            request_id=self.behaviour.new_request_id(),
        )
        fault = self.state.faults.take(self.behaviour.server, provider, ctx.operation_id)
        if fault is not None:
            record.fault = str(fault)
        return Incoming(scope, ctx, record, fault)

    def answer(self, incoming: Incoming) -> Delivery:
        """Steps 3 to 6 (after a latency fault's wait), and the faults that act on them."""
        scope, ctx, record, fault = incoming.scope, incoming.ctx, incoming.record, incoming.fault
        if fault is not None:
            if fault.kind == "reset":
                return Delivery(None)
            if fault.kind in ("rate_limit", "status", "html"):
                reply = self._fault_reply(ctx, fault)
                record.status = reply.status
                return Delivery(reply)
        reply = self._respond(scope, ctx)
        record.status = reply.status
        if fault is not None and fault.kind == "truncated":
            keep = fault.int_arg
            if keep is None:
                keep = len(reply.body) // 2
            # Always cut something, so the body can never be complete JSON by accident.
            reply.body = reply.body[: max(0, min(keep, len(reply.body) - 1))]
        if fault is not None and fault.kind == "slow_body":
            return Delivery(reply, slow=2.0 if fault.arg is None else fault.arg)
        return Delivery(reply)

    # ------------------------------------------------------------------ steps

    def _route(self, scope: Scope) -> tuple[Operation | None, dict[str, str]]:
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                params = {k: str(v) for k, v in child.get("path_params", {}).items()}
                return self.validator.operations[route.name], params
        return None, {}

    def _respond(self, scope: Scope, ctx: CallContext) -> Reply:
        behaviour = self.behaviour
        operation = ctx.operation
        if operation is None:
            # No such operation in the spec: the client is off-spec.
            partial = any(r.matches(scope)[0] is Match.PARTIAL for r in self.routes)
            status = 405 if partial else 404
            self._violate(
                "request",
                ctx,
                (f"{ctx.method} {ctx.path}: no such operation in specs/{behaviour.spec}.yaml",),
            )
            return self._finish(ctx, behaviour.error(ctx, status, HTTPStatus(status).phrase))
        errors = self.validator.request_errors(
            operation,
            path=ctx.path,
            path_params=ctx.path_params,
            query_string=scope.get("query_string", b""),
            headers=ctx.headers,
            body=ctx.body,
        )
        if errors:
            self._violate("request", ctx, errors)
        try:
            denied = behaviour.authenticate(ctx)
            if denied is not None:
                response = self._finish(ctx, denied)
            elif errors:
                response = self._finish(ctx, behaviour.bad_request(ctx, errors))
            else:
                response = self._handle(ctx)
        except Exception as exc:
            return self._sandbox_bug(ctx, (f"handler raised {exc!r}",), exc)
        return self._validated(ctx, response)

    def _handle(self, ctx: CallContext) -> Reply:
        assert ctx.operation_id is not None
        return self._finish(ctx, self.handlers[ctx.operation_id](ctx))

    def _finish(self, ctx: CallContext, response: Response) -> Reply:
        return self._with_headers(ctx, Reply.of(response))

    def _with_headers(self, ctx: CallContext, reply: Reply) -> Reply:
        reply.headers = [(k, v) for k, v in reply.headers if k.lower() != b"content-length"]
        reply.headers.extend(
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in self.behaviour.response_headers(ctx)
        )
        return reply

    def _validated(self, ctx: CallContext, reply: Reply) -> Reply:
        operation = ctx.operation
        assert operation is not None
        headers = Headers(raw=reply.headers)
        errors = self.validator.response_errors(
            operation, path=ctx.path, status=reply.status, headers=headers, body=reply.body
        )
        if errors:
            return self._sandbox_bug(ctx, errors, None, reply)
        for placeholder, value in ctx.fill.items():
            reply.body = reply.body.replace(placeholder.encode(), value.encode())
        return reply

    def _sandbox_bug(
        self,
        ctx: CallContext,
        errors: tuple[str, ...],
        exc: BaseException | None,
        reply: Reply | None = None,
    ) -> Reply:
        shown = "" if reply is None else f" (status {reply.status}, body {reply.body[:500]!r})"
        logger.error(
            "facade.sandbox bug: %s %s %s produced an off-spec response%s: %s",
            ctx.provider,
            ctx.method,
            ctx.target,
            shown,
            "; ".join(errors),
            exc_info=exc,
        )
        self._violate("response", ctx, errors)
        ctx.fill.clear()
        body = dumps({"sandbox_bug": list(errors)})
        return self._with_headers(ctx, Reply(500, [(b"content-type", b"application/json")], body))

    def _violate(self, kind: Any, ctx: CallContext, errors: tuple[str, ...]) -> None:
        self.state.violate(
            Violation(
                kind=kind,
                provider=ctx.provider,
                operation=ctx.operation_id,
                method=ctx.method,
                target=ctx.target,
                errors=errors,
            )
        )

    def _fault_reply(self, ctx: CallContext, fault: Fault) -> Reply:
        if fault.kind == "html":
            status = fault.int_arg or 502
            page = _HTML_PAGE.format(status=status, reason=HTTPStatus(status).phrase)
            return Reply(status, [(b"content-type", b"text/html; charset=utf-8")], page.encode())
        status = 429 if fault.kind == "rate_limit" else fault.int_arg or 500
        reply = self._finish(ctx, self.behaviour.error(ctx, status, HTTPStatus(status).phrase))
        if fault.kind == "rate_limit" and fault.arg is not None:
            reply.headers.append((b"retry-after", str(fault.int_arg).encode()))
        for placeholder, value in ctx.fill.items():
            reply.body = reply.body.replace(placeholder.encode(), value.encode())
        return reply

    async def _send_slowly(self, send: Send, reply: Reply, seconds: float) -> None:
        await send(_start(reply))
        pieces = slow_pieces(reply.body, seconds)
        for index, (pause, chunk) in enumerate(pieces):
            await self._pause(pause)
            await send(
                {"type": "http.response.body", "body": chunk, "more_body": index < len(pieces) - 1}
            )


def slow_pieces(body: bytes, seconds: float) -> list[tuple[float, bytes]]:
    """The slow_body fault's schedule: (pause before it, chunk) for each piece of ``body``."""
    pieces = max(1, min(_SLOW_BODY_PIECES, len(body)))
    size = math.ceil(len(body) / pieces) if body else 0
    return [(seconds / pieces, body[i * size : (i + 1) * size]) for i in range(pieces)]


class _Closing(Exception):
    pass


@dataclass
class Incoming:
    """A request recorded and routed, with the fault it consumed."""

    scope: Scope
    ctx: CallContext
    record: RecordedRequest
    fault: Fault | None

    @property
    def latency(self) -> float | None:
        """Seconds a latency fault holds the answer back, None without one."""
        if self.fault is None or self.fault.kind != "latency":
            return None
        return self.fault.arg or 0.0


class SandboxReadTimeout(Exception):
    """A latency fault outlasted the in-process client's read timeout."""


@dataclass
class Delivery:
    """What to put on the wire for one request."""

    reply: Reply | None
    """None: reset the connection without answering."""
    slow: float | None = None
    """Seconds over which the body trickles in (slow_body fault), None for all at once."""


async def _unrouted(request: Request) -> Response:  # pragma: no cover - never routed to
    raise RuntimeError("ProviderApp calls its handlers directly")


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            return b"".join(chunks)


def _start(reply: Reply) -> Message:
    headers = [*reply.headers, (b"content-length", str(len(reply.body)).encode())]
    return {"type": "http.response.start", "status": reply.status, "headers": headers}


async def _send(send: Send, reply: Reply) -> None:
    await send(_start(reply))
    await send({"type": "http.response.body", "body": reply.body})


async def _reset_connection(receive: Receive) -> None:
    # uvicorn's receive is a bound method of its request cycle, which holds the transport.
    # SO_LINGER 0 turns the close into a TCP RST, which is what "connection reset" means.
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("reset fault: the ASGI server does not expose its transport")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Let connection_lost run, so uvicorn knows not to send its own 500.
    for _ in range(3):
        await asyncio.sleep(0)
