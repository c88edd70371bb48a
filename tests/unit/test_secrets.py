"""No credential ever shows: not in repr()/str() of settings, clients or errors, not in logs
at DEBUG, not even when a server echoes it back in an error message."""

from __future__ import annotations

import logging
import pickle
from typing import Any

import pytest
from support import RecordingServer, Reply, fixture_reply
from support.clients import call
from support.providers import (
    AUTH_KINDS,
    balance_answer,
    sample_query,
    secret_values,
    variant,
)

import facade
from facade import errors
from facade._auth.bpn_signature import HmacSigner
from facade._settings import COMMON_SETTINGS, Secret, SettingSpec, load_settings

WALLET = "550e8400-e29b-41d4-a716-446655440000"
BEARER = "bearer-tok-77-SECRET"


def echo(request: Any, status: int) -> Reply:
    """An error whose message repeats every header the server received, credentials too."""
    sent = "; ".join(f"{k}: {v}" for k, v in request.headers)
    text = f"rejected {sent}"
    return Reply.json({"message": text, "detail": text, "msg": text, "status": status}, status)


def leaked(text: str, secrets: list[str], *extra: str) -> list[str]:
    """Which of ``secrets`` (and ``extra``) appear in ``text``."""
    return [needle for needle in [*secrets, *extra] if needle in text]


@pytest.fixture(scope="module")
def secrets(wallet_sandbox: Any) -> list[str]:
    """Every setting any registered provider declares secret, in every credential kind the
    sandbox gives it (PEM keys line by line)."""
    found = []
    for provider in facade.provider_names():
        info = wallet_sandbox.providers[provider]
        found += secret_values(provider, info.settings)
        found += secret_values(provider, info.extra_credentials)
    assert found
    return found


# Every registered provider, with each kind of credentials it accepts.
REGISTRY = pytest.mark.parametrize("provider", facade.provider_names())
AUTH = pytest.mark.parametrize("auth", AUTH_KINDS)


@REGISTRY
@AUTH
def test_clients_and_settings_do_not_show_secrets(
    provider: str, auth: str, settings_for: Any, secrets: list[str], wallet_sandbox: Any
) -> None:
    variant(wallet_sandbox, provider, auth)
    settings = settings_for(provider, auth=auth)
    for client in (
        facade.connect(provider, **settings),
        facade.connect_async(provider, **settings),
    ):
        texts = [
            repr(client),
            str(client),
            repr(client._adapter.settings),
            str(client._adapter.settings),
            repr(client._config),
            repr(client._config.auth),
            repr(vars(client._adapter)),
        ]
        assert leaked("\n".join(texts), secrets) == []


def test_settings_repr_masks_every_secret() -> None:
    specs = (*COMMON_SETTINGS, SettingSpec("token", secret=True), SettingSpec("user"))
    settings = load_settings("p", specs, {"token": "t-SECRET-1", "user": "alice"}, environ={})
    assert "t-SECRET-1" not in repr(settings)
    assert "alice" in repr(settings)
    assert settings.secret("token") == "t-SECRET-1"
    assert repr(Secret("s-SECRET")) == str(Secret("s-SECRET")) == "Secret('**********')"
    assert f"{Secret('s-SECRET')}" == "Secret('**********')"
    with pytest.raises(TypeError):
        pickle.dumps(Secret("s-SECRET"))
    assert "SECRET" not in repr(HmacSigner("k-SECRET", "s-SECRET"))


@REGISTRY
@AUTH
async def test_errors_echoing_credentials_are_redacted(
    mode: str,
    provider: str,
    auth: str,
    recording_server: RecordingServer,
    settings_for: Any,
    secrets: list[str],
    wallet_sandbox: Any,
) -> None:
    """The server puts every credential header it received into its error message."""
    variant(wallet_sandbox, provider, auth)

    recording_server.route(
        "/o/token/",
        Reply.json({"access_token": BEARER, "token_type": "Bearer", "expires_in": 3600}),
    )
    recording_server.route("/v2/auth/login", Reply.json({"data": {"accessToken": BEARER}}))
    recording_server.default = lambda request: echo(request, 403)
    wallet_id, kwargs = sample_query(wallet_sandbox, provider)
    with pytest.raises(errors.PermissionDenied) as caught:
        await call(
            mode, provider, settings_for(provider, auth=auth), "get_balances", wallet_id, **kwargs
        )
    exc = caught.value
    # The echo did contain the credentials...
    sent = recording_server.requests[-1]
    credentials = [
        v.removeprefix("Bearer ")
        for k, v in sent.headers
        if k.lower() in ("authorization", "x-api-key", "api-key", "x-signature")
    ]
    assert credentials
    # ...and none of them survives in what the caller sees.
    shown = "\n".join(
        [
            str(exc),
            repr(exc),
            exc.message,
            exc.provider_message or "",
            exc.code or "",
            *map(str, exc.args),
        ]
    )
    assert "rejected" in shown
    assert leaked(shown, secrets, BEARER, *credentials) == []


