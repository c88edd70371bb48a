"""wallet-balances providers / get / sweep, in-process, against the shipped sandbox."""

from __future__ import annotations

import importlib
import io
import json
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from support.cli import MISSING, CliRunner, CliSandbox
from support.tables import parse_table

import facade
from facade import _cli
from facade._registry import adapter_class

# Cryptofuse usdttrc20 1000.50 + usdterc20 500.75 + Kuna Core USDT 15230.64 (+120.00 held,
# +500 locked); available: 1000.50 + (500.75 - 100.00 pending) + 15230.64.
USDT_TOTAL = "17351.89"
USDT_AVAILABLE = "16631.89"


def toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    raise TypeError(value)


def write_sweep(
    path: Path, providers: dict[str, dict[str, Any]], wallets: list[dict[str, Any]]
) -> Path:
    lines = []
    for name, settings in providers.items():
        lines.append(f"[providers.{name}]")
        lines += [f"{k} = {toml_value(v)}" for k, v in settings.items()]
        lines.append("")
    for wallet in wallets:
        lines.append("[[wallets]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in wallet.items()]
        lines.append("")
    path.write_text("\n".join(lines))
    return path


def assert_one_error_line(err: str, *fragments: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("wallet-balances: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], err
    assert "Traceback" not in err


# providers


def test_providers_lists_every_capability_of_every_provider(cli: CliRunner) -> None:
    result = cli("providers")
    assert result.code == 0, result.err
    rows = {row["provider"]: row for row in parse_table(result.out, "Capabilities")}
    assert sorted(rows) == facade.provider_names()
    for name, row in rows.items():
        caps = adapter_class(name).capabilities
        for capability in facade.CAPABILITIES:
            expected = caps.get(capability, facade.Support.UNSUPPORTED)
            assert row[capability] == expected.value, (name, capability)
    for capability, description in facade.CAPABILITIES.items():
        assert description in result.out, capability
    assert rows["cryptofuse"]["asset_filter"] == "emulated"
    assert rows["fireblocks-embedded"]["list_balances"] == "unsupported"
    assert rows["kuna-core"]["deposit_addresses"] == "native"
    assert rows["fireblocks-vault"]["refresh_all"] == "emulated"


def test_providers_json(cli: CliRunner) -> None:
    result = cli("providers", "--json")
    assert result.code == 0
    matrix = json.loads(result.out)["providers"]
    assert matrix["bpn"] == {
        "list_balances": "native",
        "asset_filter": "native",
        "refresh": "unsupported",
        "refresh_all": "unsupported",
        "fiat_valuation": "native",
        "deposit_addresses": "unsupported",
        "accounts": "unsupported",
    }
    assert set(matrix) == set(facade.provider_names())


# get


def set_args(settings: dict[str, Any]) -> list[str]:
    return [arg for k, v in settings.items() for arg in ("--set", f"{k}={v}")]


def test_get_prints_the_wallet_table(cli: CliRunner, sb: CliSandbox) -> None:
    result = cli("get", "cryptofuse", sb.cf_main, *set_args(sb.settings("cryptofuse")))
    assert result.code == 0, result.err
    assert result.err == ""
    rows = parse_table(result.out, f"cryptofuse {sb.cf_main}")
    assert [r["asset"] for r in rows] == ["usdttrc20", "usdterc20", "btc"]
    assert rows[1] == {
        "provider": "cryptofuse",
        "wallet": sb.cf_main,
        "asset": "usdterc20",
        "symbol": "USDT",
        "network": "ethereum",
        "total": "500.75",
        "available": "400.75",
        "pending": "100.00",
        "locked": "0",
    }
    assert rows[0]["total"] == "1000.50"


def test_get_shows_an_unknown_asset_code_as_is(cli: CliRunner, sb: CliSandbox) -> None:
    result = cli("get", "kuna-core", sb.kuna_xrp, *set_args(sb.settings("kuna-core")))
    assert result.code == 0, result.err
    (row,) = parse_table(result.out, f"kuna-core {sb.kuna_xrp}")
    assert (row["asset"], row["symbol"], row["network"]) == ("XRP", "?", "?")
    assert (row["total"], row["available"]) == ("1000", "1000")


def test_get_asset_filter_and_config_file(cli: CliRunner, sb: CliSandbox, tmp_path: Path) -> None:
    settings = sb.settings("kuna-core")
    config = tmp_path / "balances.toml"
    config.write_text(
        f'[kuna-core]\nbase_url = "{settings["base_url"]}"\n'
        f'api_key = "{settings["api_key"]}"\nmax_retries = 0\n'
    )
    result = cli("get", "kuna-core", sb.kuna_main, "--asset", "USDT", "--config", str(config))
    assert result.code == 0, result.err
    (row,) = parse_table(result.out, f"kuna-core {sb.kuna_main}")
    assert row["symbol"] == "USDT"
    assert row["network"] == "?"  # deposit addresses on TRX and on ETH: no single network
    # balance 15230.64, holdBalance 120.00, lockBalance 500
    assert (row["total"], row["available"]) == ("15850.64", "15230.64")
    assert (row["pending"], row["locked"]) == ("120.00", "500")


def test_get_and_sweep_show_the_missing_assets(
    cli: CliRunner, sb: CliSandbox, tmp_path: Path
) -> None:
    args = set_args(sb.settings("cryptofuse"))
    result = cli("get", "cryptofuse", sb.cf_main, "--asset", "BTC", "--asset", "nope", *args)
    assert result.code == 0, result.err
    (row,) = parse_table(result.out, f"cryptofuse {sb.cf_main}")
    assert row["asset"] == "btc"  # the provider's spelling
    assert "not held or unknown to the provider: nope" in result.out
    path = write_sweep(
        tmp_path / "missing.toml",
        {"cryptofuse": sb.settings("cryptofuse")},
        [{"provider": "cryptofuse", "wallet_id": sb.cf_main, "assets": ["btc", "nope", "eth"]}],
    )
    swept = cli("sweep", str(path))
    assert swept.code == 0, swept.err
    (missing,) = parse_table(swept.out, "Missing assets")
    assert (missing["wallet"], missing["assets"]) == (sb.cf_main, "nope, eth")


def test_get_settings_from_the_environment(
    cli: CliRunner, sb: CliSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = sb.settings("cryptofuse")
    monkeypatch.setenv("WALLET_BALANCES_CRYPTOFUSE_BASE_URL", settings["base_url"])
    monkeypatch.setenv("WALLET_BALANCES_CRYPTOFUSE_API_KEY", settings["api_key"])
    result = cli("get", "cryptofuse", sb.cf_empty, "--json")
    assert result.code == 0, result.err
    (wallet,) = json.loads(result.out)["wallets"]
    assert wallet["balances"] == []


def test_get_json_validates(cli: CliRunner, sb: CliSandbox, balances_schema: Any) -> None:
    result = cli("get", "cryptofuse", sb.cf_main, "--json", *set_args(sb.settings("cryptofuse")))
    assert result.code == 0, result.err
    document = json.loads(result.out)
    balances_schema.validate(document)
    assert document["errors"] == []
    (wallet,) = document["wallets"]
    amounts = {b["asset"]: (b["total"], b["available"]) for b in wallet["balances"]}
    assert amounts["usdttrc20"] == ("1000.50",) * 2
    assert amounts["usdterc20"] == ("500.75", "400.75")


def test_get_not_found_is_a_provider_failure(
    cli: CliRunner, sb: CliSandbox, balances_schema: Any
) -> None:
    result = cli("get", "cryptofuse", MISSING, "--json", *set_args(sb.settings("cryptofuse")))
    assert result.code == 1
    assert_one_error_line(result.err, "Not found", "status=404")
    document = json.loads(result.out)
    balances_schema.validate(document)
    assert document == {
        "wallets": [],
        "errors": [
            {
                "provider": "cryptofuse",
                "wallet_id": MISSING,
                "account_id": None,
                "error": "NotFound",
                "message": document["errors"][0]["message"],
            }
        ],
    }


def test_get_bad_credentials_never_shows_them(cli: CliRunner, sb: CliSandbox) -> None:
    secret = "sk-wrong-4c0ffee-DO-NOT-PRINT"
    settings = {"base_url": sb.url("cryptofuse"), "api_key": secret, "max_retries": 0}
    result = cli("get", "cryptofuse", sb.cf_main, *set_args(settings))
    assert result.code == 1
    assert_one_error_line(result.err, "status=401")
    assert secret not in result.err + result.out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["get", "cryptofuse"], "required"),
        (["get", "cryptofuse", "w", "--set", "no-equals-sign"], "KEY=VALUE"),
        (["get", "cryptofuse", "w", "--set", "signer=x"], "signer"),
        (["get", "cryptofuse", "w", "--set", "colour=blue"], "unknown setting"),
        (["get", "cryptofuse", "w", "--set", "timeout=soon"], "must be a number"),
        (
            [
                "get",
                "cryptofuse",
                "w",
                "--account-id",
                "1",
                "--set",
                "base_url=http://127.0.0.1:9",
                "--set",
                "api_key=k",
            ],
            "no accounts",
        ),
        (["sweep", "x.toml", "--concurrency", "0"], "at least 1"),
        ([], "required"),
    ],
)
def test_usage_errors_exit_2(cli: CliRunner, argv: list[str], fragment: str) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert_one_error_line(result.err, fragment)


def test_help_and_version(cli: CliRunner) -> None:
    assert cli("--version").code == 0
    result = cli("sweep", "--help")
    assert result.code == 0
    assert "--concurrency" in result.out


def test_interrupt_exits_130_quietly(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli, "load_sweep", interrupted)
    result = cli("sweep", "whatever.toml")
    assert (result.code, result.out, result.err) == (130, "", "")


def test_an_internal_error_is_one_line(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("api_key=hunter2")

    monkeypatch.setattr(_cli, "load_sweep", broken)
    result = cli("sweep", "whatever.toml")
    assert result.code == 1
    assert_one_error_line(result.err, "internal error (KeyError)")
    assert "hunter2" not in result.err


# sandbox delegation


def test_sandbox_delegates_its_arguments(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    fake = types.ModuleType("facade.sandbox")
    fake.cli_main = lambda argv: seen.append(argv) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "facade.sandbox", fake)
    assert cli("sandbox", "--help", "--port", "0").code == 0
    assert seen == [["--help", "--port", "0"]]


def test_sandbox_without_its_extra(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    result = cli("sandbox")
    assert result.code == 1
    assert result.out == ""
    assert_one_error_line(
        result.err, "uvicorn", "pip install '/path/to/wallet-balance-facade[sandbox]'"
    )
    assert "Installing in an application" in result.err


def test_sandbox_that_cannot_load(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def import_module(name: str, package: str | None = None) -> Any:
        if name == "facade.sandbox":
            raise ModuleNotFoundError("No module named 'facade.sandbox'", name=name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    result = cli("sandbox")
    assert result.code == 1
    assert_one_error_line(result.err, "cannot start", "pip install")


# sweep


@pytest.fixture
def sweep_file(sb: CliSandbox, tmp_path: Path) -> Path:
    return write_sweep(
        tmp_path / "sweep.toml",
        {"cryptofuse": sb.settings("cryptofuse"), "kuna-core": sb.settings("kuna-core")},
        [
            {"provider": "cryptofuse", "wallet_id": sb.cf_main},
            {"provider": "kuna-core", "wallet_id": sb.kuna_main},
            {"provider": "cryptofuse", "wallet_id": MISSING},
            {"provider": "cryptofuse", "wallet_id": sb.cf_empty},
            {"provider": "kuna-core", "wallet_id": sb.kuna_main, "assets": ["BTC"]},
            {"provider": "kuna-core", "wallet_id": sb.kuna_xrp},
        ],
    )


def test_sweep_table_totals_and_failures(cli: CliRunner, sweep_file: Path, sb: CliSandbox) -> None:
    result = cli("sweep", str(sweep_file), "--concurrency", "2")
    assert result.code == 1
    assert_one_error_line(result.err, "1 of 6 requests failed")

    rows = parse_table(result.out, "Balances")
    assert [(r["provider"], r["wallet"], r["asset"]) for r in rows] == [
        ("cryptofuse", sb.cf_main, "usdttrc20"),
        ("cryptofuse", sb.cf_main, "usdterc20"),
        ("cryptofuse", sb.cf_main, "btc"),
        ("kuna-core", sb.kuna_main, "BTC"),
        ("kuna-core", sb.kuna_main, "USDT"),
        ("kuna-core", sb.kuna_main, "ETH"),
        ("kuna-core", sb.kuna_main, "UAH"),
        ("cryptofuse", sb.cf_empty, "(empty)"),
        ("kuna-core", sb.kuna_main, "BTC"),
        ("kuna-core", sb.kuna_xrp, "XRP"),
    ]

    totals = {r["symbol"]: r for r in parse_table(result.out, "Totals per symbol")}
    assert list(totals) == ["BTC", "ETH", "UAH", "USDT", "XRP"]
    assert totals["USDT"] == {
        "symbol": "USDT",
        "total": USDT_TOTAL,
        "available": USDT_AVAILABLE,
        "balances": "3",
        "providers": "cryptofuse, kuna-core",
        "note": "",
    }
    # Cryptofuse btc 0.05, and Kuna Core BTC (0.5 + 0.01 held) read twice.
    assert (totals["BTC"]["total"], totals["BTC"]["available"]) == ("1.07", "1.05")
    assert totals["XRP"]["note"] == "unknown symbol: raw asset code"
    assert (totals["XRP"]["total"], totals["XRP"]["available"]) == ("1000", "1000")

    (failure,) = parse_table(result.out, "Failures")
    assert (failure["provider"], failure["wallet"], failure["error"]) == (
        "cryptofuse",
        MISSING,
        "NotFound",
    )
    assert "status=404" in failure["message"]
    assert "6 requests: 5 succeeded, 1 failed; 9 balances" in result.out


def test_sweep_json_validates(
    cli: CliRunner, sweep_file: Path, balances_schema: Any, sb: CliSandbox
) -> None:
    result = cli("sweep", str(sweep_file), "--json")
    assert result.code == 1
    assert_one_error_line(result.err, "1 of 6 requests failed")
    document = json.loads(result.out)
    balances_schema.validate(document)
    assert [(w["provider"], w["wallet_id"]) for w in document["wallets"]] == [
        ("cryptofuse", sb.cf_main),
        ("kuna-core", sb.kuna_main),
        ("cryptofuse", sb.cf_empty),
        ("kuna-core", sb.kuna_main),
        ("kuna-core", sb.kuna_xrp),
    ]
    assert [b["asset"] for b in document["wallets"][3]["balances"]] == ["BTC"]
    (error,) = document["errors"]
    assert error["error"] == "NotFound"
    assert (error["provider"], error["wallet_id"], error["account_id"]) == (
        "cryptofuse",
        MISSING,
        None,
    )


def test_sweep_all_ok_exits_0(cli: CliRunner, sb: CliSandbox, tmp_path: Path) -> None:
    path = write_sweep(
        tmp_path / "ok.toml",
        {"kuna-core": sb.settings("kuna-core")},
        [{"provider": "kuna-core", "wallet_id": sb.kuna_main}],
    )
    result = cli("sweep", str(path))
    assert (result.code, result.err) == (0, "")
    assert "Failures" not in result.out


def test_sweep_misconfigured_provider_fails_only_its_wallets(
    cli: CliRunner, sb: CliSandbox, tmp_path: Path
) -> None:
    path = write_sweep(
        tmp_path / "half.toml",
        {"cryptofuse": sb.settings("cryptofuse"), "kuna-core": {"base_url": sb.url("kuna-core")}},
        [
            {"provider": "kuna-core", "wallet_id": sb.kuna_main},
            {"provider": "cryptofuse", "wallet_id": sb.cf_main},
        ],
    )
    result = cli("sweep", str(path))
    assert result.code == 2  # a configuration error, even though the rest was read
    assert len(parse_table(result.out, "Balances")) == 3
    (failure,) = parse_table(result.out, "Failures")
    assert failure["error"] == "ConfigurationError"
    assert "api_key" in failure["message"]
    assert_one_error_line(result.err, "1 of 2 requests failed", "api_key")


def test_sweep_setting_typo_exits_2_with_a_suggestion(
    cli: CliRunner, sb: CliSandbox, tmp_path: Path
) -> None:
    settings = {**sb.settings("kuna-core"), "timout": 5}
    path = write_sweep(
        tmp_path / "typo.toml",
        {"kuna-core": settings},
        [{"provider": "kuna-core", "wallet_id": sb.kuna_main}],
    )
    result = cli("sweep", str(path))
    assert result.code == 2
    assert_one_error_line(result.err, "timout", "did you mean 'timeout'")


def test_sweep_json_has_exact_totals(
    cli: CliRunner, sb: CliSandbox, tmp_path: Path, balances_schema: Any
) -> None:
    path = write_sweep(
        tmp_path / "ok.toml",
        {"kuna-core": sb.settings("kuna-core")},
        [{"provider": "kuna-core", "wallet_id": sb.kuna_main}] * 2,
    )
    result = cli("sweep", str(path), "--json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    balances_schema.validate(document)
    wallets = document["wallets"]
    assert document["totals"]
    for row in document["totals"]:
        amounts = [
            Decimal(b["total"])
            for w in wallets
            for b in w["balances"]
            if (b["symbol"] or b["asset"]) == row["symbol"] and b["total"] is not None
        ]
        assert Decimal(row["total"]) == sum(amounts, Decimal(0))
        assert row["providers"] == ["kuna-core"]


def test_sweep_relative_secret_files(
    cli: CliRunner, sb: CliSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = sb.settings("cryptofuse")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "cryptofuse.key").write_text(settings["api_key"] + "\n")
    path = write_sweep(
        tmp_path / "files.toml",
        {
            "cryptofuse": {
                "base_url": settings["base_url"],
                "api_key_file": "secrets/cryptofuse.key",
            }
        },
        [{"provider": "cryptofuse", "wallet_id": sb.cf_main, "assets": ["btc"]}],
    )
    monkeypatch.chdir(Path(__file__).parent)  # not the sweep file's directory
    result = cli("sweep", str(path))
    assert result.code == 0, result.err
    (row,) = parse_table(result.out, "Balances")
    assert (row["asset"], row["total"]) == ("btc", "0.05")


def test_sweep_with_a_config_file(cli: CliRunner, sb: CliSandbox, tmp_path: Path) -> None:
    settings = sb.settings("kuna-core")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[kuna-core]\nbase_url = "{settings["base_url"]}"\napi_key = "{settings["api_key"]}"\n'
    )
    wallets = [{"provider": "kuna-core", "wallet_id": sb.kuna_main}]
    path = write_sweep(tmp_path / "s.toml", {}, wallets)
    result = cli("sweep", str(path), "--config", str(config))
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[[wallets]\n", "not valid TOML"),
        ("", "no wallets"),
        ('colour = "blue"\n[[wallets]]\nprovider = "bpn"\nwallet_id = "1"\n', "unknown key"),
        ('[[wallets]]\nprovider = "nope"\nwallet_id = "1"\n', "wallets[0]: provider"),
        ('[[wallets]]\nprovider = "bpn"\n', "wallets[0]: wallet_id is required"),
        ('[[wallets]]\nprovider = "bpn"\nwallet_id = "1"\nassets = "BTC"\n', "assets"),
        ('[[wallets]]\nprovider = "bpn"\nwallet_id = "1"\nlabel = "x"\n', "unknown key(s) label"),
        ('[providers.nope]\n[[wallets]]\nprovider = "bpn"\nwallet_id = "1"\n', "[providers.nope]"),
        (
            '[providers.crypto-fuse]\n[[wallets]]\nprovider = "bpn"\nwallet_id = "1"\n',
            "did you mean 'cryptofuse'",
        ),
        ('[[wallets]]\nprovider = "kuna"\nwallet_id = "1"\n', "did you mean 'kuna-core'"),
        ('concurrency = 0\n[[wallets]]\nprovider = "bpn"\nwallet_id = "1"\n', "concurrency"),
    ],
)
def test_bad_sweep_files_exit_2(
    cli: CliRunner, tmp_path: Path, content: str, fragment: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    result = cli("sweep", str(path))
    assert result.code == 2
    assert result.out == ""
    assert_one_error_line(result.err, fragment)


def test_missing_sweep_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("sweep", str(tmp_path / "absent.toml"))
    assert result.code == 2
    assert_one_error_line(result.err, "cannot read sweep file", "absent.toml")


def test_integer_wallet_ids_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ids.toml"
    path.write_text('[[wallets]]\nprovider = "fireblocks-vault"\nwallet_id = 0\nassets = ["BTC"]\n')
    sweep = _cli.load_sweep(str(path))
    assert sweep.requests == [facade.BalanceRequest("fireblocks-vault", "0", None, ("BTC",))]


def test_sweep_example_prints_the_shipped_example(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("sweep", "--example")
    assert (result.code, result.err) == (0, "")
    assert result.out == _cli.example_sweep()
    (tmp_path / "sweep.toml").write_text(result.out)
    assert _cli.load_sweep(str(tmp_path / "sweep.toml")).requests
    missing = cli("sweep")
    assert missing.code == 2
    assert_one_error_line(missing.err, "--example")


def test_the_example_sweep_file_loads() -> None:
    example = Path(_cli.__file__).parent / "examples" / "sweep.example.toml"
    sweep = _cli.load_sweep(str(example))
    assert {r.provider for r in sweep.requests} == set(facade.provider_names())
    for settings in sweep.settings.values():
        for key, value in settings.items():
            if key.endswith("_file"):
                assert Path(value).is_absolute()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_progress_on_a_terminal_without_rich(
    sb: CliSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_sweep(
        tmp_path / "p.toml",
        {"kuna-core": sb.settings("kuna-core")},
        [
            {"provider": "kuna-core", "wallet_id": sb.kuna_xrp},
            {"provider": "kuna-core", "wallet_id": MISSING},
        ],
    )
    out, err = FakeTerminal(), FakeTerminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setitem(sys.modules, "rich", None)  # `import rich` fails
    assert _cli.main(["sweep", str(path)]) == 1
    progress, _, error = err.getvalue().rpartition("\r\x1b[K")
    assert "\rsweep [" in progress
    assert "2/2, 1 failed" in progress
    assert error == "wallet-balances: error: 1 of 2 requests failed\n"
    assert parse_table(out.getvalue(), "Balances")[0]["asset"] == "XRP"


@pytest.mark.parametrize(("columns", "boxed"), [("300", True), ("60", False)])
def test_rich_tables_fall_back_to_plain_rather_than_crop(
    sb: CliSandbox, monkeypatch: pytest.MonkeyPatch, columns: str, boxed: bool
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", out)
    code = _cli.main(["get", "cryptofuse", sb.cf_main, *set_args(sb.settings("cryptofuse"))])
    assert code == 0
    screen = out.getvalue()
    assert ("┏" in screen) is boxed
    for amount in ("1000.50", "500.75", "400.75", "100.00", "0.05"):
        assert amount in screen
