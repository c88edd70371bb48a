"""``facade.connect`` / ``facade.connect_async``, typed per provider.

One ``typing.overload`` per built-in provider name (a ``Literal``) with that provider's
keyword settings as a ``TypedDict`` (declared in the provider's adapter module, next to its
``SettingSpec``s), so a type checker rejects ``connect("fireblock", ...)`` and
``connect("bpn", api_kye=...)``. At run time both functions accept any registered provider
name: the overloads exist for type checkers only, and the TypedDicts are imported for them
only, so ``import facade`` still loads no generated client. tests/unit/test_connect_typing.py
checks that this list, the TypedDicts and the registry's SettingSpecs agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from . import _client
from ._client import AsyncBalanceClient, BalanceClient

if TYPE_CHECKING:
    from typing import Unpack

    from ._auth.headers import RequestSigner
    from .providers.bpn import BpnSettings
    from .providers.cryptofuse import CryptofuseSettings
    from .providers.fireblocks import FireblocksSettings
    from .providers.kuna_core import KunaCoreSettings

__all__ = ["connect", "connect_async"]

_SETTINGS_DOC = """
    Providers and their settings (besides the common ones below):

    - ``"fireblocks-vault"``, ``"fireblocks-embedded"``: ``api_key``, ``private_key``
      (PEM); ``base_url`` must end with ``/v1``.
    - ``"cryptofuse"``: ``api_key``, or ``client_id`` + ``client_secret`` (``scope``).
    - ``"kuna-core"``: ``api_key``, or ``merchant_id`` + ``login_email`` +
      ``login_password``.
    - ``"bpn"``: ``api_key`` + ``api_secret``, or ``signer=`` (a request signer).

    Common settings: ``base_url``, ``timeout`` (> 0 s, per attempt, body included),
    ``connect_timeout`` (> 0 s), ``max_retries`` (whole number >= 0), ``backoff_base``,
    ``backoff_max``, ``retry_after_cap`` (seconds), ``max_concurrency`` (whole number >= 1),
    ``rate_limits`` ({operationId: "10/min"}), ``asset_map`` ({CODE: [symbol, network]}),
    ``max_response_bytes``, ``config_file``; for the connection ``proxy``, ``verify`` (a CA
    bundle, an ``ssl.SSLContext`` or a bool), ``cert``, ``cert_key``, ``cert_password``.
    Every secret may be given as ``<name>_file`` (relative paths: from the working directory
    here, from the file's folder in a config file).

    Keywords only (never from the environment or a file): ``http_client`` (your httpx
    client, used as given), ``transport``, ``event_hooks``, ``trust_env``, ``hooks`` (a
    :class:`facade.Hooks`), ``telemetry`` (False: no OpenTelemetry), ``otel_wallet_ids``
    (True: wallet ids on spans).

    Settings come from keyword arguments, then ``WALLET_BALANCES_<PROVIDER>_<SETTING>``
    environment variables, then the TOML file in ``config_file`` / ``WALLET_BALANCES_CONFIG``
    (one ``[provider]`` table each). A setting that cannot work (a misspelt name, an unknown
    ``[table]`` or ``WALLET_BALANCES_<PROVIDER>_*`` variable, ``timeout=0``, ``max_retries=2.7``)
    raises :class:`facade.errors.ConfigurationError` naming the setting, the value and what
    is accepted.

    Providers added with :func:`facade.register_provider` are connected the same way; type
    checkers know only the built-in names, so assign ``facade.connect`` to a
    ``Callable[..., facade.BalanceClient]`` to call it with another name.
"""


@overload
def connect(
    provider: Literal["fireblocks-vault", "fireblocks-embedded"],
    **settings: Unpack[FireblocksSettings],
) -> BalanceClient: ...
@overload
def connect(
    provider: Literal["cryptofuse"], **settings: Unpack[CryptofuseSettings]
) -> BalanceClient: ...
@overload
def connect(
    provider: Literal["kuna-core"], **settings: Unpack[KunaCoreSettings]
) -> BalanceClient: ...
@overload
def connect(
    provider: Literal["bpn"],
    *,
    signer: RequestSigner | None = None,
    **settings: Unpack[BpnSettings],
) -> BalanceClient: ...
def connect(provider: str, *, signer: Any = None, **settings: Any) -> BalanceClient:
    return _client.connect(provider, signer=signer, **settings)


@overload
def connect_async(
    provider: Literal["fireblocks-vault", "fireblocks-embedded"],
    **settings: Unpack[FireblocksSettings],
) -> AsyncBalanceClient: ...
@overload
def connect_async(
    provider: Literal["cryptofuse"], **settings: Unpack[CryptofuseSettings]
) -> AsyncBalanceClient: ...
@overload
def connect_async(
    provider: Literal["kuna-core"], **settings: Unpack[KunaCoreSettings]
) -> AsyncBalanceClient: ...
@overload
def connect_async(
    provider: Literal["bpn"],
    *,
    signer: RequestSigner | None = None,
    **settings: Unpack[BpnSettings],
) -> AsyncBalanceClient: ...
def connect_async(provider: str, *, signer: Any = None, **settings: Any) -> AsyncBalanceClient:
    return _client.connect_async(provider, signer=signer, **settings)


connect.__doc__ = (
    "A blocking client for ``provider``: ``with facade.connect(name, **settings) as c``.\n"
    + _SETTINGS_DOC
)
connect_async.__doc__ = (
    "An asyncio client for ``provider``: ``async with facade.connect_async(...) as c``.\n"
    + _SETTINGS_DOC
)
