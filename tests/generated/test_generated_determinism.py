"""Generation is deterministic and location-independent.

Two copies of the repository at different paths generate generated/ from nothing, at the same
time; the trees must be byte-identical and mention neither path, the scratch directories nor
any date or time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from support.specs import (
    REPO_ROOT,
    copy_repository,
    generator_env,
    iter_text_files,
    manifest,
    tree_bytes,
)

# Each full generation takes seconds; the module-scoped runs get more than the default 120 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
TIME = re.compile(r"\b[0-2]\d:[0-5]\d:[0-5]\d\b")


@pytest.fixture(scope="module")
def two_generations(
    tmp_path_factory: pytest.TempPathFactory, generator_python: Path
) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("determinism")
    roots = (base / "first", base / "second copy, at a longer path")
    for root in roots:
        copy_repository(root)
        for package in (root / "generated").iterdir():
            if package.is_dir():
                shutil.rmtree(package)
    procs = [
        subprocess.Popen(
            [str(generator_python), "-m", "scripts.spectools.generate"],
            cwd=root,
            env=generator_env(generator_python),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for root in roots
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=110)
        assert proc.returncode == 0, err
        assert f"Generated {len(manifest())} packages" in out
    return roots


def test_two_generations_are_byte_identical(two_generations: tuple[Path, Path]) -> None:
    first, second = (tree_bytes(root / "generated") for root in two_generations)
    assert first, "nothing was generated"
    assert sorted(first) == sorted(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing


def test_every_spec_package_is_generated(two_generations: tuple[Path, Path]) -> None:
    generated = two_generations[0] / "generated"
    packages = {p.name for p in generated.iterdir() if p.is_dir()} - {"specs"}
    assert packages == {e.package for e in manifest()}
    # Beside them, the documents as served: every OpenAPI spec, overlays applied.
    served = {e.file for e in manifest() if e.generator == "openapi-python-client"}
    assert {p.name for p in (generated / "specs").iterdir()} == served
    for package in packages:
        assert (generated / package / "__init__.py").is_file()
        assert (generated / package / "py.typed").is_file()


def test_generated_code_has_no_paths_or_timestamps(two_generations: tuple[Path, Path]) -> None:
    forbidden = {
        *(str(root) for root in two_generations),
        str(two_generations[0].parent),
        str(REPO_ROOT),
        tempfile.gettempdir() + "/",
        "wbf-generate-",
        "wbf-drift-",
    }
    for root in two_generations:
        for name, text in iter_text_files(root / "generated"):
            if name.startswith("specs/"):
                continue  # the specs as served: their dates are the providers' text
            for needle in forbidden:
                assert needle not in text, f"{name} contains {needle!r}"
            assert not DATE.search(text), f"{name}: {DATE.search(text)}"
            assert not TIME.search(text), f"{name}: {TIME.search(text)}"
            assert "timestamp" not in text.lower(), name
