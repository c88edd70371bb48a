"""``wallet-balances sandbox`` / ``python -m facade.sandbox``: serve until interrupted.

Prints the settings of every facade provider, flushes, then serves until SIGINT or SIGTERM
and exits 0 after a clean shutdown. ``--format``:

* ``json`` (default): one JSON line per provider (``name``, ``base_url``, ``settings`` with the
  credentials, ``wallets``, ``extra_credentials``);
* ``env``: ``export WALLET_BALANCES_<PROVIDER>_<SETTING>=...`` lines, shell-quoted (for
  ``eval``), plus ``WALLET_BALANCES_SANDBOX_ADMIN``;
* ``toml``: one ``[provider]`` table each, a ready ``config_file``.

The admin endpoint's URL goes to stderr (and into the env output). ``wallet-balances sandbox
fault add|list|clear`` talks to it: faults for a sandbox that is already running. Exit status 2
for bad options, 1 when the sandbox extra is missing, the servers cannot start, or the admin
endpoint cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

from facade._install import extra_hint
from facade.sandbox._faults import parse_fault_option
from facade.sandbox._net import is_loopback

if TYPE_CHECKING:
    from facade.sandbox._sandbox import ProviderInfo

__all__ = ["cli_main"]

_FAULT_HELP = (
    "inject a fault: PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES], repeatable. KIND: latency:S, "
    "rate_limit[:RETRY_AFTER] (or 429[:S]), status:N (or a bare 5xx), html[:N], "
    "truncated[:BYTES], reset, slow_body[:S]. TIMES: a count (default 1) or 'always'. "
    "Example: --fault bpn=rate_limit:2*3 --fault fireblocks-vault:getVaultAccountAsset=503"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wallet-balances sandbox",
        description="Run local, spec-validated servers of every wallet-balance provider.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="loopback address to listen on (default %(default)s)"
    )
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC", help=_FAULT_HELP)
    parser.add_argument(
        "--format",
        choices=("json", "env", "toml"),
        default="json",
        help="how to print the settings (default %(default)s)",
    )
    parser.add_argument(
        "--port",
        action="append",
        default=[],
        type=_port_option,
        metavar="PROVIDER=PORT",
        help="a fixed port for a provider's server (repeatable; the others get free ports)",
    )
    parser.add_argument(
        "--admin-port",
        type=int,
        default=0,
        metavar="PORT",
        help="port of the admin endpoint (default: a free one)",
    )
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="lifetime of Cryptofuse and Kuna Core tokens (default %(default)s)",
    )
    return parser


def _port_option(text: str) -> tuple[str, int]:
    name, sep, port = text.partition("=")
    if not sep or not name.strip() or not port.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: expected PROVIDER=PORT, e.g. bpn=8004")
    return name.strip(), int(port)


def _err(message: str) -> None:
    sys.stderr.write(f"wallet-balances sandbox: {message}\n")


def cli_main(argv: Sequence[str]) -> int:
    """Run the sandbox CLI with ``argv`` (without the program name); returns the exit status
    (argparse's exits for ``--help`` and bad options become return values too)."""
    try:
        if list(argv[:1]) == ["fault"]:
            return _fault_main(argv[1:])
        return _main(_parser(), argv)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 2)


def _main(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    args = parser.parse_args(list(argv))
    if not is_loopback(args.host):
        parser.error(f"--host must be a loopback address, not {args.host!r}")
    if args.token_ttl <= 0:
        parser.error("--token-ttl must be positive")
    if not 0 <= args.admin_port <= 65535:
        parser.error("--admin-port must be 0..65535")
    try:
        for spec in args.fault:
            parse_fault_option(spec)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        # Loaded here, not at import: the CLI must explain a missing extra, not crash on it.
        from facade.sandbox._sandbox import PROVIDER_NAMES, Sandbox  # noqa: PLC0415
    except ImportError as exc:
        _err(f"needs the 'sandbox' extra ({extra_hint('sandbox')}): {exc}")
        return 1
    try:
        sandbox = Sandbox(
            host=args.host,
            token_ttl=args.token_ttl,
            faults=args.fault,
            ports=_ports(args.port),
            admin=True,
            admin_port=args.admin_port,
        )
    except ValueError as exc:
        parser.error(str(exc))
    except Exception as exc:
        _err(f"cannot start: {exc}")
        return 1

    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)
    try:
        try:
            sandbox.start()
        except Exception as exc:
            _err(f"cannot start: {exc}")
            return 1
        try:
            providers = [sandbox.providers[name] for name in PROVIDER_NAMES]
            sys.stdout.write(_render(args.format, providers, sandbox.admin_url))
            sys.stdout.flush()
            sys.stderr.write(
                f"wallet-balances sandbox: admin endpoint {sandbox.admin_url}"
                " (wallet-balances sandbox fault --help)\n"
            )
            sys.stderr.flush()
            # A timed wait keeps the main thread responsive to signals on every platform.
            while not stop.wait(0.5):
                if not sandbox.running:
                    _err("servers stopped unexpectedly")
                    return 1
        finally:
            sandbox.stop()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def _ports(options: Sequence[tuple[str, int]]) -> dict[str, int]:
    ports: dict[str, int] = {}
    for name, port in options:
        if ports.get(name, port) != port:
            raise ValueError(f"--port {name} given twice")
        ports[name] = port
    return ports


