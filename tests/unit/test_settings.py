"""Settings: keyword arguments > WALLET_BALANCES_<PROVIDER>_<SETTING> > TOML file; *_file
secrets; a clear ConfigurationError for everything that cannot work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from support import RecordingServer, Reply, fixture_reply
from support.clients import fireblocks_claims

import facade
from facade import errors

WALLET = "550e8400-e29b-41d4-a716-446655440000"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("WALLET_BALANCES_"):
            monkeypatch.delenv(name)
    return monkeypatch


def sent_api_key(server: RecordingServer, **settings: Any) -> str | None:
    """Fetch once with these settings; the X-API-Key the server saw."""
    server.requests.clear()
    server.default = fixture_reply("cryptofuse", "getWalletBalances")
    with facade.connect("cryptofuse", **settings) as client:
        client.get_balances(WALLET)
    return server.only_request().header("X-API-Key")


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_keyword_arguments(env: pytest.MonkeyPatch, recording_server: RecordingServer) -> None:
    assert sent_api_key(recording_server, base_url=recording_server.url, api_key="kw") == "kw"


def test_environment_variables(env: pytest.MonkeyPatch, recording_server: RecordingServer) -> None:
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_BASE_URL", recording_server.url)
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_API_KEY", "from-env")
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_MAX_RETRIES", "1")
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_BACKOFF_BASE", "0.001")
    assert sent_api_key(recording_server) == "from-env"
    recording_server.default = Reply.json({}, 503)
    with facade.connect("cryptofuse") as client, pytest.raises(errors.ProviderUnavailable):
        client.get_balances(WALLET)
    assert len(recording_server.requests) == 1 + 2  # the fetch above, then 1 + max_retries


def test_environment_names_use_underscores_for_dashes(
    env: pytest.MonkeyPatch, recording_server: RecordingServer
) -> None:
    env.setenv("WALLET_BALANCES_KUNA_CORE_BASE_URL", recording_server.url)
    env.setenv("WALLET_BALANCES_KUNA_CORE_API_KEY", "kuna-env")
    recording_server.default = fixture_reply("kuna-core", "getBalances")
    with facade.connect("kuna-core") as client:
        client.get_balances("w-1")
    assert recording_server.only_request().header("api-key") == "kuna-env"


def test_toml_file(
    env: pytest.MonkeyPatch, recording_server: RecordingServer, tmp_path: Path
) -> None:
    config = write(
        tmp_path / "wallets.toml",
        f'[cryptofuse]\nbase_url = "{recording_server.url}"\napi_key = "from-file"\n'
        'timeout = 3\nrate_limits = {getWalletBalances = "100/s"}\n'
        '[bpn]\nbase_url = "https://other.example"\n',
    )
    assert sent_api_key(recording_server, config_file=config) == "from-file"
    env.setenv("WALLET_BALANCES_CONFIG", str(config))
    assert sent_api_key(recording_server) == "from-file"


def test_precedence_kwargs_over_env_over_file(
    env: pytest.MonkeyPatch, recording_server: RecordingServer, tmp_path: Path
) -> None:
    config = write(
        tmp_path / "c.toml",
        f'[cryptofuse]\nbase_url = "{recording_server.url}"\napi_key = "file"\n',
    )
    env.setenv("WALLET_BALANCES_CONFIG", str(config))
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_API_KEY", "env")
    assert sent_api_key(recording_server, api_key="kwarg") == "kwarg"
    assert sent_api_key(recording_server) == "env"
    env.delenv("WALLET_BALANCES_CRYPTOFUSE_API_KEY")
    assert sent_api_key(recording_server) == "file"
    # A secret file at a higher level beats the value at a lower one.
    key_file = write(tmp_path / "key.txt", "from-key-file\n")
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_API_KEY_FILE", str(key_file))
    assert sent_api_key(recording_server) == "from-key-file"
    assert sent_api_key(recording_server, api_key="kwarg") == "kwarg"


def test_secret_files_are_stripped(
    env: pytest.MonkeyPatch, recording_server: RecordingServer, tmp_path: Path
) -> None:
    key_file = write(tmp_path / "key", "  spaced-key \n\n")
    assert (
        sent_api_key(recording_server, base_url=recording_server.url, api_key_file=key_file)
        == "spaced-key"
    )


@pytest.mark.parametrize("source", ["kwarg", "env", "toml"])
def test_private_key_from_a_pem_file(
    source: str,
    env: pytest.MonkeyPatch,
    recording_server: RecordingServer,
    tmp_path: Path,
    rsa_key: Any,
) -> None:
    pem = write(tmp_path / "fireblocks.pem", rsa_key.pem)
    settings: dict[str, Any] = {"base_url": f"{recording_server.url}/v1", "api_key": "fb"}
    if source == "kwarg":
        settings["private_key_file"] = pem
    elif source == "env":
        env.setenv("WALLET_BALANCES_FIREBLOCKS_VAULT_PRIVATE_KEY_FILE", str(pem))
    else:
        settings["config_file"] = write(
            tmp_path / "c.toml", f'[fireblocks-vault]\nprivate_key_file = "{pem}"\n'
        )
    recording_server.default = fixture_reply("fireblocks", "getVaultAccount")
    with facade.connect("fireblocks-vault", **settings) as client:
        client.get_balances("0")
    claims = fireblocks_claims(recording_server.only_request(), rsa_key.public_key)
    assert claims["sub"] == "fb"


def test_numbers_and_tables_from_the_environment(
    env: pytest.MonkeyPatch, recording_server: RecordingServer
) -> None:
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_ASSET_MAP", '{"btc": ["XBT", "bitcoin-x"]}')
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_TIMEOUT", "2.5")
    recording_server.default = fixture_reply("cryptofuse", "getWalletBalances")
    with facade.connect("cryptofuse", base_url=recording_server.url, api_key="k") as client:
        wallet = client.get_balances(WALLET)
    btc = next(b for b in wallet.balances if b.asset == "btc")
    assert (btc.symbol, btc.network) == ("XBT", "bitcoin-x")


# --- errors -----------------------------------------------------------------------------


def cf(**settings: Any) -> facade.BalanceClient:
    return facade.connect("cryptofuse", **{"base_url": "https://cf.example", **settings})


def test_unknown_keyword_setting(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.ConfigurationError, match=r"unknown setting\(s\).*api_kee"):
        cf(api_kee="k")


def test_unknown_provider(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.ConfigurationError, match="unknown provider 'fireblock'"):
        facade.connect("fireblock")


def test_unknown_setting_in_the_file(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", '[cryptofuse]\napi_key = "k"\ntimeuot = 3\n')
    with pytest.raises(errors.ConfigurationError, match="timeuot"):
        cf(config_file=config)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"[cryptofuse\napi_key = 1", "not valid TOML"),
        (b"cryptofuse = 5\n", "must be a table"),
        (b'[cryptofuse]\napi_key = "\xff\xfe"\n', "config file"),
        (b"\xff\xfe[cryptofuse]\n", "config file"),
    ],
)
def test_broken_config_files(
    content: bytes, match: str, env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_bytes(content)
    with pytest.raises(errors.ConfigurationError, match=match):
        cf(config_file=config, api_key="k")


def test_unreadable_config_file(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigurationError, match="cannot read config file"):
        cf(config_file=tmp_path / "missing.toml", api_key="k")
    env.setenv("WALLET_BALANCES_CONFIG", str(tmp_path))  # a directory
    with pytest.raises(errors.ConfigurationError, match="cannot read config file"):
        cf(api_key="k")


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: p / "missing.pem", "cannot read api_key_file"),
        (lambda p: p, "cannot read api_key_file"),  # a directory
        (lambda p: write(p / "empty", "  \n"), "is empty"),
        (
            lambda p: (p / "binary.der").write_bytes(b"\x30\x82\xff\xfe") and p / "binary.der",
            "api_key_file",
        ),
    ],
    ids=["missing", "directory", "empty", "not-text"],
)
def test_unreadable_secret_files(
    make: Any, match: str, env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(errors.ConfigurationError, match=match):
        cf(api_key_file=make(tmp_path))


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({"timeout": "soon"}, "timeout.*must be a number"),
        ({"timeout": -1}, "timeout.*must not be negative"),
        ({"max_retries": True}, "max_retries.*must be a number"),
        ({"max_retries": "2.5"}, "max_retries.*must be a number"),
        ({"api_key": ""}, "api_key.*must be a string"),
        ({"api_key": 12345}, "api_key.*must be a string"),
        ({"base_url": 5}, "base_url.*must be a string"),
        ({"rate_limits": "5/s"}, "rate_limits.*JSON object"),
        ({"rate_limits": {"getWalletBalances": "5 per second"}}, "not like"),
        ({"rate_limits": {"getWalletBalances": 5}}, "must be a string"),
        ({"rate_limits": {"getWalletBalances": "0/s"}}, "not like"),
        ({"asset_map": {"btc": ["BTC"]}}, r"asset_map\['btc'\]"),
        ({"asset_map": {"btc": "ab"}}, r"asset_map\['btc'\]"),
        ({"asset_map": ["btc"]}, "asset_map.*mapping"),
    ],
)
def test_malformed_values(settings: dict[str, Any], match: str, env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.ConfigurationError, match=match):
        cf(**{"api_key": "k", **settings})


def test_malformed_environment_values(env: pytest.MonkeyPatch) -> None:
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_MAX_RETRIES", "many")
    with pytest.raises(errors.ConfigurationError, match="from environment"):
        cf(api_key="k")
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_MAX_RETRIES", "1")
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_RATE_LIMITS", "{not json")
    with pytest.raises(errors.ConfigurationError, match="JSON object"):
        cf(api_key="k")


@pytest.mark.parametrize(
    "base_url",
    [
        None,
        "",
        "api.example.com",
        "ftp://api.example.com",
        "https://api.example.com/?x=1",
        "https://",
    ],
)
def test_base_url_is_required_and_http(base_url: str | None, env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.ConfigurationError, match="base_url"):
        facade.connect("cryptofuse", base_url=base_url, api_key="k")


@pytest.mark.parametrize(
    ("provider", "settings", "match"),
    [
        ("fireblocks-vault", {"private_key": "x"}, "api_key"),
        ("fireblocks-vault", {"api_key": "k"}, "private_key"),
        ("fireblocks-vault", {"api_key": "k", "private_key": "not a pem"}, "PEM"),
        ("cryptofuse", {"client_id": "id"}, "client_secret"),
        ("kuna-core", {"merchant_id": "m", "login_email": "e"}, "login_password"),
        ("bpn", {"api_key": "k"}, "api_secret"),
    ],
)
def test_missing_credentials(
    provider: str, settings: dict[str, str], match: str, env: pytest.MonkeyPatch
) -> None:
    with pytest.raises(errors.ConfigurationError, match=match):
        facade.connect(provider, base_url="https://x.example", **settings)


def test_configuration_errors_are_usage_errors(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.UsageError):
        cf()
