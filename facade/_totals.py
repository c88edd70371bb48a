"""Exact totals per symbol across wallets, providers and networks.

Plain ``Decimal`` addition rounds to 28 significant digits, which BPN-sized amounts exceed
(``12345678901234567.123456789 + 1E-18`` loses the 1E-18). These sums are exact, or None
when the amounts are too far apart to add exactly: never silently rounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from wbf_model import SymbolTotal

from ._decimal import AmountError, exact_sum
from ._model import WalletBalances

__all__ = ["SymbolTotal", "totals_by_symbol"]


def _exact(values: list[Decimal]) -> Decimal | None:
    try:
        return exact_sum(*values)
    except AmountError:
        return None


def totals_by_symbol(wallets: Iterable[WalletBalances]) -> list[SymbolTotal]:
    """One :class:`SymbolTotal` per canonical symbol (known symbols first, by name), then one
    per raw asset code whose symbol is unknown. A balance without a total (or available
    amount) is left out of that sum and counted in ``without_total`` (``without_available``).
    """
    groups: dict[tuple[bool, str], tuple[list[Decimal], list[Decimal], list[str]]] = {}
    for wallet in wallets:
        for b in wallet.balances:
            key = (b.symbol is not None, b.symbol if b.symbol is not None else b.asset)
            totals, availables, providers = groups.setdefault(key, ([], [], []))
            providers.append(b.provider)
            if b.total is not None:
                totals.append(b.total)
            if b.available is not None:
                availables.append(b.available)
    return [
        SymbolTotal(
            symbol=label,
            known_symbol=known,
            total=_exact(totals),
            available=_exact(availables),
            balances=len(providers),
            without_total=len(providers) - len(totals),
            without_available=len(providers) - len(availables),
            providers=sorted(set(providers)),
        )
        for (known, label), (totals, availables, providers) in sorted(
            groups.items(), key=lambda item: (not item[0][0], item[0][1])
        )
    ]
