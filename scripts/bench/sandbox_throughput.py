"""Throughput of the sandbox servers on loopback (not part of ``nox -s bench``; run by hand).

    python -m scripts.bench.sandbox_throughput [--seconds 5] [--clients 2] [--raw]

The sandbox runs in this process (its own thread, as in tests); the load comes from separate
processes, each a keep-alive client, so client CPU does not share the server's GIL. Every
registered provider is loaded in turn with its probe request (the one the latency section
uses), recorded from the facade and replayed with fresh signatures per request
(scripts/bench/raw.py). httpx needs about as much CPU per request as the server, so on a small
machine the httpx figure is client-bound; ``--raw`` drives the same requests from a minimal
socket client to show what the servers sustain. Requests are fully authenticated and
spec-validated; the run fails if the sandbox saw an off-spec request.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import time
from typing import Any

import httpx

from facade.sandbox import Sandbox

from .common import PROVIDERS
from .raw import RawAuth, RawBuilder, RawCall, probe_request
from .sandbox import ProviderInfo


def _wire_request(call: RawCall, auth: RawAuth) -> bytes:
    headers = {**dict(call.headers), **auth.headers(call.method, call.target, call.body)}
    lines = [
        f"{call.method} {call.target} HTTP/1.1",
        "host: 127.0.0.1",
        f"content-length: {len(call.body)}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + call.body


def _load_raw(info: dict[str, Any], call: RawCall, seconds: float, queue: Any) -> None:
    provider = ProviderInfo.from_json(info)
    auth = RawAuth(provider)
    url = httpx.URL(provider.base_url)
    count = errors = 0
    with socket.create_connection((url.host, url.port or 80)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            sock.sendall(_wire_request(call, auth))
            while b"\r\n\r\n" not in buffer:
                buffer += sock.recv(65536)
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            while len(buffer) < length:
                buffer += sock.recv(65536)
            buffer = buffer[length:]
            count += 1
            errors += not head.startswith(b"HTTP/1.1 200")
    queue.put((count, errors))


def _load(info: dict[str, Any], call: RawCall, seconds: float, queue: Any) -> None:
    provider = ProviderInfo.from_json(info)
    auth = RawAuth(provider)
    count = errors = 0
    with httpx.Client(base_url=provider.base_url) as client:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            headers = {**dict(call.headers), **auth.headers(call.method, call.target, call.body)}
            response = client.request(
                call.method, call.url, content=call.body or None, headers=headers
            )
            count += 1
            errors += response.status_code != 200
    queue.put((count, errors))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--raw", action="store_true", help="socket clients instead of httpx")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    with Sandbox() as sandbox:
        infos = {p: ProviderInfo.from_json(sandbox.providers[p].as_json()) for p in PROVIDERS}
        builder = RawBuilder(infos)
        try:
            probes = {p: builder.calls(probe_request(infos[p])) for p in PROVIDERS}
        finally:
            builder.close()
        for provider in PROVIDERS:
            call = probes[provider][0]
            queue = context.Queue()
            workers = [
                context.Process(
                    target=_load_raw if args.raw else _load,
                    args=(infos[provider].to_json(), call, args.seconds, queue),
                )
                for _ in range(args.clients)
            ]
            for worker in workers:
                worker.start()
            results = [queue.get() for _ in workers]
            for worker in workers:
                worker.join()
            total = sum(c for c, _ in results)
            errors = sum(e for _, e in results)
            print(
                f"{provider:<20} {total / args.seconds:8.0f} req/s "
                f"({args.clients} {'raw' if args.raw else 'httpx'} clients, "
                f"{total} requests, {errors} non-200)"
            )
        sandbox.assert_no_violations()


if __name__ == "__main__":
    main()
