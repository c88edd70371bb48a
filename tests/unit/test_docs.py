"""The README tells the truth about what users rely on (issue 11): how to install the
package, when the pytest sandbox is reset and which fixtures exist, where the sweep example
is, and that every "missing extra" message says the same as the README."""

from __future__ import annotations

import re
from pathlib import Path

from facade._install import extra_hint
from facade.sandbox import _pytest_plugin

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
SOURCES = [*REPO.joinpath("facade").rglob("*.py"), *REPO.joinpath("scripts").rglob("*.py")]


def test_installing_in_an_application_is_documented_and_messages_point_there() -> None:
    assert "\n## Installing in an application\n" in README
    assert "Installing in an application" in extra_hint("sandbox")
    # The distribution is on no index: a bare "pip install wallet-balance-facade[...]" fails.
    bare = re.compile(r"pip install '?wallet-balance-facade\[[a-z,]*\]'?(?! @)")
    for path in [REPO / "README.md", *SOURCES]:
        assert not bare.search(path.read_text(encoding="utf-8")), path


def test_the_pytest_fixtures_and_their_reset_timing_are_documented() -> None:
    fixtures = [name for name in _pytest_plugin.__all__ if name.startswith("wallet_")]
    assert "wallet_sandbox_faults" in fixtures
    for fixture in fixtures:
        assert f"`{fixture}`" in README, fixture
    assert "reset **before** each test" in README
    for path in [REPO / "README.md", *SOURCES]:
        assert "reset after each test" not in path.read_text(encoding="utf-8"), path


def test_the_sweep_example_the_docs_name_exists() -> None:
    assert "wallet-balances sweep --example" in README
    for path in re.findall(r"\b(examples/[\w./-]+)", README):
        assert (REPO / path).exists(), path
