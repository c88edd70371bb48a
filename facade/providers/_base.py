"""The contract every provider adapter implements."""

from __future__ import annotations

import enum
import uuid
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

import httpx

from .._assets import AssetCode, AssetTable
from .._decimal import AmountError, parse_amount
from .._model import Balance, FiatValuation
from .._settings import Settings, SettingSpec
from .._transport import Call, ErrorDetails, Reply, generic_error_details
from .._validation import check_assets, check_id
from ..errors import ConfigurationError, InvalidArgument, ProviderError, Unsupported

__all__ = [
    "CAPABILITIES",
    "Adapter",
    "BalanceQuery",
    "Mapped",
    "Support",
    "build_query",
    "same_code",
]

M = TypeVar("M")
T = TypeVar("T")


class _UnsetLike(Protocol):
    """What the generated clients' ``Unset`` looks like to the type checker."""

    def __bool__(self) -> Literal[False]: ...


class Support(enum.StrEnum):
    """How a provider offers a capability."""

    NATIVE = "native"  # the provider's API does it
    EMULATED = "emulated"  # the facade does it client-side over what the API offers
    UNSUPPORTED = "unsupported"  # using it raises facade.errors.Unsupported


CAPABILITIES: Mapping[str, str] = {
    "list_balances": "get_balances without naming assets returns the whole wallet",
    "asset_filter": "get_balances(assets=[...]) returns just those assets",
    "refresh": "refresh_balances asks the provider to re-read the chain",
    "refresh_all": "refresh_balances without naming assets refreshes every asset held",
    "fiat_valuation": "WalletBalances.fiat_valuation is filled in",
    "deposit_addresses": "deposit addresses come with balances (in Balance.raw)",
    "accounts": "wallets have accounts; account_id selects one",
}


def same_code(code: str) -> str:
    """The one rule by which asset codes are compared, for every provider: ASCII case is
    ignored ("btc" is "BTC"); everything else must match exactly."""
    return code.upper()


@dataclass(frozen=True, slots=True)
class BalanceQuery:
    """A checked request for balances (see :func:`build_query`)."""

    wallet_id: str
    account_id: str | None
    assets: tuple[str, ...] | None
    idempotency_key: str | None = None

    def named_assets(self) -> tuple[str, ...]:
        """The assets asked for, for operations that read one asset per request."""
        if self.assets is None:  # build_query refuses this where list_balances is unsupported
            raise InvalidArgument("name the assets to read")
        return self.assets

    def account(self) -> str:
        """The account id, for providers whose wallets have accounts."""
        if self.account_id is None:  # build_query requires it where accounts are native
            raise InvalidArgument("account_id is required")
        return self.account_id


@dataclass(slots=True)
class Mapped:
    """What an adapter's mapper returns: the balances, in the provider's order."""

    balances: list[Balance]
    fiat_valuation: FiatValuation | None = None
    request_id: str | None = None


