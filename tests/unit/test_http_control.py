"""Control of the HTTP layer: private CAs, mTLS, proxies, trust_env, the user's own httpx
client and ``with_options``; over real TLS on loopback (test CA by trustme)."""

from __future__ import annotations

import asyncio
import logging
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

import facade
from facade import errors

pytest.importorskip("uvicorn", reason="these tests use the sandbox extra")
trustme = pytest.importorskip("trustme")

from cryptography.hazmat.primitives import serialization  # noqa: E402

from facade.sandbox import Sandbox  # noqa: E402

WALLET = "550e8400-e29b-41d4-a716-446655440000"  # a seeded Cryptofuse wallet


@dataclass
class Seen:
    """What the front server received."""

    targets: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    client_certs: list[Any] = field(default_factory=list)


class Front:
    """A real HTTP(S) server on 127.0.0.1 that answers through the in-process sandbox, so
    providers behave as usual behind real TLS (or as a forward proxy)."""

    def __init__(self, sandbox: Sandbox, context: ssl.SSLContext | None = None) -> None:
        self.seen = Seen()
        transport = sandbox.transport()
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                seen.targets.append(self.path)
                seen.headers.append({k.lower(): v for k, v in self.headers.items()})
                if isinstance(self.connection, ssl.SSLSocket):
                    seen.client_certs.append(self.connection.getpeercert())
                path = urlsplit(self.path)._replace(scheme="", netloc="").geturl()
                headers = [(k, v) for k, v in self.headers.items() if k.lower() != "host"]
                request = httpx.Request(
                    self.command,
                    f"http://cryptofuse.sandbox.test{path}",
                    headers=headers,
                    content=body,
                )
                response = transport.handle_request(request)
                content = response.read()
                self.send_response(response.status_code)
                for name, value in response.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("content-length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _forward  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def ca() -> Any:
    return trustme.CA()


@pytest.fixture(scope="module")
def files(ca: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("tls")
    client = ca.issue_cert("client@wallets.test", common_name="wallet-reader")
    paths = {
        "ca": where / "ca.pem",
        "client": where / "client.pem",
        "client_cert": where / "client-cert.pem",
        "client_key": where / "client-key.pem",
        "client_key_encrypted": where / "client-key-encrypted.pem",
    }
    ca.cert_pem.write_to_path(str(paths["ca"]))
    client.private_key_and_cert_chain_pem.write_to_path(str(paths["client"]))
    client.cert_chain_pems[0].write_to_path(str(paths["client_cert"]))
    client.private_key_pem.write_to_path(str(paths["client_key"]))
    key = serialization.load_pem_private_key(client.private_key_pem.bytes(), None)
    paths["client_key_encrypted"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"key-password-123"),
        )
    )
    return paths


def _server_context(ca: Any, *, mtls: bool) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    if mtls:
        ca.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


@pytest.fixture
def tls_front(wallet_sandbox_in_process: Sandbox, ca: Any) -> Iterator[Front]:
    front = Front(wallet_sandbox_in_process, _server_context(ca, mtls=False))
    yield front
    front.close()


@pytest.fixture
def mtls_front(wallet_sandbox_in_process: Sandbox, ca: Any) -> Iterator[Front]:
    front = Front(wallet_sandbox_in_process, _server_context(ca, mtls=True))
    yield front
    front.close()


@pytest.fixture
def proxy(wallet_sandbox_in_process: Sandbox) -> Iterator[Front]:
    front = Front(wallet_sandbox_in_process)
    yield front
    front.close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def _settings(sandbox: Sandbox, base_url: str, **more: Any) -> dict[str, Any]:
    return {
        **sandbox.providers["cryptofuse"].settings,
        "base_url": base_url,
        "max_retries": 0,
        **more,
    }


def _get(mode: str, settings: dict[str, Any]) -> facade.WalletBalances:
    if mode == "sync":
        with facade.connect("cryptofuse", **settings) as client:
            return client.get_balances(WALLET)

    async def run() -> facade.WalletBalances:
        async with facade.connect_async("cryptofuse", **settings) as client:
            return await client.get_balances(WALLET)

    return asyncio.run(run())


