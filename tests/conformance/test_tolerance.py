"""Tolerant reading, for every provider, sync and async, over real HTTP.

From each documented example response (tests/fixtures), every field the facade does not map
into total/available/pending/locked or the asset code is, one at a time, set to null,
retyped, removed; and every object is joined by unknown keys. Each mutated body is served
on loopback and read through the facade: the balances must equal the unmutated read, and
the mutated item must be what ``Balance.raw`` carries. The counter-test: a mapped amount
that is not a number, or a required one that is missing, is still a ``ProtocolError``.

The bodies are served by the recording server rather than the sandbox: the sandbox checks
its own responses against the spec, and these bodies are off-spec on purpose.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from support import RecordingServer, Reply, fixture_json
from support.clients import call

from facade import errors

Path = tuple[str | int, ...]
_ANY = "*"  # any list index in a pattern


@dataclass(frozen=True)
class Case:
    """One documented example: how to read it, and which of its fields the facade maps."""

    provider: str
    fixture: tuple[str, str]  # (fixtures folder, operationId)
    route: str  # the path the facade requests
    kwargs: dict[str, Any]
    wallet: str
    # Paths (``*`` = any index) mapped into the amounts or the asset code; their ancestors
    # are the structure that leads to them and are not mutated either.
    mapped: tuple[Path, ...]
    # Mapped amounts: set to text that is not a number, the read must fail.
    amounts: tuple[Path, ...]
    # Required mapped fields: removed, the read must fail.
    required: tuple[Path, ...]
    items: Path  # where the per-balance items are (their raw is checked), () for the body


_VAULT_ITEM = ("total", "available", "pending", "frozen", "lockedAmount")
CASES = [
    Case(
        "fireblocks-vault",
        ("fireblocks", "getVaultAccount"),
        "/v1/vault/accounts/0",
        {},
        "0",
        mapped=(("assets", _ANY, "id"), *(("assets", _ANY, f) for f in _VAULT_ITEM)),
        amounts=(("assets", 0, "total"), ("assets", 0, "available"), ("assets", 0, "frozen")),
        required=(("assets", 0, "total"), ("assets", 0, "available"), ("assets", 0, "id")),
        items=("assets",),
    ),
    Case(
        "fireblocks-vault",
        ("fireblocks", "getVaultAccountAsset"),
        "/v1/vault/accounts/0/BTC",
        {"assets": ["BTC"]},
        "0",
        mapped=tuple((f,) for f in _VAULT_ITEM),  # the asset code is the one asked for
        amounts=(("total",), ("pending",), ("lockedAmount",)),
        required=(("total",), ("available",)),
        items=(),
    ),
    Case(
        "fireblocks-embedded",
        ("fireblocks", "GetEmbeddedWalletAssetBalance"),
        "/v1/ncw/wallets/w-1/accounts/0/assets/BTC/balance",
        {"assets": ["BTC"], "account_id": "0"},
        "w-1",
        mapped=tuple((f,) for f in _VAULT_ITEM),
        amounts=(("total",), ("available",), ("frozen",)),
        required=(("total",), ("available",)),
        items=(),
    ),
    Case(
        "cryptofuse",
        ("cryptofuse", "getWalletBalances"),
        "/wallets/balances",
        {},
        "550e8400-e29b-41d4-a716-446655440000",
        mapped=tuple(
            ("result", "balances", _ANY, f) for f in ("currency", "amount", "pendingAmount")
        ),
        amounts=(("result", "balances", 0, "amount"), ("result", "balances", 1, "pendingAmount")),
        required=(("result", "balances", 0, "amount"), ("result", "balances", 0, "currency")),
        items=("result", "balances"),
    ),
    Case(
        "kuna-core",
        ("kuna-core", "getBalances"),
        "/v2/balance",
        {},
        "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5",
        mapped=tuple(("data", _ANY, f) for f in ("asset", "balance", "holdBalance", "lockBalance")),
        amounts=(("data", 0, "balance"), ("data", 1, "holdBalance")),
        required=(("data", 0, "balance"), ("data", 0, "asset")),
        items=("data",),
    ),
    Case(
        "bpn",
        ("bpn", "getAssetBalance"),
        "/v1/wallet/asset-balance",
        {},
        "40",
        # `status` is the envelope's success flag: read by the core, so mapped.
        mapped=(
            ("status",),
            *(("data", "wallets", _ANY, f) for f in ("currency", "available", "unavailable")),
        ),
        amounts=(("data", "wallets", 0, "available"), ("data", "wallets", 0, "unavailable")),
        required=(("data", "wallets", 0, "available"), ("data", "wallets", 0, "currency")),
        items=("data", "wallets"),
    ),
]


def _matches(path: Path, pattern: Path) -> bool:
    return len(path) == len(pattern) and all(
        p == q or (q == _ANY and isinstance(p, int)) for p, q in zip(path, pattern, strict=True)
    )


def _is_mapped(path: Path, case: Case) -> bool:
    """Mapped, or an ancestor of something mapped (the structure leading to it)."""
    return any(_matches(path, pattern[: len(path)]) for pattern in case.mapped)


def _paths(node: Any, prefix: Path = ()) -> Iterator[Path]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _get(node: Any, path: Path) -> Any:
    for part in path:
        node = node[part]
    return node


def _retyped(value: Any) -> Any:
    if isinstance(value, str):
        return {"retyped": value}
    if isinstance(value, dict | list):
        return "retyped"
    if isinstance(value, bool) or value is None:
        return 12345
    return "retyped"  # a number


def _mutations(body: Any, case: Case) -> Iterator[tuple[str, Any]]:
    unmapped = [p for p in _paths(body) if not _is_mapped(p, case)]
    assert unmapped, f"{case.fixture}: nothing to mutate"
    for path in unmapped:
        name = "/".join(str(p) for p in path)
        original = _get(body, path)
        for label, apply in (
            ("null", lambda parent, key: parent.__setitem__(key, None)),
            ("retyped", lambda parent, key, v=original: parent.__setitem__(key, _retyped(v))),
            ("removed", lambda parent, key: parent.__delitem__(key)),
        ):
            if label == "removed" and isinstance(path[-1], int):
                continue  # removing an item of an unmapped list: covered by the list itself
            mutated = copy.deepcopy(body)
            apply(_get(mutated, path[:-1]), path[-1])
            yield f"{name} {label}", mutated
    yield "unknown keys everywhere", _with_unknown_keys(copy.deepcopy(body))


def _with_unknown_keys(node: Any) -> Any:
    if isinstance(node, dict):
        for value in node.values():
            _with_unknown_keys(value)
        node["xUnknownField"] = {"nested": [1, "two", None], "flag": True}
    elif isinstance(node, list):
        for value in node:
            _with_unknown_keys(value)
    return node


def _amounts(result: Any) -> list[tuple[Any, ...]]:
    return [(b.asset, b.total, b.available, b.pending, b.locked) for b in result.balances]


def _read(
    mode: str, server: RecordingServer, settings: dict[str, Any], case: Case, body: Any
) -> Any:
    server.route(case.route, Reply.json(json.dumps(body).encode()))
    return call(mode, case.provider, settings, "get_balances", case.wallet, **case.kwargs)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.provider}:{c.fixture[1]}")
async def test_unmapped_fields_never_change_a_read(
    case: Case, mode: str, recording_server: RecordingServer, settings_for: Callable[..., Any]
) -> None:
    settings = settings_for(case.provider, max_retries=0)
    body = fixture_json(*case.fixture)
    baseline = _amounts(await _read(mode, recording_server, settings, case, body))
    assert baseline
    failures = []
    count = 0
    for name, mutated in _mutations(body, case):
        count += 1
        try:
            result = await _read(mode, recording_server, settings, case, mutated)
        except errors.FacadeError as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if _amounts(result) != baseline:
            failures.append(f"{name}: {_amounts(result)} != {baseline}")
            continue
        items = _get(mutated, case.items)
        raws = items if isinstance(items, list) else [items]
        if [b.raw for b in result.balances] != raws:
            failures.append(f"{name}: raw is not the body as received")
    assert not failures, f"{len(failures)} of {count} mutations:\n" + "\n".join(failures)
    assert count >= 5


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.provider}:{c.fixture[1]}")
async def test_mapped_fields_still_fail_a_read(
    case: Case, mode: str, recording_server: RecordingServer, settings_for: Callable[..., Any]
) -> None:
    settings = settings_for(case.provider, max_retries=0)
    body = fixture_json(*case.fixture)
    broken: list[tuple[str, Any]] = []
    for path in case.amounts:
        mutated = copy.deepcopy(body)
        _get(mutated, path[:-1])[path[-1]] = "twelve"
        broken.append((f"{path} not a number", mutated))
    for path in case.required:
        mutated = copy.deepcopy(body)
        del _get(mutated, path[:-1])[path[-1]]
        broken.append((f"{path} missing", mutated))
    for name, mutated in broken:
        with pytest.raises(errors.ProtocolError) as info:
            await _read(mode, recording_server, settings, case, mutated)
        assert info.value.provider == case.provider, name


# The shapes the issue reported, and what the official documents disagree on, read as-is.
SHAPES = [
    ("fireblocks-vault", "getVaultAccountAsset", ("rewardsInfo",), None),
    ("fireblocks-vault", "getVaultAccountAsset", ("totalStakedCPU",), 0.5),
    ("fireblocks-embedded", "GetEmbeddedWalletAssetBalance", ("rewardInfo",), None),
    ("kuna-core", "getBalances", ("data", 0, "depositAddress"), None),
    (
        "fireblocks-vault",
        "getVaultAccount",
        ("tags",),
        [
            {
                "id": "5d0c4a7e-7b7f-4f3e-9d2c-0c0c0c0c0c0c",
                "label": "ops",
                "isProtected": False,
                "updatedAt": 1767225600000,
                "type": "CUSTOM",
            }
        ],
    ),
]


@pytest.mark.parametrize(("provider", "operation", "path", "value"), SHAPES)
async def test_reported_shapes_read(
    provider: str,
    operation: str,
    path: Path,
    value: Any,
    mode: str,
    recording_server: RecordingServer,
    settings_for: Callable[..., Any],
) -> None:
    (case,) = [c for c in CASES if c.provider == provider and c.fixture[1] == operation]
    settings = settings_for(case.provider, max_retries=0)
    body = fixture_json(*case.fixture)
    baseline = _amounts(await _read(mode, recording_server, settings, case, body))
    _get(body, path[:-1])[path[-1]] = value
    result = await _read(mode, recording_server, settings, case, body)
    assert _amounts(result) == baseline
