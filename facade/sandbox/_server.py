"""Several uvicorn servers on one event loop in one background thread.

The listening sockets are bound by ``start()`` itself (port 0: the kernel picks free ports), so
the ports are known before any server runs and a bind failure surfaces in the caller's thread.
uvicorn installs no signal handlers off the main thread, so a sandbox never steals the host
program's Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Mapping

import uvicorn
from starlette.types import ASGIApp

__all__ = ["ServerGroup"]

_GRACEFUL_SECONDS = 1


class ServerGroup:
    """Start with ``start()``, stop with ``stop()``; ``ports[name]`` once started."""

    def __init__(
        self,
        apps: Mapping[str, ASGIApp],
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
    ) -> None:
        self._apps = dict(apps)
        self.host = host
        self._wanted = dict(ports or {})  # fixed ports by app name; 0 or absent: any free port
        self.ports: dict[str, int] = {}
        self._sockets: dict[str, socket.socket] = {}
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, timeout: float = 30.0) -> None:
        if self._thread is not None:
            raise RuntimeError("already started")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            for name in self._apps:
                # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only
                # when the protocol says TCP, and without it Nagle + delayed ACK add 40 ms
                # to every response written in two parts (headers, then body).
                sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
                self._sockets[name] = sock
                port = self._wanted.get(name, 0)
                if port:
                    # A fixed port must be reusable right after the previous sandbox stopped
                    # (TIME_WAIT); on Linux this never lets two servers listen on one port.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((self.host.strip("[]"), port))
                sock.listen(2048)
                self.ports[name] = sock.getsockname()[1]
        except OSError:
            self._close_sockets()
            raise
        self._servers = [
            uvicorn.Server(
                uvicorn.Config(
                    app,
                    host=self.host,
                    port=self.ports[name],
                    log_config=None,
                    log_level="warning",
                    access_log=False,
                    lifespan="off",
                    proxy_headers=False,
                    server_header=False,
                    ws="none",
                    timeout_graceful_shutdown=_GRACEFUL_SECONDS,
                )
            )
            for name, app in self._apps.items()
        ]
        self._thread = threading.Thread(target=self._run, name="facade-sandbox", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"sandbox servers did not start within {timeout} s")
        if self._error is not None:
            self.stop()
            raise RuntimeError("sandbox servers failed to start") from self._error

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._error = exc
        finally:
            self._ready.set()
            self._close_sockets()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        tasks = [
            asyncio.create_task(server.serve(sockets=[self._sockets[name]]))
            for name, server in zip(self._apps, self._servers, strict=True)
        ]
        while not all(s.started for s in self._servers):
            if any(t.done() for t in tasks):
                break
            await asyncio.sleep(0.005)
        if all(s.started for s in self._servers):
            self._ready.set()
        else:
            for server in self._servers:
                server.should_exit = True
        results = await asyncio.gather(*tasks, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            raise errors[0]
        if not self._ready.is_set():
            raise RuntimeError("a sandbox server exited during startup")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every server and wait for the thread; idempotent."""
        loop = self._loop
        if loop is not None:
            for app in self._apps.values():
                close = getattr(app, "close", None)
                if callable(close):
                    # The loop may already be gone if the servers died on their own.
                    with contextlib.suppress(RuntimeError):
                        loop.call_soon_threadsafe(close)
        for server in self._servers:
            server.should_exit = True
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                for server in self._servers:
                    server.force_exit = True
                thread.join(timeout)
        self._close_sockets()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _close_sockets(self) -> None:
        for sock in self._sockets.values():
            with contextlib.suppress(OSError):
                sock.close()