# --- TLS -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_private_ca_bundle(
    wallet_sandbox_in_process: Sandbox, tls_front: Front, files: dict[str, Path], mode: str
) -> None:
    url = f"https://127.0.0.1:{tls_front.port}"
    wallet = _get(mode, _settings(wallet_sandbox_in_process, url, verify=str(files["ca"])))
    assert wallet.balances
    assert len(tls_front.seen.targets) == 1


def test_the_system_bundle_rejects_the_test_ca(
    wallet_sandbox_in_process: Sandbox, tls_front: Front, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    url = f"https://127.0.0.1:{tls_front.port}"
    with pytest.raises(errors.ProviderUnavailable):
        _get("sync", _settings(wallet_sandbox_in_process, url))
    assert tls_front.seen.targets == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_verify_as_an_ssl_context(
    wallet_sandbox_in_process: Sandbox, tls_front: Front, ca: Any, mode: str
) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    url = f"https://127.0.0.1:{tls_front.port}"
    assert _get(mode, _settings(wallet_sandbox_in_process, url, verify=context)).balances


def test_an_unreadable_ca_bundle_is_a_configuration_error(
    wallet_sandbox_in_process: Sandbox, tmp_path: Path
) -> None:
    with pytest.raises(errors.ConfigurationError, match="verify"):
        facade.connect(
            "cryptofuse",
            **_settings(
                wallet_sandbox_in_process, "https://127.0.0.1:1", verify=str(tmp_path / "x")
            ),
        )


# --- mTLS ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_mtls_with_a_client_certificate(
    wallet_sandbox_in_process: Sandbox, mtls_front: Front, files: dict[str, Path], mode: str
) -> None:
    url = f"https://127.0.0.1:{mtls_front.port}"
    settings = _settings(
        wallet_sandbox_in_process, url, verify=files["ca"], cert=str(files["client"])
    )
    assert _get(mode, settings).balances
    [peer] = mtls_front.seen.client_certs
    assert ("commonName", "wallet-reader") in [pair for rdn in peer["subject"] for pair in rdn]


def test_mtls_without_a_certificate_is_refused(
    wallet_sandbox_in_process: Sandbox, mtls_front: Front, files: dict[str, Path]
) -> None:
    url = f"https://127.0.0.1:{mtls_front.port}"
    with pytest.raises(errors.ProviderUnavailable):
        _get("sync", _settings(wallet_sandbox_in_process, url, verify=str(files["ca"])))


