"""Test support: the recording HTTP server, fixture files and client settings per provider."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .credentials import SECRETS, RsaKey
from .recording_server import RecordedRequest, RecordingServer, Reply, Responder

__all__ = [
    "FIXTURES",
    "PROVIDERS",
    "SECRETS",
    "RecordedRequest",
    "RecordingServer",
    "Reply",
    "Responder",
    "RsaKey",
    "fixture_bytes",
    "fixture_json",
    "fixture_reply",
]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROVIDERS = ("fireblocks-vault", "fireblocks-embedded", "cryptofuse", "kuna-core", "bpn")


def fixture_bytes(provider: str, operation: str) -> bytes:
    """tests/fixtures/<provider>/<operation>.json, exactly as stored."""
    return (FIXTURES / provider / f"{operation}.json").read_bytes()


def fixture_json(provider: str, operation: str) -> Any:
    return json.loads(fixture_bytes(provider, operation))


def fixture_reply(
    provider: str, operation: str, *, status: int = 200, request_id: str | None = None
) -> Reply:
    """A reply whose body is the fixture file, byte for byte."""
    headers = {"X-Request-ID": request_id} if request_id else {}
    return Reply.json(fixture_bytes(provider, operation), status=status, headers=headers)
