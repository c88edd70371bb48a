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
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from .errors import ConfigurationError

if TYPE_CHECKING:
    import ssl

    import httpx

    from ._hooks import Hooks

__all__ = [
    "COMMON_SETTINGS",
    "CommonSettings",
    "Secret",
    "SettingSpec",
    "Settings",
    "load_settings",
]

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
    # Numbers: the least accepted value, and whether it is itself accepted.
    minimum: float = 0
    inclusive: bool = True


COMMON_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("base_url", doc="API root, e.g. https://api.fireblocks.io/v1"),
    SettingSpec(
        "timeout",
        float,
        default=10.0,
        doc="seconds for one attempt, body included",
        inclusive=False,
    ),
    SettingSpec("connect_timeout", float, default=5.0, inclusive=False),
    SettingSpec("max_retries", int, default=3, doc="retries after the first attempt"),
    SettingSpec("backoff_base", float, default=0.25, doc="first backoff, doubled per retry"),
    SettingSpec("backoff_max", float, default=8.0),
    SettingSpec("retry_after_cap", float, default=30.0, doc="longest Retry-After honoured"),
    SettingSpec("max_concurrency", int, default=64, doc="requests in flight per client", minimum=1),
    SettingSpec("rate_limits", dict, default=None, doc='{"operationId": "10/min", ...}'),
    SettingSpec("asset_map", dict, default=None, doc='{"CODE": ["SYMBOL", "network"]}'),
    SettingSpec("max_response_bytes", int, default=8 * 1024 * 1024, minimum=1),
)


class CommonSettings(TypedDict, total=False):
    """The keyword settings every provider takes (``COMMON_SETTINGS``), for type checkers.

    Each adapter module extends it with its provider's own settings; a guard test keeps
    these TypedDicts and the SettingSpecs in step. None means "not set" (the environment
    and the config file are still asked).
    """

    base_url: str | None
    timeout: float | None
    connect_timeout: float | None
    max_retries: int | None
    backoff_base: float | None
    backoff_max: float | None
    retry_after_cap: float | None
    max_concurrency: int | None
    rate_limits: Mapping[str, str] | None
    asset_map: Mapping[str, Sequence[str]] | None
    max_response_bytes: int | None
    config_file: str | os.PathLike[str] | None
    # Connection (facade/_connection.py): also from the environment and the TOML file.
    proxy: str | Secret | None
    proxy_file: str | os.PathLike[str] | None
    verify: str | os.PathLike[str] | ssl.SSLContext | bool | None
    cert: str | os.PathLike[str] | None
    cert_key: str | os.PathLike[str] | None
    cert_password: str | Secret | None
    cert_password_file: str | os.PathLike[str] | None
    # Objects, taken as keywords only.
    http_client: httpx.Client | httpx.AsyncClient | None
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None
    event_hooks: Mapping[str, Sequence[Callable[..., Any]]] | None
    trust_env: bool | None
    hooks: Hooks | None
    telemetry: bool | None
    otel_wallet_ids: bool | None


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


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bad(spec: SettingSpec, source: str, value: Any, accepted: str) -> ConfigurationError:
    """The one shape of a rejected value: the setting, where it came from, what it was, and
    what would have been accepted (secrets are never echoed)."""
    shown = "a secret value" if spec.secret else _describe(value)
    return ConfigurationError(f"setting {spec.name} from {source} must be {accepted}; got {shown}")


def _number(spec: SettingSpec, value: Any, source: str) -> int | float:
    bound = f"{'>=' if spec.inclusive else '>'} {spec.minimum:g}"
    accepted = f"{'a whole number' if spec.kind is int else 'a number'} {bound}"
    number: int | float
    if isinstance(value, bool):
        raise _bad(spec, source, value, accepted)
    if spec.kind is int:
        # 2.7 is not silently 2: only whole numbers (or their text) are integers.
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            number = int(value)
        else:
            raise _bad(spec, source, value, accepted)
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _bad(spec, source, value, accepted) from None
        if not math.isfinite(number):
            raise _bad(spec, source, value, accepted)
    if number < spec.minimum or (not spec.inclusive and number == spec.minimum):
        raise _bad(spec, source, value, accepted)
    return number


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
        raise _bad(spec, source, value, "a table/mapping")
    if spec.secret:
        if isinstance(value, Secret):
            return value
        if not isinstance(value, str) or not value:
            raise _bad(spec, source, value, "a string")
        return Secret(value)
    if spec.kind in (int, float):
        return _number(spec, value, source)
    if not isinstance(value, str):
        raise _bad(spec, source, value, "a string")
    return value


