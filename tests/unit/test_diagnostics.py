"""Misconfiguration reads as misconfiguration (issue 11): a Fireblocks base_url without /v1
is refused at connect; connection errors say what went wrong and where; long client-side
rate-limit waits are logged."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from support import RecordingServer, Reply, fixture_reply
from support.clients import call

import facade
from facade import errors

WALLET = "550e8400-e29b-41d4-a716-446655440000"


@pytest.mark.parametrize("provider", ["fireblocks-vault", "fireblocks-embedded"])
@pytest.mark.parametrize("path", ["", "/", "/v2", "/api"])
def test_fireblocks_base_url_without_v1_is_refused_at_connect(
    provider: str, path: str, settings_for: Any, recording_server: RecordingServer
) -> None:
    settings = settings_for(provider, base_url=f"{recording_server.url}{path}")
    with pytest.raises(errors.ConfigurationError, match="base_url must end with /v1") as info:
        facade.connect(provider, **settings)
    assert "https://api.fireblocks.io/v1" in str(info.value)
    assert info.value.provider == provider
    assert recording_server.requests == []
    for good in ("/v1", "/v1/", "/proxy/fireblocks/v1"):
        facade.connect(provider, **{**settings, "base_url": recording_server.url + good}).close()


@pytest.mark.parametrize(("provider", "prefix"), [("kuna-core", "/v2"), ("bpn", "/v1")])
def test_a_base_url_that_would_double_the_path_prefix_is_refused(
    provider: str, prefix: str, settings_for: Any, recording_server: RecordingServer
) -> None:
    settings = settings_for(provider, base_url=f"{recording_server.url}{prefix}/")
    with pytest.raises(errors.ConfigurationError, match=f"must not end with {prefix}"):
        facade.connect(provider, **settings)
    facade.connect(provider, **{**settings, "base_url": recording_server.url + "/gw"}).close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return port


async def test_refused_connection_says_refused_with_host_and_port(
    mode: str, settings_for: Any, closed_port: int
) -> None:
    settings = settings_for("cryptofuse", base_url=f"http://127.0.0.1:{closed_port}", max_retries=0)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert f"connection refused: 127.0.0.1:{closed_port}" in str(info.value)


async def test_unresolved_host_says_so(
    mode: str, settings_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def no_such_host(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "wallets.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no resolver is asked
    settings = settings_for("cryptofuse", base_url="http://wallets.invalid:8443", max_retries=0)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert "host name not resolved: wallets.invalid:8443" in str(info.value)


async def test_https_to_a_plain_http_server_is_a_tls_failure(
    mode: str, settings_for: Any, recording_server: RecordingServer
) -> None:
    url = recording_server.url.replace("http://", "https://")
    settings = settings_for("cryptofuse", base_url=url, max_retries=0)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert "TLS handshake failed" in str(info.value)
    assert f"127.0.0.1:{recording_server.port}" in str(info.value)


async def test_connect_timeouts_say_so_with_host_and_port(
    mode: str, settings_for: Any, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    """A SYN that is never answered cannot be made on loopback: the transport raises what
    httpx raises then."""

    def no_answer(self: Any, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    async def no_answer_async(self: Any, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", no_answer)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", no_answer_async)
    settings = settings_for("cryptofuse", base_url=f"http://127.0.0.1:{closed_port}", max_retries=0)
    with pytest.raises(errors.Timeout) as info:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert f"connecting to 127.0.0.1:{closed_port} timed out after 1 s" in str(info.value)


async def test_read_timeouts_name_host_and_port(
    mode: str, settings_for: Any, recording_server: RecordingServer
) -> None:
    recording_server.default = Reply.hang(5)
    settings = settings_for("cryptofuse", timeout=0.2, max_retries=0)
    with pytest.raises(errors.Timeout) as info:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert f"no answer from 127.0.0.1:{recording_server.port} within 0.2 s" in str(info.value)


async def test_a_long_rate_limit_wait_is_logged_once_at_info(
    mode: str,
    settings_for: Any,
    recording_server: RecordingServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Six calls at once under 2/s: a burst of two, then waits of about 0.5, 1.0, 1.5 and
    2.0 s (a little less for a call that reserved late). Only waits over 1 s get a line."""
    recording_server.default = fixture_reply("cryptofuse", "getWalletBalances")
    settings = settings_for("cryptofuse", rate_limits={"getWalletBalances": "2/s"})
    caplog.set_level(logging.INFO, logger="facade")
    if mode == "sync":
        with (
            facade.connect("cryptofuse", **settings) as client,
            ThreadPoolExecutor(6) as pool,
        ):
            list(pool.map(lambda _: client.get_balances(WALLET), range(6)))
    else:
        async with facade.connect_async("cryptofuse", **settings) as aclient:
            await asyncio.gather(*(aclient.get_balances(WALLET) for _ in range(6)))
    line = re.compile(r"cryptofuse getWalletBalances: client-side rate limit, waiting (\d+\.\d+) s")
    waits = [r for r in caplog.records if "rate limit" in r.getMessage()]
    assert len(waits) == 2, [r.getMessage() for r in waits]
    for record in waits:
        assert record.levelno == logging.INFO
        assert record.name == "facade"
        match = line.fullmatch(record.getMessage())
        assert match, record.getMessage()
        assert 1.0 <= float(match.group(1)) <= 2.0
