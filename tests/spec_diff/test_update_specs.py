"""scripts/spectools/update.py (and upstream.py), always on a copy of the repository in tmp_path.

Upstream is a real HTTP server on 127.0.0.1. The failure paths (HTTP error, unreachable,
invalid document, generator failure, a failed swap) must leave specs/ and generated/
byte-identical; the success paths replace the spec, its manifest entry and its generated
package, and print the spec_diff report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import socket
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import RecordingServer, Reply
from support.spec_tooling import (
    REPO,
    SPECS,
    copy_repo,
    generator_python,
    run,
    snapshot,
    spec_server,
)

from scripts.spectools import diff, update, upstream
from scripts.spectools.generate import subset_problems
from scripts.spectools.manifest import Spec, load_manifest
from scripts.spectools.openapi import unresolved_refs
from scripts.spectools.subset import render_subset, subset_matching

PYTHON = generator_python()
needs_generator = pytest.mark.skipif(
    PYTHON is None, reason="openapi-python-client is not installed next to any Python"
)
FIREBLOCKS = (SPECS / "fireblocks.yaml").read_text()  # our subset
UPSTREAM = (SPECS / "upstream" / "fireblocks.yaml").read_bytes()  # the pinned official copy


def _renamed(text: str) -> str:
    """An 'upstream' that renames VaultAsset.lockedAmount (a field the facade maps).

    Edited as data, not text, so it survives any layout an upstream update brings.
    """
    doc = yaml.safe_load(text)
    props = doc["components"]["schemas"]["VaultAsset"]["properties"]
    doc["components"]["schemas"]["VaultAsset"]["properties"] = {
        ("lockedBalance" if k == "lockedAmount" else k): v for k, v in props.items()
    }
    return yaml.safe_dump(doc, sort_keys=False)


RENAMED = _renamed(FIREBLOCKS)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with spec_server() as running:
        yield running


def _tree(root: Path) -> dict[str, bytes]:
    return snapshot(root, "specs", "generated")


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".update-specs-"))


def _cli(repo: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    assert PYTHON is not None
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_UPSTREAM_")}
    clean.update(env or {})
    argv = [PYTHON, "-m", "scripts.spectools.update", *args]
    return run(argv, cwd=repo, env=clean)


def _entry(repo: Path, name: str) -> dict[str, Any]:
    data = tomllib.loads((repo / "specs" / "sources.toml").read_text())
    (entry,) = [e for e in data["spec"] if e["name"] == name]
    return dict(entry)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- planning


def test_default_plan_is_every_vendored_spec(repo: Path) -> None:
    entries = load_manifest(repo / "specs" / "sources.toml")
    (plan,) = upstream.plan_updates(entries, [], {}, {})
    assert plan.entry.name == "fireblocks"
    entry = _entry(repo, "fireblocks")
    assert plan.url == entry["upstream_url"]
    if entry["upstream_commit"] != "unknown":  # pinned: the URL names the commit
        assert entry["upstream_commit"] in plan.url


def test_url_overrides(repo: Path) -> None:
    entries = load_manifest(repo / "specs" / "sources.toml")
    env = {"WALLET_BALANCES_UPSTREAM_FIREBLOCKS": "http://env.test/fb.yaml"}
    (plan,) = upstream.plan_updates(entries, ["fireblocks"], {}, env)
    assert plan.url == "http://env.test/fb.yaml"
    (plan,) = upstream.plan_updates(
        entries, ["fireblocks"], {"fireblocks": "http://flag.test/fb.yaml"}, env
    )
    assert plan.url == "http://flag.test/fb.yaml"
    assert upstream.env_var("kuna-core") == "WALLET_BALANCES_UPSTREAM_KUNA_CORE"
    kuna_env = {"WALLET_BALANCES_UPSTREAM_KUNA_CORE": "http://env.test/kuna.yaml"}
    (plan,) = upstream.plan_updates(entries, ["kuna-core"], {}, kuna_env)
    assert plan.url == "http://env.test/kuna.yaml"


@pytest.mark.parametrize(
    ("names", "overrides", "message"),
    [
        (["nope"], {}, "unknown spec(s): nope"),
        ([], {"nope": "http://x"}, "unknown spec(s): nope"),
        (["cryptofuse"], {}, "spec cryptofuse is hand-authored"),
        (["wallet-balances"], {}, "is not an OpenAPI document"),
    ],
)
def test_plan_refusals(
    repo: Path,
    names: list[str],
    overrides: dict[str, str],
    message: str,
) -> None:
    entries = load_manifest(repo / "specs" / "sources.toml")
    with pytest.raises(ValueError, match=re.escape(message)):
        upstream.plan_updates(entries, names, overrides, {})


# --------------------------------------------------------------------------- --subset


def _full_upstream() -> dict[str, Any]:
    """Our Fireblocks subset grown into a 'full' document: more paths, schemas, schemes."""
    doc: dict[str, Any] = yaml.safe_load(FIREBLOCKS)
    doc["tags"] = [{"name": "Vaults"}, {"name": "Embedded Wallets"}, {"name": "Staking"}]
    doc["paths"]["/staking/positions"] = {
        "get": {
            "tags": ["Staking"],
            "operationId": "getStakingPositions",
            "security": [{"StakingKey": []}],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/StakingPosition"}
                        }
                    },
                }
            },
        }
    }
    schemas = doc["components"]["schemas"]
    schemas["StakingPosition"] = {
        "type": "object",
        "properties": {"rewards": {"$ref": "#/components/schemas/StakingRewards"}},
    }
    schemas["StakingRewards"] = {"type": "object", "properties": {"amount": {"type": "string"}}}
    schemas["Unreferenced"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    doc["components"]["securitySchemes"]["StakingKey"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-Staking",
    }
    # A change inside the subset: a new optional VaultAsset field, behind a new schema.
    schemas["VaultAsset"]["properties"]["stakingInfo"] = {
        "$ref": "#/components/schemas/StakingInfo"
    }
    schemas["StakingInfo"] = {"type": "object", "properties": {"apy": {"type": "string"}}}
    # Upstream renamed an operationId the copy has: kept, by method and path.
    refresh = doc["paths"]["/vault/accounts/{vaultAccountId}/{assetId}/balance"]["post"]
    refresh["operationId"] = "refreshVaultAccountAssetBalance"
    return doc


def test_subset_keeps_the_copy_operations_and_what_they_reference() -> None:
    current = yaml.safe_load(FIREBLOCKS)
    subset = subset_matching(_full_upstream(), current)
    assert set(subset["paths"]) == set(current["paths"])
    schemas = subset["components"]["schemas"]
    assert set(schemas) == set(current["components"]["schemas"]) | {"StakingInfo"}
    # Defined security schemes are kept even where the document applies none of them: our
    # overlay applies them, and dropping them read as "scheme removed" in every report.
    assert {"StakingKey", "ApiKeyAuth", "bearerTokenAuth"} <= set(
        subset["components"]["securitySchemes"]
    )
    assert set(subset["components"]) == set(current["components"])
    assert [t["name"] for t in subset["tags"]] == ["Vaults", "Embedded Wallets"]
    assert unresolved_refs(subset) == []
    records = [
        (c.kind, c.identifier, c.used_by_facade)
        for c in diff.diff_documents(current, subset, diff.load_usage()["fireblocks"])
        if c.kind != "security-scheme-added"
    ]
    assert records == [
        ("operation-renamed", "operation:updateVaultAccountAssetBalance", True),
        ("response-field-added", "StakingInfo.apy", False),
        ("response-field-added", "VaultAsset.stakingInfo", False),
    ]


def test_subset_keeps_the_leading_comments() -> None:
    header = update.leading_comments(FIREBLOCKS)
    assert header.startswith(
        "# Generated by scripts/spectools/generate.py from specs/upstream/fireblocks"
    )
    rendered = update.render_yaml({"openapi": "3.0.0", "paths": {}}, header)
    assert rendered.decode().startswith(header + "openapi: 3.0.0\n")


# --------------------------------------------------------------------------- in-process


class StubGenerator:
    """Stands in for generate_into: writes a marker package per spec (or fails), fast."""

    def __init__(self, fail: BaseException | None = None) -> None:
        self.fail = fail
        self.calls: list[list[str]] = []

    def __call__(self, specs: list[Spec], dest: Path) -> None:
        self.calls.append([s.name for s in specs])
        if self.fail is not None:
            raise self.fail
        for spec in specs:
            (dest / spec.package).mkdir(parents=True)
            (dest / spec.package / "__init__.py").write_text(f"# from {spec.path.name}\n")


def _plan(repo: Path, url: str = "http://upstream.test/fb.yaml") -> Any:
    entries = load_manifest(repo / "specs" / "sources.toml")
    return upstream.plan_updates(entries, ["fireblocks"], {"fireblocks": url}, {})


def test_update_in_process_replaces_spec_manifest_entry_and_package(repo: Path) -> None:
    before = _tree(repo)
    stub = StubGenerator()
    served = RENAMED.replace("  version: 1.6.2\n", "  version: 1.7.0\n", 1).encode()
    outcomes = update.update(
        _plan(repo),
        repo,
        today=dt.date(2031, 1, 2),
        fetcher=lambda url, timeout: served,
        generator=stub,
    )
    assert [(o.name, o.status) for o in outcomes] == [("fireblocks", "updated")]
    assert stub.calls == [["fireblocks"]]
    (spec,) = [s for s in load_manifest(repo / "specs" / "sources.toml") if s.name == "fireblocks"]
    # The fetched document is kept whole; the spec is its subset, as generation renders it.
    assert (repo / "specs" / "upstream" / "fireblocks.yaml").read_bytes() == served
    assert (repo / "specs" / "fireblocks.yaml").read_bytes() == render_subset(spec)
    assert subset_problems(spec) == []
    entry = _entry(repo, "fireblocks")
    assert entry["sha256"] == _sha256(repo / "specs" / "fireblocks.yaml")
    assert entry["upstream_sha256"] == _sha256(repo / "specs" / "upstream" / "fireblocks.yaml")
    assert entry["retrieved"] == "2031-01-02"
    assert entry["upstream_version"] == "1.7.0"
    # Where it came from is recorded; the old pin no longer describes it.
    assert entry["fetched_from"] == entry["upstream_url"] == "http://upstream.test/fb.yaml"
    assert entry["upstream_commit"] == "unknown"
    # Only those lines of the manifest changed; comments and layout are kept.
    old_lines = before["specs/sources.toml"].decode().splitlines()
    new_lines = (repo / "specs" / "sources.toml").read_text().splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [new for old, new in zip(old_lines, new_lines, strict=True) if old != new]
    assert changed == [
        'upstream_url = "http://upstream.test/fb.yaml"',
        'upstream_commit = "unknown"',
        'upstream_date = "unknown"',
        'upstream_version = "1.7.0"',
        f'upstream_sha256 = "{entry["upstream_sha256"]}"',
        'fetched_from = "http://upstream.test/fb.yaml"',
        'retrieved = "2031-01-02"',
        f'sha256 = "{entry["sha256"]}"',
    ]
    assert [p.name for p in (repo / "generated" / "wbf_fireblocks").iterdir()] == ["__init__.py"]
    after = _tree(repo)
    untouched = [
        k
        for k in before
        if not k.startswith(("generated/wbf_fireblocks/", "generated/specs/fireblocks"))
    ]
    for key in ("specs/fireblocks.yaml", "specs/sources.toml", "specs/upstream/fireblocks.yaml"):
        untouched.remove(key)
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    assert _leftovers(repo) == []
    report = update.report(outcomes[0], repo)
    assert (
        "BREAKING (used by facade)  VaultAsset.lockedAmount -> VaultAsset.lockedBalance" in report
    )


def test_update_in_process_up_to_date_changes_nothing(repo: Path) -> None:
    before = _tree(repo)
    stub = StubGenerator()
    outcomes = update.update(
        _plan(repo),
        repo,
        fetcher=lambda url, timeout: UPSTREAM,
        generator=stub,
    )
    assert [(o.name, o.status) for o in outcomes] == [("fireblocks", "up to date")]
    assert stub.calls == []
    assert _tree(repo) == before


def test_update_in_process_dry_run_changes_nothing(repo: Path) -> None:
    before = _tree(repo)
    stub = StubGenerator()
    outcomes = update.update(
        _plan(repo),
        repo,
        dry_run=True,
        fetcher=lambda url, timeout: RENAMED.encode(),
        generator=stub,
    )
    assert [(o.name, o.status) for o in outcomes] == [("fireblocks", "dry run")]
    assert stub.calls == [["fireblocks"]]
    assert _tree(repo) == before
    assert _leftovers(repo) == []


@pytest.mark.parametrize(
    "failure",
    [SystemExit("generator failed: openapi-python-client generate"), RuntimeError("boom")],
    ids=["tool-failed", "crashed"],
)
def test_generator_failure_changes_nothing(repo: Path, failure: BaseException) -> None:
    before = _tree(repo)
    stub = StubGenerator(fail=failure)
    with pytest.raises(upstream.UpdateError, match="generator failed"):
        update.update(
            _plan(repo),
            repo,
            fetcher=lambda url, timeout: RENAMED.encode(),
            generator=stub,
        )
    assert _tree(repo) == before
    assert _leftovers(repo) == []


def test_failed_swap_is_undone(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _tree(repo)
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def flaky_replace(src: Any, dst: Any) -> None:
        calls.append((str(src), str(dst)))
        if len(calls) == 5:  # after the spec and the manifest were swapped in
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(update.os, "replace", flaky_replace)
    with pytest.raises(upstream.UpdateError, match="disk full"):
        update.update(
            _plan(repo),
            repo,
            fetcher=lambda url, timeout: RENAMED.encode(),
            generator=StubGenerator(),
        )
    assert _tree(repo) == before
    assert _leftovers(repo) == []


# --------------------------------------------------------------------------- the CLI


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@needs_generator
def test_cli_http_error_changes_nothing(repo: Path, server: RecordingServer) -> None:
    server.route("/swagger.yaml", Reply(500, b"upstream is down"))
    before = _tree(repo)
    proc = _cli(repo, env={"WALLET_BALANCES_UPSTREAM_FIREBLOCKS": server.url + "/swagger.yaml"})
    assert proc.returncode == 1
    assert "nothing in specs/ or generated/ changed" in proc.stderr
    assert "answered HTTP 500 Internal Server Error" in proc.stderr
    assert [r.target for r in server.requests] == ["/swagger.yaml"]
    assert _tree(repo) == before
    assert _leftovers(repo) == []


@needs_generator
def test_cli_unreachable_upstream_changes_nothing(repo: Path) -> None:
    before = _tree(repo)
    url = f"http://127.0.0.1:{_closed_port()}/swagger.yaml"
    proc = _cli(repo, "fireblocks", "--url", f"fireblocks={url}", "--timeout", "5")
    assert proc.returncode == 1
    assert f"could not fetch {url}: ConnectError" in proc.stderr
    assert _tree(repo) == before


INVALID = [
    pytest.param(b"openapi: 3.0.0\npaths: {a: [\n", "not valid YAML or JSON", id="not-yaml"),
    pytest.param(b"<html>Fireblocks docs</html>\n", "not an OpenAPI document", id="html"),
    pytest.param(b"swagger: '2.0'\npaths: {}\n", "not an OpenAPI 3 document", id="swagger-2"),
    pytest.param(
        (SPECS / "wallet-balances.yaml").read_bytes(), "no 'openapi' key", id="json-schema"
    ),
    pytest.param(b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\n", "no 'paths'", id="no-paths"),
    pytest.param(
        FIREBLOCKS.replace(
            "#/components/schemas/VaultAsset'", "#/components/schemas/Gone'"
        ).encode(),
        "cannot be resolved",
        id="dangling-ref",
    ),
    pytest.param(b"\xff\xfe not text", "not UTF-8 text", id="binary"),
]


@needs_generator
@pytest.mark.parametrize(("body", "message"), INVALID)
def test_cli_invalid_document_changes_nothing(
    repo: Path, server: RecordingServer, body: bytes, message: str
) -> None:
    server.route("/swagger.yaml", Reply(200, body))
    before = _tree(repo)
    proc = _cli(repo, env={"WALLET_BALANCES_UPSTREAM_FIREBLOCKS": server.url + "/swagger.yaml"})
    assert proc.returncode == 1, proc.stdout
    assert "invalid spec" in proc.stderr or "not UTF-8" in proc.stderr
    assert message in proc.stderr
    assert _tree(repo) == before


@needs_generator
@pytest.mark.slow
def test_cli_openapi_spec_validator_verdict_counts(repo: Path, server: RecordingServer) -> None:
    check = run([str(PYTHON), "-c", "import openapi_spec_validator"], cwd=repo)
    if check.returncode != 0:
        pytest.skip("openapi-spec-validator is not importable by the generator's Python")
    doc = yaml.safe_load(FIREBLOCKS)
    doc["paths"]["/vault/accounts_paged"]["get"]["responses"] = "not a mapping"
    server.route("/swagger.yaml", Reply(200, yaml.safe_dump(doc).encode()))
    before = _tree(repo)
    proc = _cli(repo, "--url", f"fireblocks={server.url}/swagger.yaml")
    assert proc.returncode == 1
    assert "openapi-spec-validator" in proc.stderr
    assert _tree(repo) == before


@needs_generator
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "unknown spec(s): nope"),
        (["cryptofuse"], "spec cryptofuse is hand-authored"),
        (["--url", "fireblocks"], "--url wants NAME=URL"),
    ],
)
def test_cli_usage_errors_exit_2(repo: Path, args: list[str], message: str) -> None:
    proc = _cli(repo, *args)
    assert proc.returncode == 2
    assert message in proc.stderr


@needs_generator
@pytest.mark.slow
def test_cli_update_regenerates_and_reports(repo: Path, server: RecordingServer) -> None:
    server.route("/swagger.yaml", Reply(200, RENAMED.encode()))
    server.route("/latest", Reply(302, headers={"Location": "/swagger.yaml"}))
    before = _tree(repo)
    proc = _cli(repo, env={"WALLET_BALANCES_UPSTREAM_FIREBLOCKS": server.url + "/latest"})
    assert proc.returncode == 0, proc.stderr
    # The redirect was followed.
    assert [r.target for r in server.requests] == ["/latest", "/swagger.yaml"]
    out = proc.stdout
    assert "updated specs/fireblocks.yaml, its entry in specs/sources.toml and generated/" in out
    assert (
        "BREAKING (used by facade)  VaultAsset.lockedAmount -> VaultAsset.lockedBalance"
        "  [response-field-renamed]"
    ) in out
    # The upstream copy is what upstream served, the spec its subset, the manifest records
    # both, the package follows.
    assert (repo / "specs" / "upstream" / "fireblocks.yaml").read_text() == RENAMED
    assert "lockedBalance" in (repo / "specs" / "fireblocks.yaml").read_text()
    entry = _entry(repo, "fireblocks")
    assert entry["sha256"] == _sha256(repo / "specs" / "fireblocks.yaml")
    assert entry["retrieved"] == dt.date.today().isoformat()
    model = (repo / "generated" / "wbf_fireblocks" / "models" / "vault_asset.py").read_text()
    assert "locked_balance" in model
    assert "locked_amount" not in model
    after = _tree(repo)
    for key, content in before.items():
        if key.startswith("generated/") and not key.startswith(
            ("generated/wbf_fireblocks/", "generated/specs/fireblocks")
        ):
            assert after[key] == content, key
    assert _leftovers(repo) == []
    # And the result is exactly what `nox -s generate` would have produced: no drift.
    assert PYTHON is not None
    check = run([PYTHON, "-m", "scripts.spectools.generate", "--check"], cwd=repo)
    assert check.returncode == 0, check.stderr


@needs_generator
@pytest.mark.slow
def test_cli_update_subset(repo: Path, server: RecordingServer) -> None:
    """A fuller upstream: the spec keeps our operations and what they use, nothing more."""
    full = _full_upstream()
    refresh = full["paths"]["/vault/accounts/{vaultAccountId}/{assetId}/balance"]["post"]
    refresh["operationId"] = "updateVaultAccountAssetBalance"
    server.route("/swagger.yaml", Reply(200, yaml.safe_dump(full).encode()))
    proc = _cli(repo, "fireblocks", "--subset", "--url", f"fireblocks={server.url}/swagger.yaml")
    assert proc.returncode == 0, proc.stderr
    text = (repo / "specs" / "fireblocks.yaml").read_text()
    assert text.startswith(
        "# Generated by scripts/spectools/generate.py from specs/upstream/fireblocks"
    )
    doc = yaml.safe_load(text)
    assert "/staking/positions" not in doc["paths"]
    assert "StakingPosition" not in doc["components"]["schemas"]
    assert "StakingInfo" in doc["components"]["schemas"]
    assert _entry(repo, "fireblocks")["sha256"] == _sha256(repo / "specs" / "fireblocks.yaml")
    package = repo / "generated" / "wbf_fireblocks"
    assert (package / "models" / "staking_info.py").exists()
    assert not (package / "models" / "staking_position.py").exists()
    out = proc.stdout
    assert "BREAKING (used by facade)" not in out
    assert re.search(r"\n  compatible +VaultAsset\.stakingInfo  \[response-field-added\]\n", out)


@needs_generator
def test_cli_update_without_an_operation_we_use_changes_nothing(
    repo: Path, server: RecordingServer
) -> None:
    """Upstream renamed an operationId we list: refused, naming it (no silent loss)."""
    server.route("/swagger.yaml", Reply(200, yaml.safe_dump(_full_upstream()).encode()))
    before = _tree(repo)
    proc = _cli(repo, "fireblocks", "--url", f"fireblocks={server.url}/swagger.yaml")
    assert proc.returncode == 1
    assert "upstream has no operation(s) updateVaultAccountAssetBalance" in proc.stderr
    assert _tree(repo) == before


@needs_generator
@pytest.mark.slow
def test_cli_dry_run_reports_without_writing(repo: Path, server: RecordingServer) -> None:
    server.route("/swagger.yaml", Reply(200, RENAMED.encode()))
    before = _tree(repo)
    proc = _cli(repo, "--dry-run", "--url", f"fireblocks={server.url}/swagger.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "dry run, nothing written" in proc.stdout
    assert "VaultAsset.lockedAmount -> VaultAsset.lockedBalance" in proc.stdout
    assert _tree(repo) == before


def test_real_checkout_is_untouched_by_these_tests() -> None:
    """Sanity: the copies above never point at the real checkout."""
    assert (REPO / "specs" / "fireblocks.yaml").read_text() == FIREBLOCKS


def test_failed_undo_keeps_the_originals(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If undoing a failed swap fails too, the backups are kept and the message says where."""
    original_spec = (repo / "specs" / "fireblocks.yaml").read_bytes()
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if len(calls) >= 3:  # the manifest's backup, and every restore after it
            raise OSError("read-only file system")
        real_replace(src, dst)

    monkeypatch.setattr(update.os, "replace", failing_replace)
    with pytest.raises(update.RollbackError, match="the originals are in") as info:
        update.update(
            _plan(repo),
            repo,
            fetcher=lambda url, timeout: RENAMED.encode(),
            generator=StubGenerator(),
        )
    (staging,) = _leftovers(repo)
    assert str(repo / staging / "backup") in str(info.value)
    assert (repo / staging / "backup" / "0-fireblocks.yaml").read_bytes() == original_spec


