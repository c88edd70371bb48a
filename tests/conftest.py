"""Fixtures shared by every test directory.

``recording_server`` is a real HTTP server on 127.0.0.1 (tests/support/recording_server.py);
``settings_for(provider)`` gives connect() settings that point a client at it, with fast
retries and the sandbox's credentials; ``rsa_key`` is the RSA key in those settings.
``wallet_sandbox`` comes from the shipped pytest plugin (facade.sandbox._pytest_plugin).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support import RecordingServer, RsaKey
from support.providers import ALTERNATIVE, PRIMARY, provider_info, settings_at
from support.tls import write_tiny_ca_bundle

from facade.sandbox import Sandbox

# What the suite imports beyond the core dependencies: the `dev` extra (which pulls in the
# `sandbox` and `cli` extras). Import name -> distribution.
_TEST_DEPENDENCIES = {
    "pytest_asyncio": "pytest-asyncio",
    "pytest_timeout": "pytest-timeout",
    "xdist": "pytest-xdist",
    "hypothesis": "hypothesis",
    "jsonschema": "jsonschema",
    "tomli_w": "tomli-w",
    "uvicorn": "uvicorn",
    "starlette": "starlette",
    "openapi_core": "openapi-core",
    "jwt": "pyjwt",
    "yaml": "pyyaml",
    "rich": "rich",
    "mypy": "mypy",  # the typed-boundary test type-checks a regenerated client
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
            f"the test suite needs {', '.join(missing)}: pip install -e '.[dev]' mypy "
            "-r scripts/requirements-generate.txt (or run it with `nox -s tests`)"
        )


@pytest.fixture(scope="session")
def rsa_key(wallet_sandbox: Sandbox) -> RsaKey:
    """The RSA key in the sandbox's Fireblocks settings (what ``settings_for`` signs with)."""
    return RsaKey.from_pem(wallet_sandbox.fireblocks_private_key)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    """A real HTTP/1.1 server on 127.0.0.1 in a thread, stopped at teardown."""
    with RecordingServer() as server:
        yield server


SettingsFor = Callable[..., dict[str, Any]]

# How the provider tests name the two credential kinds of support.providers.
_AUTH_ALIASES = {"api_key": PRIMARY, "oauth": ALTERNATIVE, "login": ALTERNATIVE}


@pytest.fixture
def settings_for(
    recording_server: RecordingServer, wallet_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> SettingsFor:
    """``settings_for(provider, auth=..., **overrides)``: connect() keyword arguments.

    The credentials are the sandbox's for that provider (support.providers), pointed at the
    recording server, with fast retries. ``auth`` is "primary" (default; alias "api_key") or
    "alternative" (the provider's other credentials; aliases "oauth", "login"). An override
    of None removes a setting. The environment is cleared of WALLET_BALANCES_* so that only
    these settings count.
    """
    for name in list(os.environ):
        if name.startswith("WALLET_BALANCES_"):
            monkeypatch.delenv(name)

    def make(provider: str, *, auth: str = PRIMARY, **overrides: Any) -> dict[str, Any]:
        info = provider_info(wallet_sandbox, provider)
        settings: dict[str, Any] = {
            "timeout": 2.0,
            "connect_timeout": 1.0,
            "max_retries": 2,
            "backoff_base": 0.005,
            "backoff_max": 0.02,
            **settings_at(info, recording_server.url, _AUTH_ALIASES.get(auth, auth)),
        }
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
