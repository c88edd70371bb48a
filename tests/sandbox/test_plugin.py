"""The pytest plugin, run in a child pytest so its verdicts can be observed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

INNER_TESTS = """
import httpx
import pytest

def _cf(sb, **params):
    info = sb.providers["cryptofuse"]
    return httpx.get(info.base_url + "/wallets/balances", params=params,
                     headers={"X-API-Key": info.settings["api_key"]})

def test_off_spec_request_fails_the_test(wallet_sandbox):
    assert _cf(wallet_sandbox).status_code == 400  # no wallet_id: off-spec

@pytest.mark.wallet_sandbox_allow_violations
def test_marked_test_may_send_off_spec_requests(wallet_sandbox):
    assert _cf(wallet_sandbox).status_code == 400

def test_leaves_a_fault_and_a_ttl_behind(wallet_sandbox_faults):
    wallet_sandbox_faults.inject("cryptofuse", "503", times=5)
    wallet_sandbox_faults.token_ttl = 1

def test_starts_clean(wallet_sandbox):
    assert wallet_sandbox.pending_faults() == []
    assert wallet_sandbox.requests() == []
    assert wallet_sandbox.violations == []
    assert wallet_sandbox.token_ttl == 3600
    assert _cf(wallet_sandbox, wallet_id="550e8400-e29b-41d4-a716-446655440000").status_code == 200

def test_without_the_fixture_the_sandbox_is_left_alone():
    pass

@pytest.fixture
def sends_off_spec_at_teardown(wallet_sandbox):
    yield
    _cf(wallet_sandbox)

def test_teardown_violations_are_errors(sends_off_spec_at_teardown):
    pass
"""

MISSING_EXTRA = """
import facade.sandbox._pytest_plugin as plugin

plugin._EXTRA_MODULES = ("facade_sandbox_no_such_module",)

def test_needs_the_sandbox(wallet_sandbox):
    raise AssertionError("not reached")
"""


def _run(tmp_path: Path, source: str) -> dict[str, str]:
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(source))
    report = tmp_path / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        verdict = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                verdict = f"{child.tag}: {child.get('message', '')}"
        outcomes[case.get("name", "")] = verdict
    return outcomes


def test_plugin_resets_between_tests_and_fails_on_violations(tmp_path: Path) -> None:
    outcomes = _run(tmp_path, INNER_TESTS)
    failed = outcomes.pop("test_off_spec_request_fails_the_test")
    assert failed.startswith("failure:")
    assert "off-spec request" in failed
    assert "wallet_id" in failed
    assert outcomes.pop("test_teardown_violations_are_errors").startswith("error:")
    assert set(outcomes.values()) == {"passed"}, outcomes


def test_plugin_skips_without_the_extra(tmp_path: Path) -> None:
    outcomes = _run(tmp_path, MISSING_EXTRA)
    verdict = outcomes["test_needs_the_sandbox"]
    assert verdict.startswith("skipped:")
    assert "sandbox' extra" in verdict
    assert "facade_sandbox_no_such_module" in verdict


def test_importing_the_plugin_loads_no_server_code() -> None:
    probe = (
        "import sys, facade.sandbox._pytest_plugin, facade.sandbox;"
        "print(sorted(m for m in ('uvicorn', 'starlette', 'openapi_core') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
