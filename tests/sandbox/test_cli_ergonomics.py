"""``wallet-balances sandbox``: ready settings (env, TOML), fixed ports, faults from outside."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import facade
from facade import errors
from facade.sandbox import PROVIDER_NAMES, Sandbox, cli_main

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[object]:
    """Start ``python -m facade.sandbox ARGS`` and return (process, stdout until ready)."""
    processes: list[subprocess.Popen[str]] = []

    def start(*argv: str) -> tuple[subprocess.Popen[str], str, str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "facade.sandbox", *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        assert process.stderr is not None
        assert process.stdout is not None
        admin_line = process.stderr.readline()  # written after stdout is flushed
        assert "admin endpoint" in admin_line, (admin_line, process.poll())
        os.set_blocking(process.stdout.fileno(), False)
        out = process.stdout.read() or ""
        return process, out, admin_line.split("admin endpoint ", 1)[1].split()[0]

    yield start
    for process in processes:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_env_format_gives_ready_settings(serve: object, tmp_path: Path) -> None:
    _, out, admin = serve("--format", "env")  # type: ignore[operator]
    words = shlex.split(out)  # as a POSIX shell reads it, the multi-line PEM included
    assert words[::2] == ["export"] * (len(words) // 2)
    env = dict(word.split("=", 1) for word in words[1::2])
    assert "-----BEGIN" in env["WALLET_BALANCES_FIREBLOCKS_VAULT_PRIVATE_KEY"]
    assert env["WALLET_BALANCES_SANDBOX_ADMIN"] == admin
    for provider in PROVIDER_NAMES:
        prefix = "WALLET_BALANCES_" + provider.upper().replace("-", "_") + "_"
        assert prefix + "BASE_URL" in env
    # The environment alone is enough for connect().
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        with facade.connect("cryptofuse") as client:
            wallet = client.get_balances("550e8400-e29b-41d4-a716-446655440000")
        with facade.connect("fireblocks-vault") as client:
            assert client.get_balances("0").balances
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert wallet.provider == "cryptofuse"


def test_toml_format_is_a_config_file(serve: object, tmp_path: Path) -> None:
    _, out, _ = serve("--format", "toml")  # type: ignore[operator]
    tables = tomllib.loads(out)
    assert list(tables) == list(PROVIDER_NAMES)
    path = tmp_path / "sandbox.toml"
    path.write_text(out)
    for provider in ("fireblocks-embedded", "kuna-core", "bpn"):
        with facade.connect(provider, config_file=str(path)) as client:
            assert client.provider == provider
    with facade.connect("bpn", config_file=str(path)) as client:
        assert client.get_balances("1", assets=["USDT"]).balances


def test_fixed_ports(serve: object) -> None:
    fireblocks, bpn = _free_port(), _free_port()
    _, out, _ = serve("--port", f"fireblocks-vault={fireblocks}", "--port", f"bpn={bpn}")  # type: ignore[operator]
    urls = {d["name"]: d["base_url"] for d in map(json.loads, out.splitlines())}
    assert urls["fireblocks-vault"] == f"http://127.0.0.1:{fireblocks}/v1"
    assert urls["fireblocks-embedded"] == f"http://127.0.0.1:{fireblocks}/v1"
    assert urls["bpn"] == f"http://127.0.0.1:{bpn}"


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "nowhere=8000"],
        ["--port", "bpn"],
        ["--port", "bpn=99999"],
        ["--port", "fireblocks-vault=8001", "--port", "fireblocks-embedded=8002"],
        ["--format", "yaml"],
    ],
)
def test_bad_ports_or_formats_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(argv) == 2
    assert "wallet-balances sandbox" in capsys.readouterr().err


def test_a_port_in_use_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli_main(["--port", f"bpn={port}"]) == 1
    assert "cannot start" in capsys.readouterr().err


# --- faults on a running sandbox ---------------------------------------------------------


@pytest.fixture(scope="module")
def admin_sandbox() -> Iterator[Sandbox]:
    with Sandbox(admin=True) as sb:
        yield sb


def test_fault_verbs_drive_a_running_sandbox(
    admin_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = admin_sandbox.admin_url
    assert admin is not None
    assert cli_main(["fault", "--admin", admin, "add", "bpn=503*2", "cryptofuse=reset"]) == 0
    added = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(a["provider"], a["fault"], a["remaining"]) for a in added] == [
        ("bpn", "status:503", 2),
        ("cryptofuse", "reset", 1),
    ]
    assert cli_main(["fault", "--admin", admin, "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2

    info = admin_sandbox.providers["bpn"]
    with (
        facade.connect("bpn", **info.settings, max_retries=0) as client,
        pytest.raises(errors.ProviderUnavailable),
    ):
        client.get_balances("1", assets=["USDT"])
    assert cli_main(["fault", "--admin", admin, "clear", "bpn"]) == 0
    assert json.loads(capsys.readouterr().out) == {"cleared": 1}
    with facade.connect("bpn", **info.settings, max_retries=0) as client:
        assert client.get_balances("1", assets=["USDT"]).balances
    assert cli_main(["fault", "--admin", admin, "clear"]) == 0
    assert admin_sandbox.pending_faults() == []


def test_admin_url_from_the_environment(
    admin_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert admin_sandbox.admin_url is not None
    monkeypatch.setenv("WALLET_BALANCES_SANDBOX_ADMIN", admin_sandbox.admin_url)
    assert cli_main(["fault", "add", "kuna-core:getBalances=latency:0.1"]) == 0
    [pending] = admin_sandbox.pending_faults()
    assert (pending.provider, pending.operation) == ("kuna-core", "getBalances")
    admin_sandbox.clear_faults()


@pytest.mark.parametrize(
    ("spec", "message"),
    [("nowhere=503", "unknown provider"), ("bpn=teapot", "unknown kind"), ("bpn", "expected")],
)
def test_a_refused_fault_exits_2_with_the_reason(
    admin_sandbox: Sandbox, spec: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert admin_sandbox.admin_url is not None
    assert cli_main(["fault", "--admin", admin_sandbox.admin_url, "add", spec]) == 2
    assert message in capsys.readouterr().err
    assert admin_sandbox.pending_faults() == []


def test_unreachable_admin_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    assert cli_main(["fault", "--admin", url, "list"]) == 1
    assert "cannot reach" in capsys.readouterr().err


@pytest.mark.parametrize("admin", ["http://203.0.113.7:8000", "ftp://127.0.0.1:1", None])
def test_admin_must_be_given_and_on_loopback(
    admin: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WALLET_BALANCES_SANDBOX_ADMIN", raising=False)
    argv = ["fault", *(["--admin", admin] if admin else []), "list"]
    assert cli_main(argv) == 2
    assert "--admin" in capsys.readouterr().err
