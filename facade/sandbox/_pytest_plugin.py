"""pytest plugin (entry point ``wallet_balances_sandbox``): a provider sandbox as fixtures.

* ``wallet_sandbox`` (session): a running ``facade.sandbox.Sandbox``, started on first use.
  Skips the test, saying why, when the ``sandbox`` extra is not installed.
* ``wallet_sandbox_faults`` (function): the same sandbox, for ``.inject(...)``; faults are
  cleared when the test ends.

Before every test that runs while the session sandbox is up, the plugin resets it (faults,
recorded requests, violations, idempotency keys, token counters, clock skew, TTL). It fails
the test if the sandbox saw an off-spec request or produced an off-spec response during it
(during teardown: an error at teardown).
A test that sends off-spec requests on purpose marks itself
``@pytest.mark.wallet_sandbox_allow_violations``; off-spec *responses* (sandbox bugs) always fail.

Importing this module costs nothing beyond pytest: the sandbox loads inside the fixture.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Generator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from facade.sandbox._sandbox import Sandbox

__all__ = ["wallet_sandbox", "wallet_sandbox_faults"]

_MARKER = "wallet_sandbox_allow_violations"
_SANDBOX = pytest.StashKey["Sandbox"]()
_CHECKED = pytest.StashKey[int]()  # violations already judged in the call phase
_EXTRA_MODULES = ("uvicorn", "starlette", "openapi_core", "yaml")


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
        "pip install 'wallet-balance-facade[sandbox]'"
    )


@pytest.fixture(scope="session")
def wallet_sandbox(request: pytest.FixtureRequest) -> Generator[Sandbox, None, None]:
    """A running sandbox of every provider, shared by the session and reset between tests."""
    reason = _missing_extra()
    if reason is not None:
        pytest.skip(reason)
    from facade.sandbox._sandbox import Sandbox  # noqa: PLC0415  # needs the extra

    sandbox = Sandbox()
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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    sandbox = item.config.stash.get(_SANDBOX, None)
    if sandbox is not None:
        sandbox.reset()


def _unexpected(item: pytest.Item, sandbox: Sandbox, since: int) -> tuple[int, str | None]:
    violations = sandbox.violations
    allowed = item.get_closest_marker(_MARKER) is not None
    found = [v for v in violations[since:] if not (allowed and v.kind == "request")]
    if not found:
        return len(violations), None
    lines = "\n".join(f"  - {v}" for v in found)
    return len(violations), f"the wallet sandbox saw {len(found)} spec violation(s):\n{lines}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    try:
        result = yield
    finally:
        sandbox = item.config.stash.get(_SANDBOX, None)
        message = None
        if sandbox is not None:
            item.stash[_CHECKED], message = _unexpected(item, sandbox, 0)
    if message is not None:
        pytest.fail(message, pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    # Requests sent by fixtures while tearing down still belong to this test. Taken before
    # the teardown: the last test's teardown also stops the session sandbox.
    sandbox = item.config.stash.get(_SANDBOX, None)
    result = yield
    if sandbox is not None:
        _, message = _unexpected(item, sandbox, item.stash.get(_CHECKED, 0))
        if message is not None:
            pytest.fail(message, pytrace=False)
    return result
