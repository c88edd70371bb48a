"""pytest plugin (entry point ``wallet_balances_sandbox``): a provider sandbox as fixtures.

* ``wallet_sandbox`` (session): a running ``facade.sandbox.Sandbox``, started on first use.
  Skips the test, saying why, when the ``sandbox`` extra is not installed.
* ``wallet_sandbox_faults`` (function): the same sandbox, for ``.inject(...)``; faults are
  cleared when the test ends.

Around every test that ran while the session sandbox was up, the plugin resets it (faults,
recorded requests, violations, idempotency keys, token counters, clock skew, TTL) and fails
the test if the sandbox saw an off-spec request or produced an off-spec response during it.
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    result = yield
    sandbox = item.config.stash.get(_SANDBOX, None)
    if sandbox is not None:
        allowed = item.get_closest_marker(_MARKER) is not None
        found = [v for v in sandbox.violations if not (allowed and v.kind == "request")]
        if found:
            lines = "\n".join(f"  - {v}" for v in found)
            pytest.fail(
                f"the wallet sandbox saw {len(found)} spec violation(s):\n{lines}", pytrace=False
            )
    return result
