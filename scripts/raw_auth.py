"""Provider authentication as a raw httpx user writes it, kept once for the tools and tests.

The bench's raw-httpx baseline and the sandbox's raw-HTTP tests both sign requests without
the facade. Fireblocks JWTs are built here with PyJWT, independently of the product's own
hand-built RS256 signer: a sandbox test must not trust the product it is checking the
sandbox for, and the baseline is what a user without the facade would write.

BPN's signature scheme is the project's own, stated in facade/_auth/bpn_signature.py; it is
written again here from that statement, on purpose: the facade signs and the sandbox verifies
with that module, so a test signing with it too could not notice when it drifts from the text.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
import uuid
from collections.abc import Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

__all__ = [
    "DROP",
    "FIREBLOCKS_SDK_LIFETIME",
    "bpn_headers",
    "fireblocks_claims",
    "fireblocks_headers",
    "fireblocks_token",
    "verify_fireblocks",
]

FIREBLOCKS_SDK_LIFETIME = 55  # seconds; what Fireblocks' own SDKs put between iat and exp
REQUIRED_CLAIMS = ("uri", "nonce", "iat", "exp", "sub", "bodyHash")

DROP: Any = object()
"""Pass as a claim override to leave that claim out."""


def fireblocks_claims(
    uri: str,
    body: bytes = b"",
    /,
    *,
    api_key: str,
    now: int | None = None,
    lifetime: int = FIREBLOCKS_SDK_LIFETIME,
    **overrides: Any,
) -> dict[str, Any]:
    """The claims Fireblocks expects: ``uri`` is the request target (path and query).
    ``overrides`` replace claims by name (``uri=...`` too), or drop them (``DROP``)."""
    iat = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "uri": uri,
        "nonce": str(uuid.uuid4()),
        "iat": iat,
        "exp": iat + lifetime,
        "sub": api_key,
        "bodyHash": hashlib.sha256(body).hexdigest(),
    }
    for name, value in overrides.items():
        if value is DROP:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


@functools.cache
def _private_key(pem: str) -> RSAPrivateKey:
    # Loading a PEM checks the RSA key, tens of milliseconds: once per key and process.
    key = load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, RSAPrivateKey):
        raise TypeError("Fireblocks signs with RSA keys")
    return key


def fireblocks_token(claims: Mapping[str, Any], private_key: str | RSAPrivateKey) -> str:
    key = _private_key(private_key) if isinstance(private_key, str) else private_key
    return jwt.encode(dict(claims), key, algorithm="RS256")


def fireblocks_headers(
    api_key: str, private_key: str | RSAPrivateKey, uri: str, body: bytes = b""
) -> dict[str, str]:
    token = fireblocks_token(fireblocks_claims(uri, body, api_key=api_key), private_key)
    return {"X-API-Key": api_key, "Authorization": f"Bearer {token}"}


def verify_fireblocks(authorization: str | None, public_key: RSAPublicKey) -> dict[str, Any]:
    """The claims of an ``Authorization: Bearer <jwt>`` header, signature, exp, iat checked."""
    if authorization is None or not authorization.startswith("Bearer "):
        raise AssertionError(f"not a bearer token: {authorization!r}")
    token = authorization.removeprefix("Bearer ")
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "RS256":
        raise AssertionError(f"JWT algorithm {header.get('alg')!r}, expected RS256")
    claims: dict[str, Any] = jwt.decode(
        token, public_key, algorithms=["RS256"], options={"require": list(REQUIRED_CLAIMS)}
    )
    return claims


def bpn_headers(
    api_key: str,
    api_secret: str,
    method: str,
    target: str,
    body: bytes = b"",
    *,
    timestamp_ms: int | None = None,
) -> dict[str, str]:
    """BPN's signed headers for one request (``target``: path with query, as sent)."""
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    message = f"{ts}\n{method.upper()}\n{target}\n{hashlib.sha256(body).hexdigest()}"
    signature = hmac.new(api_secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return {"X-Api-Key": api_key, "X-Timestamp": str(ts), "X-Signature": signature}
