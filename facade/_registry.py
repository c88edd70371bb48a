"""Provider name -> adapter class, imported on first use.

Using one provider never imports another's generated client. Outside code adds providers
with :func:`register_provider`.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import ConfigurationError
from .providers._base import Adapter

__all__ = ["adapter_class", "provider_names", "register_provider", "unregister_provider"]

_PROVIDERS: dict[str, str | type[Adapter[Any]]] = {
    "fireblocks-vault": "facade.providers.fireblocks:FireblocksVault",
    "fireblocks-embedded": "facade.providers.fireblocks:FireblocksEmbedded",
    "cryptofuse": "facade.providers.cryptofuse:Cryptofuse",
    "kuna-core": "facade.providers.kuna_core:KunaCore",
    "bpn": "facade.providers.bpn:Bpn",
}


def register_provider(name: str, adapter: str | type[Adapter[Any]]) -> None:
    """Make ``connect(name)`` use ``adapter`` (a class, or "package.module:ClassName")."""
    if isinstance(adapter, str) and ":" not in adapter:
        raise ConfigurationError(f"adapter path {adapter!r} must look like 'module:ClassName'")
    if isinstance(adapter, type) and getattr(adapter, "name", name) != name:
        raise ConfigurationError(f"{adapter.__qualname__}.name is {adapter.name!r}, not {name!r}")
    _PROVIDERS[name] = adapter


def unregister_provider(name: str) -> None:
    """Undo :func:`register_provider` (also for the built-in providers)."""
    if _PROVIDERS.pop(name, None) is None:
        raise ConfigurationError(f"unknown provider {name!r}; known: {', '.join(provider_names())}")


def provider_names() -> list[str]:
    """The names ``facade.connect`` accepts, sorted."""
    return sorted(_PROVIDERS)


def adapter_class(name: str) -> type[Adapter[Any]]:
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
