"""The CLI against the provider sandbox (facade.sandbox), and the demo end to end.

Skipped while facade.sandbox offers no ``wallet_sandbox`` fixture / ``Sandbox``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from support.cli import ROOT, CliRunner
from support.tables import parse_table

import facade
from facade._registry import adapter_class

PROVIDERS = tuple(facade.provider_names())
# Providers whose wallets cannot be listed whole: asked asset by asset.
PER_ASSET = {
    name
    for name in PROVIDERS
    if adapter_class(name).capabilities.get("list_balances") is facade.Support.UNSUPPORTED
}


def plain(value: Any) -> Any:
    """Settings as TOML can hold them (facade.Secret unwrapped, paths as strings)."""
    if hasattr(value, "get_secret_value"):
        return value.get_secret_value()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def sandbox(wallet_sandbox: Any) -> Any:
    return wallet_sandbox


def wallet_requests(sandbox: Any) -> list[dict[str, Any]]:
    """Every seeded wallet of every provider, as [[wallets]] entries."""
    entries = []
    for name in PROVIDERS:
        for wallet in sandbox.providers[name].wallets:
            if name in PER_ASSET and not wallet.get("assets"):
                continue
            entry: dict[str, Any] = {"provider": name, "wallet_id": str(wallet["wallet_id"])}
            if wallet.get("account_id") is not None:
                entry["account_id"] = str(wallet["account_id"])
            if name in PER_ASSET:
                entry["assets"] = list(wallet["assets"])
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def sweep_file(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    document = {
        "providers": {name: plain(dict(sandbox.providers[name].settings)) for name in PROVIDERS},
        "wallets": wallet_requests(sandbox),
    }
    path = tmp_path_factory.mktemp("sandbox-sweep") / "sweep.toml"
    path.write_text(tomli_w.dumps(document))
    return path


@pytest.fixture(scope="module")
def config_file(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A --config file: one [provider] table per provider."""
    document = {name: plain(dict(sandbox.providers[name].settings)) for name in PROVIDERS}
    path = tmp_path_factory.mktemp("sandbox-config") / "config.toml"
    path.write_text(tomli_w.dumps(document))
    return path


def test_sweep_of_every_seeded_wallet(cli: CliRunner, sweep_file: Path, sandbox: Any) -> None:
    result = cli("sweep", str(sweep_file))
    assert result.code == 0, result.out + result.err
    assert result.err == ""
    rows = parse_table(result.out, "Balances")
    assert {r["provider"] for r in rows} == set(PROVIDERS)
    assert "Failures" not in result.out


def test_sweep_totals_are_the_exact_sums_of_the_json(
    cli: CliRunner, sweep_file: Path, balances_schema: Any
) -> None:
    as_json = cli("sweep", str(sweep_file), "--json")
    assert as_json.code == 0, as_json.err
    document = json.loads(as_json.out)
    balances_schema.validate(document)
    assert document["errors"] == []
    assert {w["provider"] for w in document["wallets"]} == set(PROVIDERS)

    expected: dict[str, tuple[Decimal, Decimal]] = {}
    for wallet in document["wallets"]:
        for b in wallet["balances"]:
            label = b["symbol"] or b["asset"]
            total, available = expected.get(label, (Decimal(0), Decimal(0)))
            expected[label] = (
                total + Decimal(b["total"] or 0),
                available + Decimal(b["available"] or 0),
            )

    table = cli("sweep", str(sweep_file))
    shown = {
        r["symbol"]: (Decimal(r["total"]), Decimal(r["available"]))
        for r in parse_table(table.out, "Totals per symbol")
    }
    assert shown == expected


@pytest.mark.parametrize("provider", PROVIDERS)
def test_get_matches_its_json(
    cli: CliRunner, sandbox: Any, config_file: Path, balances_schema: Any, provider: str
) -> None:
    wallet = next(w for w in sandbox.providers[provider].wallets if w.get("assets"))
    args = ["get", provider, str(wallet["wallet_id"]), "--config", str(config_file)]
    if wallet.get("account_id") is not None:
        args += ["--account-id", str(wallet["account_id"])]
    if provider in PER_ASSET:
        args += ["--asset", *wallet["assets"]]

    as_json = cli(*args, "--json")
    assert as_json.code == 0, as_json.err
    document = json.loads(as_json.out)
    balances_schema.validate(document)
    (fetched,) = document["wallets"]
    assert fetched["balances"], "a seeded wallet with assets came back empty"

    table = cli(*args)
    assert table.code == 0, table.err
    title = f"{provider} {fetched['wallet_id']}" + (
        f"/{fetched['account_id']}" if fetched["account_id"] is not None else ""
    )
    rows = parse_table(table.out, title)
    assert [(r["asset"], r["total"], r["available"]) for r in rows] == [
        (b["asset"], b["total"] or "?", b["available"] or "?") for b in fetched["balances"]
    ]


def test_asset_filter(cli: CliRunner, sandbox: Any, config_file: Path) -> None:
    for provider in ("kuna-core", "cryptofuse", "bpn", "fireblocks-vault"):
        wallet = next(
            (w for w in sandbox.providers[provider].wallets if len(w.get("assets") or []) >= 2),
            None,
        )
        if wallet is not None:
            break
    else:
        pytest.skip("no seeded wallet with two assets")
    asset = wallet["assets"][0]
    result = cli(
        "get", provider, str(wallet["wallet_id"]), "--asset", asset, "--config", str(config_file)
    )
    assert result.code == 0, result.err
    rows = parse_table(result.out, f"{provider} {wallet['wallet_id']}")
    assert [r["asset"] for r in rows] == [asset]


@pytest.mark.slow
def test_demo_end_to_end() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    proc = subprocess.run(
        [sys.executable, "scripts/demo.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    balances = parse_table(proc.stdout, "Balances")
    assert {r["provider"] for r in balances} == set(PROVIDERS)
    assert "(empty)" in {r["asset"] for r in balances}
    assert parse_table(proc.stdout, "Totals per symbol")
    assert "refuses connections" in proc.stdout
    assert "demo OK" in proc.stdout
    sweep_dir = next(
        line.split()[1] for line in proc.stdout.splitlines() if line.startswith("Removed ")
    )
    assert not Path(sweep_dir).exists()


def test_sandbox_command_serves_until_interrupted(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "facade._cli", "sandbox"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        lines = [json.loads(proc.stdout.readline()) for _ in PROVIDERS]
        assert sorted(line["name"] for line in lines) == sorted(PROVIDERS)
        cryptofuse = next(line for line in lines if line["name"] == "cryptofuse")
        config = tmp_path / "config.toml"
        config.write_text(tomli_w.dumps({"cryptofuse": cryptofuse["settings"]}))
        wallet = next(w for w in cryptofuse["wallets"] if w["assets"])
        argv = ["get", "cryptofuse", wallet["wallet_id"], "--config", str(config), "--json"]
        get = subprocess.run(
            [sys.executable, "-m", "facade._cli", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert get.returncode == 0, get.stderr
        fetched = json.loads(get.stdout)["wallets"][0]["balances"]
        assert [b["asset"] for b in fetched] == wallet["assets"]
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