class Adapter(ABC, Generic[M]):
    """Base of every provider adapter, generic in the generated model(s) its calls parse.

    A subclass declares, once, everything about its provider: the class attributes below,
    the calls it makes (built with the generated modules' public ``build_request_kwargs``
    and ``OPERATION_ID``) and the mapping of the generated models to :class:`Balance`.
    """

    name: ClassVar[str]  # the provider name users pass to facade.connect
    spec: ClassVar[str]  # the spec name in specs/sources.toml
    capabilities: ClassVar[Mapping[str, Support]]
    setting_specs: ClassVar[tuple[SettingSpec, ...]] = ()
    asset_codes: ClassVar[tuple[AssetCode, ...]] = ()  # provider code -> (symbol, network)
    # operationId -> what the mapping reads from the spec (``param:<name>``,
    # ``<Schema>.<property>``, ``security:<scheme>``), for the breaking-change report.
    reads: ClassVar[Mapping[str, frozenset[str]]] = {}
    default_rate_limits: ClassVar[Mapping[str, str]] = {}
    options: ClassVar[frozenset[str]] = frozenset()  # extra connect() keywords, e.g. signer
    unset_types: ClassVar[tuple[type, ...]] = ()  # the generated packages' ``Unset`` classes
    # The path every base_url of this provider ends with ("/v1" for Fireblocks), when known:
    # without it every request is a 404 that reads as "wallet not found".
    base_path: ClassVar[str] = ""
    base_url_example: ClassVar[str] = ""
    # The prefix every request path of the spec already starts with ("/v2" for Kuna Core):
    # a base_url ending with it would double it ("/v2/v2/balance"), another silent 404.
    path_prefix: ClassVar[str] = ""
    # How the provider spells asset codes on the wire ("upper", "lower", or None: as given).
    # Callers' codes match the provider's case-insensitively; requests carry this spelling.
    asset_case: ClassVar[Literal["upper", "lower"] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        legacy = cls.__dict__.get("settings")
        if isinstance(legacy, tuple) and all(isinstance(s, SettingSpec) for s in legacy):
            warnings.warn(
                f"{cls.__qualname__}.settings is deprecated; name it setting_specs",
                DeprecationWarning,
                stacklevel=2,
            )
            cls.setting_specs = legacy

    def __init__(self, settings: Settings, assets: AssetTable) -> None:
        self.settings = settings
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
        if self.path_prefix and url.path.rstrip("/").endswith(self.path_prefix):
            raise ConfigurationError(
                f"{self.name}: base_url must not end with {self.path_prefix}: every request"
                f" path already starts with it; got {base_url!r}",
                provider=self.name,
            )
        if self.base_path and not url.path.rstrip("/").endswith(self.base_path):
            example = f" (e.g. {self.base_url_example})" if self.base_url_example else ""
            raise ConfigurationError(
                f"{self.name}: base_url must end with {self.base_path}{example}; got {base_url!r}",
                provider=self.name,
            )

    @property
    def config(self) -> Settings:
        """Deprecated name of :attr:`settings`."""
        warnings.warn("Adapter.config is deprecated; use .settings", DeprecationWarning, 2)
        return self.settings

    @classmethod
    def operations(cls) -> frozenset[str]:
        """The operationIds this adapter's calls and auth flows use."""
        return frozenset(cls.reads)

    # What subclasses provide.

    @abstractmethod
    def auth(self) -> httpx.Auth:
        """The httpx.Auth that authenticates every request of this provider."""

    @abstractmethod
    def balance_calls(self, query: BalanceQuery) -> Sequence[Call[M]]:
        """The (independent) requests that answer ``get_balances``."""

    @abstractmethod
    def map_balances(self, query: BalanceQuery, replies: Sequence[Reply[M]]) -> Mapped:
        """The canonical balances from the replies, in call order."""

    def refresh_calls(self, query: BalanceQuery) -> Sequence[Call[M]]:
        raise Unsupported(f"{self.name} has no refresh operation", provider=self.name)

    def absent(self, call: Call[M], error: ProviderError) -> bool:
        """True when ``error``, the answer to a per-asset ``call``, says that the asset is
        absent from (or unknown to) an existing wallet: the asset goes to
        ``WalletBalances.missing`` instead of failing the whole read."""
        return False

    def wire_code(self, code: str) -> str:
        """The caller's asset code as the provider spells it."""
        if self.asset_case == "upper":
            return code.upper()
        if self.asset_case == "lower":
            return code.lower()
        return code

    def validate(self, query: BalanceQuery) -> None:
        """Provider-specific id rules, on top of the core's generic checks."""

    def read_error(self, body: Any) -> ErrorDetails:
        """The provider's error code and message from an error body."""
        return generic_error_details(body)

    def check_success(self, body: Any) -> ErrorDetails:
        """For envelope APIs: an error reported inside a 2xx body (status_code set)."""
        return ErrorDetails()

    # Helpers for mappers.

    def require_secret(self, name: str) -> str:
        value = self.settings.secret(name)
        if not value:
            raise ConfigurationError(
                f"{self.name}: setting {name} (or {name}_file) is required", provider=self.name
            )
        return value

    def present(self, value: T | _UnsetLike | None) -> T | None:
        """None for a field the provider left out (generated ``Unset``) or sent as null."""
        if value is None or isinstance(value, self.unset_types):
            return None
        return value  # type: ignore[return-value]  # isinstance cannot narrow a Protocol away

    @staticmethod
    def array(value: Any, field_name: str) -> list[Any]:
        """A JSON array of the provider's answer, as received (TypeError if it is not one)."""
        if not isinstance(value, list):
            raise TypeError(f"{field_name} is not an array")
        return value

    def amount(self, value: object, field_name: str) -> Decimal:
        """A required amount: exact Decimal, or AmountError (a ProtocolError for the caller)."""
        return parse_amount(self.present(value), field_name)

    def optional_amount(self, value: object, field_name: str) -> Decimal | None:
        """An amount the provider may leave out: None when absent, never an invented zero."""
        value = self.present(value)
        return None if value is None else parse_amount(value, field_name)

    def idempotency_key(self, query: BalanceQuery, asset: str) -> str:
        """The ``Idempotency-Key`` of one refresh request: the caller's key when the
        refresh is one request, else ``<key>-<ASSET>`` (the provider's spelling), so each
        request is deduplicated on its own and every retry of it repeats it."""
        base = query.idempotency_key or uuid.uuid4().hex
        return base if query.assets and len(query.assets) == 1 else f"{base}-{asset}"

    def informational_amount(self, value: object, field_name: str) -> Decimal | None:
        """An amount the facade only passes on (``extras``, a valuation), never one of
        total/available/pending/locked: None when absent or unreadable, so a provider's
        change to a field we do not map never fails a read (the value stays in ``raw``)."""
        try:
            return self.optional_amount(value, field_name)
        except AmountError:
            return None

    def informational_text(self, value: object) -> str | None:
        """A text field passed on as is (block hash, currency label); None when absent or
        of another JSON type. Whole numbers are accepted as their decimal text."""
        value = self.present(value)
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return None

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


def build_query(
    adapter: Adapter[Any],
    wallet_id: str,
    account_id: str | None,
    assets: Iterable[str] | None,
    *,
    refresh: bool = False,
    idempotency_key: str | None = None,
) -> BalanceQuery:
    """The one place that decides whether a query is allowed for a provider: generic id
    and asset checks, the provider's capabilities, then the adapter's own ``validate``.
    Raises a :class:`facade.errors.UsageError` before anything is sent."""
    name = adapter.name
    caps = adapter.capabilities
    check_id(wallet_id, "wallet_id")
    accounts = caps.get("accounts", Support.UNSUPPORTED)
    if account_id is not None:
        if accounts is Support.UNSUPPORTED:
            raise Unsupported(f"{name} wallets have no accounts; drop account_id", provider=name)
        check_id(account_id, "account_id")
    elif accounts is Support.NATIVE:
        raise InvalidArgument(f"{name} needs account_id (e.g. '0')", provider=name)
    codes = check_assets(assets)
    if codes is not None:  # "btc" and "BTC" are one asset: asked once, as first spelt
        first: dict[str, str] = {}
        for code in codes:
            first.setdefault(same_code(code), code)
        codes = tuple(first.values())
    if refresh and caps.get("refresh", Support.UNSUPPORTED) is Support.UNSUPPORTED:
        raise Unsupported(
            f"{name} cannot refresh balances", provider=name, operation="refresh_balances"
        )
    whole = "refresh_all" if refresh else "list_balances"
    if codes is None and caps.get(whole, Support.UNSUPPORTED) is Support.UNSUPPORTED:
        raise Unsupported(
            f"{name} cannot {'refresh' if refresh else 'list'} a whole wallet; name the assets",
            provider=name,
            operation="refresh_balances" if refresh else "get_balances",
        )
    key = None if idempotency_key is None else check_id(idempotency_key, "idempotency_key")
    if refresh and key is None:
        key = uuid.uuid4().hex
    query = BalanceQuery(wallet_id, account_id, codes, key)
    adapter.validate(query)
    return query
