"""The canonical model: to_json_dict validates against specs/wallet-balances.yaml, exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml
from support import RecordingServer, Reply, fixture_bytes
from support.clients import connect_all
from support.providers import balance_answer, sample_query

import facade
from facade._decimal import exact_difference, exact_sum, loads, parse_amount, to_plain
from facade.sandbox import Sandbox

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "specs" / "wallet-balances.yaml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    document = yaml.safe_load(SCHEMA_FILE.read_text())
    schema = {"$ref": "#/$defs/WalletBalances", "$defs": document["$defs"]}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def wire(
    wallet_sandbox: Sandbox,
) -> Iterator[tuple[RecordingServer, dict[str, facade.BalanceClient]]]:
    with RecordingServer() as server, connect_all(server, wallet_sandbox, max_retries=0) as clients:
        yield server, clients


@pytest.mark.parametrize("provider", facade.provider_names())
def test_json_form_validates(
    provider: str,
    wire: tuple[RecordingServer, dict[str, facade.BalanceClient]],
    validator: jsonschema.Draft202012Validator,
    wallet_sandbox: Sandbox,
) -> None:
    fixture = balance_answer(provider)
    wallet_id, kwargs = sample_query(wallet_sandbox, provider)
    server, clients = wire
    server.default = Reply.json(fixture_bytes(*fixture), headers={"X-Request-ID": "r"})
    wallet = clients[provider].get_balances(wallet_id, **kwargs)
    document = facade.to_json_dict(wallet)
    validator.validate(document)
    assert json.loads(json.dumps(document)) == document  # plain JSON, no Decimal left
    for item in document["balances"]:
        assert not _numbers(item["raw"]), item["raw"]  # numbers as decimal strings
    for item, balance in zip(document["balances"], wallet.balances, strict=True):
        for field in ("total", "available", "pending", "locked"):
            value = getattr(balance, field)
            assert item[field] == (None if value is None else format(value, "f"))
            if value is not None:
                assert Decimal(item[field]) == value


def test_exact_amounts_survive_the_json_form(
    wire: tuple[RecordingServer, dict[str, facade.BalanceClient]],
    validator: jsonschema.Draft202012Validator,
) -> None:
    server, clients = wire
    server.default = Reply.json(
        b'{"status": 200, "data": {"totalAvailable": 1E+3, "wallets": [{"currency": "BTC",'
        b' "available": 12345678901234567.123456789, "unavailable": 1e-18}]}}'
    )
    document = facade.to_json_dict(clients["bpn"].get_balances("40"))
    validator.validate(document)
    (balance,) = document["balances"]
    assert balance["available"] == "12345678901234567.123456789"
    assert balance["locked"] == "0.000000000000000001"
    assert balance["total"] == "12345678901234567.123456789000000001"
    assert document["fiat_valuation"] == {"amount": "1000", "currency": "USD"}


def _numbers(value: object) -> list[object]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_raw_items_carry_every_number_as_a_decimal_string(
    wire: tuple[RecordingServer, dict[str, facade.BalanceClient]],
    validator: jsonschema.Draft202012Validator,
) -> None:
    server, clients = wire
    server.default = Reply.json(
        b'{"status": 200, "data": {"totalAvailable": 1, "wallets": [{"currency": "BTC",'
        b' "available": 2.50, "unavailable": 9007199254740993, "balanceChange": -1E-18,'
        b' "currencyFullName": "Bitcoin", "extra": {"ok": true, "n": [1, 0.10]}}]}}'
    )
    wallet = clients["bpn"].get_balances("40")
    document = facade.to_json_dict(wallet)
    validator.validate(document)
    assert document["balances"][0]["raw"] == {
        "currency": "BTC",
        "available": "2.50",
        "unavailable": "9007199254740993",  # 2**53 + 1: a double would round it
        "balanceChange": "-0.000000000000000001",
        "currencyFullName": "Bitcoin",
        "extra": {"ok": True, "n": ["1", "0.10"]},
    }
    # The Python model keeps the item as received.
    assert wallet.balances[0].raw["unavailable"] == 9007199254740993


def test_missing_may_be_left_out(validator: jsonschema.Draft202012Validator) -> None:
    """`missing` came after the first release: code that builds a WalletBalances without it,
    and JSON documents written before it, stay valid."""
    wallet = facade.WalletBalances(
        provider="bpn",
        wallet_id="40",
        account_id=None,
        balances=[],
        fiat_valuation=None,
        request_id=None,
        fetched_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert wallet.missing == []
    document = facade.to_json_dict(wallet)
    assert document["missing"] == []
    validator.validate(document)
    del document["missing"]
    validator.validate(document)


def test_decimal_helpers() -> None:
    assert loads(b'{"a": 0.1, "b": 1}') == {"a": Decimal("0.1"), "b": 1}
    with pytest.raises(ValueError, match="not a valid JSON number"):
        loads(b'{"a": NaN}')
    with pytest.raises(ValueError, match="nested"):
        loads(b"[" * 100_000)
    assert parse_amount(" 1.50 ", "x") == Decimal("1.50")
    assert parse_amount(7, "x") == Decimal(7)
    for bad in (True, 1.5, None, "NaN", "-Infinity", "1e101", "1e-101", "abc", [1]):
        with pytest.raises(ValueError):  # noqa: PT011 - AmountError is a ValueError
            parse_amount(bad, "x")
    big, tiny = Decimal("9" * 100), Decimal("1e-100")
    assert exact_sum(big, tiny) == Decimal("9" * 100 + "." + "0" * 99 + "1")
    assert exact_difference(Decimal("0.3"), Decimal("0.1")) == Decimal("0.2")
    assert exact_sum() == 0
    assert to_plain({"a": [Decimal("1E-3"), 2]}) == {"a": ["0.001", 2]}
