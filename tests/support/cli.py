"""Shared pieces of the CLI tests: the loopback stub server and its data, result types.

The stub answers Cryptofuse's ``GET /wallets/balances`` and Kuna Core's ``POST /v2/balance``
from :data:`CRYPTOFUSE` and :data:`KUNA`, checking the API key; unknown wallets get a 404.
(A uniquely named module: ``conftest`` is ambiguous when the whole suite is collected.)
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
CRYPTOFUSE_KEY = "cf-test-key-5f1e"
KUNA_KEY = "kuna-test-key-77aa"

# Amounts chosen so that the per-symbol sums need more than Decimal's default 28 digits
CRYPTOFUSE: dict[str, list[dict[str, str]]] = {
    "cf-main": [
        {"currency": "usdttrc20", "amount": "1234567890123456789.123456789", "pendingAmount": "0"},
        {"currency": "usdterc20", "amount": "500.75", "pendingAmount": "100.00"},
        {"currency": "btc", "amount": "0.05", "pendingAmount": "0.00"},
        {"currency": "dogecoin", "amount": "42.5", "pendingAmount": "0.5"},
    ],
    "cf-empty": [],
}
KUNA: dict[str, list[dict[str, Any]]] = {
    "kuna-1": [
        {
            "asset": "USDT",
            "balance": "0.000000000000000001",
            "holdBalance": "2",
            "lockBalance": "0.5",
            "referralBalance": "0",
            "depositAddress": {"TRX": {"address": "TW6fBsVChypHoN3xFXpizHFJNQa7b1wRWc"}},
        },
        {
            "asset": "BTC",
            "balance": "1.25",
            "holdBalance": "0",
            "lockBalance": "0",
            "referralBalance": "0",
        },
    ],
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-ID", f"stub-{status}")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/wallets/balances":
            return self._send(404, {"message": "no such route"})
        if self.headers.get("X-API-Key") != CRYPTOFUSE_KEY:
            return self._send(401, {"message": "bad api key"})
        wallet_id = parse_qs(url.query).get("wallet_id", [""])[0]
        if wallet_id not in CRYPTOFUSE:
            return self._send(404, {"message": "wallet not found"})
        result = {"id": wallet_id, "name": "stub", "balances": CRYPTOFUSE[wallet_id]}
        return self._send(200, {"result": result})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        if self.path != "/v2/balance":
            return self._send(404, {"message": "no such route"})
        if self.headers.get("api-key") != KUNA_KEY:
            return self._send(401, {"message": "bad api key"})
        items = KUNA.get(body.get("walletId", ""))
        if items is None:
            return self._send(404, {"message": "wallet not found"})
        wanted = body.get("assets")
        return self._send(200, {"data": [i for i in items if not wanted or i["asset"] in wanted]})


@dataclass(frozen=True)
class Stub:
    url: str

    def settings(self, provider: str) -> dict[str, Any]:
        """connect() settings for the stub: fast, no retries."""
        key = CRYPTOFUSE_KEY if provider == "cryptofuse" else KUNA_KEY
        return {"base_url": self.url, "api_key": key, "max_retries": 0, "timeout": 5.0}


@contextmanager
def running_stub() -> Iterator[Stub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="cli-stub", daemon=True)
    thread.start()
    try:
        yield Stub(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


CliRunner = Callable[..., Result]


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


SAMPLE_WALLET = {
    "provider": "p",
    "wallet_id": "w",
    "account_id": None,
    "balances": [],
    "missing": [],
    "fiat_valuation": None,
    "request_id": None,
    "fetched_at": "2026-01-02T03:04:05.678+00:00",
}