def test_fetch_reads_local_paths_and_file_urls(tmp_path: Path) -> None:
    """Air-gapped updates: a plain path (relative or absolute) or a file:// URL."""
    document = tmp_path / "dir with space" / "openapi.yaml"
    document.parent.mkdir()
    document.write_bytes(b"openapi: 3.0.0\n")
    assert upstream.fetch(str(document), 1.0) == b"openapi: 3.0.0\n"
    assert upstream.fetch(document.as_uri(), 1.0) == b"openapi: 3.0.0\n"
    with pytest.raises(upstream.UpdateError, match="could not read"):
        upstream.fetch(str(tmp_path / "missing.yaml"), 1.0)
    assert upstream.local_path("https://example.test/x.yaml") is None


def test_sources_record_the_commit_a_url_names(repo: Path) -> None:
    (entry,) = [e for e in load_manifest(repo / "specs" / "sources.toml") if e.name == "fireblocks"]
    text = (repo / "specs" / "sources.toml").read_text()
    commit = "1e221afc15a6d440495557167f95960d94506614"
    url = f"https://raw.githubusercontent.com/fireblocks/java-sdk/{commit}/api/openapi.yaml"
    data = tomllib.loads(upstream.record_source(text, entry, url))
    (new,) = [e for e in data["spec"] if e["name"] == "fireblocks"]
    assert (new["upstream_url"], new["fetched_from"]) == (url, url)
    assert (new["upstream_commit"], new["upstream_date"]) == (commit, "unknown")
    # The pinned URL itself changes nothing but where it was fetched from.
    pinned = tomllib.loads(upstream.record_source(text, entry, entry.upstream_url))
    (same,) = [e for e in pinned["spec"] if e["name"] == "fireblocks"]
    old = next(e for e in tomllib.loads(text)["spec"] if e["name"] == "fireblocks")
    assert {k: v for k, v in same.items() if k != "fetched_from"} == {
        k: v for k, v in old.items() if k != "fetched_from"
    }
