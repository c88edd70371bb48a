"""``wallet-balances sandbox`` / ``python -m facade.sandbox``: serve until interrupted.

Prints one JSON line per facade provider (``name``, ``base_url``, ``settings`` with the
credentials, ``wallets``, ``extra_credentials``), flushes, then serves until SIGINT or SIGTERM
and exits 0 after a clean shutdown. Exit status 2 for bad options, 1 when the sandbox extra is
missing or the servers cannot start.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from facade.sandbox._faults import parse_fault_option
from facade.sandbox._net import is_loopback

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
        "--token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="lifetime of Cryptofuse and Kuna Core tokens (default %(default)s)",
    )
    return parser


def _err(message: str) -> None:
    sys.stderr.write(f"wallet-balances sandbox: {message}\n")


def cli_main(argv: Sequence[str]) -> int:
    """Run the sandbox CLI with ``argv`` (without the program name); returns the exit status
    (argparse's exits for ``--help`` and bad options become return values too)."""
    try:
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
    try:
        for spec in args.fault:
            parse_fault_option(spec)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        # Loaded here, not at import: the CLI must explain a missing extra, not crash on it.
        from facade.sandbox._sandbox import PROVIDER_NAMES, Sandbox  # noqa: PLC0415
    except ImportError as exc:
        _err(f"needs the 'sandbox' extra (pip install 'wallet-balance-facade[sandbox]'): {exc}")
        return 1
    try:
        sandbox = Sandbox(host=args.host, token_ttl=args.token_ttl, faults=args.fault)
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
            providers = sandbox.providers
            for name in PROVIDER_NAMES:
                sys.stdout.write(json.dumps(providers[name].as_json()) + "\n")
            sys.stdout.flush()
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
