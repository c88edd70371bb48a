"""The test suite's own setup: a missing test dependency stops the run and says what to
install (a suite that skipped itself down to nothing would look like a pass)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs pytest in a child where `tomli_w` (a test dependency) cannot be found.
CHILD = """
import importlib.util, sys
import pytest

find_spec = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "tomli_w" else find_spec(name, *a)
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "tests/unit/test_suite_setup.py"]))
"""


def test_a_missing_test_dependency_fails_the_run_saying_what_to_install() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "tomli-w" in output
    assert "pip install -e '.[dev]'" in output
    assert "nox -s tests" in output
    assert "passed" not in output
    assert "skipped" not in output
