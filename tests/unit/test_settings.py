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
from facade._registry import adapter_class

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
        ({"timeout": "soon"}, "timeout.*must be a number > 0; got 'soon'"),
        ({"timeout": -1}, "timeout.*must be a number > 0; got -1"),
        ({"timeout": 0}, "timeout.*must be a number > 0; got 0"),
        ({"connect_timeout": 0.0}, "connect_timeout.*must be a number > 0; got 0.0"),
        ({"timeout": float("nan")}, "timeout.*must be a number > 0"),
        ({"max_retries": True}, "max_retries.*must be a whole number >= 0; got True"),
        ({"max_retries": "2.5"}, "max_retries.*must be a whole number >= 0; got '2.5'"),
        ({"max_retries": 2.7}, "max_retries.*must be a whole number >= 0; got 2.7"),
        ({"max_retries": -1}, "max_retries.*must be a whole number >= 0; got -1"),
        ({"max_concurrency": 0}, "max_concurrency.*must be a whole number >= 1; got 0"),
        ({"max_concurrency": 1.5}, "max_concurrency.*must be a whole number >= 1; got 1.5"),
        ({"max_response_bytes": 0}, "max_response_bytes.*whole number >= 1; got 0"),
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
    base_url = "https://x.example" + adapter_class(provider).base_path
    with pytest.raises(errors.ConfigurationError, match=match):
        facade.connect(provider, base_url=base_url, **settings)


def test_configuration_errors_are_usage_errors(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.UsageError):
        cf()


# --- settings that fail loudly (issue 11) -------------------------------------------------


def test_whole_numbers_given_as_text_are_accepted(env: pytest.MonkeyPatch) -> None:
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_MAX_RETRIES", "2")
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_MAX_CONCURRENCY", "1")
    with facade.connect("cryptofuse", base_url="http://127.0.0.1:9", api_key="k") as client:
        assert client._config.retry.max_retries == 2
        assert client._config.max_concurrency == 1


def test_every_configuration_error_names_a_registered_provider(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_rsa = write(
        tmp_path / "key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    )
    cases: list[tuple[str, dict[str, Any]]] = [
        ("fireblocks-vault", {"api_key": "k", "private_key_file": str(not_rsa)}),
        ("fireblocks-embedded", {"api_key": "k", "private_key_file": str(not_rsa)}),
        ("cryptofuse", {"timeout": 0}),
        ("kuna-core", {"rate_limits": {"nope": "1/s"}, "api_key": "k"}),
        ("bpn", {"api_kye": "k"}),
    ]
    for provider, settings in cases:
        with pytest.raises(errors.ConfigurationError) as info:
            facade.connect(
                provider,
                base_url="https://127.0.0.1:9" + adapter_class(provider).base_path,
                **settings,
            )
        assert info.value.provider == provider
        assert info.value.provider in facade.provider_names()


def test_a_misspelt_keyword_suggests_the_setting(env: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.ConfigurationError, match=r"api_kye.*did you mean 'api_key'"):
        cf(api_kye="k")


def test_an_unknown_table_in_the_config_file_is_an_error(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = write(tmp_path / "wb.toml", '[crypto-fuse]\napi_key = "k"\n')
    with pytest.raises(
        errors.ConfigurationError,
        match=r"\[crypto-fuse\] is not a provider \(did you mean 'cryptofuse'\?\)",
    ):
        cf(config_file=str(config))
    # A table for another registered provider is fine: one file serves every provider.
    write(config, '[kuna-core]\napi_key = "k"\n[cryptofuse]\napi_key = "k"\n')
    cf(config_file=str(config))


def test_an_unknown_environment_variable_of_the_provider_is_an_error(
    env: pytest.MonkeyPatch,
) -> None:
    env.setenv("WALLET_BALANCES_CRYPTOFUSE_API_KYE", "k")
    with pytest.raises(
        errors.ConfigurationError,
        match="WALLET_BALANCES_CRYPTOFUSE_API_KYE is not a setting of cryptofuse"
        " \\(did you mean 'WALLET_BALANCES_CRYPTOFUSE_API_KEY'\\?\\)",
    ) as info:
        cf(api_key="k")
    assert info.value.provider == "cryptofuse"
    # Variables of other providers are not this client's business.
    env.delenv("WALLET_BALANCES_CRYPTOFUSE_API_KYE")
    env.setenv("WALLET_BALANCES_KUNA_CORE_NOT_A_SETTING", "x")
    cf(api_key="k")


def test_relative_secret_files_in_a_config_file_are_relative_to_that_file(
    env: pytest.MonkeyPatch,
    tmp_path: Path,
    recording_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "conf"
    (folder / "secrets").mkdir(parents=True)
    write(folder / "secrets" / "cf", "from-file\n")
    config = write(
        folder / "wb.toml",
        f'[cryptofuse]\nbase_url = "{recording_server.url}"\napi_key_file = "secrets/cf"\n',
    )
    monkeypatch.chdir(tmp_path)  # not the config file's folder
    assert sent_api_key(recording_server, config_file=str(config)) == "from-file"
