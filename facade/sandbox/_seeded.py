"""The seeded dataset as a test sees it: wallets, what they hold, and the exact amounts served.

Each provider behaviour declares its own wallets (``ProviderBehaviour.products()``); the
sandbox hands them out unchanged as ``ProviderInfo.seeded_wallets``. Amounts are ``Decimal``
values equal, digit for digit, to what the provider puts on the wire, keyed by the field
names of the provider's own response, because that is the one vocabulary every provider
shares with its documentation. What the facade makes of them (``Balance.total``...) is the
adapter's mapping, deliberately not restated here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["SeededBalance", "SeededWallet"]


class _ReadOnlyAmounts(Mapping[str, Decimal]):
    """Amounts no test can change: the seeded wallets are shared by every test of a session.

    Not a ``MappingProxyType``, which cannot be copied or pickled: ``copy.deepcopy``,
    ``pickle`` and ``dataclasses.asdict`` of a ``ProviderInfo`` keep working."""

    __slots__ = ("_amounts",)

    def __init__(self, amounts: Mapping[str, Decimal]) -> None:
        for name, value in amounts.items():
            if not isinstance(value, Decimal):
                # A float here would be the inexact amount this dataset exists to rule out.
                raise TypeError(f"amount {name!r} must be a Decimal, not {type(value).__name__}")
        self._amounts = dict(amounts)

    def __getitem__(self, name: str) -> Decimal:
        return self._amounts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._amounts)

    def __len__(self) -> int:
        return len(self._amounts)

    def __repr__(self) -> str:
        return repr(self._amounts)


@dataclass(frozen=True)
class SeededBalance:
    """One asset of a seeded wallet with the exact amounts the provider serves for it."""

    asset: str
    """The provider's asset code as on the wire (``usdttrc20``, ``USDT_ERC20``, ``USDT``)."""
    # Amounts stay out of the hash: a SeededWallet was hashable before it carried them.
    amounts: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    """Every amount field of the provider's item for this asset, by its JSON name in the
    provider's response (a nested one dotted: ``rewardsInfo.pendingRewards``), e.g.
    ``{"amount": Decimal("1000.50"), "pendingAmount": Decimal("0.00")}`` for Cryptofuse.
    The stored digits are the served ones: ``format(amount, "f")`` is the text on the wire,
    trailing zeros included. Read-only."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "amounts", _ReadOnlyAmounts(self.amounts))

    def as_json(self) -> dict[str, Any]:
        """``{"asset", "amounts": {name: decimal string}}``: the served digits as text."""
        return {"asset": self.asset, "amounts": _amounts_as_json(self.amounts)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SeededBalance:
        """The balance ``as_json`` wrote; ValueError when an amount is not a decimal string."""
        asset = data.get("asset")
        if not isinstance(asset, str):
            raise ValueError(f"seeded balance without an asset code: {data!r}")
        return cls(asset, _amounts_from_json(data.get("amounts"), asset))


@dataclass(frozen=True)
class SeededWallet:
    """A wallet of the seeded dataset: how to address it and what it holds.

    ``wallet_id`` and ``account_id`` (Fireblocks embedded wallets; None elsewhere) are what
    ``client.get_balances(wallet_id, account_id=...)`` takes; ``assets`` the provider's codes
    of the assets it holds, in the order the provider lists them. The built-in providers
    also give ``balances`` (the exact amounts of each asset, in the same order) and, where
    the provider serves wallet-wide amounts, ``totals``.
    """

    wallet_id: str
    account_id: str | None
    assets: tuple[str, ...]
    balances: tuple[SeededBalance, ...] = ()
    """The exact amounts of each of ``assets``, in the same order (empty when the behaviour
    declares only the asset codes)."""
    totals: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    """Wallet-wide amounts the provider serves beside the per-asset items, by their JSON
    name: BPN's ``totalAvailable`` (the USD value of everything the wallet holds, exact and
    unrounded, as answered when no currency is asked for). Empty for the others."""
    default: bool = False
    """The wallet the provider answers for when a request names none (BPN's main wallet)."""

    def __post_init__(self) -> None:
        if self.balances and tuple(b.asset for b in self.balances) != tuple(self.assets):
            raise ValueError(
                f"wallet {self.wallet_id!r}: balances are for "
                f"{[b.asset for b in self.balances]}, assets are {list(self.assets)}"
            )
        object.__setattr__(self, "totals", _ReadOnlyAmounts(self.totals))

    @property
    def empty(self) -> bool:
        """True when the provider serves no balance at all for this wallet."""
        return not self.assets

    def balance(self, asset: str) -> SeededBalance:
        """The seeded amounts of ``asset`` (the provider's code); KeyError when not held."""
        for balance in self.balances:
            if balance.asset == asset:
                return balance
        if asset in self.assets:
            raise KeyError(f"wallet {self.wallet_id!r} was seeded without amounts for {asset!r}")
        raise KeyError(f"wallet {self.wallet_id!r} holds no {asset!r}; it holds {self.assets}")

    def as_json(self) -> dict[str, Any]:
        """The wallet as ``wallet-balances sandbox --format json`` prints it: ids, asset codes,
        ``default``, and every amount as a decimal string (``balances``, ``totals``)."""
        return {
            "wallet_id": self.wallet_id,
            "account_id": self.account_id,
            "assets": list(self.assets),
            "default": self.default,
            "balances": [balance.as_json() for balance in self.balances],
            "totals": _amounts_as_json(self.totals),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SeededWallet:
        """The wallet ``as_json`` wrote (in another process, say). Only ``wallet_id`` is
        required, so the output of an older sandbox reads too, without amounts. ValueError
        when something is of the wrong kind, an amount above all: it must be a decimal
        string, since a JSON number may already have been through a float."""
        wallet_id = data.get("wallet_id")
        account_id = data.get("account_id")
        assets = data.get("assets") or []
        balances = data.get("balances") or []
        if not isinstance(wallet_id, str) or not isinstance(account_id, str | None):
            raise ValueError(f"seeded wallet without a wallet_id (or account_id): {data!r}")
        if not isinstance(assets, list) or not all(isinstance(a, str) for a in assets):
            raise ValueError(f"wallet {wallet_id!r}: assets must be a list of codes")
        if not isinstance(balances, list) or not all(isinstance(b, Mapping) for b in balances):
            raise ValueError(f"wallet {wallet_id!r}: balances must be a list of objects")
        return cls(
            wallet_id,
            account_id,
            tuple(assets),
            balances=tuple(SeededBalance.from_json(b) for b in balances),
            totals=_amounts_from_json(data.get("totals"), wallet_id),
            default=data.get("default") is True,
        )


def _amounts_as_json(amounts: Mapping[str, Decimal]) -> dict[str, str]:
    return {name: format(value, "f") for name, value in amounts.items()}


def _amounts_from_json(data: Any, owner: str) -> dict[str, Decimal]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError(f"{owner!r}: amounts must be an object of decimal strings")
    amounts: dict[str, Decimal] = {}
    for name, text in data.items():
        try:
            if not isinstance(text, str):
                raise InvalidOperation
            amount = Decimal(text)
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError(
                f"{owner!r}: amount {name!r} must be a finite decimal string, not {text!r}"
            ) from None
        amounts[str(name)] = amount
    return amounts
