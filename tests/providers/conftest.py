"""Fixtures for this directory; the shared ones are in tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _cheap_tls_context(tiny_ca_bundle: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients build their TLS context from a one-certificate bundle (tests/support/tls.py)."""
    monkeypatch.setenv("SSL_CERT_FILE", tiny_ca_bundle)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
