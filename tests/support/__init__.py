"""Test support: one package for every test directory (pytest runs with
``--import-mode=importlib`` and ``pythonpath = tests``, so ``from support... import``
is unambiguous and no test imports a conftest).

Here: the recording HTTP server and the fixture files (``tests/fixtures``); per-provider
settings are in ``support.providers``, RSA keys in ``support.keys``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .keys import RsaKey, own_rsa_key
from .recording_server import RecordedRequest, RecordingServer, Reply, Responder

__all__ = [
    "FIXTURES",
    "ROOT",
    "RecordedRequest",
    "RecordingServer",
    "Reply",
    "Responder",
    "RsaKey",
    "fixture_bytes",
    "fixture_json",
    "fixture_reply",
    "own_rsa_key",
    "page_text",
]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def fixture_bytes(spec: str, operation: str) -> bytes:
    """tests/fixtures/<spec>/<operationId>.json, exactly as stored."""
    return (FIXTURES / spec / f"{operation}.json").read_bytes()


def fixture_json(spec: str, operation: str) -> Any:
    return json.loads(fixture_bytes(spec, operation))


def fixture_reply(
    spec: str, operation: str, *, status: int = 200, request_id: str | None = None
) -> Reply:
    """A reply whose body is the fixture file, byte for byte."""
    headers = {"X-Request-ID": request_id} if request_id else {}
    return Reply.json(fixture_bytes(spec, operation), status=status, headers=headers)


def page_text(provider: str) -> str:
    """The provider's documentation page (tests/fixtures/pages/<provider>.txt)."""
    return (FIXTURES / "pages" / f"{provider}.txt").read_text(encoding="utf-8")
