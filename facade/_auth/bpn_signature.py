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

__all__ = [
    "API_KEY_HEADER",
    "MAX_SKEW_MS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
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
