"""Fixtures of the conformance suite: one sandbox per session, one harness per test.

Every test takes ``harness``, parametrized over the profiles (providers), over the sync and
async clients, and over the two ways of reaching the sandbox: real HTTP on loopback sockets,
and the in-process httpx transport (same behaviours, auth, validation and faults, no sockets).
``WALLET_BALANCES_CONFORMANCE_TRANSPORTS=socket`` (or ``in-process``) narrows that down.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import facade
from facade._registry import adapter_class

from .profiles import PROFILES, Profile

pytest.importorskip("uvicorn", reason="the conformance suite needs the sandbox extra")

from facade.sandbox import Sandbox

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "specs" / "wallet-balances.yaml"
FAST = {"backoff_base": 0.01, "backoff_max": 0.05, "timeout": 5.0}


TRANSPORTS = tuple(
    os.environ.get("WALLET_BALANCES_CONFORMANCE_TRANSPORTS", "socket,in-process").split(",")
)


@pytest.fixture(scope="session", params=TRANSPORTS)
def conformance_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    assert request.param in ("socket", "in-process"), request.param
    with Sandbox(in_process=request.param == "in-process") as sb:
        yield sb


def client_settings(sandbox: Sandbox, provider: str, mode: str = "sync") -> dict[str, Any]:
    """connect() settings of a sandbox provider, with the in-process transport if need be."""
    settings: dict[str, Any] = dict(sandbox.providers[provider].settings)
    if sandbox.in_process:
        settings["transport"] = sandbox.transport() if mode == "sync" else sandbox.async_transport()
    return settings


@pytest.fixture(scope="session")
def wallet_schema() -> jsonschema.protocols.Validator:
    schema = yaml.safe_load(SCHEMA_PATH.read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)  # type: ignore[no-any-return]


@dataclass
class Harness:
    """One provider of the sandbox, driven through the sync or the async client."""

    sandbox: Sandbox
    profile: Profile
    mode: str  # "sync" or "async"

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def info(self) -> Any:
        return self.sandbox.providers[self.name]

    def settings(self, **overrides: Any) -> dict[str, Any]:
        settings = {**self.info.settings, **FAST, **overrides}
        if self.sandbox.in_process:
            sandbox = self.sandbox
            settings["transport"] = (
                sandbox.transport() if self.mode == "sync" else sandbox.async_transport()
            )
        return settings

    def wallets(self) -> list[Mapping[str, Any]]:
        return list(self.info.wallets)

    def capability(self, name: str) -> facade.Support:
        return adapter_class(self.name).capabilities[name]

    def query_for(self, wallet: Mapping[str, Any]) -> dict[str, Any]:
        """get_balances arguments that read the whole wallet (by asset where listing is
        unsupported)."""
        args: dict[str, Any] = {"account_id": wallet["account_id"]}
        if self.capability("list_balances") is facade.Support.UNSUPPORTED:
            args["assets"] = wallet["assets"]
        return args

    def call(
        self, method: str, wallet_id: str, settings: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> facade.WalletBalances:
        """Run one client call; raises what the client raises."""
        resolved = dict(settings) if settings is not None else self.settings()
        if self.mode == "sync":
            with facade.connect(self.name, **resolved) as client:
                result: facade.WalletBalances = getattr(client, method)(wallet_id, **kwargs)
                return result

        async def run() -> facade.WalletBalances:
            async with facade.connect_async(self.name, **resolved) as client:
                result: facade.WalletBalances = await getattr(client, method)(wallet_id, **kwargs)
                return result

        return asyncio.run(run())

    def get(self, wallet_id: str, **kwargs: Any) -> facade.WalletBalances:
        settings = kwargs.pop("settings", None)
        return self.call("get_balances", wallet_id, settings, **kwargs)


@pytest.fixture(params=sorted(PROFILES))
def profile(request: pytest.FixtureRequest) -> Profile:
    return PROFILES[request.param]


@pytest.fixture(params=["sync", "async"])
def harness(
    request: pytest.FixtureRequest, conformance_sandbox: Sandbox, profile: Profile
) -> Iterator[Harness]:
    conformance_sandbox.reset()
    yield Harness(conformance_sandbox, profile, request.param)
    # Every request the clients sent must have been on-spec.
    conformance_sandbox.assert_no_violations()
    conformance_sandbox.reset()
