"""Totals per symbol: exact, grouped across providers, unknown symbols kept apart."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from support.tables import parse_table

import facade
from facade import Balance, WalletBalances
from facade._cli import balance_table, totals_table


def wallet(provider: str, *rows: tuple[str, str | None, str | None, str | None]) -> WalletBalances:
    """rows: (asset, symbol, total, available)."""
    balances = [
        Balance(
            provider=provider,
            wallet_id="w",
            account_id=None,
            asset=asset,
            symbol=symbol,
            network=None,
            total=None if total is None else Decimal(total),
            available=None if available is None else Decimal(available),
            pending=None,
            locked=None,
            extras={},
            block_height=None,
            block_hash=None,
            raw={},
        )
        for asset, symbol, total, available in rows
    ]
    return WalletBalances(
        provider=provider,
        wallet_id="w",
        account_id=None,
        balances=balances,
        missing=[],
        fiat_valuation=None,
        request_id=None,
        fetched_at=datetime.now(UTC),
    )


def totals(*wallets: WalletBalances) -> dict[str, dict[str, str]]:
    table = totals_table(facade.totals_by_symbol(wallets))
    return {row["symbol"]: row for row in parse_table(table.plain(), "Totals per symbol")}


def test_sums_are_exact_beyond_28_digits() -> None:
    shown = totals(
        wallet("a", ("X", "USDT", "99999999999999999999.000000000000000001", "1")),
        wallet("b", ("Y", "USDT", "0.000000000000000000000000000009", "0.1")),
    )
    assert shown["USDT"]["total"] == "99999999999999999999.000000000000000001000000000009"
    assert shown["USDT"]["available"] == "1.1"
    assert shown["USDT"]["providers"] == "a, b"


def test_unknown_symbols_are_totalled_by_raw_code_and_flagged() -> None:
    result = facade.totals_by_symbol(
        [
            wallet("a", ("ABC", "ABC", "1", "1"), ("abc", None, "2", "2")),
            wallet("b", ("abc", None, "3", "3")),
        ]
    )
    assert [(t.symbol, t.known_symbol, t.total) for t in result] == [
        ("ABC", True, Decimal(1)),
        ("abc", False, Decimal(5)),
    ]
    table = totals_table(result)
    assert table.flagged == {1}
    assert table.rows[1][-1] == "unknown symbol: raw asset code"


def test_missing_amounts_are_left_out_and_noted() -> None:
    shown = totals(wallet("a", ("BTC", "BTC", None, "1.5"), ("BTC_X", "BTC", "2", None)))
    assert (shown["BTC"]["total"], shown["BTC"]["available"]) == ("2", "1.5")
    assert shown["BTC"]["note"] == "1 without total; 1 without available"


def test_amounts_too_far_apart_are_not_rounded() -> None:
    shown = totals(wallet("a", ("Z", "Z", "1E+300", "1"), ("Z2", "Z", "1E-300", "1")))
    assert shown["Z"]["total"] == "?"
    assert shown["Z"]["available"] == "2"
    assert "too far apart" in shown["Z"]["note"]


def test_balance_table_marks_unknowns() -> None:
    table = balance_table([wallet("a", ("doge", None, None, "1")), wallet("b")])
    assert table.rows == [
        ["a", "w", "doge", "?", "?", "?", "1", "?", "?"],
        ["b", "w", "(empty)", "", "", "", "", "", ""],
    ]
    assert table.flagged == {0}


def test_totals_by_symbol_is_public_exact_and_counts_what_it_left_out() -> None:
    """Plain Decimal addition rounds BPN-sized amounts; the public helper does not."""
    big = "12345678901234567.123456789"
    (usdt,) = facade.totals_by_symbol(
        [
            wallet("bpn", ("USDT", "USDT", big, big)),
            wallet("kuna-core", ("USDT", "USDT", "0.000000000000000001", None)),
        ]
    )
    assert Decimal(big) + Decimal("1E-18") == Decimal("12345678901234567.12345678900")  # rounded
    assert usdt == facade.SymbolTotal(
        symbol="USDT",
        known_symbol=True,
        total=Decimal("12345678901234567.123456789000000001"),
        available=Decimal(big),
        balances=2,
        without_total=0,
        without_available=1,
        providers=["bpn", "kuna-core"],
    )
