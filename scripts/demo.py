"""The demo (``nox -s demo``): sweep every registered provider on the built-in sandbox.

1. Start the sandbox: loopback servers of every provider in the registry
   (``facade.provider_names()``; ``facade.sandbox.Sandbox``), each seeded with wallets.
2. Write a sweep file for them into a temporary directory: a wallet of every provider, an
   empty wallet, an asset filter (see ``choose_wallets``).
3. Run the real CLI on it in a subprocess, ``python -m facade._cli sweep FILE``: its table
   of balances and totals per symbol is the demo's output.
4. Run it again with ``--json`` and check that every provider answered.
5. Shut the sandbox down; check that its ports refuse connections and that no child
   process is left; remove the temporary directory (``--keep`` keeps it).

Exit status: 0 when every provider answered and shutdown was clean, 1 otherwise, 2 when
the sandbox extra is missing, 130 when interrupted. ``WALLET_BALANCES_*`` variables of the
calling environment are not passed to the CLI: the demo depends on nothing but the sandbox.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import facade

# Every registered provider: a provider added to the registry is in the demo (and the demo
# fails if the sandbox cannot serve it).
PROVIDERS = tuple(facade.provider_names())
CLI_TIMEOUT = 120.0
SANDBOX_HINT = (  # facade may be missing here, so not facade._install.extra_hint
    "install the 'sandbox' extra from a checkout or a built wheel, e.g."
    " pip install '/path/to/wallet-balance-facade[sandbox]' (README: Installing in an application)"
)


class SandboxProvider(Protocol):
    """What the demo reads of ``Sandbox().providers[name]``."""

    name: str
    base_url: str
    settings: Mapping[str, Any]
    wallets: Sequence[Mapping[str, Any]]


def say(text: str = "") -> None:
    print(text, flush=True)


# The sweep file.


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    if hasattr(value, "get_secret_value"):  # facade.Secret
        value = value.get_secret_value()
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_string(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


class DemoError(Exception):
    """The demo cannot go on; reported as one line."""


def capabilities(provider: SandboxProvider) -> Mapping[str, facade.Support]:
    """What the provider supports, asked of a client (connecting sends nothing)."""
    connect: Any = facade.connect  # the name is a run-time value, not a typed literal
    with connect(provider.name, **provider.settings) as client:
        supported: Mapping[str, facade.Support] = client.capabilities
        return supported


def per_asset(providers: Mapping[str, SandboxProvider]) -> frozenset[str]:
    """Providers whose wallets cannot be listed whole: the demo names their seeded assets."""
    return frozenset(
        name
        for name in PROVIDERS
        if capabilities(providers[name]).get("list_balances") is facade.Support.UNSUPPORTED
    )


def choose_wallets(providers: Mapping[str, SandboxProvider]) -> list[dict[str, Any]]:
    """The first seeded wallet with assets of every provider, an asset filter (one asset)
    on the first multi-asset wallet of a provider that lists whole wallets and filters
    natively, and the first empty wallet of a provider that can list a whole wallet."""
    whole = per_asset(providers)
    listed_whole = [name for name in PROVIDERS if name not in whole]
    filters = [
        name
        for name in listed_whole
        if capabilities(providers[name]).get("asset_filter") is facade.Support.NATIVE
    ]
    chosen: list[dict[str, Any]] = []
    seeded_assets: dict[str, list[str]] = {}
    for name in PROVIDERS:
        with_assets = [w for w in providers[name].wallets if w.get("assets")]
        if not with_assets:
            raise DemoError(f"the sandbox seeded no wallet with assets for {name}")
        chosen.append(wallet_entry(name, with_assets[0], name not in listed_whole))
        seeded_assets[name] = [str(a) for a in with_assets[0]["assets"]]

    filtered = next(
        (
            entry
            for name in filters
            for entry in chosen
            if entry["provider"] == name and len(seeded_assets[name]) >= 2
        ),
        None,
    )
    if filtered is None:
        say("  (no seeded wallet has two assets: the sweep shows no asset filter)")
    else:
        filtered["assets"] = seeded_assets[filtered["provider"]][:1]

    empty = next(
        (
            wallet_entry(name, w, per_asset=False)
            for name in listed_whole
            for w in providers[name].wallets
            if not w.get("assets")
        ),
        None,
    )
    if empty is None:
        say("  (the sandbox seeded no empty wallet: the sweep shows none)")
    else:
        chosen.append(empty)
    return chosen


def wallet_entry(provider: str, wallet: Mapping[str, Any], per_asset: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"provider": provider, "wallet_id": str(wallet["wallet_id"])}
    if wallet.get("account_id") is not None:
        entry["account_id"] = str(wallet["account_id"])
    if per_asset:
        entry["assets"] = list(wallet["assets"])
    return entry


def write_sweep(path: Path, providers: Mapping[str, SandboxProvider]) -> list[dict[str, Any]]:
    wallets = choose_wallets(providers)
    lines = ["# Written by scripts/demo.py for the sandbox it started.", ""]
    for name in PROVIDERS:
        lines.append(f"[providers.{name}]")
        lines += [f"{key} = {toml_value(v)}" for key, v in providers[name].settings.items()]
        lines.append("")
    for wallet in wallets:
        lines.append("[[wallets]]")
        lines += [f"{key} = {toml_value(v)}" for key, v in wallet.items()]
        lines.append("")
    path.touch(mode=0o600)  # sandbox credentials, but credentials all the same
    path.write_text("\n".join(lines))
    return wallets


# Running the CLI.


def cli(*args: str, capture: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    command = [sys.executable, "-m", "facade._cli", *args]
    return subprocess.run(
        command,
        env=env,
        text=True,
        capture_output=capture,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def check_json(sweep: Path) -> list[str]:
    """Problems found in ``sweep --json``: a provider without answers, or any error."""
    proc = cli("sweep", str(sweep), "--json", capture=True)
    try:
        document = json.loads(proc.stdout)
    except ValueError:
        return [f"sweep --json printed no JSON (exit {proc.returncode}): {proc.stderr.strip()}"]
    problems = [
        f"{e['provider']} wallet {e['wallet_id']}: {e['error']}: {e['message']}"
        for e in document.get("errors", [])
    ]
    answered: dict[str, list[int]] = {}
    for wallet in document["wallets"]:
        answered.setdefault(wallet["provider"], []).append(len(wallet["balances"]))
    for name in PROVIDERS:
        counts = answered.get(name)
        if not counts:
            problems.append(f"{name}: no wallet read")
        else:
            say(f"  {name:<20} {len(counts)} wallet(s), {sum(counts)} balance(s)")
    return problems


# Shutdown checks.


def endpoints(providers: Mapping[str, SandboxProvider]) -> list[tuple[str, int]]:
    found = set()
    for provider in providers.values():
        url = urlsplit(provider.base_url)
        if url.hostname and url.port:
            found.add((url.hostname, url.port))
    return sorted(found)


def refuses(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False  # a timeout or anything else is not a clean refusal


def child_processes() -> list[int]:
    """Live children of this process (Linux /proc; elsewhere none are detectable)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    children = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 1 and fields[1] == str(os.getpid()) and fields[0] != "Z":
            children.append(int(entry.name))
    return children


