"""Fixtures for the spec/generation tests (tests/generated)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.specs import (
    GENERATOR_TOOLS,
    PINNED_DISTRIBUTIONS,
    find_generator_python,
    installed_versions,
    pinned_versions,
)


@pytest.fixture(scope="session")
def generator_python() -> Path:
    """The interpreter to run the generator with, checked to carry the pinned tools.

    Never skips: a missing or mis-pinned toolchain is a failure, with the reason.
    """
    python = find_generator_python()
    if python is None:
        pytest.fail(
            "openapi-python-client is neither next to this interpreter nor in .nox/generate: "
            "install scripts/requirements-generate.txt here (the nox `tests` session does) "
            "or run `nox -s generate` once"
        )
    missing = [tool for tool in GENERATOR_TOOLS if not (python.parent / tool).exists()]
    if missing:
        pytest.fail(f"{python.parent} lacks {', '.join(missing)} (generation would use PATH)")
    pins = pinned_versions()
    have = installed_versions(python)
    wrong = {
        name: (have.get(name), pins[name])
        for name in PINNED_DISTRIBUTIONS
        if have.get(name) != pins[name]
    }
    if wrong:
        pytest.fail(f"generator versions next to {python} differ from the pins: {wrong}")
    return python
