"""Each adapter's ``reads`` (what the breaking-change report protects) covers every field its
mapper really reads from the generated models.

The mapper runs on the provider fixtures with every generated model behind a recording
proxy; each attribute read is checked against the adapter's declaration for that operation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
from support import FIXTURES

import facade
from facade import AssetTable
from facade._decimal import loads
from facade._registry import adapter_class
from facade._settings import COMMON_SETTINGS, load_settings
from facade.providers import Adapter, BalanceQuery, Reply

WALLETS = {"fireblocks-vault": ("0", None), "fireblocks-embedded": ("w-1", "0")}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


class _Recorder:
    """Stands in for a generated model: records each field read, answers like the model
    (``isinstance`` included), and wraps nested models and lists of them."""

    def __init__(self, target: Any, seen: set[tuple[str, str]]) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_seen", seen)

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(object.__getattribute__(self, "_target"))

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_target")
        seen = object.__getattribute__(self, "_seen")
        fields = {f.name for f in attrs.fields(type(target))}
        if name in fields and name != "additional_properties":
            seen.add((type(target).__name__, name))
        return _wrap(getattr(target, name), seen)


def _wrap(value: Any, seen: set[tuple[str, str]]) -> Any:
    if attrs.has(type(value)):
        return _Recorder(value, seen)
    if isinstance(value, list):
        return [_wrap(v, seen) for v in value]
    return value


def _adapter(name: str) -> Adapter[Any]:
    cls = adapter_class(name)
    settings = load_settings(
        name,
        COMMON_SETTINGS + cls.setting_specs,
        {"base_url": "http://127.0.0.1:9" + cls.base_path},
    )
    return cls(settings, AssetTable.of(name, cls.asset_codes))


def _cases() -> Iterator[tuple[str, str]]:
    for name in facade.provider_names():
        yield name, "balance"
        if adapter_class(name).capabilities.get("refresh") is facade.Support.NATIVE:
            yield name, "refresh"


@pytest.mark.parametrize(("provider", "kind"), list(_cases()))
def test_mapper_reads_only_declared_fields(provider: str, kind: str) -> None:
    adapter = _adapter(provider)
    wallet_id, account_id = WALLETS.get(provider, ("w-1", None))
    listable = adapter.capabilities.get("list_balances") is facade.Support.NATIVE
    assets = None if kind == "balance" and listable else ("BTC",)
    query = BalanceQuery(wallet_id, account_id, assets, "key-1")
    calls = adapter.refresh_calls(query) if kind == "refresh" else adapter.balance_calls(query)
    seen: set[tuple[str, str]] = set()
    replies = []
    for call in calls:
        body = loads((FIXTURES / adapter.spec / f"{call.operation}.json").read_bytes())
        model = _wrap(call.parse(body), seen)
        replies.append(Reply(call, 200, httpx.Headers(), body, model, None))
    mapped = adapter.map_balances(query, replies)
    assert mapped.balances, "the fixture should map to balances"
    assert seen, "the recorder saw no field read"
    declared = {
        (schema, _snake(prop))
        for operation in {c.operation for c in calls}
        for schema, _, prop in (i.partition(".") for i in adapter.reads[operation])
        if prop and "." not in prop and not schema.startswith(("param:", "security:"))
    }
    undeclared = seen - declared
    assert not undeclared, (
        f"{provider} reads {sorted(undeclared)} but its `reads` does not declare them,"
        " so the breaking-change report would not protect them"
    )
