"""The HTTP layer under a client: the user's own httpx client, or one built from settings.

Settings (keyword argument, ``WALLET_BALANCES_<PROVIDER>_<SETTING>``, or TOML like any other):
``proxy`` (a URL, credentials allowed and kept secret), ``verify`` (a CA bundle file; as a
keyword argument also an ``ssl.SSLContext``, or False), ``cert`` (the client certificate for
mTLS, PEM, with its key unless ``cert_key`` names the key file) and ``cert_password``.

Keyword-only objects: ``http_client=`` (an ``httpx.Client`` / ``httpx.AsyncClient`` used as
given and never closed by the facade; proxy, TLS and pool settings are then the client's
business), ``transport=`` (an httpx transport for the facade's own client, e.g. the in-process
sandbox), ``event_hooks=`` (httpx's ``{"request": [...], "response": [...]}``) and
``trust_env=`` (httpx's: when True, the default, ``HTTP(S)_PROXY``/``ALL_PROXY``/``NO_PROXY``
and ``SSL_CERT_FILE``/``SSL_CERT_DIR`` apply unless ``proxy``/``verify`` are set).
"""

from __future__ import annotations

import functools
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._settings import Settings, SettingSpec
from .errors import ConfigurationError

__all__ = ["CONNECTION_SETTINGS", "HttpSetup", "split_objects"]

CONNECTION_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("proxy", secret=True, doc="proxy URL, e.g. http://user:pass@proxy:3128"),
    SettingSpec("verify", doc="CA bundle file (PEM) that signs the provider's certificate"),
    SettingSpec("cert", doc="client certificate for mTLS (PEM; with its key unless cert_key)"),
    SettingSpec("cert_key", doc="private key file of cert, when not in the cert file"),
    SettingSpec("cert_password", secret=True, doc="password of an encrypted cert_key"),
)

# connect() keywords that are objects, not settings: never read from the environment or TOML.
_OBJECTS = ("http_client", "transport", "event_hooks", "trust_env")


@dataclass(frozen=True)
class HttpSetup:
    """How one client reaches its provider."""

    http_client: httpx.Client | httpx.AsyncClient | None = None
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None
    event_hooks: Mapping[str, list[Any]] | None = None
    trust_env: bool = True
    proxy: str | None = field(default=None, repr=False)
    verify: ssl.SSLContext | str | bool | None = None
    cert: str | None = None
    cert_key: str | None = None
    cert_password: str | None = field(default=None, repr=False)

    @classmethod
    def from_settings(
        cls, provider: str, objects: Mapping[str, Any], settings: Settings
    ) -> HttpSetup:
        verify = objects.get("verify", settings.get("verify"))
        setup = cls(
            http_client=objects.get("http_client"),
            transport=objects.get("transport"),
            event_hooks=objects.get("event_hooks"),
            trust_env=bool(objects.get("trust_env", True)),
            proxy=settings.secret("proxy"),
            verify=verify,
            cert=settings.get("cert"),
            cert_key=settings.get("cert_key"),
            cert_password=settings.secret("cert_password"),
        )
        setup.check(provider)
        return setup

    def check(self, provider: str) -> None:
        own = [
            n for n in ("proxy", "verify", "cert", "transport", "event_hooks") if getattr(self, n)
        ]
        if self.http_client is not None and own:
            raise ConfigurationError(
                f"{', '.join(own)} cannot be combined with http_client: configure your client",
                provider=provider,
            )
        if self.cert_key and not self.cert:
            raise ConfigurationError("cert_key needs cert", provider=provider)
        if self.event_hooks is not None and (
            not isinstance(self.event_hooks, Mapping)
            or set(self.event_hooks) - {"request", "response"}
        ):
            raise ConfigurationError(
                'event_hooks must be {"request": [...], "response": [...]}', provider=provider
            )

    def ssl_context(self, base_url: str) -> ssl.SSLContext | bool:
        """What to give httpx as ``verify``."""
        if isinstance(self.verify, ssl.SSLContext):
            if self.cert:
                self._load_cert(self.verify)
            return self.verify
        if self.verify is False:
            return False
        if isinstance(self.verify, str) or self.cert:
            cafile = self.verify if isinstance(self.verify, str) else None
            try:
                context = (
                    ssl.create_default_context(cafile=_path(cafile))
                    if cafile
                    else httpx.create_ssl_context(trust_env=self.trust_env)
                )
            except (OSError, ssl.SSLError) as exc:
                raise ConfigurationError(f"cannot load verify={cafile!r}: {exc}") from None
            if self.cert:
                self._load_cert(context)
            return context
        if httpx.URL(base_url).scheme != "https":
            return _no_ca_context()
        return _verifying_context() if self.trust_env else _verifying_context_no_env()

    def _load_cert(self, context: ssl.SSLContext) -> None:
        assert self.cert is not None
        try:
            context.load_cert_chain(
                _path(self.cert),
                _path(self.cert_key) if self.cert_key else None,
                password=self.cert_password,
            )
        except (OSError, ssl.SSLError) as exc:
            # Not the exception text alone: OpenSSL's may quote the file, never the password.
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise ConfigurationError(f"cannot load cert={self.cert!r}: {reason}") from None

    def client_options(self, base_url: str) -> dict[str, Any]:
        """Keyword arguments for the facade's own ``httpx.Client``/``AsyncClient``."""
        options: dict[str, Any] = {
            "verify": self.ssl_context(base_url),
            "trust_env": self.trust_env,
        }
        if self.proxy:
            options["proxy"] = self.proxy
        if self.transport is not None:
            options["transport"] = self.transport
        if self.event_hooks is not None:
            options["event_hooks"] = {k: list(v) for k, v in self.event_hooks.items()}
        return options


def _path(value: str | None) -> str:
    return os.path.expanduser(value or "")


def split_objects(settings: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(object keywords, plain settings) of connect()'s keywords. ``verify`` is an object
    when it is an SSLContext or a bool; as text it is an ordinary setting."""
    objects = {k: v for k, v in settings.items() if k in _OBJECTS}
    rest = {k: v for k, v in settings.items() if k not in _OBJECTS}
    verify = rest.get("verify")
    if isinstance(verify, ssl.SSLContext | bool):
        objects["verify"] = rest.pop("verify")
    elif isinstance(verify, os.PathLike):
        rest["verify"] = os.fspath(verify)
    for name in ("cert", "cert_key"):
        if isinstance(rest.get(name), os.PathLike):
            rest[name] = os.fspath(rest[name])
    return objects, rest


@functools.cache
def _verifying_context() -> ssl.SSLContext:
    # Loading the CA bundle costs 30-140 ms; every https client shares one context.
    return httpx.create_ssl_context()  # honours SSL_CERT_FILE / SSL_CERT_DIR


@functools.cache
def _verifying_context_no_env() -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=False)


@functools.cache
def _no_ca_context() -> ssl.SSLContext:
    # Plain-http clients never speak TLS (redirects are not followed), so they skip the CA
    # bundle. Verification stays on: any TLS handshake with this context would fail closed.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
