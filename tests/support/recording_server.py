"""A real HTTP/1.1 server on 127.0.0.1 for the facade's tests.

It records every raw request (request line, headers in wire order, body bytes) and answers
from a programmable queue of :class:`Reply` objects. A reply can also misbehave: wait
before answering (``delay``), close the connection without a word (``drop``), or send its
body a few bytes at a time (``trickle``). Replies are looked up in this order:

1. a *route* registered for the request's path (sticky: answers every such request);
2. the FIFO queue filled by :meth:`RecordingServer.queue`;
3. :attr:`RecordingServer.default` (sticky), if set;
4. otherwise a 599 whose body says that nothing was queued (and ``unexpected`` counts it).

A route or default may be a callable ``(RecordedRequest) -> Reply`` for replies that depend
on the request. The server also tracks how many requests it is handling at once
(``max_in_flight``), which the fan-out tests use to check bounded concurrency.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, TypeAlias
from urllib.parse import parse_qsl, urlsplit

__all__ = ["RecordedRequest", "RecordingServer", "Reply", "Responder"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request exactly as it arrived."""

    request_line: str
    method: str
    target: str  # the raw request target: path and ?query, still percent-encoded
    version: str
    headers: tuple[tuple[str, str], ...]  # in wire order, names as sent
    body: bytes
    received_at: float  # time.monotonic()

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def raw_query(self) -> str:
        """The query exactly as sent, still percent-encoded ("" when there is none)."""
        return urlsplit(self.target).query

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self.raw_query, keep_blank_values=True)

    @property
    def header_names(self) -> list[str]:
        """Header names as sent, in wire order."""
        return [k for k, _ in self.headers]

    def header(self, name: str) -> str | None:
        """The value of a header (case-insensitive); fails if it was sent twice."""
        values = self.header_values(name)
        assert len(values) <= 1, f"header {name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """What to answer (or how to misbehave)."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before the status line
    drop: bool = False  # close the connection without answering
    trickle: float = 0.0  # seconds between body chunks (0: send at once)
    chunk_size: int = 1
    raw: bytes | None = None  # sent as is instead of a response (trickled like a body)

    @classmethod
    def json(
        cls, value: Any, status: int = 200, headers: Mapping[str, str] | None = None, **kw: Any
    ) -> Reply:
        body = value if isinstance(value, bytes) else json.dumps(value).encode()
        return cls(
            status=status,
            body=body,
            headers={"Content-Type": "application/json", **(headers or {})},
            **kw,
        )

    @classmethod
    def text(
        cls,
        text: str,
        status: int = 200,
        content_type: str = "text/plain",
        headers: Mapping[str, str] | None = None,
        **kw: Any,
    ) -> Reply:
        return cls(
            status=status,
            body=text.encode(),
            headers={"Content-Type": content_type, **(headers or {})},
            **kw,
        )

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Reply:
        """Accept the request and say nothing for ``seconds`` (until the server stops)."""
        return cls(status=200, body=b"{}", delay=seconds)

    @classmethod
    def close(cls) -> Reply:
        """Close the connection without sending a byte."""
        return cls(drop=True)


Responder: TypeAlias = Reply | Callable[[RecordedRequest], Reply]


class RecordingServer:
    """Threaded HTTP/1.1 server on an ephemeral 127.0.0.1 port. Use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.default: Responder | None = None
        self.unexpected = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._routes: dict[str, Responder] = {}
        self._queue: deque[Responder] = deque()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.005},
            name="recording-server",
            daemon=True,
        )

    # Lifecycle.

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # keep-alive handlers block on reads: wake them up
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Programming replies.

    def queue(self, *replies: Responder) -> None:
        """Answer the next requests (those without a route) with these, in order."""
        with self._lock:
            self._queue.extend(replies)

    def route(self, path: str, reply: Responder) -> None:
        """Answer every request for ``path`` (no query) with ``reply``."""
        with self._lock:
            self._routes[path] = reply

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._queue.clear()
            self._routes.clear()
            self.default = None
            self.unexpected = 0
            self.max_in_flight = self.in_flight

    @property
    def pending(self) -> int:
        """Queued replies not used yet."""
        with self._lock:
            return len(self._queue)

    # Reading what arrived.

    def only_request(self) -> RecordedRequest:
        with self._lock:
            assert len(self.requests) == 1, f"expected one request, got {len(self.requests)}"
            return self.requests[0]

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)

    def __iter__(self) -> Iterator[RecordedRequest]:
        with self._lock:
            return iter(list(self.requests))

    # Called by handler threads.

    def _record(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._arrived.notify_all()
            responder = self._routes.get(request.path)
            if responder is None and self._queue:
                responder = self._queue.popleft()
            if responder is None:
                responder = self.default
            if responder is None:
                self.unexpected += 1
        if responder is None:
            return Reply.json({"error": f"no reply queued for {request.request_line}"}, 599)
        return responder(request) if callable(responder) else responder

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _wait(self, seconds: float) -> bool:
        """Sleep unless the server stops first; True if it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() never waits for a handler stuck in a slow reply
    allow_reuse_address = True
    request_queue_size = 128


def _make_handler(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real providers do
        timeout = 30  # a forgotten keep-alive connection cannot pin a thread for ever

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with server._lock:
                server._connections.add(self.connection)

        def finish(self) -> None:
            with contextlib.suppress(OSError):
                super().finish()
            with server._lock:
                server._connections.discard(self.connection)

        def _read_body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _handle(self) -> None:
            method, target, version = self.requestline.split(" ", 2)
            headers: Message = self.headers
            request = RecordedRequest(
                request_line=self.requestline,
                method=method,
                target=target,
                version=version,
                headers=tuple((str(k), str(v)) for k, v in headers.items()),
                body=self._read_body(),
                received_at=time.monotonic(),
            )
            reply = server._record(request)
            try:
                self._answer(reply)
            except OSError:  # the client gave up (timeout) and closed: that is the test
                self.close_connection = True
            finally:
                server._done()

        def _answer(self, reply: Reply) -> None:
            if server._wait(reply.delay):
                self.close_connection = True
                return
            if reply.drop:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if reply.raw is not None:
                self.close_connection = True
                self._send(reply.raw, reply)
                return
            self.send_response(reply.status)
            names = {k.lower() for k in reply.headers}
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self._send(reply.body, reply)

        def _send(self, data: bytes, reply: Reply) -> None:
            if not reply.trickle:
                self.wfile.write(data)
                self.wfile.flush()
                return
            for start in range(0, len(data), reply.chunk_size):
                self.wfile.write(data[start : start + reply.chunk_size])
                self.wfile.flush()
                if server._wait(reply.trickle):
                    self.close_connection = True
                    return

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
