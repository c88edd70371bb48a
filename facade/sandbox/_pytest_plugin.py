"""pytest plugin (entry point ``wallet_balances_sandbox``): a provider sandbox as fixtures.

* ``wallet_sandbox`` (session): a running ``facade.sandbox.Sandbox``, started on first use.
  Skips the test, saying why, when the ``sandbox`` extra is not installed.
* ``wallet_sandbox_faults`` (function): the same sandbox, for ``.inject(...)``; faults are
  cleared when the test ends.
* ``wallet_sandbox_in_process`` (session): a sandbox served through httpx transports, with no
  socket and no port: the same behaviours, auth checks, spec validation, data and faults.
* ``wallet_clients`` (function): ready clients on the in-process sandbox,
  ``wallet_clients.connect("bpn")`` / ``.connect_async("bpn")`` (settings may be overridden),
  closed when the test ends; ``wallet_clients.sandbox`` for faults and records.

The sandboxes serve the built-in providers, plus the behaviours of your own providers named
with ``--wallet-sandbox-behaviour module:Class`` (repeatable) or the ini option
``wallet_sandbox_behaviours`` (one ``module:Class`` per line).

Before every test that runs while the session sandbox is up, the plugin resets it (faults,
recorded requests, violations, idempotency keys, token counters, clock skew, TTL). It fails
the test if the sandbox saw an off-spec request or produced an off-spec response during it
(during teardown: an error at teardown).
A test that sends off-spec requests on purpose marks itself
``@pytest.mark.wallet_sandbox_allow_violations``; off-spec *responses* (sandbox bugs) always fail.

Importing this module costs nothing beyond pytest: the sandbox loads inside the fixture.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import pytest

from facade._install import extra_hint

if TYPE_CHECKING:
    import facade
    from facade.sandbox._sandbox import Sandbox

__all__ = [
    "WalletClients",
    "wallet_clients",
    "wallet_sandbox",
    "wallet_sandbox_faults",
    "wallet_sandbox_in_process",
]

_MARKER = "wallet_sandbox_allow_violations"
_SANDBOX = pytest.StashKey["Sandbox"]()
_IN_PROCESS = pytest.StashKey["Sandbox"]()
_CHECKED = pytest.StashKey[dict[int, int]]()  # violations already judged in the call phase
_EXTRA_MODULES = ("uvicorn", "starlette", "openapi_core", "yaml")


def pytest_addoption(parser: pytest.Parser) -> None:
    help_text = "a facade.sandbox.ProviderBehaviour (module:Class) the sandboxes also serve"
    parser.addoption(
        "--wallet-sandbox-behaviour",
        action="append",
        default=[],
        metavar="MODULE:CLASS",
        help=help_text,
    )
    parser.addini("wallet_sandbox_behaviours", help_text + "; one per line", type="linelist")


def _extra_behaviours(config: pytest.Config) -> list[Any]:
    """The behaviour classes named on the command line and in the ini file."""
    from facade.sandbox._http import ProviderBehaviour  # noqa: PLC0415  # needs the extra

    names = [
        *config.getini("wallet_sandbox_behaviours"),
        *config.getoption("wallet_sandbox_behaviour"),
    ]
    found = []
    for name in names:
        module_name, _, class_name = name.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise pytest.UsageError(f"wallet sandbox behaviour {name!r}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, ProviderBehaviour)):
            raise pytest.UsageError(f"{name!r} is not a facade.sandbox.ProviderBehaviour")
        found.append(cls)
    return found


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}: the test sends off-spec requests to the wallet sandbox on purpose",
    )


def _missing_extra() -> str | None:
    missing = [name for name in _EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (
        f"wallet_sandbox needs the 'sandbox' extra (missing: {', '.join(missing)}): "
        + extra_hint("sandbox")
    )


@pytest.fixture(scope="session")
def wallet_sandbox(request: pytest.FixtureRequest) -> Generator[Sandbox, None, None]:
    """A running sandbox of every provider, shared by the session and reset between tests."""
    reason = _missing_extra()
    if reason is not None:
        pytest.skip(reason)
    from facade.sandbox._sandbox import Sandbox  # noqa: PLC0415  # needs the extra

    sandbox = Sandbox(behaviours=_extra_behaviours(request.config))
    sandbox.start()
    request.config.stash[_SANDBOX] = sandbox
    try:
        yield sandbox
    finally:
        del request.config.stash[_SANDBOX]
        sandbox.stop()


@pytest.fixture
def wallet_sandbox_faults(wallet_sandbox: Sandbox) -> Generator[Sandbox, None, None]:
    """The session sandbox, for injecting faults that are cleared when the test ends."""
    yield wallet_sandbox
    wallet_sandbox.clear_faults()


@pytest.fixture(scope="session")
def wallet_sandbox_in_process(request: pytest.FixtureRequest) -> Generator[Sandbox, None, None]:
    """A sandbox of every provider with no sockets, shared by the session, reset per test."""
    reason = _missing_extra()
    if reason is not None:
        pytest.skip(reason)
    from facade.sandbox._sandbox import Sandbox  # noqa: PLC0415  # needs the extra

    sandbox = Sandbox(in_process=True, behaviours=_extra_behaviours(request.config))
    sandbox.start()
    request.config.stash[_IN_PROCESS] = sandbox
    try:
        yield sandbox
    finally:
        del request.config.stash[_IN_PROCESS]
        sandbox.stop()


class WalletClients:
    """Clients on the in-process sandbox, closed when the test ends."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._sync: list[facade.BalanceClient] = []
        self._async: list[facade.AsyncBalanceClient] = []

    def connect(self, provider: str, **settings: Any) -> facade.BalanceClient:
        client = self.sandbox.connect(provider, **settings)
        self._sync.append(client)
        return client

    def connect_async(self, provider: str, **settings: Any) -> facade.AsyncBalanceClient:
        client = self.sandbox.connect_async(provider, **settings)
        self._async.append(client)
        return client

    def wallets(self, provider: str) -> list[dict[str, Any]]:
        """The provider's seeded wallets (``wallet_id``, ``account_id``, ``assets``); typed and
        with their amounts: ``sandbox.providers[provider].seeded_wallets``."""
        return self.sandbox.providers[provider].wallets

    def close(self) -> None:
        for client in self._sync:
            client.close()
        for aclient in self._async:
            # The in-process transport holds nothing bound to the test's event loop.
            asyncio.run(aclient.aclose())
        self._sync.clear()
        self._async.clear()


