"""Fixtures of the CLI tests (tests/cli); shared pieces are in tests/support/cli.py.

``sb`` is the plugin's session sandbox (real provider servers on 127.0.0.1).
``cli`` runs ``facade._cli.main`` in-process; ``cli_process`` runs ``python -m facade._cli``
in a subprocess. ``balances_schema`` validates documents against specs/wallet-balances.yaml
(Draft 2020-12, with date-time format checking that needs no optional packages).
"""

from __future__ import annotations

import os
import subprocess
import sys

import jsonschema
import pytest
import yaml
from support.cli import (
    ROOT,
    SAMPLE_WALLET,
    CliRunner,
    CliSandbox,
    Result,
    is_date_time,
)

from facade._cli import main
from facade.sandbox import Sandbox


@pytest.fixture
def sb(wallet_sandbox: Sandbox) -> CliSandbox:
    return CliSandbox(wallet_sandbox)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets counts: no WALLET_BALANCES_* from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("WALLET_BALANCES_"):
            monkeypatch.delenv(name)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """``cli("get", ...)``: run main() in-process; stdout and stderr are not terminals."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli_process() -> CliRunner:
    """``cli_process("get", ...)``: ``python -m facade._cli`` in a subprocess."""

    def run(*argv: str, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
        proc = subprocess.run(
            [sys.executable, "-m", "facade._cli", *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environ | (env or {}),
            cwd=ROOT,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture(scope="session")
def balances_schema() -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator of specs/wallet-balances.yaml that checks date-time."""
    schema = yaml.safe_load((ROOT / "specs" / "wallet-balances.yaml").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.FormatChecker()
    checker.checks("date-time")(is_date_time)
    validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
    assert not validator.is_valid({"wallets": [{**SAMPLE_WALLET, "fetched_at": "yesterday"}]}), (
        "date-time format is not checked"
    )
    assert validator.is_valid({"wallets": [SAMPLE_WALLET]})
    return validator
