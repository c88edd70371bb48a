"""Settings: keyword arguments, then environment variables, then a TOML file.

For provider ``fireblocks-vault`` and setting ``api_key`` the environment variable is
``WALLET_BALANCES_FIREBLOCKS_VAULT_API_KEY``. The TOML file (``config_file=`` or
``WALLET_BALANCES_CONFIG``) has one table per provider::

    [fireblocks-vault]
    base_url = "https://api.fireblocks.io/v1"
    api_key = "..."
    private_key_file = "/run/secrets/fireblocks.pem"

Every secret setting can also be given as ``<name>_file``: the file's content is the secret.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigurationError

__all__ = ["COMMON_SETTINGS", "Secret", "SettingSpec", "Settings", "load_settings"]

ENV_PREFIX = "WALLET_BALANCES_"
CONFIG_ENV = "WALLET_BALANCES_CONFIG"


class Secret:
    """A credential that never shows itself in ``repr``, ``str``, logs or errors."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("Secret values are not picklable")


@dataclass(frozen=True)
class SettingSpec:
    """One setting a provider accepts."""

    name: str
    kind: type = str
    secret: bool = False
    default: Any = None
    doc: str = ""


COMMON_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("base_url", doc="API root, e.g. https://api.fireblocks.io/v1"),
    SettingSpec("timeout", float, default=10.0, doc="seconds for one attempt, body included"),
    SettingSpec("connect_timeout", float, default=5.0),
    SettingSpec("max_retries", int, default=3, doc="retries after the first attempt"),
    SettingSpec("backoff_base", float, default=0.25, doc="first backoff, doubled per retry"),
    SettingSpec("backoff_max", float, default=8.0),
    SettingSpec("retry_after_cap", float, default=30.0, doc="longest Retry-After honoured"),
    SettingSpec("max_concurrency", int, default=64, doc="requests in flight per client"),
    SettingSpec("rate_limits", dict, default=None, doc='{"operationId": "10/min", ...}'),
    SettingSpec("asset_map", dict, default=None, doc='{"CODE": ["SYMBOL", "network"]}'),
    SettingSpec("max_response_bytes", int, default=8 * 1024 * 1024),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one client. Secrets stay wrapped in :class:`Secret`."""

    provider: str
    values: Mapping[str, Any] = field(repr=False)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def secret(self, name: str) -> str | None:
        value = self.values.get(name)
        return value.get_secret_value() if isinstance(value, Secret) else None

    def secret_values(self) -> list[str]:
        return [v.get_secret_value() for v in self.values.values() if isinstance(v, Secret)]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(self.values.items()) if v is not None)
        return f"Settings(provider={self.provider!r}, {shown})"


def _env_name(provider: str, setting: str) -> str:
    return f"{ENV_PREFIX}{provider.upper().replace('-', '_')}_{setting.upper()}"


def _coerce(spec: SettingSpec, value: Any, source: str) -> Any:
    if value is None:
        return None
    if spec.kind is dict:
        if isinstance(value, str):  # environment variables carry tables as JSON
            try:
                value = json.loads(value)
            except ValueError:
                raise ConfigurationError(
                    f"setting {spec.name} from {source} must be a JSON object"
                ) from None
        if isinstance(value, Mapping):
            return dict(value)
        raise ConfigurationError(f"setting {spec.name} from {source} must be a table/mapping")
    if spec.secret:
        if isinstance(value, Secret):
            return value
        if not isinstance(value, str) or not value:
            raise ConfigurationError(f"setting {spec.name} from {source} must be a string")
        return Secret(value)
    if spec.kind in (int, float):
        if isinstance(value, bool):
            raise ConfigurationError(f"setting {spec.name} from {source} must be a number")
        try:
            number = spec.kind(value)
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"setting {spec.name} from {source} must be a number, got {value!r}"
            ) from None
        if number < 0:
            raise ConfigurationError(f"setting {spec.name} from {source} must not be negative")
        return number
    if not isinstance(value, str):
        raise ConfigurationError(f"setting {spec.name} from {source} must be a string")
    return value


def _read_secret_file(path: Any, name: str) -> Secret:
    try:
        text = Path(os.fspath(path)).expanduser().read_text(encoding="utf-8")
    except (OSError, TypeError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unreadable"
        if isinstance(exc, UnicodeDecodeError):
            reason = "not UTF-8 text (a PEM file is expected for keys)"
        raise ConfigurationError(f"cannot read {name}_file {str(path)!r}: {reason}") from None
    if not text.strip():
        raise ConfigurationError(f"{name}_file {str(path)!r} is empty")
    return Secret(text.strip() + "\n" if "-----BEGIN" in text else text.strip())


def _load_toml(path: Any, provider: str) -> Mapping[str, Any]:
    try:
        with Path(os.fspath(path)).expanduser().open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigurationError(f"cannot read config file {str(path)!r}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    table = data.get(provider, {})
    if not isinstance(table, Mapping):
        raise ConfigurationError(f"config file {str(path)!r}: [{provider}] must be a table")
    return table


def load_settings(
    provider: str,
    specs: tuple[SettingSpec, ...],
    kwargs: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings for one provider: kwargs win over environment over TOML file."""
    env = os.environ if environ is None else environ
    by_name = {s.name: s for s in specs}
    accepted = set(by_name) | {f"{s.name}_file" for s in specs if s.secret} | {"config_file"}
    unknown = sorted(set(kwargs) - accepted)
    if unknown:
        raise ConfigurationError(
            f"unknown setting(s) for {provider}: {', '.join(unknown)};"
            f" accepted: {', '.join(sorted(accepted))}"
        )
    config_path = kwargs.get("config_file") or env.get(CONFIG_ENV)
    file_values = _load_toml(config_path, provider) if config_path else {}
    unknown_file = sorted(set(file_values) - accepted)
    if unknown_file:
        raise ConfigurationError(
            f"config file {str(config_path)!r} [{provider}]: unknown setting(s)"
            f" {', '.join(unknown_file)}"
        )

    values: dict[str, Any] = {}
    for spec in specs:
        candidates: list[tuple[str, str, Any]] = [
            ("keyword argument", spec.name, kwargs.get(spec.name)),
            ("keyword argument", f"{spec.name}_file", kwargs.get(f"{spec.name}_file")),
            ("environment", spec.name, env.get(_env_name(provider, spec.name))),
            (
                "environment",
                f"{spec.name}_file",
                env.get(_env_name(provider, f"{spec.name}_file")),
            ),
            ("config file", spec.name, file_values.get(spec.name)),
            ("config file", f"{spec.name}_file", file_values.get(f"{spec.name}_file")),
        ]
        value: Any = None
        for source, key, raw in candidates:
            if raw is None:
                continue
            if key.endswith("_file") and spec.secret:
                value = _read_secret_file(raw, spec.name)
            else:
                value = _coerce(spec, raw, source)
            break
        values[spec.name] = spec.default if value is None else value
    return Settings(provider=provider, values=values)
