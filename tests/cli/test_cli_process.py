"""The real entry point in a subprocess: error paths, exit statuses, interrupts."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.cli import ROOT, CliRunner, CliSandbox
from support.tables import parse_table


def assert_one_error_line(err: str, *fragments: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("wallet-balances: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], err


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unknown_provider(cli_process: CliRunner) -> None:
    result = cli_process("get", "coinbase", "w1")
    assert result.code == 2
    assert result.out == ""
    assert_one_error_line(result.err, "unknown provider 'coinbase'", "kuna-core")


def test_missing_config_file(cli_process: CliRunner, tmp_path: Path) -> None:
    result = cli_process("get", "cryptofuse", "w1", "--config", str(tmp_path / "nope.toml"))
    assert result.code == 2
    assert_one_error_line(result.err, "cannot read config file", "nope.toml")


def test_malformed_config_file(cli_process: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[cryptofuse\nbase_url = "http://127.0.0.1:1"\n')
    result = cli_process("get", "cryptofuse", "w1", "--config", str(config))
    assert result.code == 2
    assert_one_error_line(result.err, "is not valid TOML")


def test_config_file_with_an_unknown_setting(cli_process: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "extra.toml"
    config.write_text('[cryptofuse]\nbase_url = "http://127.0.0.1:1"\napi_kee = "x"\n')
    result = cli_process("get", "cryptofuse", "w1", "--config", str(config))
    assert result.code == 2
    assert_one_error_line(result.err, "unknown setting(s) api_kee")


def test_unreachable_provider(
    cli_process: CliRunner, closed_port: int, balances_schema: Any
) -> None:
    env = {
        "WALLET_BALANCES_CRYPTOFUSE_BASE_URL": f"http://127.0.0.1:{closed_port}",
        "WALLET_BALANCES_CRYPTOFUSE_API_KEY": "k-123",
        "WALLET_BALANCES_CRYPTOFUSE_MAX_RETRIES": "0",
    }
    result = cli_process("get", "cryptofuse", "w1", env=env)
    assert result.code == 1
    assert result.out == ""
    assert_one_error_line(
        result.err, f"connection refused: 127.0.0.1:{closed_port}", "provider=cryptofuse"
    )

    result = cli_process("get", "cryptofuse", "w1", "--json", env=env)
    assert result.code == 1
    assert_one_error_line(result.err, "connection refused")
    document = json.loads(result.out)
    balances_schema.validate(document)
    assert document["errors"][0]["error"] == "ProviderUnavailable"


def test_sweep_with_an_unreachable_provider_prints_the_rest(
    cli_process: CliRunner, sb: CliSandbox, closed_port: int, tmp_path: Path
) -> None:
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        f'[providers.cryptofuse]\nbase_url = "http://127.0.0.1:{closed_port}"\n'
        'api_key = "k"\nmax_retries = 0\n'
        f'[providers.kuna-core]\nbase_url = "{sb.url("kuna-core")}"\n'
        f'api_key = "{sb.settings("kuna-core")["api_key"]}"\n'
        f'[[wallets]]\nprovider = "cryptofuse"\nwallet_id = "{sb.cf_main}"\n'
        f'[[wallets]]\nprovider = "kuna-core"\nwallet_id = "{sb.kuna_main}"\n'
    )
    result = cli_process("sweep", str(sweep))
    assert result.code == 1
    assert_one_error_line(result.err, "1 of 2 requests failed")
    balances = parse_table(result.out, "Balances")
    assert [(r["provider"], r["asset"]) for r in balances] == [
        ("kuna-core", "BTC"),
        ("kuna-core", "USDT"),
        ("kuna-core", "ETH"),
        ("kuna-core", "UAH"),
    ]
    (failure,) = parse_table(result.out, "Failures")
    assert (failure["provider"], failure["error"]) == ("cryptofuse", "ProviderUnavailable")
    assert "\x1b[" not in result.out + result.err  # no progress bar or colour off a terminal


def test_console_script() -> None:
    script = Path(sys.executable).with_name("wallet-balances")
    if not script.exists():
        pytest.skip("the wallet-balances console script is not installed next to python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    proc = subprocess.run(
        [str(script), "providers"], check=False, capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "fireblocks-embedded" in proc.stdout


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """Accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server


def test_ctrl_c_mid_sweep_exits_130_quietly(silent_server: socket.socket, tmp_path: Path) -> None:
    port = silent_server.getsockname()[1]
    sweep = tmp_path / "slow.toml"
    sweep.write_text(
        f'[providers.cryptofuse]\nbase_url = "http://127.0.0.1:{port}"\napi_key = "k"\n'
        "timeout = 60\nmax_retries = 0\n"
        '[[wallets]]\nprovider = "cryptofuse"\nwallet_id = "w"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "facade._cli", "sweep", str(sweep)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        # Interrupt only once the request is on the wire (the CLI is inside main()).
        ready, _, _ = select.select([silent_server], [], [], 30)
        assert ready, "the CLI never connected"
        connection, _ = silent_server.accept()
        with connection:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert (out, err) == ("", "")


def test_on_a_terminal_rich_draws_tables_and_a_progress_bar(sb: CliSandbox, tmp_path: Path) -> None:
    import pty  # noqa: PLC0415  # POSIX only

    sweep = tmp_path / "tty.toml"
    sweep.write_text(
        f'[providers.kuna-core]\nbase_url = "{sb.url("kuna-core")}"\n'
        f'api_key = "{sb.settings("kuna-core")["api_key"]}"\n'
        f'[[wallets]]\nprovider = "kuna-core"\nwallet_id = "{sb.kuna_main}"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    env |= {"TERM": "xterm-256color", "COLUMNS": "200", "LINES": "50"}
    env.pop("NO_COLOR", None)
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "facade._cli", "sweep", str(sweep)],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env=env,
        cwd=ROOT,
    )
    os.close(secondary)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
        proc.wait(timeout=60)
    screen = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0, screen
    assert "┏" in screen  # a rich table
    assert "3.141592653589793238" in screen  # amounts whole, never cut
    assert "Traceback" not in screen
