"""Error translation, and hostile answers: whatever comes back, the caller gets a result or
a facade.errors class, never KeyError, JSONDecodeError, ValueError or an httpx exception."""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from support import RecordingServer, Reply
from support.clients import call, connect_all
from support.providers import entry

import facade
from facade import errors
from facade.sandbox import Sandbox

WALLET = "550e8400-e29b-41d4-a716-446655440000"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, errors.InvalidRequest),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (405, errors.InvalidRequest),
        (408, errors.Timeout),
        (409, errors.InvalidRequest),
        (422, errors.InvalidRequest),
        (429, errors.RateLimited),
        (500, errors.ProviderUnavailable),
        (502, errors.ProviderUnavailable),
        (503, errors.ProviderUnavailable),
        (418, errors.ProtocolError),
        (302, errors.ProtocolError),
        (304, errors.ProtocolError),
        (204, errors.ProtocolError),
    ],
)
async def test_status_translation_carries_code_message_and_request_id(
    mode: str,
    status: int,
    error: type[errors.ProviderError],
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    body = {"message": "it went wrong", "code": 1234}
    headers = {"X-Request-ID": f"req-{status}"}
    recording_server.default = Reply.json(b"" if status in (204, 304) else body, status, headers)
    with pytest.raises(error) as caught:
        await call(
            mode, "kuna-core", settings_for("kuna-core", max_retries=0), "get_balances", "w-1"
        )
    exc = caught.value
    assert type(exc) is error
    assert exc.request_id == f"req-{status}"
    assert exc.status_code == status
    assert exc.provider == "kuna-core"
    assert exc.operation == "getBalances"
    if status not in (204, 304):
        assert exc.code == "1234"
        assert exc.provider_message == "it went wrong"
        assert "it went wrong" in str(exc)
    assert f"request_id=req-{status}" in str(exc)


async def test_redirects_are_not_followed(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    elsewhere = f"http://127.0.0.1:{recording_server.port}/elsewhere"
    recording_server.default = Reply.json({}, 302, {"Location": elsewhere})
    with pytest.raises(errors.ProtocolError, match="302"):
        await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert [r.path for r in recording_server.requests] == ["/wallets/balances"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"detail": "Not found."}, (None, "Not found.")),
        ({"error": "Wallet missing"}, (None, "Wallet missing")),
        ({"error": {"type": "NO_WALLET", "message": "nope"}}, ("NO_WALLET", "nope")),
        ({"message": "m", "code": "E1"}, ("E1", "m")),
        ({"msg": "bpn style", "code": 7}, ("7", "bpn style")),
        ([{"detail": "a list"}], (None, None)),
        ("a string", (None, None)),
        ({"detail": {"nested": "object"}}, (None, None)),
    ],
)
async def test_error_body_shapes(
    body: Any,
    expected: tuple[str | None, str | None],
    recording_server: RecordingServer,
    settings_for: Any,
) -> None:
    recording_server.default = Reply.json(body, 404)
    with pytest.raises(errors.NotFound) as caught:
        await call("async", "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert (caught.value.code, caught.value.provider_message) == expected


async def test_long_provider_messages_are_cut(
    recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.json({"detail": "x" * 100_000}, 400)
    with pytest.raises(errors.InvalidRequest) as caught:
        await call("sync", "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert len(str(caught.value)) < 1000


# --- hostile answers --------------------------------------------------------------------

# Bodies that are wrong for every provider, as (status, content type, bytes).
GENERIC_HOSTILE: dict[str, tuple[int, str, bytes]] = {
    "html-200": (200, "text/html", b"<html><body>Service maintenance</body></html>"),
    "html-500": (500, "text/html", b"<html><body>Internal Server Error</body></html>"),
    "html-404": (404, "text/html", b"<!doctype html><h1>404</h1>"),
    "empty-200": (200, "application/json", b""),
    "empty-400": (400, "application/json", b""),
    "truncated": (200, "application/json", b'{"result": {"balances": [{"curr'),
    "truncated-error": (404, "application/json", b'{"message": "no'),
    "list": (200, "application/json", b"[]"),
    "list-of-pairs": (200, "application/json", b'["ab", "cd"]'),
    "string": (200, "application/json", b'"balances"'),
    "number": (200, "application/json", b"42"),
    "null": (200, "application/json", b"null"),
    "bool": (200, "application/json", b"true"),
    "empty-object": (200, "application/json", b"{}"),
    "nan-literal": (200, "application/json", b'{"total": NaN, "amount": NaN, "available": NaN}'),
    "infinity-literal": (200, "application/json", b'{"x": Infinity}'),
    "not-utf8": (200, "application/json", b'{"x": "\xff\xfe"}'),
    "huge-int": (200, "application/json", b'{"x": ' + b"9" * 5000 + b"}"),
    "deep-nesting": (200, "application/json", b"[" * 100_000 + b"]" * 100_000),
}

# A syntactically valid body per provider with one amount replaced by `{bad}`.
TEMPLATES: dict[str, tuple[str, dict[str, Any], str]] = {
    "fireblocks-vault": (
        "0",
        {"assets": ["BTC"]},
        '{"id": "BTC", "total": {bad}, "available": "1", "pending": "0", "frozen": "0",'
        ' "lockedAmount": "0"}',
    ),
    "fireblocks-embedded": (
        "w-1",
        {"account_id": "0", "assets": ["BTC"]},
        '{"id": "x", "total": "1", "available": {bad}, "pending": "0", "frozen": "0",'
        ' "lockedAmount": "0"}',
    ),
    "cryptofuse": (
        WALLET,
        {},
        '{"result": {"id": "w", "balances": [{"currency": "btc", "amount": {bad},'
        ' "pendingAmount": "0"}]}}',
    ),
    "kuna-core": (
        "w-1",
        {},
        '{"data": [{"asset": "BTC", "balance": {bad}, "holdBalance": "0", "lockBalance": "0"}]}',
    ),
    "bpn": (
        "40",
        {},
        '{"status": 200, "traceId": "t", "data": {"wallets": [{"currency": "USDT",'
        ' "available": {bad}, "unavailable": 1}]}}',
    ),
}
BAD_AMOUNTS = {
    "non-numeric": '"12,5 BTC"',
    "empty-string": '""',
    "nan-string": '"NaN"',
    "snan-string": '"sNaN"',
    "infinity-string": '"Infinity"',
    "minus-infinity-string": '"-Infinity"',
    "null": "null",
    "bool": "true",
    "object": '{"value": "1"}',
    "list": '["1"]',
    "huge-exponent": '"1e999999999"',
    "huge-exponent-number": "1e999999999",
    "tiny-exponent": '"1e-999999999"',
}

# Per provider, bodies whose structure is wrong (missing fields, wrong types) where the
# facade reads. A field it does not map (rewardsInfo: 5, rewardInfo: [], depositAddress: 3,
# totalAvailable: "lots") never fails a read:
# tests/conformance/test_tolerance.py.
STRUCTURE: dict[str, dict[str, str]] = {
    "fireblocks-vault": {
        "missing-total": '{"id": "BTC", "available": "1"}',
        "missing-available": '{"id": "BTC", "total": "1"}',
    },
    "fireblocks-embedded": {
        "missing-required": '{"id": "x", "total": "1"}',
    },
    "cryptofuse": {
        "no-result": '{"balances": []}',
        "result-list": '{"result": []}',
        "balances-string": '{"result": {"id": "w", "balances": "none"}}',
        "missing-amount": '{"result": {"id": "w", "balances": [{"currency": "btc",'
        ' "pendingAmount": "0"}]}}',
        "item-not-object": '{"result": {"id": "w", "balances": [1]}}',
        "currency-number": '{"result": {"id": "w", "balances": [{"currency": 5, "amount": "1",'
        ' "pendingAmount": "0"}]}}',
    },
    "kuna-core": {
        "data-object": '{"data": {"asset": "BTC"}}',
        "missing-balance": '{"data": [{"asset": "BTC"}]}',
        "missing-asset": '{"data": [{"balance": "1"}]}',
        "item-null": '{"data": [null]}',
    },
    "bpn": {
        "data-null": '{"status": 200, "data": null}',
        "wallets-missing": '{"status": 200, "data": {}}',
        "wallets-object": '{"status": 200, "data": {"wallets": {}}}',
        "missing-available": '{"status": 200, "data": {"wallets": [{"currency": "USDT"}]}}',
        "status-string": '{"status": "boom", "data": {"wallets": [{"currency": 5}]}}',
    },
}


def hostile_cases() -> list[Any]:
    cases = []
    for provider in facade.provider_names():
        entry(TEMPLATES, provider, "test_errors.TEMPLATES")
        entry(STRUCTURE, provider, "test_errors.STRUCTURE")
        for name, (status, content_type, body) in GENERIC_HOSTILE.items():
            cases.append(
                pytest.param(provider, status, content_type, body, id=f"{provider}-{name}")
            )
        template = TEMPLATES[provider][2]
        for name, amount in BAD_AMOUNTS.items():
            body = template.replace("{bad}", amount).encode()
            cases.append(
                pytest.param(provider, 200, "application/json", body, id=f"{provider}-{name}")
            )
        for name, text in STRUCTURE[provider].items():
            cases.append(
                pytest.param(
                    provider, 200, "application/json", text.encode(), id=f"{provider}-{name}"
                )
            )
    return cases


@pytest.fixture(scope="module")
def shared(
    wallet_sandbox: Sandbox,
) -> Iterator[tuple[RecordingServer, dict[str, facade.BalanceClient]]]:
    """One server and one sync client per provider for the whole hostile matrix: building a
    client costs tens of milliseconds (TLS context, RSA key checks), and the matrix has a
    couple of hundred cases. The server's reply is reset for each."""
    with RecordingServer() as server, connect_all(server, wallet_sandbox, max_retries=0) as clients:
        yield server, clients


@pytest.mark.parametrize(("provider", "status", "content_type", "body"), hostile_cases())
def test_hostile_answers_raise_facade_errors(
    provider: str,
    status: int,
    content_type: str,
    body: bytes,
    shared: tuple[RecordingServer, dict[str, facade.BalanceClient]],
) -> None:
    server, clients = shared
    server.reset()
    wallet_id, kwargs, _ = TEMPLATES[provider]
    server.default = Reply(
        status=status, body=body, headers={"Content-Type": content_type, "X-Request-ID": "h-1"}
    )
    with pytest.raises(errors.ProviderError) as caught:
        clients[provider].get_balances(wallet_id, **kwargs)
    assert caught.value.provider == provider
    assert caught.value.status_code in (None, status)
    assert caught.value.request_id in ("h-1", "t")
    assert len(server.requests) == 1


@pytest.mark.parametrize("provider", facade.provider_names())
async def test_hostile_answers_async(
    provider: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    """The same translation in the async client, over a sample of the hostile bodies."""
    wallet_id, kwargs, template = entry(TEMPLATES, provider, "test_errors.TEMPLATES")
    bodies = [
        GENERIC_HOSTILE["html-200"][2],
        GENERIC_HOSTILE["truncated"][2],
        GENERIC_HOSTILE["list"][2],
        GENERIC_HOSTILE["string"][2],
        GENERIC_HOSTILE["nan-literal"][2],
        GENERIC_HOSTILE["deep-nesting"][2],
        template.replace("{bad}", '"NaN"').encode(),
        template.replace("{bad}", '"x"').encode(),
        template.replace("{bad}", "1e999999999").encode(),
    ]
    async with facade.connect_async(provider, **settings_for(provider, max_retries=0)) as client:
        for body in bodies:
            recording_server.default = Reply.json(body)
            with pytest.raises(errors.ProviderError):
                await client.get_balances(wallet_id, **kwargs)


@pytest.mark.parametrize("trickle", [0.0, 0.001])
async def test_bodies_beyond_max_response_bytes(
    mode: str, trickle: float, recording_server: RecordingServer, settings_for: Any
) -> None:
    filler = b'{"result": {"id": "w", "balances": [], "pad": "' + b"x" * 20_000 + b'"}}'
    recording_server.default = Reply.json(filler, trickle=trickle, chunk_size=4096)
    settings = settings_for("cryptofuse", max_response_bytes=10_000)
    with pytest.raises(errors.ProtocolError, match="larger than 10000 bytes"):
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert len(recording_server.requests) == 1  # not retried


async def test_error_bodies_beyond_max_response_bytes(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply.text("<html>" + "x" * 50_000, 500, "text/html")
    settings = settings_for("cryptofuse", max_response_bytes=10_000)
    with pytest.raises(errors.ProtocolError):
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)


async def test_undecodable_content_encoding_is_a_protocol_error(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    recording_server.default = Reply(
        body=b"\x1f\x8b not gzip at all",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    with pytest.raises(errors.ProtocolError, match="decoded"):
        await call(mode, "cryptofuse", settings_for("cryptofuse"), "get_balances", WALLET)
    assert len(recording_server.requests) == 1  # not retried: it would not get better


async def test_compressed_bodies_count_decompressed_against_the_limit(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    bomb = gzip.compress(b'{"result": {"id": "w", "pad": "' + b"0" * 5_000_000 + b'"}}')
    assert len(bomb) < 10_000
    recording_server.default = Reply(
        body=bomb, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    settings = settings_for("cryptofuse", max_response_bytes=100_000)
    with pytest.raises(errors.ProtocolError, match="larger than 100000 bytes"):
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)


async def test_lying_content_length_is_a_facade_error(
    mode: str, recording_server: RecordingServer, settings_for: Any
) -> None:
    """The server promises 1000 bytes, sends 10 and closes."""
    recording_server.default = Reply(
        body=b'{"result":', headers={"Content-Length": "1000", "Connection": "close"}
    )
    with pytest.raises(errors.ProviderError):
        await call(
            mode, "cryptofuse", settings_for("cryptofuse", max_retries=0), "get_balances", WALLET
        )


async def test_garbage_instead_of_http(mode: str, settings_for: Any) -> None:
    """A server that answers with something that is not HTTP at all."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02garbage\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        settings = settings_for("cryptofuse", base_url=f"http://127.0.0.1:{port}", max_retries=0)
        with pytest.raises(errors.ProviderError):
            await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    finally:
        listener.close()
        thread.join(timeout=2)


async def test_connection_refused_is_provider_unavailable(mode: str, settings_for: Any) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = settings_for("cryptofuse", base_url=f"http://127.0.0.1:{port}", max_retries=1)
    with pytest.raises(errors.ProviderUnavailable) as caught:
        await call(mode, "cryptofuse", settings, "get_balances", WALLET)
    assert caught.value.__class__.__module__ == "facade.errors"


def test_error_hierarchy() -> None:
    for cls in (
        errors.AuthenticationError,
        errors.PermissionDenied,
        errors.NotFound,
        errors.InvalidRequest,
        errors.RateLimited,
        errors.ProviderUnavailable,
        errors.Timeout,
        errors.ProtocolError,
    ):
        assert issubclass(cls, errors.ProviderError)
        assert not issubclass(cls, errors.UsageError)
    for cls in (errors.InvalidArgument, errors.ConfigurationError, errors.Unsupported):
        assert issubclass(cls, errors.UsageError)
        assert not issubclass(cls, errors.ProviderError)
    assert issubclass(errors.InvalidArgument, ValueError)
    assert issubclass(errors.UsageError, errors.FacadeError)
    assert issubclass(errors.ProviderError, errors.FacadeError)
    assert sorted(errors.__all__) == errors.__all__
    assert {getattr(errors, name).__name__ for name in errors.__all__} == set(errors.__all__)
