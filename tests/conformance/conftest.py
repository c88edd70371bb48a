"""Fixtures of the conformance suite, on the shipped pytest plugin's sandboxes.

Every test takes ``harness``, parametrized over the registered providers (a provider without
a profile in profiles.py fails here instead of being skipped), over the sync and async
clients, and over the two ways of reaching the sandbox: real HTTP on loopback sockets (the
plugin's ``wallet_sandbox``) and the in-process httpx transport (``wallet_sandbox_in_process``:
same behaviours, auth, validation and faults, no sockets).
``WALLET_BALANCES_CONFORMANCE_TRANSPORTS=socket`` (or ``in-process``) narrows that down.
The plugin resets both sandboxes before each test and fails a test whose requests were
off-spec.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml

import facade
from facade.sandbox import Sandbox

from .harness import Harness
from .profiles import Profile, all_profiles

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "specs" / "wallet-balances.yaml"
TRANSPORTS = tuple(
    os.environ.get("WALLET_BALANCES_CONFORMANCE_TRANSPORTS", "socket,in-process").split(",")
)
PLUGIN_FIXTURES = {"socket": "wallet_sandbox", "in-process": "wallet_sandbox_in_process"}


@pytest.fixture(scope="session", params=TRANSPORTS)
def conformance_sandbox(request: pytest.FixtureRequest) -> Sandbox:
    assert request.param in PLUGIN_FIXTURES, request.param
    sandbox: Sandbox = request.getfixturevalue(PLUGIN_FIXTURES[request.param])
    return sandbox


@pytest.fixture(scope="session")
def wallet_schema() -> jsonschema.protocols.Validator:
    schema = yaml.safe_load(SCHEMA_PATH.read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)  # type: ignore[no-any-return]


@pytest.fixture(params=facade.provider_names())
def profile(request: pytest.FixtureRequest) -> Profile:
    name = request.param
    profiles = all_profiles(request.config)
    if name not in profiles:
        pytest.fail(f"registered provider {name!r} has no Profile in conformance/profiles.py")
    return profiles[name]


@pytest.fixture(params=["sync", "async"])
def harness(
    request: pytest.FixtureRequest, conformance_sandbox: Sandbox, profile: Profile
) -> Iterator[Harness]:
    yield Harness(conformance_sandbox, profile, request.param)
    # Faults a test injected do not outlive it (the plugin also resets before each test).
    conformance_sandbox.clear_faults()
