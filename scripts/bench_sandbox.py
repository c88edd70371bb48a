"""Throughput of the sandbox servers on loopback (not a test; run it by hand).

    .venv/bin/python tests/sandbox/bench_sandbox.py [--seconds 5] [--clients 2] [--raw]

The sandbox runs in this process (its own thread, as in tests); the load comes from separate
processes, each a keep-alive httpx client, so client CPU does not share the server's GIL.
httpx itself needs about as much CPU per request as the server, so on a small machine the
httpx figure is client-bound; ``--raw`` drives the same requests from a minimal socket client
to show what the servers sustain.
Requests are fully authenticated and spec-validated: Fireblocks with a real RS256 JWT (signed
once per client and reused, which the sandbox allows within the token's 55 s), BPN with a
fresh HMAC signature per request, Cryptofuse with its API key.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import socket
import time
import uuid
from typing import Any

import httpx
import jwt

from facade._auth import bpn_signature
from facade.sandbox import Sandbox


def _fireblocks_headers(settings: dict[str, Any], target: str) -> dict[str, str]:
    now = int(time.time())
    claims = {
        "uri": target,
        "nonce": str(uuid.uuid4()),
        "iat": now,
        "exp": now + 55,
        "sub": settings["api_key"],
        "bodyHash": hashlib.sha256(b"").hexdigest(),
    }
    token = jwt.encode(claims, settings["private_key"], algorithm="RS256")
    return {"X-API-Key": settings["api_key"], "Authorization": f"Bearer {token}"}


def _raw_request(kind: str, settings: dict[str, Any], fireblocks: dict[str, str]) -> bytes:
    if kind == "fireblocks":
        target, headers = "/v1/vault/accounts/0/BTC", fireblocks
    elif kind == "bpn":
        target = "/v1/wallet/asset-balance?walletId=40"
        ts = int(time.time() * 1000)
        signature = bpn_signature.signature(settings["api_secret"], "GET", target, b"", ts)
        headers = {
            "X-Api-Key": settings["api_key"],
            "X-Timestamp": str(ts),
            "X-Signature": signature,
        }
    else:
        target = "/wallets/balances?wallet_id=550e8400-e29b-41d4-a716-446655440000"
        headers = {"X-API-Key": settings["api_key"]}
    lines = [
        f"GET {target} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _load_raw(kind: str, settings: dict[str, Any], seconds: float, queue: Any) -> None:
    count = errors = 0
    host, port = settings["base_url"].split("//")[1].split("/")[0].rsplit(":", 1)
    fireblocks = (
        _fireblocks_headers(settings, "/v1/vault/accounts/0/BTC") if kind == "fireblocks" else {}
    )
    request = _raw_request(kind, settings, fireblocks)
    with socket.create_connection((host, int(port))) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if kind == "bpn":
                request = _raw_request(kind, settings, fireblocks)
            sock.sendall(request)
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


def _load(kind: str, settings: dict[str, Any], seconds: float, queue: Any) -> None:
    count = 0
    errors = 0
    with httpx.Client(base_url=settings["base_url"]) as client:
        if kind == "fireblocks":
            headers = _fireblocks_headers(settings, "/v1/vault/accounts/0/BTC")
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if kind == "fireblocks":
                response = client.get("/vault/accounts/0/BTC", headers=headers)
            elif kind == "bpn":
                target = "/v1/wallet/asset-balance?walletId=40"
                ts = int(time.time() * 1000)
                signature = bpn_signature.signature(settings["api_secret"], "GET", target, b"", ts)
                response = client.get(
                    target,
                    headers={
                        "X-Api-Key": settings["api_key"],
                        "X-Timestamp": str(ts),
                        "X-Signature": signature,
                    },
                )
            else:
                response = client.get(
                    "/wallets/balances",
                    params={"wallet_id": "550e8400-e29b-41d4-a716-446655440000"},
                    headers={"X-API-Key": settings["api_key"]},
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
        for kind, provider in (
            ("cryptofuse", "cryptofuse"),
            ("fireblocks", "fireblocks-vault"),
            ("bpn", "bpn"),
        ):
            settings = dict(sandbox.providers[provider].settings)
            queue = context.Queue()
            workers = [
                context.Process(
                    target=_load_raw if args.raw else _load,
                    args=(kind, settings, args.seconds, queue),
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
                f"{kind:<11} {total / args.seconds:8.0f} req/s "
                f"({args.clients} {'raw' if args.raw else 'httpx'} clients, "
                f"{total} requests, {errors} non-200)"
            )
        sandbox.assert_no_violations()


if __name__ == "__main__":
    main()
