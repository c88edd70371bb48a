"""The contract every provider adapter implements."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from .._assets import AssetTable
from .._decimal import parse_amount
from .._model import Balance, FiatValuation
from .._settings import Settings, SettingSpec
from .._transport import Call, ErrorDetails, Reply, generic_error_details
from .._validation import check_id
from ..errors import ConfigurationError, InvalidArgument, Unsupported

__all__ = [
    "CAPABILITIES",
    "Adapter",
    "BalanceQuery",
    "Mapped",
    "Support",
    "present",
    "validate_query",
]


class Support(enum.StrEnum):
    """How a provider offers a capability."""

    NATIVE = "native"  # the provider's API does it
    EMULATED = "emulated"  # the facade does it client-side over what the API offers
    UNSUPPORTED = "unsupported"  # using it raises facade.errors.Unsupported


CAPABILITIES: Mapping[str, str] = {
    "list_balances": "get_balances without naming assets returns the whole wallet",
    "asset_filter": "get_balances(assets=[...]) returns just those assets",
    "refresh": "refresh_balances asks the provider to re-read the chain",
    "fiat_valuation": "WalletBalances.fiat_valuation is filled in",
    "deposit_addresses": "deposit addresses come with balances (in Balance.raw)",
    "accounts": "wallets have accounts; account_id selects one",
}


@dataclass(frozen=True, slots=True)
class BalanceQuery:
    wallet_id: str
    account_id: str | None
    assets: tuple[str, ...] | None
    idempotency_key: str | None = None


@dataclass(slots=True)
class Mapped:
    balances: list[Balance]
    fiat_valuation: FiatValuation | None = None
    request_id: str | None = None


def present(value: Any) -> Any:
    """None for a field the provider left out (generated ``Unset``) or sent as null."""
    return None if value is None or type(value).__name__ == "Unset" else value


class Adapter(ABC):
    """Base of every provider adapter. Subclasses set the class attributes and mappers."""

    name: ClassVar[str]
    spec: ClassVar[str]  # the spec name in specs/sources.toml
    capabilities: ClassVar[Mapping[str, Support]]
    settings: ClassVar[tuple[SettingSpec, ...]] = ()
    default_rate_limits: ClassVar[Mapping[str, str]] = {}
    options: ClassVar[frozenset[str]] = frozenset()  # extra connect() keywords, e.g. signer

    def __init__(self, settings: Settings, assets: AssetTable) -> None:
        self.config = settings
        self.assets = assets
        base_url = settings.get("base_url")
        if not base_url:
            raise ConfigurationError(f"{self.name}: base_url is required", provider=self.name)
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host or url.query or url.fragment:
            raise ConfigurationError(
                f"{self.name}: base_url must be an http(s) URL without query, got {base_url!r}",
                provider=self.name,
            )
        self.base_url = str(base_url).rstrip("/")

    # What subclasses provide.

    @abstractmethod
    def auth(self) -> httpx.Auth:
        """The httpx.Auth that authenticates every request of this provider."""

    @abstractmethod
    def balance_calls(self, query: BalanceQuery) -> Sequence[Call]:
        """The (independent) requests that answer ``get_balances``."""

    @abstractmethod
    def map_balances(self, query: BalanceQuery, replies: Sequence[Reply]) -> Mapped:
        """The canonical balances from the replies, in call order."""

    def refresh_calls(self, query: BalanceQuery) -> Sequence[Call]:
        raise Unsupported(f"{self.name} has no refresh operation", provider=self.name)

    def validate(self, query: BalanceQuery) -> None:  # noqa: B027 - optional hook
        """Provider-specific id rules, on top of the core's generic checks."""

    def read_error(self, body: Any) -> ErrorDetails:
        """The provider's error code and message from an error body."""
        return generic_error_details(body)

    def check_success(self, body: Any) -> ErrorDetails:
        """For envelope APIs: an error reported inside a 2xx body (status_code set)."""
        return ErrorDetails()

    # Helpers for mappers.

    def require_secret(self, name: str) -> str:
        value = self.config.secret(name)
        if not value:
            raise ConfigurationError(
                f"{self.name}: setting {name} (or {name}_file) is required", provider=self.name
            )
        return value

    @staticmethod
    def array(value: Any, field_name: str) -> list[Any]:
        """A JSON array of the provider's answer, as received (TypeError if it is not one)."""
        if not isinstance(value, list):
            raise TypeError(f"{field_name} is not an array")
        return value

    @staticmethod
    def amount(value: Any, field_name: str) -> Decimal:
        return parse_amount(present(value), field_name)

    @staticmethod
    def optional_amount(value: Any, field_name: str) -> Decimal | None:
        value = present(value)
        return None if value is None else parse_amount(value, field_name)

    def balance(
        self,
        query: BalanceQuery,
        *,
        asset: str,
        total: Decimal | None,
        available: Decimal | None,
        pending: Decimal | None,
        locked: Decimal | None,
        raw: Mapping[str, Any],
        extras: Mapping[str, Decimal | None] | None = None,
        deposit_networks: Iterable[str] = (),
        block_height: str | None = None,
        block_hash: str | None = None,
    ) -> Balance:
        if not isinstance(asset, str) or not asset:
            raise TypeError(f"asset code {asset!r:.40} is not a non-empty string")
        info = self.assets.lookup(self.name, asset, deposit_networks)
        return Balance(
            provider=self.name,
            wallet_id=query.wallet_id,
            account_id=query.account_id,
            asset=asset,
            symbol=info.symbol,
            network=info.network,
            total=total,
            available=available,
            pending=pending,
            locked=locked,
            extras={k: v for k, v in (extras or {}).items() if v is not None},
            block_height=block_height,
            block_hash=block_hash,
            raw=dict(raw),
        )


def validate_query(adapter: Adapter, query: BalanceQuery) -> None:
    """Generic checks of every query, then the adapter's own."""
    check_id(query.wallet_id, "wallet_id")
    accounts = adapter.capabilities.get("accounts", Support.UNSUPPORTED)
    if query.account_id is not None:
        if accounts is Support.UNSUPPORTED:
            raise Unsupported(
                f"{adapter.name} wallets have no accounts; drop account_id", provider=adapter.name
            )
        check_id(query.account_id, "account_id")
    elif accounts is Support.NATIVE:
        raise InvalidArgument(f"{adapter.name} needs account_id (e.g. '0')", provider=adapter.name)
    adapter.validate(query)