def test_mtls_settings_from_the_environment(
    wallet_sandbox_in_process: Sandbox,
    mtls_front: Front,
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WALLET_BALANCES_CRYPTOFUSE_VERIFY", str(files["ca"]))
    monkeypatch.setenv("WALLET_BALANCES_CRYPTOFUSE_CERT", str(files["client_cert"]))
    monkeypatch.setenv("WALLET_BALANCES_CRYPTOFUSE_CERT_KEY", str(files["client_key"]))
    url = f"https://127.0.0.1:{mtls_front.port}"
    assert _get("sync", _settings(wallet_sandbox_in_process, url)).balances


def test_mtls_settings_from_toml_with_an_encrypted_key(
    wallet_sandbox_in_process: Sandbox, mtls_front: Front, files: dict[str, Path], tmp_path: Path
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(
        "[cryptofuse]\n"
        f'verify = "{files["ca"]}"\n'
        f'cert = "{files["client_cert"]}"\n'
        f'cert_key = "{files["client_key_encrypted"]}"\n'
        'cert_password = "key-password-123"\n'
    )
    url = f"https://127.0.0.1:{mtls_front.port}"
    assert _get(
        "async", _settings(wallet_sandbox_in_process, url, config_file=str(config))
    ).balances


def test_a_wrong_key_password_never_shows_the_password(
    wallet_sandbox_in_process: Sandbox, files: dict[str, Path]
) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        facade.connect(
            "cryptofuse",
            **_settings(
                wallet_sandbox_in_process,
                "https://127.0.0.1:1",
                cert=str(files["client_cert"]),
                cert_key=str(files["client_key_encrypted"]),
                cert_password="wrong-password-456",
            ),
        )
    assert "wrong-password-456" not in f"{caught.value} {vars(caught.value)}"


# --- proxies -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_requests_go_through_the_proxy(
    wallet_sandbox_in_process: Sandbox, proxy: Front, mode: str
) -> None:
    settings = _settings(
        wallet_sandbox_in_process,
        "http://custody.example.test",
        proxy=f"http://egress:proxy-pass-789@127.0.0.1:{proxy.port}",
    )
    assert _get(mode, settings).balances
    [target] = proxy.seen.targets
    assert target.startswith("http://custody.example.test/")  # absolute form: a proxy request
    assert proxy.seen.headers[0]["proxy-authorization"].startswith("Basic ")


def test_the_proxy_password_stays_secret(
    wallet_sandbox_in_process: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "proxy-pass-789"
    settings = _settings(
        wallet_sandbox_in_process,
        "http://custody.example.test",
        proxy=f"http://egress:{secret}@127.0.0.1:1",  # nothing listens there
    )
    caplog.set_level(logging.DEBUG)
    with facade.connect("cryptofuse", **settings) as client:
        shown = [repr(client)]
        with pytest.raises(errors.ProviderUnavailable) as caught:
            client.get_balances(WALLET)
    shown += [str(caught.value), repr(caught.value), str(vars(caught.value)), caplog.text]
    assert all(secret not in text for text in shown)


def test_trust_env_proxies(
    wallet_sandbox_in_process: Sandbox, proxy: Front, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
    settings = _settings(wallet_sandbox_in_process, "http://custody.example.test")
    assert _get("sync", settings).balances  # the environment's proxy, as httpx does
    assert len(proxy.seen.targets) == 1
    with pytest.raises(errors.ProviderUnavailable):  # no proxy: the name does not resolve
        _get("sync", {**settings, "trust_env": False})
    assert len(proxy.seen.targets) == 1


# --- the user's own httpx client -----------------------------------------------------------


def test_http_client_is_used_as_given_and_not_closed(wallet_sandbox_in_process: Sandbox) -> None:
    seen: list[httpx.Request] = []
    mine = httpx.Client(
        transport=wallet_sandbox_in_process.transport(),
        event_hooks={"request": [seen.append]},
        base_url="http://ignored.example.test",
        headers={"user-agent": "my-service/1.0"},
    )
    settings = {
        **wallet_sandbox_in_process.providers["cryptofuse"].settings,
        "http_client": mine,
    }
    with facade.connect("cryptofuse", **settings) as client:
        assert client.get_balances(WALLET).balances
        fast = client.with_options(timeout=1.0)
        assert fast.get_balances(WALLET).balances
    assert not mine.is_closed
    first, second = seen[:2]
    assert first.url.host == "cryptofuse.sandbox.test"  # the facade's base_url, not the client's
    assert first.headers["user-agent"] == "my-service/1.0"
    assert first.headers["x-api-key"]  # the facade's auth still applies
    assert first.extensions["timeout"]["read"] == 10.0  # and its timeouts
    assert second.extensions["timeout"]["read"] == 1.0
    with facade.connect("cryptofuse", **settings) as again:  # the client still works
        assert again.get_balances(WALLET).balances
    mine.close()


def test_http_client_params_join_the_query(wallet_sandbox_in_process: Sandbox) -> None:
    # The facade writes its query into the URL itself; a client's own params still join it,
    # and the operation's own parameter wins, as in httpx's merge.
    seen: list[httpx.Request] = []
    mine = httpx.Client(
        transport=wallet_sandbox_in_process.transport(),
        event_hooks={"request": [seen.append]},
        params={"trace": "on", "wallet_id": "not-this-one"},
    )
    settings = {
        **wallet_sandbox_in_process.providers["cryptofuse"].settings,
        "http_client": mine,
    }
    with facade.connect("cryptofuse", **settings) as client:
        assert client.get_balances(WALLET).balances
    (sent,) = seen
    assert sent.url.params["trace"] == "on"
    assert sent.url.params.get_list("wallet_id") == [WALLET]
    mine.close()


async def test_async_http_client(wallet_sandbox_in_process: Sandbox) -> None:
    mine = httpx.AsyncClient(transport=wallet_sandbox_in_process.async_transport())
    settings = {
        **wallet_sandbox_in_process.providers["cryptofuse"].settings,
        "http_client": mine,
    }
    async with facade.connect_async("cryptofuse", **settings) as client:
        assert (await client.get_balances(WALLET)).balances
    assert not mine.is_closed
    await mine.aclose()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"proxy": "http://127.0.0.1:3128"}, "proxy"),
        ({"verify": "/etc/ssl/ca.pem"}, "verify"),
        ({"cert": "/etc/ssl/client.pem"}, "cert"),
    ],
)
def test_http_client_excludes_settings_of_the_facades_own_client(
    wallet_sandbox_in_process: Sandbox, extra: dict[str, str], message: str
) -> None:
    settings = {**wallet_sandbox_in_process.providers["cryptofuse"].settings, **extra}
    with httpx.Client() as mine, pytest.raises(errors.ConfigurationError, match=message):
        facade.connect("cryptofuse", http_client=mine, **settings)


