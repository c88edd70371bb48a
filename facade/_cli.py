"""``wallet-balances``: the facade on the command line.

    wallet-balances get PROVIDER WALLET_ID [--account-id A] [--asset CODE ...]
                        [--config FILE] [--set KEY=VALUE ...] [--json]
    wallet-balances sweep FILE [--concurrency N] [--config FILE] [--no-progress] [--json]
    wallet-balances providers [--json]
    wallet-balances sandbox [ARGS ...]      (needs the ``sandbox`` extra)

Settings (``get``) come, first match wins, from ``--set key=value`` (repeatable), then the
environment (``WALLET_BALANCES_<PROVIDER>_<SETTING>``, e.g.
``WALLET_BALANCES_KUNA_CORE_API_KEY``), then the TOML file given with ``--config`` (or
``WALLET_BALANCES_CONFIG``), one table per provider (``[kuna-core]``). Secrets are best
given as ``<name>_file`` or through the environment: command lines are visible to others.

Sweep file (TOML): provider settings tables plus the wallets to read, across providers::

    concurrency = 16                      # optional; --concurrency wins

    [providers.cryptofuse]                # any facade.connect() setting of that provider
    base_url = "https://api.cryptofuse.io"
    api_key_file = "secrets/cryptofuse"   # relative *_file paths: from the sweep file's dir

    [providers.fireblocks-embedded]
    base_url = "https://api.fireblocks.io/v1"
    private_key_file = "secrets/fireblocks.pem"   # api_key from the environment

    [[wallets]]
    provider = "cryptofuse"               # required
    wallet_id = "550e8400-e29b-41d4-a716-446655440000"   # required (an integer is fine)
    assets = ["btc", "usdttrc20"]         # optional: just these asset codes

    [[wallets]]
    provider = "fireblocks-embedded"
    wallet_id = "4f3c...-..."
    account_id = "0"                      # for providers whose wallets have accounts
    assets = ["BTC"]

A provider without a ``[providers.*]`` table is configured from the environment and the
``--config`` file alone; settings in the sweep file win over both. ``sweep --example``
prints a commented example to start from.

The sweep reads every wallet (``--concurrency`` requests in flight), showing a progress bar
when stdout and stderr are terminals, then prints a table of balances (provider, wallet,
asset, symbol, network, total, available, pending, locked), the totals per symbol across
providers (exact decimal sums of total and available; an asset whose symbol is unknown is
totalled under its raw asset code and flagged), the requested assets a provider reported
as not held or unknown (``WalletBalances.missing``), and the requests that failed. A failure
never stops the sweep.

``--json`` prints ``{"wallets": [...], "errors": [...], "totals": [...]}``, valid against
specs/wallet-balances.yaml; amounts are decimal strings.

Exit status: 0 success; 1 a provider request failed (in a sweep: any of them; what succeeded
is still printed) or the sandbox extra is missing; 2 usage or configuration error (in a
sweep also when only some wallets' provider settings are wrong: the rest is still printed);
130 interrupted. ``sandbox`` exits as ``facade.sandbox.cli_main`` says. Errors are one line on
stderr, ``wallet-balances: error: ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NoReturn, Protocol, TextIO

from . import __version__, errors
from ._decimal import to_plain
from ._fanout import BalanceOutcome, BalanceRequest, gather_balances
from ._install import extra_hint
from ._model import WalletBalances, to_json_dict
from ._settings import closest
from ._totals import SymbolTotal, totals_by_symbol

__all__ = ["main"]

PROG = "wallet-balances"
SANDBOX_HINT = extra_hint("sandbox")
SANDBOX_MODULES = ("uvicorn", "starlette", "openapi_core", "yaml")  # the sandbox extra
BALANCE_COLUMNS = (
    "provider",
    "wallet",
    "asset",
    "symbol",
    "network",
    "total",
    "available",
    "pending",
    "locked",
)
AMOUNT_COLUMNS = frozenset({"total", "available", "pending", "locked"})
WRAPPED_COLUMNS = frozenset({"providers", "note", "message"})
UNKNOWN = "?"  # a symbol, network or amount the provider did not let us know
RAW_CODE_NOTE = "unknown symbol: raw asset code"
MISSING_NOTE = "not held or unknown to the provider"


class CliError(Exception):
    """A failure of the command itself, reported as one line with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


