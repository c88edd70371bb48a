"""The sandbox tests use the plugin's session sandbox (``wallet_sandbox``), which also tests
the plugin: it resets the sandbox before each test and fails tests that caused violations."""

from __future__ import annotations

import pytest
from support.sandbox_http import Fireblocks

from facade.sandbox import ProviderInfo, Sandbox


@pytest.fixture
def sb(wallet_sandbox: Sandbox) -> Sandbox:
    return wallet_sandbox


@pytest.fixture
def fb(wallet_sandbox: Sandbox) -> Fireblocks:
    return Fireblocks(wallet_sandbox.providers["fireblocks-vault"])


@pytest.fixture
def bpn(wallet_sandbox: Sandbox) -> ProviderInfo:
    return wallet_sandbox.providers["bpn"]


@pytest.fixture
def cf(wallet_sandbox: Sandbox) -> ProviderInfo:
    return wallet_sandbox.providers["cryptofuse"]


@pytest.fixture
def kuna(wallet_sandbox: Sandbox) -> ProviderInfo:
    return wallet_sandbox.providers["kuna-core"]