def test_http_client_of_the_wrong_kind(wallet_sandbox_in_process: Sandbox) -> None:
    settings = wallet_sandbox_in_process.providers["cryptofuse"].settings
    with pytest.raises(errors.ConfigurationError, match="AsyncClient"):
        facade.connect_async("cryptofuse", http_client=httpx.Client(), **settings)


# --- with_options --------------------------------------------------------------------------


def test_with_options_shares_the_pool(wallet_sandbox: Sandbox) -> None:
    info = wallet_sandbox.providers["cryptofuse"]
    with facade.connect("cryptofuse", **info.settings, backoff_base=0.001) as client:
        quick = client.with_options(timeout=0.2, max_retries=0)
        assert quick._transport._client is client._transport._client
        wallet_sandbox.inject("cryptofuse", "latency:1", times=1)
        with pytest.raises(errors.Timeout):
            quick.get_balances(WALLET)
        wallet_sandbox.inject("cryptofuse", "503", times=1)
        with pytest.raises(errors.ProviderUnavailable):
            quick.get_balances(WALLET)
        wallet_sandbox.inject("cryptofuse", "503", times=1)
        assert client.get_balances(WALLET).balances  # the original retries as before
        quick.close()  # leaves the shared pool open
        assert client.get_balances(WALLET).balances
    with pytest.raises(errors.UsageError, match="closed"):
        quick.get_balances(WALLET)


async def test_async_with_options(wallet_sandbox: Sandbox) -> None:
    info = wallet_sandbox.providers["bpn"]
    async with facade.connect_async("bpn", **info.settings) as client:
        quick = client.with_options(max_retries=0, connect_timeout=1)
        assert quick._transport._client is client._transport._client
        wallet_sandbox.inject("bpn", "503", times=1)
        with pytest.raises(errors.ProviderUnavailable):
            await quick.get_balances("1", assets=["USDT"])
        await quick.aclose()
        assert (await client.get_balances("1", assets=["USDT"])).balances


@pytest.mark.parametrize(
    "change", [{"timeout": 0}, {"timeout": "1"}, {"max_retries": -1}, {"max_retries": True}]
)
def test_with_options_checks_its_arguments(
    wallet_sandbox_in_process: Sandbox, change: dict[str, Any]
) -> None:
    client = wallet_sandbox_in_process.connect("bpn")
    with pytest.raises(errors.InvalidArgument):
        client.with_options(**change)
    client.close()