# Output helpers.


def _amount(value: Decimal | None) -> str:
    return UNKNOWN if value is None else format(value, "f")


def _wallet_label(wallet_id: str, account_id: str | None) -> str:
    return wallet_id if account_id is None else f"{wallet_id}/{account_id}"


def _use_rich(stream: TextIO) -> bool:
    if not stream.isatty():
        return False
    try:
        import rich  # noqa: F401, PLC0415 - optional and heavy: only for terminals
    except ImportError:
        return False
    return True


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: list[list[str]] = field(default_factory=list)
    numeric: frozenset[str] = AMOUNT_COLUMNS
    flagged: set[int] = field(default_factory=set)  # row indexes to highlight

    def plain(self) -> str:
        widths = [len(h) for h in self.headers]
        for row in self.rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

        def line(cells: Sequence[str]) -> str:
            parts = [
                cell.rjust(w) if h in self.numeric else cell.ljust(w)
                for h, cell, w in zip(self.headers, cells, widths, strict=True)
            ]
            return "  ".join(parts).rstrip()

        rule = ["-" * w for w in widths]
        return "\n".join([self.title, line(self.headers), line(rule), *map(line, self.rows)])

    def print(self, out: TextIO) -> None:
        if not _use_rich(out):
            out.write(self.plain() + "\n")
            return
        from rich.console import Console  # noqa: PLC0415
        from rich.measure import Measurement  # noqa: PLC0415
        from rich.table import Table as RichTable  # noqa: PLC0415

        table = RichTable(title=self.title, title_justify="left", title_style="bold")
        for position, header in enumerate(self.headers):
            if header in WRAPPED_COLUMNS:  # long prose: fold rather than cut
                table.add_column(header, overflow="fold")
                continue
            # Everything else is shown whole: an amount or an id cut short would be wrong.
            width = max([len(header), *(len(row[position]) for row in self.rows)])
            justify: Literal["left", "right"] = "right" if header in self.numeric else "left"
            table.add_column(header, justify=justify, no_wrap=True, min_width=width)
        for index, row in enumerate(self.rows):
            table.add_row(*row, style="yellow" if index in self.flagged else None)
        console = Console(file=out, highlight=False)
        needed = Measurement.get(console, console.options.update_width(1 << 20), table).minimum
        if needed > console.width:  # rich would crop columns away: plain lines wrap instead
            out.write(self.plain() + "\n")
            return
        console.print(table)


def _emit_json(
    out: TextIO,
    wallets: Sequence[WalletBalances],
    failures: Iterable[Any],
    *,
    totals: bool = False,
) -> None:
    document: dict[str, Any] = {
        "wallets": [to_json_dict(w) for w in wallets],
        "errors": list(failures),
    }
    if totals:
        document["totals"] = [to_plain(dataclasses.asdict(t)) for t in totals_by_symbol(wallets)]
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _error_entry(request: BalanceRequest, error: BaseException) -> dict[str, Any]:
    return {
        "provider": request.provider,
        "wallet_id": request.wallet_id,
        "account_id": request.account_id,
        "error": type(error).__name__,
        "message": str(error),
    }


def balance_table(wallets: Iterable[WalletBalances], title: str = "Balances") -> Table:
    """One row per balance; a wallet without balances gets one '(empty)' row."""
    table = Table(title, BALANCE_COLUMNS)
    for wallet in wallets:
        label = _wallet_label(wallet.wallet_id, wallet.account_id)
        if not wallet.balances:
            table.rows.append([wallet.provider, label, "(empty)", "", "", "", "", "", ""])
        for b in wallet.balances:
            if b.symbol is None:
                table.flagged.add(len(table.rows))
            table.rows.append(
                [
                    b.provider,
                    label,
                    b.asset,
                    b.symbol or UNKNOWN,
                    b.network or UNKNOWN,
                    _amount(b.total),
                    _amount(b.available),
                    _amount(b.pending),
                    _amount(b.locked),
                ]
            )
    return table


def _note(t: SymbolTotal) -> str:
    notes = [] if t.known_symbol else [RAW_CODE_NOTE]
    for name, count in (("total", t.without_total), ("available", t.without_available)):
        if count:
            notes.append(f"{count} without {name}")
    if (t.total is None and t.without_total < t.balances) or (
        t.available is None and t.without_available < t.balances
    ):
        notes.append("amounts too far apart to add exactly")
    return "; ".join(notes)


