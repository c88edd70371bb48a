"""python -m scripts.spectools.diff OLD NEW: text and --json output, exit codes 0/1/2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.spec_tooling import SERVED, SPECS, run_spec_diff


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def _fireblocks() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((SERVED / "fireblocks.yaml").read_text())
    return doc


def test_breaking_used_first_then_others(tmp_path: Path) -> None:
    doc = _fireblocks()
    asset = doc["components"]["schemas"]["VaultAsset"]["properties"]
    asset["lockedBalance"] = asset.pop("lockedAmount")
    asset["stakingRewards"] = {"type": "string"}
    del doc["paths"]["/vault/accounts_paged"]  # breaking, but the facade does not call it
    new = _write(tmp_path / "fireblocks.yaml", doc)
    proc = run_spec_diff(str(SERVED / "fireblocks.yaml"), str(new))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert "  2 breaking (1 used by the facade), 1 compatible" in lines
    labels = [line.split("  ")[1] for line in lines if line.startswith("  ") and "[" in line]
    assert labels == ["BREAKING (used by facade)", "BREAKING", "compatible"]
    assert "VaultAsset.lockedAmount -> VaultAsset.lockedBalance" in proc.stdout
    assert "operation:getPagedVaultAccounts  [operation-removed]" in proc.stdout
    assert "VaultAsset.stakingRewards  [response-field-added]" in proc.stdout
    assert "breaking change(s) used by the facade" in lines[-1]


def test_breaking_but_unused_exits_0(tmp_path: Path) -> None:
    doc = _fireblocks()
    del doc["paths"]["/vault/accounts_paged"]
    proc = run_spec_diff(
        str(SERVED / "fireblocks.yaml"),
        str(_write(tmp_path / "fb.yaml", doc)),
        "--spec",
        "fireblocks",
    )
    assert proc.returncode == 0, proc.stdout
    assert "BREAKING  operation:getPagedVaultAccounts  [operation-removed]" in proc.stdout
    assert "no breaking change used by the facade" in proc.stdout


def test_no_changes_exits_0() -> None:
    proc = run_spec_diff(str(SPECS / "bpn.yaml"), str(SPECS / "bpn.yaml"))
    assert proc.returncode == 0
    assert "no changes" in proc.stdout


def test_json_output(tmp_path: Path) -> None:
    doc = _fireblocks()
    doc["components"]["securitySchemes"]["ApiKeyAuth"]["name"] = "X-Api-Key-V2"
    proc = run_spec_diff(
        str(SERVED / "fireblocks.yaml"), str(_write(tmp_path / "fireblocks.yaml", doc)), "--json"
    )
    assert proc.returncode == 1
    payload = json.loads(proc.stdout)
    assert payload["spec"] == "fireblocks"
    assert payload["summary"] == {"breaking": 1, "breaking_used_by_facade": 1, "compatible": 0}
    (change,) = payload["changes"]
    assert change == {
        "kind": "security-scheme-changed",
        "severity": "breaking",
        "operationIds": [
            "GetEmbeddedWalletAssetBalance",
            "RefreshEmbeddedWalletAssetBalance",
            "getPagedVaultAccounts",
            "getVaultAccount",
            "getVaultAccountAsset",
            "updateVaultAccountAssetBalance",
        ],
        "identifier": "security:ApiKeyAuth",
        "new_identifier": None,
        "message": "security scheme ApiKeyAuth changed: name: X-API-Key -> X-Api-Key-V2",
        "used_by_facade": True,
        "facade_operations": [
            "GetEmbeddedWalletAssetBalance",
            "RefreshEmbeddedWalletAssetBalance",
            "getVaultAccount",
            "getVaultAccountAsset",
            "updateVaultAccountAssetBalance",
        ],
    }


def test_spec_name_from_option_or_file_name(tmp_path: Path) -> None:
    doc = yaml.safe_load((SPECS / "bpn.yaml").read_text())
    doc["paths"]["/v1/wallet/asset-balance"]["get"]["parameters"][0]["required"] = True
    old = shutil.copy(SPECS / "bpn.yaml", tmp_path / "old.yaml")
    new = _write(tmp_path / "new.yaml", doc)
    unnamed = run_spec_diff(str(old), str(new))
    assert unnamed.returncode == 0  # "new" is in no usage map: nothing is used
    assert "usage map has no entry for spec 'new'" in unnamed.stdout
    named = run_spec_diff(str(old), str(new), "--spec", "bpn")
    assert named.returncode == 1
    assert "BREAKING (used by facade)  param:currency  [parameter-became-required]" in named.stdout


def test_json_documents_are_read(tmp_path: Path) -> None:
    doc = yaml.safe_load((SPECS / "cryptofuse.yaml").read_text())
    old = tmp_path / "cryptofuse.json"
    old.write_text(json.dumps(doc, indent="\t"))  # tabs: valid JSON, invalid YAML
    doc["components"]["schemas"]["CurrencyBalance"]["required"].remove("pendingAmount")
    new = tmp_path / "new" / "cryptofuse.json"
    new.parent.mkdir()
    new.write_text(json.dumps(doc))
    proc = run_spec_diff(str(old), str(new), "--json")
    assert proc.returncode == 1
    (change,) = json.loads(proc.stdout)["changes"]
    assert change["kind"] == "response-field-became-optional"
    assert change["identifier"] == "CurrencyBalance.pendingAmount"
    assert change["used_by_facade"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("openapi: 3.0.3\npaths: {a: [\n", "not valid YAML or JSON"),
        ("- just\n- a list\n", "top level is not a mapping"),
        ("swagger: '2.0'\npaths: {}\n", "not an OpenAPI 3 document"),
        ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n", "no 'paths' mapping"),
        (
            "openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n"
            "        '200': {$ref: '#/components/responses/Missing'}\n",
            "cannot be resolved",
        ),
        (
            "openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n"
            "        '200': {$ref: 'other.yaml#/components/responses/Ok'}\n",
            "other.yaml#/components/responses/Ok",
        ),
    ],
    ids=["not-yaml", "not-a-mapping", "swagger-2", "no-paths", "dangling-ref", "external-ref"],
)
def test_unusable_documents_exit_2(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bpn.yaml"
    bad.write_text(content)
    proc = run_spec_diff(str(SPECS / "bpn.yaml"), str(bad))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    proc = run_spec_diff(str(tmp_path / "missing.yaml"), str(SPECS / "bpn.yaml"))
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr


def test_json_schema_is_not_an_openapi_document() -> None:
    proc = run_spec_diff(str(SPECS / "wallet-balances.yaml"), str(SPECS / "wallet-balances.yaml"))
    assert proc.returncode == 2
    assert "not an OpenAPI 3 document (no 'openapi' key)" in proc.stderr


@pytest.mark.parametrize(
    "args", [[], ["only-one.yaml"], ["a.yaml", "b.yaml", "--rev", "HEAD"]], ids=str
)
def test_bad_arguments_exit_2(args: list[str]) -> None:
    assert run_spec_diff(*args).returncode == 2


def test_identifiers_lists_what_a_usage_map_may_name() -> None:
    text = run_spec_diff("--identifiers", str(SPECS / "kuna-core.yaml"))
    assert text.returncode == 0
    assert "login:\n    LoginResponse.data\n    LoginResponse.data.accessToken\n" in text.stdout
    as_json = run_spec_diff("--identifiers", str(SPECS / "bpn.yaml"), "--json")
    assert as_json.returncode == 0
    found = json.loads(as_json.stdout)
    assert set(found) == {"getAssetBalance"}
    assert {"param:currency", "WalletBalance.wallets", "security:BpnSignature"} <= set(
        found["getAssetBalance"]
    )
    assert run_spec_diff("--identifiers", str(SPECS / "wallet-balances.yaml")).returncode == 2
