"""Provider name -> adapter class, imported on first use.

Using one provider never imports another's generated client. Outside code adds providers
with :func:`register_provider`.
"""

from __future__ import annotations

import importlib

from .errors import ConfigurationError
from .providers._base import Adapter

__all__ = ["adapter_class", "provider_names", "register_provider"]

_PROVIDERS: dict[str, str | type[Adapter]] = {
    "fireblocks-vault": "facade.providers.fireblocks:FireblocksVault",
    "fireblocks-embedded": "facade.providers.fireblocks:FireblocksEmbedded",
    "cryptofuse": "facade.providers.cryptofuse:Cryptofuse",
    "kuna-core": "facade.providers.kuna_core:KunaCore",
    "bpn": "facade.providers.bpn:Bpn",
}


def register_provider(name: str, adapter: str | type[Adapter]) -> None:
    """Make ``connect(name)`` use ``adapter`` (a class, or "package.module:ClassName")."""
    if isinstance(adapter, str) and ":" not in adapter:
        raise ConfigurationError(f"adapter path {adapter!r} must look like 'module:ClassName'")
    _PROVIDERS[name] = adapter


def provider_names() -> list[str]:
    return sorted(_PROVIDERS)


def adapter_class(name: str) -> type[Adapter]:
    target = _PROVIDERS.get(name)
    if target is None:
        raise ConfigurationError(f"unknown provider {name!r}; known: {', '.join(provider_names())}")
    if isinstance(target, str):
        module_name, _, class_name = target.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as exc:
            raise ConfigurationError(f"cannot load adapter {target!r}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, Adapter)):
            raise ConfigurationError(f"{target!r} is not a facade.providers.Adapter")
        _PROVIDERS[name] = target = cls
    return target
