"""The whole update loop on real upstream history (tests/spec_diff/upstream/README.md).

For each stored official Fireblocks document, on a copy of the repository: the update
(python -m scripts.spectools.update) fetches it from a local path, keeps it in
specs/upstream, rewrites the subset, applies our overlay, regenerates and reports. Then: the
report claims no breaking change used by the facade (none of the fields the facade maps
changed in these versions), the drift gate passes offline, nothing but Fireblocks' files
changed, and the suites that depend on the specs (conformance, tolerance, providers,
generated examples, the vendored subset) pass against the updated copy, for Fireblocks.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from support.spec_tooling import REPO, run

HISTORY = Path(__file__).resolve().parent / "upstream"
VERSIONS = sorted(HISTORY.glob("fireblocks-*.yaml.xz"))
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# The suites that read specs/ or generated/: what an update can break.
SUITES = [
    "tests/conformance",
    "tests/providers",
    "tests/generated/test_generated_examples.py",
    "tests/generated/test_generated_client_requests.py",
    "tests/generated/test_vendored_subset.py",
    "tests/spec_diff/test_spec_diff_providers.py",
]


# What an update of the Fireblocks document may rewrite; everything else must stay as it is.
FIREBLOCKS_FILES = (
    "specs/fireblocks.yaml",
    "specs/upstream/fireblocks.yaml",
    "specs/sources.toml",
    "generated/specs/fireblocks.yaml",
    "generated/wbf_fireblocks/",
)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for top in ("specs", "generated")
        for path in sorted((root / top).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _copy_checkout(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".nox", ".git", ".update-specs-*")
    for name in ("specs", "scripts", "generated", "facade", "tests"):
        shutil.copytree(REPO / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    return dest


def test_history_is_stored_as_documented() -> None:
    readme = (HISTORY / "README.md").read_text()
    assert len(VERSIONS) >= 2
    pinned = tomllib.loads((REPO / "specs" / "sources.toml").read_text())
    (entry,) = [e for e in pinned["spec"] if e["name"] == "fireblocks"]
    for path in VERSIONS:
        digest = hashlib.sha256(lzma.decompress(path.read_bytes())).hexdigest()
        assert f"`{path.name}`" in readme
        assert digest in readme, path.name
        assert digest != entry["upstream_sha256"]  # other versions than the pinned one


@pytest.mark.parametrize("version", VERSIONS, ids=lambda p: p.name.split(".")[0])
def test_update_loop_on_a_real_upstream_version(version: Path, tmp_path: Path) -> None:
    root = _copy_checkout(tmp_path / "repo")
    document = tmp_path / "openapi.yaml"
    document.write_bytes(lzma.decompress(version.read_bytes()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}

    update = run(
        [
            sys.executable,
            "-m",
            "scripts.spectools.update",
            "fireblocks",
            "--url",
            f"fireblocks={document}",
        ],
        cwd=root,
        env=env,
        timeout=300,
    )
    assert update.returncode == 0, update.stderr
    assert "updated specs/fireblocks.yaml" in update.stdout
    assert "BREAKING (used by facade)" not in update.stdout, update.stdout
    assert "(0 used by the facade)" in update.stdout or "no change" in update.stdout
    assert (root / "specs" / "upstream" / "fireblocks.yaml").read_bytes() == document.read_bytes()
    entry = next(
        e
        for e in tomllib.loads((root / "specs" / "sources.toml").read_text())["spec"]
        if e["name"] == "fireblocks"
    )
    assert entry["fetched_from"] == str(document)
    before, after = _tree(REPO), _tree(root)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed, "the update changed nothing"
    assert not {p for p in changed if not p.startswith(FIREBLOCKS_FILES)}, sorted(changed)

    drift = run(
        [sys.executable, "-m", "scripts.spectools.generate", "--check"],
        cwd=root,
        env=env,
        timeout=300,
    )
    assert drift.returncode == 0, drift.stderr

    # The copy's own facade and generated packages, not the checkout's.
    env["PYTHONPATH"] = os.pathsep.join([str(root), str(root / "generated")])
    # Only Fireblocks changed (asserted above), so the conformance suite runs its Fireblocks
    # profiles; and on the in-process transport only, which serves the same spec-validated
    # behaviours as the socket one (the full suite covers both transports on the checkout).
    env["WALLET_BALANCES_CONFORMANCE_TRANSPORTS"] = "in-process"
    suites = run(
        [
            *[sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUITES],
            *["-k", "fireblocks or not conformance"],
            # The documentation pages (tests/fixtures/pages) show today's upstream: an older
            # official document differs from them by design.
            *["--deselect", f"{SUITES[2]}::test_vendored_fireblocks_spec_is_the_pages_api"],
        ],
        cwd=root,
        env=env,
        timeout=800,
    )
    assert suites.returncode == 0, suites.stdout[-4000:]
