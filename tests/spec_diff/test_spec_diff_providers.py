"""One real-world-shaped change per provider, applied to a copy of our real spec, judged
against the facade's real usage map (facade/_usage.py)."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.spec_tooling import SERVED, run_spec_diff

from scripts.spectools import diff

Mutation = Callable[[dict[str, Any]], None]


def _changed_copy(tmp_path: Path, name: str, mutate: Mutation) -> Path:
    doc = yaml.safe_load((SERVED / f"{name}.yaml").read_text())
    mutate(doc)
    target = tmp_path / f"{name}.yaml"  # the file name names the spec
    target.write_text(yaml.safe_dump(doc, sort_keys=False))
    return target


def _records(changes: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (c.kind, c.severity, c.identifier, c.new_identifier, c.operation_ids, c.used_by_facade)
        for c in changes
    ]


def rename_locked_amount(doc: dict[str, Any]) -> None:
    schema = doc["components"]["schemas"]["VaultAsset"]
    schema["properties"] = {
        ("lockedBalance" if key == "lockedAmount" else key): value
        for key, value in schema["properties"].items()
    }


def amount_becomes_number(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["CurrencyBalance"]["properties"]["amount"]["type"] = "number"


def new_optional_field(doc: dict[str, Any]) -> None:
    properties = doc["components"]["schemas"]["AssetBalance"]["properties"]
    properties["stakingBalance"] = {"type": "string", "description": "Balance in staking."}


def new_required_query_parameter(doc: dict[str, Any]) -> None:
    operation = doc["paths"]["/v1/wallet/asset-balance"]["get"]
    operation["parameters"].append(
        {"in": "query", "name": "accountType", "required": True, "schema": {"type": "string"}}
    )


CASES = [
    pytest.param(
        "fireblocks",
        rename_locked_amount,
        [
            (
                "response-field-renamed",
                "breaking",
                "VaultAsset.lockedAmount",
                "VaultAsset.lockedBalance",
                (
                    "getPagedVaultAccounts",
                    "getVaultAccount",
                    "getVaultAccountAsset",
                    "updateVaultAccountAssetBalance",
                ),
                True,
            )
        ],
        1,
        id="fireblocks-renames-lockedAmount",
    ),
    pytest.param(
        "cryptofuse",
        amount_becomes_number,
        [
            (
                "response-field-type-changed",
                "breaking",
                "CurrencyBalance.amount",
                None,
                ("getWalletBalances",),
                True,
            )
        ],
        1,
        id="cryptofuse-amount-string-to-number",
    ),
    pytest.param(
        "kuna-core",
        new_optional_field,
        [
            (
                "response-field-added",
                "compatible",
                "AssetBalance.stakingBalance",
                None,
                ("getBalances",),
                False,
            )
        ],
        0,
        id="kuna-core-new-optional-field",
    ),
    pytest.param(
        "bpn",
        new_required_query_parameter,
        [
            (
                "parameter-added-required",
                "breaking",
                "param:accountType",
                None,
                ("getAssetBalance",),
                True,
            )
        ],
        1,
        id="bpn-new-required-query-parameter",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "expected", "exit_code"), CASES)
def test_provider_change_is_classified(
    tmp_path: Path, name: str, mutate: Mutation, expected: list[Any], exit_code: int
) -> None:
    new = _changed_copy(tmp_path, name, mutate)
    report = diff.diff_files(SERVED / f"{name}.yaml", new, None, diff.load_usage())
    assert report.spec == name
    assert _records(report.changes) == expected


@pytest.mark.parametrize(("name", "mutate", "expected", "exit_code"), CASES)
def test_provider_change_through_the_cli(
    tmp_path: Path, name: str, mutate: Mutation, expected: list[Any], exit_code: int
) -> None:
    new = _changed_copy(tmp_path, name, mutate)
    text = run_spec_diff(str(SERVED / f"{name}.yaml"), str(new))
    assert text.returncode == exit_code, text.stdout + text.stderr
    label = "BREAKING (used by facade)" if expected[0][5] else "compatible"
    assert f"  {label}  {expected[0][2]}" in text.stdout
    as_json = run_spec_diff(str(SERVED / f"{name}.yaml"), str(new), "--json")
    assert as_json.returncode == exit_code
    payload = json.loads(as_json.stdout)
    assert payload["spec"] == name
    assert [
        (
            c["kind"],
            c["severity"],
            c["identifier"],
            c["new_identifier"],
            tuple(c["operationIds"]),
            c["used_by_facade"],
        )
        for c in payload["changes"]
    ] == expected


def test_fireblocks_rename_names_the_operations_the_facade_uses(tmp_path: Path) -> None:
    new = _changed_copy(tmp_path, "fireblocks", rename_locked_amount)
    (change,) = diff.diff_files(SERVED / "fireblocks.yaml", new, None, diff.load_usage()).changes
    # getPagedVaultAccounts returns VaultAsset too, but the facade does not call it.
    assert change.facade_operations == (
        "getVaultAccount",
        "getVaultAccountAsset",
        "updateVaultAccountAssetBalance",
    )


@pytest.mark.parametrize("name", ["fireblocks", "cryptofuse", "kuna-core", "bpn"])
def test_real_spec_against_itself_has_no_changes(name: str) -> None:
    doc = diff.load_document(SERVED / f"{name}.yaml")
    assert diff.diff_documents(doc, doc, diff.load_usage()[name]) == []


@pytest.mark.parametrize("name", ["fireblocks", "cryptofuse", "kuna-core", "bpn"])
def test_usage_map_names_only_things_the_spec_has(name: str) -> None:
    """Identifiers the tool cannot see in the spec would never be flagged as used."""
    exposed = diff.identifiers(diff.load_document(SERVED / f"{name}.yaml"))
    for operation, used in diff.load_usage()[name].items():
        assert operation in exposed, operation
        assert used <= exposed[operation], sorted(used - exposed[operation])


def test_usage_map_read_by_path_is_the_facade_one() -> None:
    """The report reads the usage map the facade exports (`facade._usage`), not a copy."""
    facade_usage = importlib.import_module("facade._usage")
    assert dict(diff.load_usage()) == dict(facade_usage.spec_usage())