def closest(name: str, candidates: Any) -> str:
    """' (did you mean X?)' for the closest candidate, or ''."""
    import difflib  # noqa: PLC0415 - only a misspelt setting needs it

    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


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


def _load_toml(path: Any, provider: str, known_providers: Iterable[str]) -> Mapping[str, Any]:
    """The ``[provider]`` table of a settings file; relative ``*_file`` paths in it are
    resolved against the file's own folder (as in sweep files), not the working directory."""
    import tomllib  # noqa: PLC0415 - only a config file needs it

    file = Path(os.fspath(path)).expanduser()
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigurationError(f"cannot read config file {str(path)!r}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    known = sorted({*known_providers, provider})
    for name in data:
        if name not in known:
            raise ConfigurationError(
                f"config file {str(path)!r}: [{name}] is not a provider{closest(name, known)};"
                f" accepted tables: {', '.join(f'[{k}]' for k in known)}"
            )
    table = data.get(provider, {})
    if not isinstance(table, Mapping):
        raise ConfigurationError(f"config file {str(path)!r}: [{provider}] must be a table")
    return {
        key: str(file.parent / value)
        if key.endswith("_file")
        and isinstance(value, str)
        and value
        and not Path(value).expanduser().is_absolute()
        else value
        for key, value in table.items()
    }


def _check_environment(
    provider: str, accepted: Iterable[str], env: Mapping[str, str], known: Iterable[str]
) -> None:
    """An unknown ``WALLET_BALANCES_<PROVIDER>_*`` variable of this provider is a typo: fail,
    rather than run without the setting the caller meant to give."""
    prefix = _env_name(provider, "")
    # A longer provider name sharing the prefix owns its own variables ("kuna" vs "kuna-core").
    others = [_env_name(p, "") for p in known if p != provider]
    others = [o for o in others if o.startswith(prefix)]
    names = {_env_name(provider, a): a for a in accepted}
    for variable in env:
        if not variable.startswith(prefix) or variable in names:
            continue
        if any(variable.startswith(o) for o in others):
            continue
        raise ConfigurationError(
            f"environment variable {variable} is not a setting of {provider}"
            f"{closest(variable, names)}; accepted: {', '.join(sorted(names))}",
            provider=provider,
        )


def load_settings(
    provider: str,
    specs: tuple[SettingSpec, ...],
    kwargs: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    known_providers: Iterable[str] = (),
) -> Settings:
    """Resolve settings for one provider: kwargs win over environment over TOML file.

    Relative ``*_file`` paths from keyword arguments and the environment are relative to the
    working directory; those in a TOML file are relative to that file's folder.
    """
    env = os.environ if environ is None else environ
    by_name = {s.name: s for s in specs}
    accepted = set(by_name) | {f"{s.name}_file" for s in specs if s.secret} | {"config_file"}
    unknown = sorted(set(kwargs) - accepted)
    if unknown:
        hints = "".join(closest(name, accepted) for name in unknown[:1])
        raise ConfigurationError(
            f"unknown setting(s) for {provider}: {', '.join(unknown)}{hints};"
            f" accepted: {', '.join(sorted(accepted))}",
            provider=provider,
        )
    _check_environment(provider, accepted - {"config_file"}, env, known_providers)
    config_path = kwargs.get("config_file") or env.get(CONFIG_ENV)
    file_values = _load_toml(config_path, provider, known_providers) if config_path else {}
    unknown_file = sorted(set(file_values) - accepted)
    if unknown_file:
        hints = "".join(closest(name, accepted) for name in unknown_file[:1])
        raise ConfigurationError(
            f"config file {str(config_path)!r} [{provider}]: unknown setting(s)"
            f" {', '.join(unknown_file)}{hints}; accepted: {', '.join(sorted(accepted))}",
            provider=provider,
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
