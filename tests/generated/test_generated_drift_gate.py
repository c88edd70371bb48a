"""The drift gate (`python -m scripts.spectools.generate --check`, i.e. `nox -s drift`), run on
copies of the repo.

The generator derives its root from its own location, so the copy in tmp_path is what it
reads and writes; the real checkout is never touched. Each full generation takes seconds, so the
scenarios below run the script a fixed number of times (module-scoped) and the parametrized
tests only read the recorded results.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.specs import (
    GENERATED_DIR,
    MANIFEST,
    copy_repository,
    drift_sections,
    generator_env,
    manifest,
    manifest_entry,
    run_generate,
    tree_bytes,
)

# Each full generation takes seconds; the module-scoped runs get more than the default 120 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FIX_HINT = "Fix: run `nox -s generate` and commit specs/ and generated/ together."
SPEC_NAMES = [e.name for e in manifest()]


@dataclass(frozen=True)
class Mutation:
    """Rename one property of one schema; `stale` is the generated file that must change."""

    schema: str
    old: str
    new: str
    stale: str


MUTATIONS: Mapping[str, Mutation] = {
    "fireblocks": Mutation(
        "EmbeddedWalletAssetBalance",
        "lockedAmount",
        "lockedFunds",
        "models/embedded_wallet_asset_balance.py",
    ),
    "cryptofuse": Mutation(
        "CurrencyBalance", "pendingAmount", "pendingFunds", "models/currency_balance.py"
    ),
    "kuna-core": Mutation("AssetBalance", "holdBalance", "heldFunds", "models/asset_balance.py"),
    "bpn": Mutation(
        "CurrencyBalance", "balanceChange", "balanceDelta", "models/currency_balance.py"
    ),
    "wallet-balances": Mutation("FiatValuation", "currency", "currency_code", "__init__.py"),
}


def _rename_property(spec_file: Path, mutation: Mutation) -> None:
    doc: dict[str, Any] = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"] if "components" in doc else doc["$defs"]
    schema = schemas[mutation.schema]
    assert mutation.old in schema["properties"], f"{spec_file.name}: no {mutation.old}"
    schema["properties"] = {
        (mutation.new if k == mutation.old else k): v for k, v in schema["properties"].items()
    }
    if "required" in schema:
        schema["required"] = [mutation.new if r == mutation.old else r for r in schema["required"]]
    spec_file.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _spec_entries(stderr: str, name: str) -> dict[str, list[str]]:
    return {k: v for k, v in drift_sections(stderr).items() if k.startswith(f"spec {name}: ")}


def _repo_fingerprint() -> dict[str, bytes]:
    """What a script acting on the wrong root would rewrite: the manifest and generated/."""
    return {"specs/sources.toml": MANIFEST.read_bytes(), **tree_bytes(GENERATED_DIR)}


def test_every_spec_has_a_mutation() -> None:
    assert set(MUTATIONS) == set(SPEC_NAMES)


# --- (a) a fresh copy passes ----------------------------------------------------------------


def test_fresh_copy_passes_check(tmp_path: Path, generator_python: Path) -> None:
    root = copy_repository(tmp_path / "fresh")
    proc = run_generate(generator_python, root, "--check")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert f"No drift: {len(SPEC_NAMES)} specs" in proc.stdout
    assert tree_bytes(root / "generated") == tree_bytes(GENERATED_DIR)


# --- (b) a changed spec fails, naming it; regenerating fixes it ------------------------------


@dataclass(frozen=True)
class MutatedRun:
    root: Path
    check_before: subprocess.CompletedProcess[str]
    regenerate: subprocess.CompletedProcess[str]
    check_after: subprocess.CompletedProcess[str]
    repo_before: dict[str, bytes]


@pytest.fixture(scope="module")
def mutated_run(tmp_path_factory: pytest.TempPathFactory, generator_python: Path) -> MutatedRun:
    """One copy with one property renamed in every spec: check, regenerate, check again."""
    repo_before = _repo_fingerprint()
    root = copy_repository(tmp_path_factory.mktemp("drift-mutated"))
    for name, mutation in MUTATIONS.items():
        _rename_property(root / "specs" / manifest_entry(name).file, mutation)
    return MutatedRun(
        root=root,
        check_before=run_generate(generator_python, root, "--check"),
        regenerate=run_generate(generator_python, root),
        check_after=run_generate(generator_python, root, "--check"),
        repo_before=repo_before,
    )


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_changed_spec_fails_check_naming_it(name: str, mutated_run: MutatedRun) -> None:
    proc = mutated_run.check_before
    entry = manifest_entry(name)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Spec drift: generated/ does not match specs/.")
    assert proc.stderr.rstrip().endswith(FIX_HINT)
    assert "nox -s generate" in proc.stderr

    entries = _spec_entries(proc.stderr, name)
    hash_lines = [k for k in entries if f"specs/{entry.file} has sha256 " in k]
    assert len(hash_lines) == 1, entries
    assert "but specs/sources.toml records" in hash_lines[0]

    stale_header = f"spec {name}: generated/{entry.package} is stale against specs/{entry.file}:"
    assert stale_header in entries, list(entries)
    listed = entries[stale_header]
    assert f"generated/{entry.package}/{MUTATIONS[name].stale}  (differs)" in listed
    assert all(line.startswith(f"generated/{entry.package}/") for line in listed)


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_regenerate_records_hash_and_clears_drift(name: str, mutated_run: MutatedRun) -> None:
    entry = manifest_entry(name)
    regen = mutated_run.regenerate
    assert regen.returncode == 0, regen.stderr
    if entry.upstream_file:
        # A vendored subset is not edited by hand: regenerating restores upstream's text.
        assert f"specs/{entry.file}: rewritten as the subset of specs/{entry.upstream_file}" in (
            regen.stdout
        )
        spec = mutated_run.root / "specs" / entry.file
        assert spec.read_bytes() == (MANIFEST.parent / entry.file).read_bytes()
        assert mutated_run.check_after.returncode == 0, mutated_run.check_after.stderr
        return
    assert f"specs/sources.toml: recorded the new sha256 of spec {name}" in regen.stdout
    manifest_text = (mutated_run.root / "specs" / "sources.toml").read_text()
    assert f'sha256 = "{_sha256(mutated_run.root / "specs" / entry.file)}"' in manifest_text

    generated = mutated_run.root / "generated" / entry.package / MUTATIONS[name].stale
    code = generated.read_text(encoding="utf-8")
    assert MUTATIONS[name].new in code

    after = mutated_run.check_after
    assert after.returncode == 0, after.stderr
    assert "No drift" in after.stdout


def test_real_checkout_untouched_by_the_copy(mutated_run: MutatedRun) -> None:
    assert mutated_run.regenerate.returncode == 0
    assert _repo_fingerprint() == mutated_run.repo_before


# --- (c) a hand-edited generated file fails, naming it --------------------------------------


@dataclass(frozen=True)
class HandEdit:
    spec: str
    file: str  # relative to generated/
    kind: str  # how the drift report classifies it

    def __str__(self) -> str:
        return f"{self.kind}:{self.file}"


HAND_EDITS = [
    HandEdit("bpn", "wbf_bpn/models/currency_balance.py", "differs"),
    HandEdit("wallet-balances", "wbf_model/__init__.py", "differs"),
    HandEdit("fireblocks", "wbf_fireblocks/types.py", "missing"),
    HandEdit("kuna-core", "wbf_kuna_core/models/hand_written.py", "not generated (extra)"),
]


@pytest.fixture(scope="module")
def hand_edited_check(
    tmp_path_factory: pytest.TempPathFactory, generator_python: Path
) -> subprocess.CompletedProcess[str]:
    root = copy_repository(tmp_path_factory.mktemp("drift-hand-edited"))
    generated = root / "generated"
    for edit in HAND_EDITS:
        target = generated / edit.file
        if edit.kind == "differs":
            target.write_text(target.read_text() + "# hand edit\n")
        elif edit.kind == "missing":
            target.unlink()
        else:
            target.write_text("VALUE = 1\n")
    return run_generate(generator_python, root, "--check")


@pytest.mark.parametrize("edit", HAND_EDITS, ids=str)
def test_hand_edited_generated_file_fails_check(
    edit: HandEdit, hand_edited_check: subprocess.CompletedProcess[str]
) -> None:
    proc = hand_edited_check
    entry = manifest_entry(edit.spec)
    assert proc.returncode == 1
    assert proc.stderr.rstrip().endswith(FIX_HINT)
    entries = _spec_entries(proc.stderr, edit.spec)
    header = f"spec {edit.spec}: generated/{entry.package} is stale against specs/{entry.file}:"
    assert entries.get(header) == [f"generated/{edit.file}  ({edit.kind})"], entries
    assert "has sha256" not in proc.stderr  # the specs did not change


def test_hand_edit_names_only_edited_specs(
    hand_edited_check: subprocess.CompletedProcess[str],
) -> None:
    assert "spec cryptofuse" not in hand_edited_check.stderr


# --- generation uses the pinned tools whatever the caller's environment ------------------


def test_generation_does_not_depend_on_ruff_being_on_path(
    tmp_path: Path, generator_python: Path
) -> None:
    """The post-hooks call `ruff` by name; without the pinned one on PATH, openapi-python-client
    used to skip them with a swallowed warning and write unformatted code (exit 0)."""
    root = copy_repository(tmp_path / "no-ruff-on-path")
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir()
    env = generator_env(generator_python, PATH=str(empty_bin))
    proc = run_generate(generator_python, root, "bpn", env=env)
    assert proc.returncode == 0, proc.stderr
    assert tree_bytes(root / "generated" / "wbf_bpn") == tree_bytes(GENERATED_DIR / "wbf_bpn")


# --- regressions: defects of scripts/spectools/generate.py found and fixed ---------------


def test_check_of_one_spec_passes_on_a_fresh_copy(tmp_path: Path, generator_python: Path) -> None:
    root = copy_repository(tmp_path / "fresh")
    proc = run_generate(generator_python, root, "--check", "bpn")
    assert proc.returncode == 0, proc.stderr


def test_model_generation_ignores_user_ruff_config(tmp_path: Path, generator_python: Path) -> None:
    root = copy_repository(tmp_path / "user-ruff-config")
    config_home = tmp_path / "xdg-config"
    (config_home / "ruff").mkdir(parents=True)
    (config_home / "ruff" / "ruff.toml").write_text(
        'line-length = 40\n[format]\nquote-style = "single"\n'
    )
    env = generator_env(generator_python, XDG_CONFIG_HOME=str(config_home))
    proc = run_generate(generator_python, root, "wallet-balances", env=env)
    assert proc.returncode == 0, proc.stderr
    assert tree_bytes(root / "generated" / "wbf_model") == tree_bytes(GENERATED_DIR / "wbf_model")