@pytest.fixture
def wallet_clients(wallet_sandbox_in_process: Sandbox) -> Generator[WalletClients, None, None]:
    """Ready clients on the in-process sandbox: ``wallet_clients.connect("cryptofuse")``."""
    clients = WalletClients(wallet_sandbox_in_process)
    try:
        yield clients
    finally:
        clients.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for key in (_SANDBOX, _IN_PROCESS):
        sandbox = item.config.stash.get(key, None)
        if sandbox is not None:
            sandbox.reset()


def _sandboxes(config: pytest.Config) -> list[Sandbox]:
    found = (config.stash.get(key, None) for key in (_SANDBOX, _IN_PROCESS))
    return [sandbox for sandbox in found if sandbox is not None]


def _unexpected(
    item: pytest.Item, sandboxes: list[Sandbox], since: dict[int, int]
) -> tuple[dict[int, int], str | None]:
    allowed = item.get_closest_marker(_MARKER) is not None
    seen: dict[int, int] = {}
    found = []
    for sandbox in sandboxes:
        violations = sandbox.violations
        seen[id(sandbox)] = len(violations)
        new = violations[since.get(id(sandbox), 0) :]
        found += [v for v in new if not (allowed and v.kind == "request")]
    if not found:
        return seen, None
    lines = "\n".join(f"  - {v}" for v in found)
    return seen, f"the wallet sandbox saw {len(found)} spec violation(s):\n{lines}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    try:
        result = yield
    finally:
        message = None
        sandboxes = _sandboxes(item.config)
        if sandboxes:
            item.stash[_CHECKED], message = _unexpected(item, sandboxes, {})
    if message is not None:
        pytest.fail(message, pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    # Requests sent by fixtures while tearing down still belong to this test. Taken before
    # the teardown: the last test's teardown also stops the session sandbox.
    sandboxes = _sandboxes(item.config)
    result = yield
    if sandboxes:
        _, message = _unexpected(item, sandboxes, item.stash.get(_CHECKED, {}))
        if message is not None:
            pytest.fail(message, pytrace=False)
    return result
