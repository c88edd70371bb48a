"""Raw-HTTP helpers for the sandbox tests: the providers' auth done by hand, not by the facade."""

from __future__ import annotations

import hashlib
import socket
import time
import uuid
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from facade._auth import bpn_signature
from facade.sandbox import ProviderInfo

# One client for all tests: building an httpx client loads the CA bundle (~50 ms), which
# would dominate these tests; the sandbox speaks plain HTTP anyway.
http = httpx.Client(timeout=10.0, trust_env=False, verify=False)

DROP = object()
"""Pass as a claim override to leave the claim out."""


class Fireblocks:
    """Signs each request the way Fireblocks' SDKs do (RS256 JWT, 55 s lifetime)."""

    def __init__(self, info: ProviderInfo) -> None:
        self.base_url = info.base_url
        self.root = info.base_url.removesuffix("/v1")
        self.api_key = info.settings["api_key"]
        self.private_key = info.settings["private_key"]

    def claims(self, uri: str, body: bytes = b"", /, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "uri": uri,
            "nonce": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 55,
            "sub": self.api_key,
            "bodyHash": hashlib.sha256(body).hexdigest(),
        }
        for name, value in overrides.items():
            if value is DROP:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def token(self, claims: dict[str, Any], private_key: str | None = None) -> str:
        return jwt.encode(claims, _load_key(private_key or self.private_key), algorithm="RS256")

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


_KEYS: dict[str, RSAPrivateKey] = {}


def _load_key(pem: str) -> RSAPrivateKey:
    # Loading a PEM validates the RSA key, which takes tens of milliseconds: once per key.
    if pem not in _KEYS:
        key = serialization.load_pem_private_key(pem.encode(), None)
        assert isinstance(key, RSAPrivateKey)
        _KEYS[pem] = key
    return _KEYS[pem]


def bpn_headers(
    info: ProviderInfo,
    target: str,
    *,
    method: str = "GET",
    body: bytes = b"",
    ts: int | None = None,
) -> dict[str, str]:
    timestamp = int(time.time() * 1000) if ts is None else ts
    secret = info.settings["api_secret"]
    return {
        bpn_signature.API_KEY_HEADER: info.settings["api_key"],
        bpn_signature.TIMESTAMP_HEADER: str(timestamp),
        bpn_signature.SIGNATURE_HEADER: bpn_signature.signature(
            secret, method, target, body, timestamp
        ),
    }


def bpn_get(info: ProviderInfo, target: str, **kwargs: Any) -> httpx.Response:
    return http.get(info.base_url + target, headers=bpn_headers(info, target, **kwargs))


def port_is_closed(base_url: str) -> bool:
    host, port = base_url.split("//")[1].split("/", maxsplit=1)[0].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return True
    return False
