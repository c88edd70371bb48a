"""Fireblocks: a fresh RS256 JWT on every request.

The key is parsed once per process. Parsing a PEM RSA key runs OpenSSL's key-consistency
checks, which cost tens of milliseconds; the official SDK hands the PEM text to
``jwt.encode`` on every request and pays that each time (94% of its request time in our
profiles). Signing with the parsed key costs well under a millisecond.

The token is assembled here rather than with PyJWT: an RS256 JWT is two base64url JSON
segments and one PKCS#1 v1.5 signature, and importing PyJWT (which loads every algorithm
cryptography offers) cost more than a hundred milliseconds per process in our benchmarks.
The sandbox verifies these tokens on its own (facade/sandbox/_app_fireblocks.py).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
import uuid
from collections.abc import Generator
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from ..errors import ConfigurationError

__all__ = ["TOKEN_LIFETIME", "FireblocksAuth"]

# The docs require exp < iat + 30 s; the official SDKs use 55 s, which the docs forbid.
TOKEN_LIFETIME = 25


_HEADER = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').rstrip(b"=")


def _segment(claims: dict[str, Any]) -> bytes:
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


@functools.lru_cache(maxsize=8)
def load_private_key(pem: str) -> RSAPrivateKey:
    """The parsed key; parsed once per process, as OpenSSL's consistency check is slow.

    The check stays on: signing with an inconsistent RSA key can leak the key through its
    signatures. Clients made from the same PEM (vault and embedded wallets) share the parse.
    """
    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ConfigurationError("private_key is not an unencrypted PEM private key") from None
    if not isinstance(key, RSAPrivateKey):
        raise ConfigurationError("private_key must be an RSA key (RS256)")
    return key


class FireblocksAuth(httpx.Auth):
    requires_request_body = True

    def __init__(self, api_key: str, private_key: str) -> None:
        self._api_key = api_key
        self._key = load_private_key(private_key)

    def __repr__(self) -> str:
        return "FireblocksAuth(api_key='**********', private_key='**********')"

    def sign(self, uri: str, body: bytes, now: int | None = None) -> str:
        """The JWT for one request: ``uri`` is the path with /v1 and the query."""
        iat = int(time.time()) if now is None else now
        claims = {
            "uri": uri,
            "nonce": uuid.uuid4().hex,
            "iat": iat,
            "exp": iat + TOKEN_LIFETIME,
            "sub": self._api_key,
            "bodyHash": hashlib.sha256(body).hexdigest(),
        }
        signing_input = _HEADER + b"." + _segment(claims)
        signature = self._key.sign(signing_input, PKCS1v15(), SHA256())
        return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.sign(request.url.raw_path.decode("ascii"), request.content)
        request.headers["X-API-Key"] = self._api_key
        request.headers["Authorization"] = f"Bearer {token}"
        yield request
