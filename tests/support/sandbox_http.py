"""Raw-HTTP helpers for the sandbox tests: the providers' auth done without the facade
(scripts/raw_auth.py), so that a sandbox test does not depend on the client it serves."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from facade.sandbox import ProviderInfo
from scripts import raw_auth
from scripts.raw_auth import DROP

__all__ = ["DROP", "Fireblocks", "bpn_get", "bpn_headers", "http", "port_is_closed"]

# One client for all tests: building an httpx client loads the CA bundle (~50 ms), which
# would dominate these tests; the sandbox speaks plain HTTP anyway.
http = httpx.Client(timeout=10.0, trust_env=False, verify=False)


class Fireblocks:
    """Signs each request the way Fireblocks' SDKs do (RS256 JWT, 55 s lifetime)."""

    def __init__(self, info: ProviderInfo) -> None:
        self.base_url = info.base_url
        self.root = info.base_url.removesuffix("/v1")
        self.api_key = info.settings["api_key"]
        self.private_key = info.settings["private_key"]

    def claims(self, uri: str, body: bytes = b"", /, **overrides: Any) -> dict[str, Any]:
        return raw_auth.fireblocks_claims(uri, body, api_key=self.api_key, **overrides)

    def token(self, claims: dict[str, Any], private_key: str | None = None) -> str:
        return raw_auth.fireblocks_token(claims, private_key or self.private_key)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        api_key: str | None = None,
        private_key: str | None = None,
        token: str | None = None,
        **claim_overrides: Any,
    ) -> httpx.Response:
        """``path`` is below /v1 and may carry a query; the JWT's uri includes both."""
        if token is None:
            token = self.token(self.claims("/v1" + path, body, **claim_overrides), private_key)
        sent = {"X-API-Key": api_key or self.api_key, "Authorization": f"Bearer {token}"}
        sent.update(headers or {})
        return http.request(method, self.base_url + path, content=body, headers=sent)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)


def bpn_headers(
    info: ProviderInfo,
    target: str,
    *,
    method: str = "GET",
    body: bytes = b"",
    ts: int | None = None,
) -> dict[str, str]:
    settings = info.settings
    return raw_auth.bpn_headers(
        settings["api_key"], settings["api_secret"], method, target, body, timestamp_ms=ts
    )


def bpn_get(info: ProviderInfo, target: str, **kwargs: Any) -> httpx.Response:
    return http.get(info.base_url + target, headers=bpn_headers(info, target, **kwargs))


def port_is_closed(base_url: str) -> bool:
    host, port = base_url.split("//")[1].split("/", maxsplit=1)[0].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return True
    return False
