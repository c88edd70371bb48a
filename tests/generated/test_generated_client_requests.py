"""Every operation of every provider spec, sent by its generated client to a real HTTP server.

The expectations (method, path template, base path, parameter names and locations, defaults,
request body media type, security) are read from specs/*.yaml; only argument values live in
support.specs.REQUEST_CASES.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import typing
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from support import RecordedRequest, RecordingServer, Reply
from support.specs import (
    BASIC_CLIENT_ID,
    BASIC_CLIENT_SECRET,
    REQUEST_CASES,
    Operation,
    Param,
    api_module,
    build_client,
    call_operation,
    case_for,
    client_specs,
    load_spec,
    minimal_instance,
    model_class,
    operation,
    operations,
    request_body,
    uses_basic_auth_only,
)

import facade
from facade._registry import adapter_class

OPERATIONS = operations()

# The operations named by the issue; the inventory read from the specs must contain them.
ISSUE_OPERATIONS = {
    ("fireblocks", "getPagedVaultAccounts"),
    ("fireblocks", "getVaultAccount"),
    ("fireblocks", "getVaultAccountAsset"),
    ("fireblocks", "updateVaultAccountAssetBalance"),
    ("fireblocks", "GetEmbeddedWalletAssetBalance"),
    ("fireblocks", "RefreshEmbeddedWalletAssetBalance"),
    ("cryptofuse", "getWalletBalances"),
    ("cryptofuse", "createAccessToken"),
    ("kuna-core", "login"),
    ("kuna-core", "getBalances"),
    ("bpn", "getAssetBalance"),
}


def test_every_spec_operation_has_a_request_test() -> None:
    in_specs = {op.key for op in OPERATIONS}
    missing = sorted(in_specs - REQUEST_CASES.keys())
    stale = sorted(REQUEST_CASES.keys() - in_specs)
    assert not missing, f"operations in specs/ without a request test (REQUEST_CASES): {missing}"
    assert not stale, f"REQUEST_CASES entries for operations no spec has: {stale}"


def test_spec_inventory_contains_the_issue_operations() -> None:
    # Every registered provider reads a client spec, and every client spec has a provider.
    used = {adapter_class(name).spec for name in facade.provider_names()}
    assert {e.name for e in client_specs()} == used
    assert {op.key for op in OPERATIONS} >= ISSUE_OPERATIONS


def test_fireblocks_servers_carry_the_v1_base_path() -> None:
    # Behaviour, not upstream's list (which upstream changes): every server is a /v1 root,
    # so the base_url users configure (docs: https://api.fireblocks.io/v1) carries it, and
    # the production root is still one of them.
    servers = [s["url"] for s in load_spec("fireblocks")["servers"]]
    assert servers
    assert all(url.rstrip("/").endswith("/v1") for url in servers), servers
    assert "https://api.fireblocks.io/v1" in servers
    assert {op.base_path for op in operations("fireblocks")} == {"/v1"}


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_request_case_names_every_spec_parameter(op: Operation) -> None:
    case = case_for(op)
    spec_names = {p.name for p in op.params}
    unknown = sorted(set(case.values) - spec_names)
    assert not unknown, f"{op}: REQUEST_CASES has values for parameters the spec lacks: {unknown}"
    unset = sorted(spec_names - set(case.values))
    assert not unset, f"{op}: REQUEST_CASES has no value for spec parameters {unset}"
    assert (case.body is not None or op.body_example is not None) == (
        op.body_media_type is not None
    ), f"{op}: a body is needed exactly when the spec has a requestBody"


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_generated_signature_matches_spec_parameters(op: Operation) -> None:
    signature = inspect.signature(api_module(op).sync_detailed)
    expected = {"client"} | {p.kwarg for p in op.params}
    if op.body_media_type is not None:
        expected.add("body")
    assert set(signature.parameters) == expected
    for p in op.params:
        has_default = signature.parameters[p.kwarg].default is not inspect.Parameter.empty
        assert has_default == (not p.required), f"{op}: {p.name} required={p.required}"
    for p in op.params:
        assert p.location in {"path", "query", "header"}, f"{op}: unsupported {p.location} param"

    package = importlib.import_module(op.package)
    # Endpoint modules import the client classes for type checkers only: resolve the
    # annotation against the package, where they load on first use.
    client_type = eval(  # noqa: S307 - a generated annotation, not input
        signature.parameters["client"].annotation,
        {"AuthenticatedClient": package.AuthenticatedClient, "Client": package.Client},
    )
    if uses_basic_auth_only(op):  # HTTP Basic only: the generator demands AuthenticatedClient
        assert client_type is package.AuthenticatedClient
    else:
        assert set(typing.get_args(client_type)) == {package.AuthenticatedClient, package.Client}


def _wire_matches(schema: Mapping[str, Any], wire: str, value: Any) -> bool:
    kind = schema.get("type", "string")
    if kind == "array":  # one item (see REQUEST_CASES): its form is the item's
        (item,) = value
        return _wire_matches(schema.get("items") or {}, wire, item)
    if kind == "number":
        return float(wire) == float(value)
    if kind == "integer":
        return wire == str(int(value))
    if kind == "boolean":
        return wire == str(bool(value)).lower()
    return wire == str(value)


def _expected_target_path(op: Operation, values: Mapping[str, Any]) -> str:
    path = op.path
    for p in op.params:
        if p.location == "path":
            path = path.replace("{" + p.name + "}", quote(str(values[p.name]), safe=""))
    assert "{" not in path, f"{op}: unfilled path template {path}"
    return op.base_path + path


def _check_query(op: Operation, sent: RecordedRequest, values: Mapping[str, Any]) -> None:
    names = [name for name, _ in sent.query]
    assert len(names) == len(set(names)), f"repeated query parameters: {sent.raw_query}"
    got = dict(sent.query)
    expected: dict[str, tuple[Param, Any]] = {}
    for p in op.params:
        if p.location != "query":
            continue
        if p.name in values:
            expected[p.name] = (p, values[p.name])
        elif p.has_default:  # openapi-python-client sends schema defaults explicitly
            expected[p.name] = (p, p.schema["default"])
    assert set(got) == set(expected), f"query {sent.raw_query!r}"
    for name, (p, value) in expected.items():
        assert _wire_matches(p.schema, got[name], value), f"{name}={got[name]!r}, want {value!r}"
    if not expected:
        assert "?" not in sent.target


def _check_headers(op: Operation, sent: RecordedRequest, values: Mapping[str, Any]) -> None:
    for p in op.params:
        if p.location != "header":
            continue
        if p.name in values:
            assert sent.header(p.name) == values[p.name]
            assert p.name in sent.header_names, f"{p.name} sent as {sent.header_names}"
        else:
            assert sent.header(p.name) is None
    authorization = sent.header("Authorization")
    if uses_basic_auth_only(op):
        assert authorization is not None
        scheme, token = authorization.split(" ", 1)
        assert scheme == "Basic"
        assert base64.b64decode(token).decode() == f"{BASIC_CLIENT_ID}:{BASIC_CLIENT_SECRET}"
    else:  # the facade adds credentials; the generated Client sends none by itself
        assert authorization is None


def _check_body(op: Operation, sent: RecordedRequest, body: Mapping[str, Any] | None) -> None:
    content_length = sent.header("Content-Length")
    assert int(content_length or 0) == len(sent.body)
    if op.body_media_type is None:
        assert sent.body == b""
        assert sent.header("Content-Type") is None
        return
    assert body is not None
    assert sent.header("Content-Type") == op.body_media_type
    if op.body_media_type == "application/json":
        assert json.loads(sent.body) == body
    elif op.body_media_type == "application/x-www-form-urlencoded":
        pairs = parse_qsl(sent.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        assert dict(pairs) == body
        assert len(pairs) == len(body)
    else:
        pytest.fail(f"{op}: no check for request bodies of type {op.body_media_type}")


def _send(
    op: Operation, server: RecordingServer, values: Mapping[str, Any]
) -> tuple[RecordedRequest, Any]:
    schema = op.responses["200"]["content"]["application/json"]["schema"]
    server.default = Reply.json(minimal_instance(load_spec(op.spec), schema))
    with build_client(op, server.url + op.base_path) as client:
        response = call_operation(op, client, values, request_body(op))
    return server.only_request(), response


@pytest.mark.parametrize("variant", ["all-parameters", "required-only"])
@pytest.mark.parametrize("op", OPERATIONS, ids=str)
def test_request_on_the_wire(
    op: Operation, variant: str, recording_server: RecordingServer
) -> None:
    case = case_for(op)
    values = {
        name: value
        for name, value in case.values.items()
        if variant == "all-parameters" or op.param(name).required
    }
    sent, response = _send(op, recording_server, values)

    expected_path = _expected_target_path(op, values)
    assert sent.method == op.method
    assert sent.path == expected_path
    assert sent.path.startswith(op.base_path + "/")
    assert sent.request_line == f"{op.method} {sent.target} HTTP/1.1"
    _check_query(op, sent, values)
    _check_headers(op, sent, values)
    _check_body(op, sent, request_body(op))

    assert response.status_code == 200
    response_model = model_class(op.package, op.response_schema("200"))
    assert isinstance(response.parsed, response_model)


def test_path_parameters_are_percent_encoded(recording_server: RecordingServer) -> None:
    op = operation("fireblocks", "getVaultAccountAsset")
    sent, _ = _send(op, recording_server, {"vaultAccountId": "42", "assetId": "BTC/TEST #1"})
    assert sent.target == "/v1/vault/accounts/42/BTC%2FTEST%20%231"


def test_fireblocks_paged_defaults_are_sent(recording_server: RecordingServer) -> None:
    """What the spec's defaults mean on the wire: the generated client always sends them."""
    op = operation("fireblocks", "getPagedVaultAccounts")
    sent, _ = _send(op, recording_server, {})
    assert sent.target == "/v1/vault/accounts_paged?orderBy=DESC&limit=200.0"


def test_cryptofuse_token_request_is_form_encoded(recording_server: RecordingServer) -> None:
    op = operation("cryptofuse", "createAccessToken")
    sent, response = _send(op, recording_server, {})
    assert sent.request_line == "POST /o/token/ HTTP/1.1"
    assert sent.body == b"grant_type=client_credentials&scope=read+write"
    assert sent.header("Content-Type") == "application/x-www-form-urlencoded"
    assert response.status_code == 200


def test_kuna_login_sends_merchant_id_and_json(recording_server: RecordingServer) -> None:
    op = operation("kuna-core", "login")
    sent, _ = _send(op, recording_server, {"merchant_id": "merchant-7f3a"})
    assert sent.request_line == "POST /v2/auth/login HTTP/1.1"
    assert ("merchant_id", "merchant-7f3a") in sent.headers
    assert sent.header("Content-Type") == "application/json"
    assert json.loads(sent.body) == {"login": "merchant@example.com", "password": "p@ss word&=1"}
