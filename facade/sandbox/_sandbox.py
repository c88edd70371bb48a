"""``Sandbox``: the four provider servers, their credentials, dataset, faults and records."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from facade.sandbox import _data as data
from facade.sandbox._app_bpn import BpnBehaviour
from facade.sandbox._app_cryptofuse import CryptofuseBehaviour
from facade.sandbox._app_fireblocks import FireblocksBehaviour
from facade.sandbox._app_kuna import KunaBehaviour
from facade.sandbox._faults import Fault, InjectedFault, parse_fault_option
from facade.sandbox._http import ProviderApp, ProviderBehaviour
from facade.sandbox._net import is_loopback
from facade.sandbox._server import ServerGroup
from facade.sandbox._state import IdempotencyUse, RecordedRequest, SandboxState, Violation
from facade.sandbox._validation import load_validator

__all__ = ["PROVIDER_NAMES", "ProviderInfo", "Sandbox", "SandboxViolationError"]

PROVIDER_NAMES = ("fireblocks-vault", "fireblocks-embedded", "cryptofuse", "kuna-core", "bpn")
# Facade provider name -> sandbox server.
_SERVER_OF = {
    "fireblocks-vault": "fireblocks",
    "fireblocks-embedded": "fireblocks",
    "cryptofuse": "cryptofuse",
    "kuna-core": "kuna-core",
    "bpn": "bpn",
}
_SERVERS = ("fireblocks", "cryptofuse", "kuna-core", "bpn")


class SandboxViolationError(AssertionError):
    """Raised by ``Sandbox.assert_no_violations``."""


@dataclass(frozen=True)
class ProviderInfo:
    """How to reach one facade provider in the sandbox."""

    name: str
    base_url: str
    settings: Mapping[str, str]
    """Keyword arguments for ``facade.connect(name, **settings)``."""
    wallets: list[dict[str, Any]]
    """Seeded wallets: ``{"wallet_id", "account_id" (or None), "assets": [codes]}``."""
    extra_credentials: Mapping[str, str] = field(default_factory=dict)
    """Alternative credentials the provider also accepts (OAuth client, login)."""
    server: str = ""
    operations: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "base_url": self.base_url,
            "settings": dict(self.settings),
            "wallets": self.wallets,
            "extra_credentials": dict(self.extra_credentials),
        }


def _wallets(name: str) -> list[dict[str, Any]]:
    if name == "fireblocks-vault":
        return [
            {"wallet_id": v.id, "account_id": None, "assets": [a.id for a in v.assets]}
            for v in data.FIREBLOCKS_VAULTS
        ]
    if name == "fireblocks-embedded":
        return [
            {
                "wallet_id": w.wallet_id,
                "account_id": a.account_id,
                "assets": [x.id for x in a.assets],
            }
            for w in data.EMBEDDED_WALLETS
            for a in w.accounts
        ]
    if name == "cryptofuse":
        return [
            {"wallet_id": w.id, "account_id": None, "assets": [b.currency for b in w.balances]}
            for w in data.CRYPTOFUSE_WALLETS
        ]
    if name == "kuna-core":
        return [
            {"wallet_id": w.id, "account_id": None, "assets": [a.asset for a in w.assets]}
            for w in data.KUNA_WALLETS
        ]
    return [
        {"wallet_id": str(w.id), "account_id": None, "assets": [b.currency for b in w.balances]}
        for w in data.BPN_WALLETS
    ]


class Sandbox:
    """Local HTTP servers faithful to each provider's API, on loopback ports.

    ``with Sandbox() as sb:`` (or ``async with``) starts them; leaving the block stops them.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        token_ttl: float = 3600.0,
        fireblocks_private_key: str | None = None,
        faults: Iterable[str] = (),
        record_limit: int = 100_000,
    ) -> None:
        """
        Args:
            host: a loopback address to listen on (others are refused).
            token_ttl: lifetime in seconds of Cryptofuse OAuth tokens and Kuna login JWTs.
            fireblocks_private_key: PEM of the RSA key to register for the Fireblocks API key;
                by default a fresh 2048-bit key is generated for this sandbox.
            faults: faults to inject at start, in the CLI syntax
                (``PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES]``).
            record_limit: how many requests to remember (oldest dropped first).
        """
        if not is_loopback(host):
            raise ValueError(f"the sandbox only listens on loopback, not {host!r}")
        if token_ttl <= 0:
            raise ValueError("token_ttl must be positive")
        self.host = host
        self._state = SandboxState(token_ttl=token_ttl, record_limit=record_limit)
        if fireblocks_private_key is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            fireblocks_private_key = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
        private_key = serialization.load_pem_private_key(fireblocks_private_key.encode(), None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError("fireblocks_private_key must be an RSA private key")
        self._fireblocks_pem = fireblocks_private_key
        self._fireblocks = FireblocksBehaviour(
            self._state, {data.FIREBLOCKS_API_KEY: private_key.public_key()}
        )
        self._behaviours: dict[str, ProviderBehaviour] = {
            "fireblocks": self._fireblocks,
            "cryptofuse": CryptofuseBehaviour(self._state),
            "kuna-core": KunaBehaviour(self._state),
            "bpn": BpnBehaviour(self._state),
        }
        for behaviour in self._behaviours.values():
            self._state.on_reset(behaviour.reset)
        self._apps = {
            name: ProviderApp(behaviour, load_validator(behaviour.spec))
            for name, behaviour in self._behaviours.items()
        }
        self._operations = {
            name: tuple(app.validator.operations) for name, app in self._apps.items()
        }
        self._servers: ServerGroup | None = None
        self._providers: dict[str, ProviderInfo] = {}
        self._initial_faults = [parse_fault_option(spec) for spec in faults]
        for provider, operation, _, _ in self._initial_faults:
            self._check_target(provider, operation)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        if self._servers is not None:
            raise RuntimeError("this sandbox is already running")
        servers = ServerGroup(self._apps, self.host)
        servers.start()
        self._servers = servers
        host = f"[{self.host}]" if ":" in self.host else self.host
        urls = {name: f"http://{host}:{port}" for name, port in servers.ports.items()}
        self._providers = {
            name: self._info(name, urls[_SERVER_OF[name]]) for name in PROVIDER_NAMES
        }
        for provider, operation, fault, times in self._initial_faults:
            self.inject(provider, fault, operation=operation, times=times)
        return self

    def stop(self) -> None:
        """Stop all servers and their thread; the ports are closed when this returns."""
        servers, self._servers = self._servers, None
        if servers is not None:
            servers.stop()

    @property
    def running(self) -> bool:
        return self._servers is not None and self._servers.running

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        # Starting waits for the servers' thread; keep that off the caller's event loop.
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    # ------------------------------------------------------------------ connection details

    @property
    def providers(self) -> dict[str, ProviderInfo]:
        """The five facade providers by name (empty until started)."""
        return dict(self._providers)

    @property
    def fireblocks_private_key(self) -> str:
        """PEM of the RSA key registered for ``_data.FIREBLOCKS_API_KEY``."""
        return self._fireblocks_pem

    def register_fireblocks_key(self, api_key: str, public_key_pem: str) -> None:
        """Accept another Fireblocks API user (API key + RSA public key PEM)."""
        public_key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("Fireblocks API users sign with RSA keys")
        self._fireblocks.register_key(api_key, public_key)

    def _info(self, name: str, root: str) -> ProviderInfo:
        base_url = root + "/v1" if _SERVER_OF[name] == "fireblocks" else root
        settings: dict[str, str]
        extra: dict[str, str] = {}
        if _SERVER_OF[name] == "fireblocks":
            settings = {
                "base_url": base_url,
                "api_key": data.FIREBLOCKS_API_KEY,
                "private_key": self._fireblocks_pem,
            }
        elif name == "cryptofuse":
            settings = {"base_url": base_url, "api_key": data.CRYPTOFUSE_API_KEY}
            extra = {
                "client_id": data.CRYPTOFUSE_CLIENT_ID,
                "client_secret": data.CRYPTOFUSE_CLIENT_SECRET,
            }
        elif name == "kuna-core":
            settings = {"base_url": base_url, "api_key": data.KUNA_API_KEY}
            extra = {
                "merchant_id": data.KUNA_MERCHANT_ID,
                "login_email": data.KUNA_LOGIN_EMAIL,
                "login_password": data.KUNA_LOGIN_PASSWORD,
            }
        else:
            settings = {
                "base_url": base_url,
                "api_key": data.BPN_API_KEY,
                "api_secret": data.BPN_API_SECRET,
            }
        operations = self._operations[_SERVER_OF[name]]
        if name == "fireblocks-vault":
            operations = tuple(o for o in operations if "Embedded" not in o)
        elif name == "fireblocks-embedded":
            operations = tuple(o for o in operations if "Embedded" in o)
        return ProviderInfo(
            name=name,
            base_url=base_url,
            settings=settings,
            wallets=_wallets(name),
            extra_credentials=extra,
            server=_SERVER_OF[name],
            operations=operations,
        )

    # ------------------------------------------------------------------ faults

    def inject(
        self,
        provider: str,
        fault: Fault | str,
        *,
        operation: str | None = None,
        times: int | None = 1,
    ) -> InjectedFault:
        """Queue a fault for the next ``times`` matching requests (None: every request).

        ``provider`` is a facade provider name or ``"fireblocks"`` (both Fireblocks APIs);
        ``operation`` an operationId of that provider's spec; ``fault`` a ``Fault`` or its
        text (``"rate_limit:2"``, ``"503"``, ``"reset"``...).
        """
        self._check_target(provider, operation)
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 (or None for a fault that never runs out)")
        parsed = Fault.parse(fault) if isinstance(fault, str) else fault
        server = _SERVER_OF.get(provider, provider)
        return self._state.faults.add(
            InjectedFault(
                fault=parsed,
                server=server,
                provider=None if provider == "fireblocks" else provider,
                operation=operation,
                remaining=times,
            )
        )

    def clear_faults(self, provider: str | None = None) -> None:
        if provider is None:
            self._state.faults.clear()
            return
        self._check_target(provider, None)
        server = _SERVER_OF.get(provider, provider)
        self._state.faults.clear(server, None if provider == "fireblocks" else provider)

    def pending_faults(self) -> list[InjectedFault]:
        return self._state.faults.pending()

    def _check_target(self, provider: str, operation: str | None) -> None:
        if provider not in _SERVER_OF and provider != "fireblocks":
            raise ValueError(
                f"unknown provider {provider!r}; one of {', '.join(PROVIDER_NAMES)} or fireblocks"
            )
        if operation is None:
            return
        server = _SERVER_OF.get(provider, provider)
        allowed = self._operations[server]
        if provider == "fireblocks-vault":
            allowed = tuple(o for o in allowed if "Embedded" not in o)
        elif provider == "fireblocks-embedded":
            allowed = tuple(o for o in allowed if "Embedded" in o)
        if operation not in allowed:
            raise ValueError(
                f"{provider} has no operation {operation!r}; one of {', '.join(allowed)}"
            )

    # ------------------------------------------------------------------ records

    def requests(
        self, provider: str | None = None, *, operation: str | None = None
    ) -> list[RecordedRequest]:
        """Requests received, oldest first; filter by facade provider (or ``"fireblocks"``)."""
        if provider is not None:
            self._check_target(provider, operation)
        return [
            r
            for r in self._state.requests()
            if (provider is None or provider in (r.provider, r.server))
            and (operation is None or r.operation == operation)
        ]

    def clear_requests(self) -> None:
        self._state.reset_requests()

    @property
    def violations(self) -> list[Violation]:
        """Spec violations seen so far: off-spec requests and (sandbox bugs) responses."""
        return self._state.violations()

    def assert_no_violations(self, *, allow_requests: bool = False) -> None:
        """Raise SandboxViolationError listing the violations (request ones too, by default)."""
        found = [v for v in self.violations if not (allow_requests and v.kind == "request")]
        if found:
            raise SandboxViolationError(
                f"{len(found)} spec violation(s):\n" + "\n".join(f"  - {v}" for v in found)
            )

    def idempotency_keys(self, provider: str | None = None) -> list[IdempotencyUse]:
        """``Idempotency-Key`` values received by refresh operations, in order."""
        uses = self._state.idempotency()
        return [u for u in uses if provider in (None, "fireblocks", u.provider)]

    def tokens_issued(self, provider: str) -> int:
        """Tokens issued so far by ``cryptofuse`` (/o/token/) or ``kuna-core`` (login)."""
        self._check_target(provider, None)
        return self._state.tokens_issued(_SERVER_OF.get(provider, provider))

    # ------------------------------------------------------------------ knobs

    @property
    def token_ttl(self) -> float:
        return self._state.token_ttl

    @token_ttl.setter
    def token_ttl(self, seconds: float) -> None:
        """Lifetime of tokens issued from now on (``reset()`` restores the initial value)."""
        if seconds <= 0:
            raise ValueError("token_ttl must be positive")
        self._state.token_ttl = seconds

    def advance_clock(self, seconds: float) -> None:
        """Move the providers' clock (tokens, JWT and timestamp windows) by ``seconds``."""
        self._state.clock.offset += seconds

    def reset(self) -> None:
        """Forget faults, requests, violations, idempotency keys, token counts, clock skew
        and TTL changes. Tokens already issued stay valid."""
        self._state.reset()
