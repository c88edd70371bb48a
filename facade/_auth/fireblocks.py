"""Fireblocks: a fresh RS256 JWT on every request.

The key is parsed once, when the client is built. Parsing a PEM RSA key runs OpenSSL's
key-consistency checks, which cost tens of milliseconds; the official SDK hands the PEM
text to ``jwt.encode`` on every request and pays that each time. Signing with the parsed
key costs about a millisecond.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Generator

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from ..errors import ConfigurationError

__all__ = ["TOKEN_LIFETIME", "FireblocksAuth"]

# The docs require exp < iat + 30 s; the official SDKs use 55 s, which the docs forbid.
TOKEN_LIFETIME = 25


def load_private_key(pem: str) -> RSAPrivateKey:
    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ConfigurationError(
            "private_key is not an unencrypted PEM private key", provider="fireblocks"
        ) from None
    if not isinstance(key, RSAPrivateKey):
        raise ConfigurationError("private_key must be an RSA key (RS256)", provider="fireblocks")
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
        return jwt.encode(claims, self._key, algorithm="RS256")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.sign(request.url.raw_path.decode("ascii"), request.content)
        request.headers["X-API-Key"] = self._api_key
        request.headers["Authorization"] = f"Bearer {token}"
        yield request
