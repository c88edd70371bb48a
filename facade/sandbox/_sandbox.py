"""``Sandbox``: the provider servers, their credentials, dataset, faults and records."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from facade.sandbox._app_bpn import BpnBehaviour
from facade.sandbox._app_cryptofuse import CryptofuseBehaviour
from facade.sandbox._app_fireblocks import FireblocksBehaviour
from facade.sandbox._app_kuna import KunaBehaviour
from facade.sandbox._faults import Fault, InjectedFault, parse_fault_option
from facade.sandbox._http import Product, ProviderApp, ProviderBehaviour
from facade.sandbox._net import is_loopback
from facade.sandbox._seeded import SeededWallet
from facade.sandbox._state import IdempotencyUse, RecordedRequest, SandboxState, Violation
from facade.sandbox._validation import load_validator

if TYPE_CHECKING:
    import facade
    from facade.sandbox._inprocess import AsyncSandboxTransport, SandboxTransport
    from facade.sandbox._server import ServerGroup

__all__ = ["BEHAVIOURS", "PROVIDER_NAMES", "ProviderInfo", "Sandbox", "SandboxViolationError"]

# Every provider server of the sandbox. A behaviour declares the facade providers (products)
# it serves, their credentials and seeded wallets; nothing else here knows a provider.
BEHAVIOURS: tuple[type[ProviderBehaviour], ...] = (
    FireblocksBehaviour,
    CryptofuseBehaviour,
    KunaBehaviour,
    BpnBehaviour,
)
PROVIDER_NAMES: tuple[str, ...] = tuple(name for b in BEHAVIOURS for name in b.provides)
# Host names of the in-process transport: reserved for testing (RFC 2606), so a client
# pointed at one by mistake can never reach a real server.
IN_PROCESS_DOMAIN = "sandbox.test"
_ADMIN = "admin"


class SandboxViolationError(AssertionError):
    """Raised by ``Sandbox.assert_no_violations``."""


@dataclass(frozen=True)
class ProviderInfo:
    """How to reach one facade provider in the sandbox, and what it serves.

    ``settings`` (plus ``extra_credentials``) are the credentials the provider accepts;
    ``seeded_wallets`` what its wallets hold, with exact ``Decimal`` amounts;
    ``empty_wallet``, ``default_wallet`` and ``forbidden_wallet_id`` the wallets a test of
    the edges needs.
    """

    name: str
    base_url: str
    settings: Mapping[str, str]
    """Keyword arguments for ``facade.connect(name, **settings)``."""
    wallets: list[dict[str, Any]]
    """Seeded wallets as JSON (what ``--format json`` prints, ``SeededWallet.as_json``):
    ``{"wallet_id", "account_id" (or None), "assets": [codes], "default", "balances":
    [{"asset", "amounts": {name: decimal string}}], "totals"}``; ``seeded_wallets`` has
    them typed, amounts as ``Decimal``."""
    extra_credentials: Mapping[str, str] = field(default_factory=dict)
    """Alternative credentials the provider also accepts (OAuth client, login)."""
    server: str = ""
    operations: tuple[str, ...] = ()
    seeded_wallets: tuple[SeededWallet, ...] = ()
    """The seeded wallets, in the order of ``wallets``: ids, assets, exact amounts."""
    forbidden_wallet_id: str | None = None
    """A well-formed wallet id the sandbox's credentials may not read: the provider answers
    with its permission error (``facade.errors.PermissionDenied`` through the facade). Not
    one of ``seeded_wallets``. None: the provider has no such case (only Cryptofuse has)."""

    @property
    def empty_wallet(self) -> SeededWallet:
        """The seeded wallet that holds nothing: the provider serves no balances for it.

        Every built-in provider has one; LookupError for a behaviour that declares none."""
        for wallet in self.seeded_wallets:
            if wallet.empty:
                return wallet
        raise LookupError(f"{self.name} has no seeded wallet without balances")

    @property
    def default_wallet(self) -> SeededWallet | None:
        """The wallet the provider answers for when a request names none (BPN's main
        wallet), or None when a request must always name its wallet."""
        return next((w for w in self.seeded_wallets if w.default), None)

    def wallet(self, wallet_id: str, account_id: str | None = None) -> SeededWallet:
        """The seeded wallet ``wallet_id`` (its first account unless ``account_id`` is
        given); KeyError naming the seeded ids when there is none."""
        for wallet in self.seeded_wallets:
            if wallet.wallet_id == wallet_id and account_id in (None, wallet.account_id):
                return wallet
        known = ", ".join(dict.fromkeys(w.wallet_id for w in self.seeded_wallets))
        where = "" if account_id is None else f" account {account_id!r}"
        raise KeyError(f"{self.name} has no seeded wallet {wallet_id!r}{where}; seeded: {known}")

    def as_json(self) -> dict[str, Any]:
        """What ``wallet-balances sandbox --format json`` prints for this provider."""
        return {
            "name": self.name,
            "base_url": self.base_url,
            "settings": dict(self.settings),
            "wallets": self.wallets,
            "extra_credentials": dict(self.extra_credentials),
            "forbidden_wallet_id": self.forbidden_wallet_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProviderInfo:
        """The provider of one ``--format json`` line, e.g. from a sandbox that another
        process started, with its seeded wallets and their exact amounts. ValueError when
        the line is not such a description."""
        name, base_url = data.get("name"), data.get("base_url")
        settings, wallets = data.get("settings"), data.get("wallets")
        extra = data.get("extra_credentials") or {}
        forbidden = data.get("forbidden_wallet_id")
        if not isinstance(name, str) or not isinstance(base_url, str):
            raise ValueError(f"not a sandbox provider description: {data!r}")
        if not isinstance(settings, Mapping) or not isinstance(extra, Mapping):
            raise ValueError(f"{name}: settings and extra_credentials must be objects")
        if not isinstance(wallets, list) or not all(isinstance(w, Mapping) for w in wallets):
            raise ValueError(f"{name}: wallets must be a list of objects")
        if not isinstance(forbidden, str | None):
            raise ValueError(f"{name}: forbidden_wallet_id must be a string or null")
        return cls(
            name=name,
            base_url=base_url,
            settings={str(k): str(v) for k, v in settings.items()},
            wallets=[dict(w) for w in wallets],
            extra_credentials={str(k): str(v) for k, v in extra.items()},
            seeded_wallets=tuple(SeededWallet.from_json(w) for w in wallets),
            forbidden_wallet_id=forbidden,
        )


class Sandbox:
    """Local servers faithful to each provider's API: on loopback ports, or in process.

    ``with Sandbox() as sb:`` (or ``async with``) starts them; leaving the block stops them.
    ``Sandbox(in_process=True)`` opens no socket at all: clients reach it through
    ``sb.transport()`` / ``sb.async_transport()`` (``sb.connect(name)`` wires that up), with
    the same behaviours, auth checks, spec validation, data and faults.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        token_ttl: float = 3600.0,
        fireblocks_private_key: str | None = None,
        faults: Iterable[str] = (),
        record_limit: int = 100_000,
        ports: Mapping[str, int] | None = None,
        in_process: bool = False,
        admin: bool = False,
        admin_port: int = 0,
        behaviours: Iterable[type[ProviderBehaviour]] = (),
    ) -> None:
        """
        Args:
            host: a loopback address to listen on (others are refused).
            token_ttl: lifetime in seconds of Cryptofuse OAuth tokens and Kuna Core login JWTs.
            fireblocks_private_key: PEM of the RSA key to register for the Fireblocks API key;
                by default a fresh 2048-bit key is generated for this sandbox.
            faults: faults to inject at start, in the CLI syntax
                (``PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES]``).
            record_limit: how many requests to remember (oldest dropped first).
            ports: fixed ports by provider or server name (``{"bpn": 8004}``); the others get
                free ports. Both Fireblocks products share the ``fireblocks`` server.
            in_process: serve through httpx transports instead of sockets.
            admin: also serve the admin endpoint (faults of a running sandbox, on loopback).
            admin_port: its port (0: a free one).
            behaviours: more provider servers to run beside the built-in ones, e.g. for a
                provider registered with ``facade.register_provider``; each names its
                OpenAPI document in ``spec_path``.
        """
        if not is_loopback(host):
            raise ValueError(f"the sandbox only listens on loopback, not {host!r}")
        if token_ttl <= 0:
            raise ValueError("token_ttl must be positive")
        self.host = host
        self.in_process = in_process
        self._state = SandboxState(token_ttl=token_ttl, record_limit=record_limit)
        options: dict[type[ProviderBehaviour], dict[str, Any]] = {
            FireblocksBehaviour: {"private_key_pem": fireblocks_private_key},
        }
        self._behaviours: dict[str, ProviderBehaviour] = {}
        extra = tuple(behaviours)
        served = [name for cls in (*BEHAVIOURS, *extra) for name in cls.provides]
        clashes = sorted({name for name in served if served.count(name) > 1})
        if clashes:
            raise ValueError(f"more than one behaviour serves {', '.join(clashes)}")
        for cls in (*BEHAVIOURS, *extra):
            behaviour = cls(self._state, **options.get(cls, {}))
            declared = tuple(p.name for p in behaviour.products())
            if declared != cls.provides:
                raise RuntimeError(f"{cls.__name__}.provides {cls.provides} != {declared}")
            if behaviour.server in self._behaviours:
                raise ValueError(f"two behaviours are named server {behaviour.server!r}")
            self._behaviours[behaviour.server] = behaviour
            self._state.on_reset(behaviour.reset)
        self._fireblocks = next(
            b for b in self._behaviours.values() if isinstance(b, FireblocksBehaviour)
        )
        self._apps = {
            name: ProviderApp(behaviour, load_validator(behaviour.spec, behaviour.spec_path))
            for name, behaviour in self._behaviours.items()
        }
        # Provider name -> (server, product); server names address all their products.
        self._products: dict[str, tuple[str, Product]] = {
            product.name: (server, product)
            for server, behaviour in self._behaviours.items()
            for product in behaviour.products()
        }
        self._ports = self._fixed_ports(ports or {})
        self._admin = admin
        self._admin_port = admin_port
        self.admin_url: str | None = None
        self._servers: ServerGroup | None = None
        self._started_in_process = False
        self._providers: dict[str, ProviderInfo] = {}
        self._initial_faults = [parse_fault_option(spec) for spec in faults]
        for provider, operation, _, _ in self._initial_faults:
            self._check_target(provider, operation)

    def _fixed_ports(self, ports: Mapping[str, int]) -> dict[str, int]:
        fixed: dict[str, int] = {}
        for name, port in ports.items():
            if name in self._behaviours:
                server = name
            elif name in self._products:
                server = self._products[name][0]
            else:
                raise ValueError(f"--port {name}: unknown provider; one of {self._target_names()}")
            if not isinstance(port, int) or not 1 <= port <= 65535:
                raise ValueError(f"--port {name}={port}: a port is 1..65535")
            if fixed.get(server, port) != port:
                raise ValueError(f"--port: {server} serves {name}; it was given two ports")
            fixed[server] = port
        return fixed

    def _target_names(self) -> str:
        extra = [s for s in self._behaviours if s not in self._products]
        return ", ".join([*self._products, *extra])

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        if self.running:
            raise RuntimeError("this sandbox is already running")
        if self.in_process:
            roots = {server: f"http://{server}.{IN_PROCESS_DOMAIN}" for server in self._behaviours}
            self._started_in_process = True
        else:
            from facade.sandbox._admin import AdminApp  # noqa: PLC0415
            from facade.sandbox._server import ServerGroup  # noqa: PLC0415  # uvicorn

            apps: dict[str, Any] = dict(self._apps)
            ports = dict(self._ports)
            if self._admin:
                apps[_ADMIN] = AdminApp(self)
                ports[_ADMIN] = self._admin_port
            servers = ServerGroup(apps, self.host, ports=ports)
            servers.start()
            self._servers = servers
            host = f"[{self.host}]" if ":" in self.host else self.host
            roots = {name: f"http://{host}:{port}" for name, port in servers.ports.items()}
            self.admin_url = roots.get(_ADMIN)
        self._providers = {
            name: self._info(name, server, product, roots[server])
            for name, (server, product) in self._products.items()
        }
        for provider, operation, fault, times in self._initial_faults:
            self.inject(provider, fault, operation=operation, times=times)
        return self

    def stop(self) -> None:
        """Stop all servers and their thread; the ports are closed when this returns."""
        servers, self._servers = self._servers, None
        self._started_in_process = False
        self.admin_url = None
        if servers is not None:
            servers.stop()

    @property
    def running(self) -> bool:
        if self._started_in_process:
            return True
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
        """The facade providers by name (empty until started)."""
        return dict(self._providers)

    @property
    def fireblocks_private_key(self) -> str:
        """PEM of the RSA key registered for the Fireblocks ``api_key`` of ``providers``
        (the ``private_key`` of both Fireblocks products' settings)."""
        return self._fireblocks.private_key_pem

    def register_fireblocks_key(self, api_key: str, public_key_pem: str) -> None:
        """Accept another Fireblocks API user (API key + RSA public key PEM)."""
        public_key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("Fireblocks API users sign with RSA keys")
        self._fireblocks.register_key(api_key, public_key)

    def _info(self, name: str, server: str, product: Product, root: str) -> ProviderInfo:
        base_url = root + product.base_path
        operations = product.operations
        if operations is None:
            operations = tuple(self._apps[server].validator.operations)
        return ProviderInfo(
            name=name,
            base_url=base_url,
            settings={"base_url": base_url, **product.settings},
            wallets=[w.as_json() for w in product.wallets],
            extra_credentials=dict(product.extra_credentials),
            server=server,
            operations=operations,
            seeded_wallets=tuple(product.wallets),
            forbidden_wallet_id=product.forbidden_wallet_id,
        )

    # ------------------------------------------------------------------ in-process clients

    def transport(self) -> SandboxTransport:
        """An httpx transport that serves every provider of this sandbox in process."""
        from facade.sandbox._inprocess import SandboxTransport  # noqa: PLC0415

        return SandboxTransport(self._in_process_apps())

    def async_transport(self) -> AsyncSandboxTransport:
        """The asyncio counterpart of :meth:`transport`."""
        from facade.sandbox._inprocess import AsyncSandboxTransport  # noqa: PLC0415

        return AsyncSandboxTransport(self._in_process_apps())

    def _in_process_apps(self) -> dict[str, ProviderApp]:
        return {f"{server}.{IN_PROCESS_DOMAIN}": app for server, app in self._apps.items()}

    def connect(self, provider: str, **settings: Any) -> facade.BalanceClient:
        """A client of ``provider`` with the sandbox's settings (``settings`` override them).

        In process, the client sends through a :meth:`transport` of its own."""
        from facade import _client  # noqa: PLC0415  # the name is a run-time value: untyped

        resolved = self._client_settings(provider, settings)
        if self.in_process and not {"http_client", "transport"} & set(resolved):
            resolved["transport"] = self.transport()
        return _client.connect(provider, **resolved)

    def connect_async(self, provider: str, **settings: Any) -> facade.AsyncBalanceClient:
        """Like :meth:`connect`, for asyncio."""
        from facade import _client  # noqa: PLC0415

        resolved = self._client_settings(provider, settings)
        if self.in_process and not {"http_client", "transport"} & set(resolved):
            resolved["transport"] = self.async_transport()
        return _client.connect_async(provider, **resolved)

    def _client_settings(self, provider: str, overrides: Mapping[str, Any]) -> dict[str, Any]:
        info = self._providers.get(provider)
        if info is None:
            known = ", ".join(self._products)
            state = "" if self.running else " (the sandbox is not started)"
            raise ValueError(f"unknown provider {provider!r}{state}; one of {known}")
        return {**info.settings, **overrides}

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

        ``provider`` is a facade provider name or a server name such as ``"fireblocks"``
        (all its products); ``operation`` an operationId of that provider's spec; ``fault``
        a ``Fault`` or its text (``"rate_limit:2"``, ``"503"``, ``"reset"``...).
        """
        server, product = self._check_target(provider, operation)
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 (or None for a fault that never runs out)")
        parsed = Fault.parse(fault) if isinstance(fault, str) else fault
        return self._state.faults.add(
            InjectedFault(
                fault=parsed,
                server=server,
                provider=product,
                operation=operation,
                remaining=times,
            )
        )

    def clear_faults(self, provider: str | None = None) -> None:
        if provider is None:
            self._state.faults.clear()
            return
        server, product = self._check_target(provider, None)
        self._state.faults.clear(server, product)

    def pending_faults(self) -> list[InjectedFault]:
        return self._state.faults.pending()

    def _check_target(self, provider: str, operation: str | None) -> tuple[str, str | None]:
        """(server, product or None for a whole server) of a provider or server name."""
        if provider in self._products:
            server, product = self._products[provider]
            allowed = product.operations
            name: str | None = provider
        elif provider in self._behaviours:
            server, allowed, name = provider, None, None
        else:
            raise ValueError(f"unknown provider {provider!r}; one of {self._target_names()}")
        if allowed is None:
            allowed = tuple(self._apps[server].validator.operations)
        if operation is not None and operation not in allowed:
            raise ValueError(
                f"{provider} has no operation {operation!r}; one of {', '.join(allowed)}"
            )
        return server, name

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
        if provider is None:
            return uses
        server, product = self._check_target(provider, None)
        return [
            u
            for u in uses
            if u.provider == product
            or (product is None and self._products[u.provider][0] == server)
        ]

    def tokens_issued(self, provider: str) -> int:
        """Tokens issued so far by ``cryptofuse`` (/o/token/) or ``kuna-core`` (login)."""
        server, _ = self._check_target(provider, None)
        return self._state.tokens_issued(server)

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
