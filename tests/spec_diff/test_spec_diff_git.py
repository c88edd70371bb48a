"""spec_diff against git: --rev REV (nox -s spec_diff) and --merge-base (nox -s drift).

Each test builds a throwaway repository from a copy of specs/, scripts/ and the usage map.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from support.spec_tooling import GIT_ENV, copy_repo, git, run_spec_diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_repo(tmp_path / "repo", with_generated=False)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "specs")
    return root


def _spec_diff(root: Path, *args: str) -> tuple[int, str, str]:
    env = dict(GIT_ENV, GIT_CEILING_DIRECTORIES=str(root.parent))
    proc = run_spec_diff(*args, cwd=root, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def _add_required_bpn_parameter(root: Path) -> None:
    path = root / "specs" / "bpn.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["paths"]["/v1/wallet/asset-balance"]["get"]["parameters"].append(
        {"in": "query", "name": "accountType", "required": True, "schema": {"type": "string"}}
    )
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def _add_kuna_field(root: Path) -> None:
    path = root / "specs" / "kuna-core.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["components"]["schemas"]["AssetBalance"]["properties"]["stakingBalance"] = {
        "type": "string"
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_merge_base_on_main_compares_the_working_tree_with_head(repo: Path) -> None:
    """On main itself, an update not yet committed is exactly what the gate must show."""
    code, out, _ = _spec_diff(repo, "--merge-base")
    assert code == 0
    assert "(HEAD, which is main: the working tree's uncommitted changes)" in out
    assert "fireblocks: unchanged" in out
    doc = yaml.safe_load((repo / "specs" / "kuna-core.yaml").read_text())
    del doc["components"]["schemas"]["AssetBalance"]["properties"]["holdBalance"]
    (repo / "specs" / "kuna-core.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    code, out, _ = _spec_diff(repo, "--merge-base")
    assert code == 1
    assert "BREAKING (used by facade)  AssetBalance.holdBalance" in out


def test_merge_base_outside_git_has_nothing_to_compare(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "plain", with_generated=False)
    code, out, _ = _spec_diff(root, "--merge-base")
    assert code == 0
    assert out == "spec_diff: not inside a git checkout; nothing to compare.\n"


def test_merge_base_without_a_main_ref(repo: Path) -> None:
    git(repo, "branch", "-m", "main", "trunk")
    code, out, _ = _spec_diff(repo, "--merge-base")
    assert code == 0
    assert out == "spec_diff: no origin/main or main ref; nothing to compare.\n"


def test_merge_base_on_a_branch_reports_every_spec(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "-b", "feature")
    _add_required_bpn_parameter(repo)
    shutil.copy(repo / "specs" / "bpn.yaml", repo / "specs" / "newprovider.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "bpn: accountType")
    _add_kuna_field(repo)  # not committed: the working tree is what is compared
    code, out, _ = _spec_diff(repo, "--merge-base")
    assert code == 1, out
    assert "merge base of HEAD and main" in out
    assert "BREAKING (used by facade)  param:accountType  [parameter-added-required]" in out
    assert "compatible  AssetBalance.stakingBalance  [response-field-added]" in out
    assert "newprovider: new spec (not in " in out
    assert "cryptofuse: unchanged" in out
    assert "spec_diff: 1 breaking change(s) used by the facade" in out


def test_merge_base_prefers_origin_main(repo: Path) -> None:
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "--quiet", "-b", "feature")
    _add_kuna_field(repo)
    git(repo, "commit", "--quiet", "-am", "kuna")
    code, out, _ = _spec_diff(repo, "--merge-base")
    assert code == 0, out
    assert "merge base of HEAD and origin/main" in out
    assert "spec_diff: no breaking change used by the facade." in out


def test_rev_json(repo: Path) -> None:
    _add_required_bpn_parameter(repo)
    code, out, _ = _spec_diff(repo, "--rev", "HEAD", "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["rev"] == "HEAD"
    assert payload["breaking_used_by_facade"] == 1
    statuses = {s["spec"]: s["status"] for s in payload["specs"]}
    assert statuses == {
        "bpn": "compared",
        "cryptofuse": "unchanged",
        "fireblocks": "unchanged",
        "kuna-core": "unchanged",
        "wallet-balances": "unchanged",
    }
    (bpn,) = [s for s in payload["specs"] if s["spec"] == "bpn"]
    assert [c["identifier"] for c in bpn["changes"]] == ["param:accountType"]


def test_rev_deleted_spec_removes_its_operations(repo: Path) -> None:
    (repo / "specs" / "bpn.yaml").unlink()
    code, out, _ = _spec_diff(repo, "--rev", "HEAD")
    assert code == 1
    assert "BREAKING (used by facade)  operation:getAssetBalance  [operation-removed]" in out


def test_rev_json_schema_changes_are_not_compared(repo: Path) -> None:
    path = repo / "specs" / "wallet-balances.yaml"
    path.write_text(path.read_text() + "\n# touched\n")
    code, out, _ = _spec_diff(repo, "--rev", "HEAD")
    assert code == 0
    assert "wallet-balances: changed, but not an OpenAPI 3 document: not compared" in out


def test_unknown_rev_exits_2(repo: Path) -> None:
    code, out, err = _spec_diff(repo, "--rev", "no-such-branch")
    assert code == 2
    assert "unknown git revision 'no-such-branch'" in err
    assert out == ""