async def test_an_amount_echoing_the_api_key_is_redacted(
    mode: str, recording_server: RecordingServer, settings_for: Any, secrets: list[str]
) -> None:
    settings = settings_for("cryptofuse")
    body = {
        "result": {
            "id": "w",
            "balances": [{"currency": "btc", "amount": settings["api_key"], "pendingAmount": "0"}],
        }
    }
    recording_server.default = Reply.json(body)
    with pytest.raises(errors.ProtocolError) as caught:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert "amount" in str(caught.value)
    assert leaked(f"{caught.value}\n{caught.value!r}", secrets) == []


@REGISTRY
@AUTH
async def test_debug_logs_show_no_secrets(
    mode: str,
    provider: str,
    auth: str,
    recording_server: RecordingServer,
    settings_for: Any,
    secrets: list[str],
    caplog: pytest.LogCaptureFixture,
    wallet_sandbox: Any,
) -> None:
    """A run with a token fetch, a retry, a success and an echoing error, all logged at DEBUG."""
    variant(wallet_sandbox, provider, auth)
    caplog.set_level(logging.DEBUG)  # every logger: facade, httpx, httpcore, asyncio
    operation = balance_answer(provider)
    recording_server.route(
        "/o/token/",
        Reply.json({"access_token": BEARER, "token_type": "Bearer", "expires_in": 3600}),
    )
    recording_server.route("/v2/auth/login", Reply.json({"data": {"accessToken": BEARER}}))
    recording_server.queue(
        Reply.json({}, 503),
        fixture_reply(*operation),
        lambda request: echo(request, 401),
        lambda request: echo(request, 401),
    )
    wallet_id, kwargs = sample_query(wallet_sandbox, provider)
    settings = settings_for(provider, auth=auth)
    await call(mode, provider, settings, "get_balances", wallet_id, **kwargs)
    with pytest.raises(errors.AuthenticationError) as caught:
        await call(mode, provider, settings, "get_balances", wallet_id, **kwargs)
    logging.getLogger("facade").debug("caught %s / %r", caught.value, caught.value)
    assert caplog.records, "nothing was logged"
    assert any(r.name == "facade" for r in caplog.records)
    assert leaked(caplog.text, secrets, BEARER) == []


async def test_a_login_rejection_echoing_the_password_is_not_shown(
    mode: str, recording_server: RecordingServer, settings_for: Any, secrets: list[str]
) -> None:
    recording_server.route("/v2/auth/login", lambda request: echo_body(request, 401))
    settings = settings_for("kuna-core", auth="login")
    with pytest.raises(errors.AuthenticationError) as caught:
        await call(mode, "kuna-core", settings, "get_balances", "w")
    assert settings["login_password"].encode() in recording_server.requests[0].body
    assert leaked(f"{caught.value}\n{caught.value!r}", secrets) == []


def echo_body(request: Any, status: int) -> Reply:
    return Reply.json({"message": f"bad login {request.body.decode()}"}, status)


@REGISTRY
@AUTH
def test_raw_exchanges_hooks_and_log_records_show_no_secrets(
    provider: str,
    auth: str,
    recording_server: RecordingServer,
    settings_for: Any,
    secrets: list[str],
    caplog: pytest.LogCaptureFixture,
    wallet_sandbox: Any,
) -> None:
    """The production paths: raw exchanges' request side, hook events, log record fields."""
    variant(wallet_sandbox, provider, auth)
    caplog.set_level(logging.DEBUG, logger="facade")
    operation = balance_answer(provider)
    recording_server.route(
        "/o/token/",
        Reply.json({"access_token": BEARER, "token_type": "Bearer", "expires_in": 3600}),
    )
    recording_server.route("/v2/auth/login", Reply.json({"data": {"accessToken": BEARER}}))
    recording_server.queue(
        lambda request: echo(request, 503),
        fixture_reply(*operation),
        lambda request: echo(request, 503),
    )
    events: list[Any] = []
    hooks = facade.Hooks(on_retry=events.append, on_give_up=events.append)
    wallet_id, kwargs = sample_query(wallet_sandbox, provider)
    settings = settings_for(provider, auth=auth)
    with facade.connect(provider, hooks=hooks, **settings) as client:
        raw = client.with_raw_response.get_balances(wallet_id, **kwargs)
        with pytest.raises(errors.ProviderUnavailable):
            client.with_options(max_retries=0).get_balances(wallet_id, **kwargs)
    assert [type(e).__name__ for e in events] == ["RetryEvent", "GiveUpEvent"]
    sent = [r for r in recording_server.requests if r.path not in ("/o/token/", "/v2/auth/login")]
    credentials = [
        v.removeprefix("Bearer ")
        for r in sent
        for k, v in r.headers
        if k.lower() in ("authorization", "x-api-key", "api-key")
    ]
    assert credentials
    shown = [
        *(f"{e.url} {list(e.request_headers.multi_items())} {e.error!r}" for e in raw.exchanges),
        *(f"{e} {e.error} {e.error!r} {vars(e.error)}" for e in events),
        *(f"{r.getMessage()} {vars(r)}" for r in caplog.records),
    ]
    assert len(raw.exchanges) >= 2
    assert leaked("\n".join(shown), secrets, BEARER, *credentials) == []
