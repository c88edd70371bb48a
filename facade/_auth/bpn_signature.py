"""The default BPN request signature, shared by the facade's signer and the sandbox's verifier.

BPN documents a "Signature Authentication Mechanism" whose content we do not have, so this
scheme is ours, stated here once:

    X-Api-Key:    the API key
    X-Timestamp:  Unix time in milliseconds
    X-Signature:  hex HMAC-SHA256(api_secret, canonical_message(...))

    canonical_message = timestamp "\\n" METHOD "\\n" path-with-query "\\n" hex-sha256(body)

The path with query is exactly the request target sent on the wire. Replace the signer
(``connect("bpn", signer=...)``) when BPN's real scheme is known.
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = [
    "API_KEY_HEADER",
    "MAX_SKEW_MS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "HmacSigner",
    "canonical_message",
    "signature",
]

API_KEY_HEADER = "X-Api-Key"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_HEADER = "X-Signature"
MAX_SKEW_MS = 30_000


def canonical_message(method: str, target: str, body: bytes, timestamp_ms: int) -> bytes:
    body_hash = hashlib.sha256(body).hexdigest()
    return f"{timestamp_ms}\n{method.upper()}\n{target}\n{body_hash}".encode()


def signature(secret: str, method: str, target: str, body: bytes, timestamp_ms: int) -> str:
    message = canonical_message(method, target, body, timestamp_ms)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HmacSigner:
    """The default BPN signer (see the module docstring). Callable as a ``RequestSigner``."""

    def __init__(self, api_key: str, api_secret: str) -> None:
        self._api_key = api_key
        self._api_secret = api_secret

    def __repr__(self) -> str:
        return "HmacSigner(api_key='**********', api_secret='**********')"

    def __call__(self, method: str, target: str, body: bytes) -> dict[str, str]:
        timestamp = int(time.time() * 1000)
        return {
            API_KEY_HEADER: self._api_key,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(self._api_secret, method, target, body, timestamp),
        }
