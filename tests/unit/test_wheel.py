"""The wheel carries what every registered provider needs at run time.

An editable install finds generated/ and specs/ in the checkout, so a package missing from
the wheel listing in pyproject.toml would pass every other test; this one builds the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import facade
from facade._registry import adapter_class

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "--target", "wheel", "--directory", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _generated_packages(provider: str) -> set[str]:
    """The generated packages an adapter's module uses (what it imported them from)."""
    module = sys.modules[adapter_class(provider).__module__]
    return {
        origin.partition(".")[0]
        for value in vars(module).values()
        if (origin := getattr(value, "__module__", None) or getattr(value, "__name__", ""))
        and origin.startswith("wbf_")
    }


@pytest.mark.parametrize("provider", facade.provider_names())
def test_wheel_has_the_adapter_its_generated_client_and_its_spec(
    wheel_names: set[str], provider: str
) -> None:
    cls = adapter_class(provider)
    module_path = cls.__module__.replace(".", "/") + ".py"
    assert module_path in wheel_names
    packages = _generated_packages(provider)
    assert packages, f"{provider}'s adapter imports no generated client"
    for package in packages:
        assert f"{package}/__init__.py" in wheel_names, f"{package} is not in the wheel"
        assert f"{package}/py.typed" in wheel_names
    assert f"facade/sandbox/specs/{cls.spec}.yaml" in wheel_names


def test_wheel_has_the_canonical_model_and_type_marker(wheel_names: set[str]) -> None:
    assert "wbf_model/__init__.py" in wheel_names
    assert "facade/py.typed" in wheel_names


def test_wheel_has_the_sweep_example(wheel_names: set[str]) -> None:
    """``wallet-balances sweep --example`` reads it from the installed package."""
    assert "facade/examples/sweep.example.toml" in wheel_names