def leftover_threads(grace: float = 5.0) -> list[str]:
    deadline = time.monotonic() + grace
    while True:
        alive = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


# The demo.


def run(keep: bool) -> int:
    try:
        sandbox_module = importlib.import_module("facade.sandbox")
        sandbox_class = sandbox_module.Sandbox
    except (ImportError, AttributeError) as exc:
        print(f"demo: error: the sandbox is not available ({exc}): {SANDBOX_HINT}", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="wallet-balances-demo-"))
    sweep = workdir / "sweep.toml"
    problems: list[str] = []
    try:
        say(f"wallet-balance-facade demo: {len(PROVIDERS)} providers, one sweep, the real CLI")
        say()
        with sandbox_class() as sb:
            providers: Mapping[str, SandboxProvider] = sb.providers
            missing = [name for name in PROVIDERS if name not in providers]
            if missing:
                print(f"demo: error: the sandbox lacks {', '.join(missing)}", file=sys.stderr)
                return 1
            say("Sandbox (loopback):")
            for name in PROVIDERS:
                seeded = len(providers[name].wallets)
                say(f"  {name:<20} {providers[name].base_url}  seeded wallets: {seeded}")
            ports = endpoints(providers)

            wallets = write_sweep(sweep, providers)
            say()
            say(f"Sweep file: {sweep} ({len(wallets)} wallets)")
            for wallet in wallets:
                detail = ", ".join(f"{k}={v}" for k, v in wallet.items() if k != "provider")
                say(f"  {wallet['provider']:<20} {detail}")
            say()
            say(f"$ python -m facade._cli sweep {sweep}")
            say()
            table = cli("sweep", str(sweep), capture=False)  # its own stdout: rich on a TTY
            say()
            say(f"CLI exit status: {table.returncode}")
            if table.returncode != 0:
                problems.append(f"wallet-balances sweep exited with status {table.returncode}")

            say()
            say(f"Check, from `wallet-balances sweep {sweep.name} --json`:")
            problems += check_json(sweep)

        say()
        say("Shutdown:")
        for host, port in ports:
            if refuses(host, port):
                say(f"  {host}:{port} refuses connections")
            else:
                problems.append(f"sandbox port {host}:{port} is still open after shutdown")
        children = child_processes()
        if children:
            problems.append(f"child processes left: {children}")
        threads = leftover_threads()
        if threads:
            problems.append(f"threads still running after shutdown: {', '.join(threads)}")
        if not (children or threads):
            say("  no child process or thread left")
    finally:
        if keep:
            say(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            say(f"Removed {workdir}")

    say()
    if problems:
        for problem in problems:
            print(f"demo: FAILED: {problem}", file=sys.stderr)
        return 1
    say(f"demo OK: all {len(PROVIDERS)} providers answered; the sandbox shut down cleanly")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary sweep file")
    args = parser.parse_args(argv)
    try:
        return run(keep=args.keep)
    except DemoError as exc:
        print(f"demo: error: {exc}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as exc:
        print(
            f"demo: error: {' '.join(map(str, exc.cmd))} took over {exc.timeout}s", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