def totals_table(totals: Sequence[SymbolTotal]) -> Table:
    table = Table(
        "Totals per symbol",
        ("symbol", "total", "available", "balances", "providers", "note"),
        numeric=frozenset({"total", "available", "balances"}),
    )
    for index, t in enumerate(totals):
        if not t.known_symbol:
            table.flagged.add(index)
        table.rows.append(
            [
                t.symbol,
                _amount(t.total),
                _amount(t.available),
                str(t.balances),
                ", ".join(t.providers),
                _note(t),
            ]
        )
    return table


# Settings.


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise argparse.ArgumentTypeError("expected KEY=VALUE")
    if key == "signer":
        raise argparse.ArgumentTypeError("signer cannot be set from the command line")
    return key, value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# The sweep file.


@dataclass(frozen=True)
class Sweep:
    settings: dict[str, dict[str, Any]]
    requests: list[BalanceRequest]
    concurrency: int | None


def _id_field(entry: Mapping[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise CliError(f"{where}: {key} is required")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise CliError(f"{where}: {key} must be a non-empty string")
    return value


def _resolve_paths(table: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """Relative ``*_file`` and ``config_file`` paths are relative to the sweep file."""
    resolved = dict(table)
    for key, value in table.items():
        if (key.endswith("_file")) and isinstance(value, str) and value:
            path = Path(value).expanduser()
            resolved[key] = str(path if path.is_absolute() else base / path)
    return resolved


def _provider_tables(
    providers: Any, where: str, known: Sequence[str], base: Path
) -> dict[str, dict[str, Any]]:
    """The ``[providers.NAME]`` tables of a sweep file, relative paths resolved."""
    if not isinstance(providers, dict):
        raise CliError(f"{where}: providers must be tables, [providers.NAME]")
    settings: dict[str, dict[str, Any]] = {}
    for name, table in providers.items():
        if name not in known:
            raise CliError(
                f"{where}: [providers.{name}]: unknown provider{closest(name, known)};"
                f" known: {', '.join(known)}"
            )
        if not isinstance(table, dict):
            raise CliError(f"{where}: [providers.{name}] must be a table")
        if "signer" in table:
            raise CliError(f"{where}: [providers.{name}]: signer cannot be set in a sweep file")
        settings[name] = _resolve_paths(table, base)

    return settings


def load_sweep(path: str, config_file: str | None = None) -> Sweep:
    """Read and check a sweep file; every problem is a :class:`CliError` (exit 2)."""
    import tomllib  # noqa: PLC0415

    from ._registry import provider_names  # noqa: PLC0415

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise CliError(f"cannot read sweep file {path!r}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CliError(f"sweep file {path!r} is not valid TOML: {exc}") from None

    where = f"sweep file {path!r}"
    unknown = sorted(set(data) - {"concurrency", "providers", "wallets"})
    if unknown:
        raise CliError(
            f"{where}: unknown key(s) {', '.join(unknown)}; expected concurrency,"
            " [providers.NAME] tables and [[wallets]]"
        )
    known = provider_names()
    base = Path(path).resolve().parent

    concurrency = data.get("concurrency")
    if concurrency is not None and (
        not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1
    ):
        raise CliError(f"{where}: concurrency must be a whole number of at least 1")

    settings = _provider_tables(data.get("providers", {}), where, known, base)

    wallets = data.get("wallets")
    if not isinstance(wallets, list) or not wallets:
        raise CliError(f"{where}: no wallets; add [[wallets]] entries")
    requests = []
    for index, entry in enumerate(wallets):
        at = f"{where}: wallets[{index}]"
        if not isinstance(entry, dict):
            raise CliError(f"{at} must be a table ([[wallets]])")
        extra = sorted(set(entry) - {"provider", "wallet_id", "account_id", "assets"})
        if extra:
            raise CliError(
                f"{at}: unknown key(s) {', '.join(extra)};"
                " expected provider, wallet_id, account_id, assets"
            )
        provider = entry.get("provider")
        if not isinstance(provider, str) or provider not in known:
            hint = closest(provider, known) if isinstance(provider, str) else ""
            raise CliError(f"{at}: provider must be one of {', '.join(known)}{hint}")
        assets = entry.get("assets")
        if assets is not None and not (
            isinstance(assets, list) and all(isinstance(a, str) for a in assets)
        ):
            raise CliError(f"{at}: assets must be a list of asset codes")
        requests.append(
            BalanceRequest(
                provider=provider,
                wallet_id=_id_field(entry, "wallet_id", at, required=True) or "",
                account_id=_id_field(entry, "account_id", at, required=False),
                assets=None if assets is None else tuple(assets),
            )
        )

    if config_file is not None:
        for request in requests:
            settings.setdefault(request.provider, {}).setdefault("config_file", config_file)
    return Sweep(settings=settings, requests=requests, concurrency=concurrency)


# Progress (stderr; only when both streams are terminals).


class Progress(Protocol):
    def advance(self, ok: bool) -> None: ...
    def close(self) -> None: ...


class _NoProgress:
    def advance(self, ok: bool) -> None:
        pass

    def close(self) -> None:
        pass


class _PlainProgress:
    def __init__(self, total: int, out: TextIO) -> None:
        self.total, self.done, self.failed, self.out = total, 0, 0, out
        self._draw()

    def _draw(self) -> None:
        width = 30
        filled = width * self.done // max(1, self.total)
        bar = "#" * filled + "." * (width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        self.out.write(f"\rsweep [{bar}] {self.done}/{self.total}{failed}")
        self.out.flush()

    def advance(self, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        self._draw()

    def close(self) -> None:
        self.out.write("\r\033[K")
        self.out.flush()


class _RichProgress:
    def __init__(self, total: int, out: TextIO) -> None:
        from rich.console import Console  # noqa: PLC0415
        from rich.progress import (  # noqa: PLC0415
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichProgress  # noqa: PLC0415

        self._bar = RichProgress(
            TextColumn("sweep"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=Console(file=out),
            transient=True,
        )
        self._bar.start()
        self._failed = 0
        self._task = self._bar.add_task("sweep", total=total, failed=0)

    def advance(self, ok: bool) -> None:
        self._failed += not ok
        self._bar.update(self._task, advance=1, failed=self._failed)

    def close(self) -> None:
        self._bar.stop()


def _progress(total: int, enabled: bool) -> Progress:
    if not (enabled and sys.stdout.isatty() and sys.stderr.isatty()):
        return _NoProgress()
    if _use_rich(sys.stderr):
        return _RichProgress(total, sys.stderr)
    return _PlainProgress(total, sys.stderr)


# Commands.


def cmd_get(args: argparse.Namespace) -> int:
    from ._client import connect  # noqa: PLC0415

    settings: dict[str, Any] = dict(args.settings)
    if args.config is not None:
        settings["config_file"] = args.config
    request = BalanceRequest(
        args.provider,
        args.wallet_id,
        args.account_id,
        None if args.assets is None else tuple(args.assets),
    )
    try:
        with connect(args.provider, **settings) as client:
            wallet = client.get_balances(
                request.wallet_id, account_id=request.account_id, assets=request.assets
            )
    except errors.ProviderError as exc:
        if args.json:
            _emit_json(sys.stdout, [], [_error_entry(request, exc)])
        raise
    if args.json:
        _emit_json(sys.stdout, [wallet], [])
        return 0
    balance_table(
        [wallet], title=f"{wallet.provider} {_wallet_label(wallet.wallet_id, wallet.account_id)}"
    ).print(sys.stdout)
    if wallet.missing:
        sys.stdout.write(f"\n{MISSING_NOTE}: {', '.join(wallet.missing)}\n")
    if wallet.fiat_valuation is not None:
        value = wallet.fiat_valuation
        sys.stdout.write(f"\nfiat valuation: {_amount(value.amount)} {value.currency}\n")
    return 0


async def _run_sweep(
    requests: Sequence[BalanceRequest],
    settings: Mapping[str, Mapping[str, Any]],
    concurrency: int,
    on_outcome: Callable[[BalanceOutcome], None],
) -> None:
    async for outcome in gather_balances(requests, concurrency=concurrency, settings=settings):
        on_outcome(outcome)


def example_sweep() -> str:
    """The commented example sweep file shipped with the package."""
    return (resources.files("facade") / "examples" / "sweep.example.toml").read_text("utf-8")


def cmd_sweep(args: argparse.Namespace) -> int:
    if args.example:
        sys.stdout.write(example_sweep())
        return 0
    if args.file is None:
        raise CliError("sweep needs a FILE (or --example to print one to start from)")
    sweep = load_sweep(args.file, args.config)
    concurrency = args.concurrency or sweep.concurrency or 16
    # Outcomes arrive in completion order; print them in sweep-file order.
    position = {id(request): index for index, request in enumerate(sweep.requests)}
    outcomes: list[BalanceOutcome | None] = [None] * len(sweep.requests)
    progress = _progress(len(sweep.requests), enabled=args.progress and not args.json)

    def collect(outcome: BalanceOutcome) -> None:
        outcomes[position[id(outcome.request)]] = outcome
        progress.advance(outcome.ok)

    try:
        asyncio.run(_run_sweep(sweep.requests, sweep.settings, concurrency, collect))
    finally:
        progress.close()

    done = [o for o in outcomes if o is not None]
    wallets = [o.wallet for o in done if o.wallet is not None]
    failures = [(o.request, o.error) for o in done if o.error is not None]
    if args.json:
        _emit_json(sys.stdout, wallets, [_error_entry(r, e) for r, e in failures], totals=True)
    else:
        out = sys.stdout
        if wallets:
            balance_table(wallets).print(out)
            out.write("\n")
            totals = totals_by_symbol(wallets)
            if totals:
                totals_table(totals).print(out)
                out.write("\n")
        missing = [w for w in wallets if w.missing]
        if missing:
            table = Table(
                "Missing assets", ("provider", "wallet", "assets", "note"), numeric=frozenset()
            )
            table.rows = [
                [
                    w.provider,
                    _wallet_label(w.wallet_id, w.account_id),
                    ", ".join(w.missing),
                    MISSING_NOTE,
                ]
                for w in missing
            ]
            table.print(out)
            out.write("\n")
        if failures:
            failed = Table(
                "Failures", ("provider", "wallet", "error", "message"), numeric=frozenset()
            )
            failed.rows = [
                [r.provider, _wallet_label(r.wallet_id, r.account_id), type(e).__name__, str(e)]
                for r, e in failures
            ]
            failed.print(out)
            out.write("\n")
        out.write(
            f"{len(done)} requests: {len(wallets)} succeeded, {len(failures)} failed;"
            f" {sum(len(w.balances) for w in wallets)} balances\n"
        )
    if failures:
        # A configuration or usage error is the caller's to fix, whatever else went wrong:
        # it keeps its documented exit status (2), and its message is the line shown.
        misuse = next((e for _, e in failures if isinstance(e, errors.UsageError)), None)
        summary = f"{len(failures)} of {len(done)} requests failed"
        if misuse is not None:
            raise CliError(f"{summary}; {misuse}", exit_code=2)
        raise CliError(summary, exit_code=1)
    return 0


def cmd_providers(args: argparse.Namespace) -> int:
    from ._registry import adapter_class, provider_names  # noqa: PLC0415
    from .providers._base import CAPABILITIES, Support  # noqa: PLC0415

    matrix = {
        name: {
            cap: str(adapter_class(name).capabilities.get(cap, Support.UNSUPPORTED))
            for cap in CAPABILITIES
        }
        for name in provider_names()
    }
    if args.json:
        sys.stdout.write(json.dumps({"providers": matrix}, indent=2) + "\n")
        return 0
    table = Table("Capabilities", ("provider", *CAPABILITIES), numeric=frozenset())
    table.rows = [[name, *caps.values()] for name, caps in matrix.items()]
    table.print(sys.stdout)
    sys.stdout.write(
        "\nnative: the provider's API does it; emulated: the facade does it client-side;\n"
        "unsupported: using it raises facade.errors.Unsupported\n\n"
    )
    width = max(map(len, CAPABILITIES))
    for cap, description in CAPABILITIES.items():
        sys.stdout.write(f"  {cap.ljust(width)}  {description}\n")
    return 0


def cmd_sandbox(argv: Sequence[str]) -> int:
    """Hand over to ``facade.sandbox.cli_main``: the sandbox owns its options and output."""
    missing = [name for name in SANDBOX_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise CliError(
            f"the sandbox needs the sandbox extra (missing {', '.join(missing)}): {SANDBOX_HINT}",
            exit_code=1,
        )
    try:
        cli_main = importlib.import_module("facade.sandbox").cli_main
    except (ImportError, AttributeError) as exc:  # the package loads its parts lazily
        raise CliError(f"the sandbox cannot start ({exc}): {SANDBOX_HINT}", exit_code=1) from None
    return int(cli_main(list(argv)))


# Argument parsing.


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (``wallet-balances: error: ...``), exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Wallet balances at Fireblocks, Cryptofuse, Kuna Core and BPN.",
        epilog="Exit status: 0 ok, 1 a provider request failed, 2 usage or configuration"
        " error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    get = commands.add_parser(
        "get",
        help="balances of one wallet",
        description="Balances of one wallet. Settings: --set, then WALLET_BALANCES_<PROVIDER>"
        "_<SETTING> environment variables, then the --config file.",
    )
    get.add_argument("provider", metavar="PROVIDER", help="e.g. fireblocks-vault, kuna-core")
    get.add_argument("wallet_id", metavar="WALLET_ID")
    get.add_argument("--account-id", metavar="A", help="account of the wallet (if it has any)")
    get.add_argument(
        "--asset",
        dest="assets",
        action="extend",
        nargs="+",
        metavar="CODE",
        help="just these provider asset codes (repeatable)",
    )
    get.add_argument("--config", metavar="FILE", help="TOML settings file, [provider] tables")
    get.add_argument(
        "--set",
        dest="settings",
        action="append",
        type=_key_value,
        default=[],
        metavar="KEY=VALUE",
        help="a connect() setting, e.g. base_url=... (repeatable; prefer *_file for secrets)",
    )
    get.add_argument("--json", action="store_true", help="JSON (specs/wallet-balances.yaml)")
    get.set_defaults(run=cmd_get)

    sweep = commands.add_parser(
        "sweep",
        help="many wallets across providers, from a TOML sweep file",
        description="Read every wallet of a sweep file (`sweep --example` prints one to start"
        " from); print balances, totals per symbol and failures.",
    )
    sweep.add_argument("file", metavar="FILE", nargs="?", help="the sweep file (TOML)")
    sweep.add_argument(
        "--example", action="store_true", help="print a commented example sweep file and exit"
    )
    sweep.add_argument(
        "--concurrency", type=_positive_int, metavar="N", help="requests in flight (default 16)"
    )
    sweep.add_argument("--config", metavar="FILE", help="TOML settings file, [provider] tables")
    sweep.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bar"
    )
    sweep.add_argument("--json", action="store_true", help="JSON (specs/wallet-balances.yaml)")
    sweep.set_defaults(run=cmd_sweep)

    providers = commands.add_parser(
        "providers", help="what each provider supports (no credentials needed)"
    )
    providers.add_argument("--json", action="store_true", help="as JSON")
    providers.set_defaults(run=cmd_providers)

    sandbox = commands.add_parser(
        "sandbox",
        help="run local sandbox servers of every provider (the sandbox extra)",
        add_help=False,
    )
    sandbox.set_defaults(run=lambda _: cmd_sandbox([]))  # main() normally hands it over first
    return parser


def _fail(message: str) -> None:
    line = " ".join(message.split())
    sys.stderr.write(f"{PROG}: error: {line}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``wallet-balances`` console script; returns the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if args[:1] == ["sandbox"]:  # its options belong to the sandbox
            return cmd_sandbox(args[1:])
        namespace = build_parser().parse_args(args)
        status: int = namespace.run(namespace)
        return status
    except CliError as exc:
        _fail(exc.message)
        return exc.exit_code
    except errors.UsageError as exc:
        _fail(str(exc))
        return 2
    except errors.FacadeError as exc:
        _fail(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    except BrokenPipeError:  # e.g. `wallet-balances sweep f | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: say so in one line; no traceback, no secrets
        if os.environ.get("WALLET_BALANCES_DEBUG"):
            raise
        _fail(
            f"internal error ({type(exc).__name__});"
            " set WALLET_BALANCES_DEBUG=1 to see the traceback"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
