"""``wallet-balances sandbox`` / ``python -m facade.sandbox``: serve until interrupted.

Prints one JSON line per facade provider (``name``, ``base_url``, ``settings`` with the
credentials, ``wallets``, ``extra_credentials``), flushes, then serves until SIGINT or SIGTERM
and exits 0 after a clean shutdown. Exit status 2 for bad options, 1 when the servers cannot
start.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

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
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default %(default)s)")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC", help=_FAULT_HELP)
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="lifetime of Cryptofuse and Kuna Core tokens (default %(default)s)",
    )
    return parser


def cli_main(argv: Sequence[str]) -> int:
    parser = _parser()
    args = parser.parse_args(list(argv))
    from facade.sandbox._server import is_loopback

    if not is_loopback(args.host):
        parser.error(f"--host must be a loopback address, not {args.host!r}")
    if args.token_ttl <= 0:
        parser.error("--token-ttl must be positive")
    try:
        from facade.sandbox._faults import parse_fault_option

        for spec in args.fault:
            parse_fault_option(spec)
        from facade.sandbox._sandbox import PROVIDER_NAMES, Sandbox

        sandbox = Sandbox(host=args.host, token_ttl=args.token_ttl, faults=args.fault)
    except ImportError as exc:
        print(f"wallet-balances sandbox needs the 'sandbox' extra: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        parser.error(str(exc))

    stop = threading.Event()
    previous: dict[int, object] = {}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)
    try:
        try:
            sandbox.start()
        except Exception as exc:
            print(f"wallet-balances sandbox: cannot start: {exc}", file=sys.stderr)
            return 1
        try:
            providers = sandbox.providers
            for name in PROVIDER_NAMES:
                sys.stdout.write(json.dumps(providers[name].as_json()) + "\n")
            sys.stdout.flush()
            # A timed wait keeps the main thread responsive to signals on every platform.
            while not stop.wait(0.5):
                if not sandbox.running:
                    print("wallet-balances sandbox: servers stopped unexpectedly", file=sys.stderr)
                    return 1
        finally:
            sandbox.stop()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
    return 0
