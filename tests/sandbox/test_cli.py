"""``python -m facade.sandbox``: five JSON lines, faults from the command line, clean exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from support.sandbox_http import bpn_get, port_is_closed

from facade.sandbox import PROVIDER_NAMES, ProviderInfo, Sandbox, cli_main

ROOT = Path(__file__).resolve().parents[2]


def _read_lines(process: subprocess.Popen[str], count: int, timeout: float = 30.0) -> list[str]:
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        while len(lines) < count:
            line = process.stdout.readline()
            if not line:
                return
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return lines


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_prints_five_json_lines_serves_and_stops_on_signal(stop_signal: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "facade.sandbox", "--fault", "bpn=503*2", "--token-ttl", "60"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    try:
        lines = _read_lines(process, 5)
        assert len(lines) == 5, (lines, process.poll())
        described: list[dict[str, Any]] = [json.loads(line) for line in lines]
        assert [d["name"] for d in described] == list(PROVIDER_NAMES)
        for entry in described:
            assert {"name", "base_url", "settings", "wallets"} <= set(entry)
            assert entry["settings"]["base_url"] == entry["base_url"]
        bpn = next(d for d in described if d["name"] == "bpn")
        info = ProviderInfo.from_json(bpn)
        # The other process's seeded data, exact amounts included, is the same dataset.
        with Sandbox(in_process=True) as here:
            assert info.seeded_wallets == here.providers["bpn"].seeded_wallets
        statuses = [bpn_get(info, "/v1/wallet/asset-balance").status_code for _ in range(3)]
        assert statuses == [503, 503, 200]
        process.send_signal(stop_signal)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert all(port_is_closed(d["base_url"]) for d in described)


@pytest.mark.parametrize(
    "argv",
    [["--host", "0.0.0.0"], ["--fault", "bpn"], ["--fault", "nowhere=503"], ["--token-ttl", "0"]],
)
def test_bad_options_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(argv) == 2
    assert "wallet-balances sandbox" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--help"]) == 0
    assert "--fault" in capsys.readouterr().out