ADMIN_ENV = "WALLET_BALANCES_SANDBOX_ADMIN"


def _render(fmt: str, providers: Sequence[ProviderInfo], admin_url: str | None) -> str:
    if fmt == "json":
        return "".join(json.dumps(info.as_json()) + "\n" for info in providers)
    if fmt == "env":
        lines = [
            f"export {_env_name(info.name, key)}={shlex.quote(value)}"
            for info in providers
            for key, value in info.settings.items()
        ]
        if admin_url:
            lines.append(f"export {ADMIN_ENV}={shlex.quote(admin_url)}")
        return "\n".join(lines) + "\n"
    # TOML basic strings take JSON's escapes, so json.dumps writes a valid TOML string.
    tables = []
    for info in providers:
        rows = "".join(f"{key} = {json.dumps(value)}\n" for key, value in info.settings.items())
        tables.append(f"[{info.name}]\n{rows}")
    return "\n".join(tables)


def _env_name(provider: str, setting: str) -> str:
    return f"WALLET_BALANCES_{provider.upper().replace('-', '_')}_{setting.upper()}"


def _fault_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wallet-balances sandbox fault",
        description="Add, list or clear faults of a running sandbox through its admin endpoint.",
    )
    parser.add_argument(
        "--admin",
        metavar="URL",
        help=f"the admin endpoint the sandbox printed (default: ${ADMIN_ENV})",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    add = verbs.add_parser("add", help="queue faults", description=_FAULT_HELP)
    add.add_argument("specs", nargs="+", metavar="SPEC", help="PROVIDER[:OPERATION_ID]=KIND...")
    verbs.add_parser("list", help="the pending faults, one JSON line each")
    clear = verbs.add_parser("clear", help="clear pending faults (all, or one provider's)")
    clear.add_argument("provider", nargs="?", metavar="PROVIDER")
    return parser


def _fault_main(argv: Sequence[str]) -> int:
    parser = _fault_parser()
    args = parser.parse_args(list(argv))
    admin = args.admin or os.environ.get(ADMIN_ENV)
    if not admin:
        parser.error(f"--admin URL (or {ADMIN_ENV}) is required")
    url = urllib.parse.urlsplit(admin)
    if url.scheme != "http" or not url.hostname or not is_loopback(url.hostname):
        parser.error(f"--admin must be an http:// URL on loopback, not {admin!r}")
    root = admin.rstrip("/")
    try:
        if args.verb == "add":
            for spec in args.specs:
                added = _admin_call("POST", f"{root}/faults", {"fault": spec})
                sys.stdout.write(json.dumps(added) + "\n")
        elif args.verb == "list":
            for fault in _admin_call("GET", f"{root}/faults"):
                sys.stdout.write(json.dumps(fault) + "\n")
        else:
            query = (
                ""
                if args.provider is None
                else "?" + urllib.parse.urlencode({"provider": args.provider})
            )
            sys.stdout.write(json.dumps(_admin_call("DELETE", f"{root}/faults{query}")) + "\n")
    except _AdminError as exc:
        _err(str(exc))
        return exc.status
    return 0


class _AdminError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _admin_call(method: str, url: str, payload: Any = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is checked to be http on loopback
        url, data=data, method=method, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("error", exc.reason)
        except (ValueError, AttributeError):
            message = exc.reason
        raise _AdminError(f"the sandbox refused: {message}", 2) from None
    except (OSError, ValueError) as exc:
        raise _AdminError(f"cannot reach the sandbox admin endpoint at {url}: {exc}", 1) from None
