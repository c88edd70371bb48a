"""Fixtures shared by every test directory.

``recording_server`` is a real HTTP server on 127.0.0.1 (tests/support/recording_server.py);
``settings_for(provider)`` gives connect() settings that point a client at it, with fast
retries; ``rsa_key`` is an RSA key generated for the session (Fireblocks signs with it).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support import SECRETS, RecordingServer, RsaKey
from support import rsa_key as _rsa_key
from support.tls import write_tiny_ca_bundle

# What the suite imports beyond the core dependencies: the `dev` extra (which pulls in the
# `sandbox` and `cli` extras). Import name -> distribution.
_TEST_DEPENDENCIES = {
    "pytest_asyncio": "pytest-asyncio",
    "pytest_timeout": "pytest-timeout",
    "hypothesis": "hypothesis",
    "jsonschema": "jsonschema",
    "tomli_w": "tomli-w",
    "uvicorn": "uvicorn",
    "starlette": "starlette",
    "openapi_core": "openapi-core",
    "jwt": "pyjwt",
    "yaml": "pyyaml",
    "rich": "rich",
}


def pytest_configure(config: pytest.Config) -> None:
    """Stop before collecting when a test dependency is missing, saying what to install: a
    suite that skipped itself down to nothing would look like a pass."""
    missing = sorted(
        dist
        for module, dist in _TEST_DEPENDENCIES.items()
        if importlib.util.find_spec(module) is None
    )
    if missing:
        raise pytest.UsageError(
            f"the test suite needs {', '.join(missing)}: "
            "pip install -e '.[dev]' (or run it with `nox -s tests`)"
        )


@pytest.fixture(scope="session")
def rsa_key() -> RsaKey:
    return _rsa_key()


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    """A real HTTP/1.1 server on 127.0.0.1 in a thread, stopped at teardown."""
    with RecordingServer() as server:
        yield server


SettingsFor = Callable[..., dict[str, Any]]


@pytest.fixture
def settings_for(
    recording_server: RecordingServer, rsa_key: RsaKey, monkeypatch: pytest.MonkeyPatch
) -> SettingsFor:
    """``settings_for(provider, auth=..., **overrides)``: connect() keyword arguments.

    The environment is cleared of WALLET_BALANCES_* so that only these settings count.
    ``auth`` picks the credential flavour: "api_key" (default), "oauth" (Cryptofuse client
    credentials) or "login" (Kuna Core). An override of None removes a setting.
    """
    for name in list(os.environ):
        if name.startswith("WALLET_BALANCES_"):
            monkeypatch.delenv(name)

    def make(provider: str, *, auth: str = "api_key", **overrides: Any) -> dict[str, Any]:
        url = recording_server.url
        settings: dict[str, Any] = {
            "timeout": 2.0,
            "connect_timeout": 1.0,
            "max_retries": 2,
            "backoff_base": 0.005,
            "backoff_max": 0.02,
        }
        if provider.startswith("fireblocks"):
            settings |= {
                "base_url": f"{url}/v1",
                "api_key": SECRETS["fireblocks_api_key"],
                "private_key": rsa_key.pem,
            }
        elif provider == "cryptofuse":
            settings["base_url"] = url
            if auth == "oauth":
                settings["client_id"] = SECRETS["cryptofuse_client_id"]
                settings["client_secret"] = SECRETS["cryptofuse_client_secret"]
            else:
                settings["api_key"] = SECRETS["cryptofuse_api_key"]
        elif provider == "kuna-core":
            settings["base_url"] = url
            if auth == "login":
                settings["merchant_id"] = "merchant-42"
                settings["login_email"] = "ops@example.com"
                settings["login_password"] = SECRETS["kuna_password"]
            else:
                settings["api_key"] = SECRETS["kuna_api_key"]
        elif provider == "bpn":
            settings |= {
                "base_url": url,
                "api_key": SECRETS["bpn_api_key"],
                "api_secret": SECRETS["bpn_api_secret"],
            }
        else:
            raise AssertionError(f"no settings for {provider}")
        settings |= overrides
        return {k: v for k, v in settings.items() if v is not None}

    return make


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run a test once through the blocking client and once through the asyncio client."""
    return str(request.param)


@pytest.fixture(scope="session")
def tiny_ca_bundle(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A CA bundle of one certificate (see tests/support/tls.py)."""
    return str(write_tiny_ca_bundle(tmp_path_factory.mktemp("tls") / "ca.pem"))


@pytest.fixture(autouse=True)
def _cheap_tls_context(tiny_ca_bundle: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients build their TLS context from a one-certificate bundle (tests/support/tls.py)."""
    monkeypatch.setenv("SSL_CERT_FILE", tiny_ca_bundle)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
