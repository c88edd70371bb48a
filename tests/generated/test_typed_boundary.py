"""The generated/hand-written seam is typed: rename a field an adapter maps, regenerate, and
the type checker names the adapter line that still reads the old name.

One scratch copy of the repository gets every mapped response field of every provider spec
renamed, one generation and one mypy run; each provider's adapter must then be reported.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import mypy.api as mypy_api
import pytest
import yaml

import facade
from facade._registry import adapter_class

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


# libyaml when present: the upstream Fireblocks document is 3.4 MB.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


# What the adapters map to amounts: self.amount(x.attr, "specName") and optional_amount.
_AMOUNT_READ = re.compile(r"amount\(\s*[\w.]+\.(\w+),\s*\"(\w+)\"")


def _mapped_amounts(provider: str) -> set[tuple[str, str]]:
    """(spec property, Python attribute) of every amount the provider's adapter maps."""
    cls = adapter_class(provider)
    source = Path(sys.modules[cls.__module__].__file__ or "").read_text()
    return {(prop, attr) for attr, prop in _AMOUNT_READ.findall(source)}


def _mapped_fields() -> dict[str, dict[str, set[str]]]:
    """spec -> schema -> the amount properties the adapters map from it (per ``reads``)."""
    out: dict[str, dict[str, set[str]]] = {}
    for name in facade.provider_names():
        cls = adapter_class(name)
        props = {prop for prop, _ in _mapped_amounts(name)}
        for identifiers in cls.reads.values():
            for ident in identifiers:
                schema, _, prop = ident.partition(".")
                if prop in props:
                    out.setdefault(cls.spec, {}).setdefault(schema, set()).add(prop)
    return out


def _adapter_files() -> dict[str, str]:
    """provider -> its adapter module's path relative to the repository."""
    files = {}
    for name in facade.provider_names():
        module = sys.modules[adapter_class(name).__module__]
        files[name] = Path(module.__file__ or "").resolve().relative_to(REPO).as_posix()
    return files


@pytest.fixture(scope="module")
def renamed_mypy_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    scratch = tmp_path_factory.mktemp("typed-boundary")
    for part in ("specs", "scripts", "facade", "generated"):
        shutil.copytree(REPO / part, scratch / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", scratch / "pyproject.toml")
    mapped = _mapped_fields()
    manifest = tomllib.loads((scratch / "specs" / "sources.toml").read_text())
    upstream = {e["name"]: e.get("upstream_file", "") for e in manifest["spec"]}
    for spec, schemas in mapped.items():
        # A vendored subset is regenerated from its upstream copy: rename there.
        path = scratch / "specs" / (upstream.get(spec) or f"{spec}.yaml")
        document = yaml.load(path.read_text(), Loader=_LOADER)
        for schema, props in schemas.items():
            properties = document["components"]["schemas"][schema]["properties"]
            required = document["components"]["schemas"][schema].get("required", [])
            for prop in props:
                properties[f"{prop}Renamed"] = properties.pop(prop)
                if prop in required:
                    required[required.index(prop)] = f"{prop}Renamed"
        path.write_text(yaml.dump(document, Dumper=_DUMPER, sort_keys=False))
    generate = subprocess.run(
        [sys.executable, "-m", "scripts.spectools.generate", *mapped],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generate.returncode == 0, generate.stderr
    cwd = os.getcwd()
    os.chdir(scratch)  # mypy resolves mypy_path = "generated" against the working directory
    try:
        stdout, _, _ = mypy_api.run(
            ["--config-file", "pyproject.toml", "--cache-dir", str(scratch / ".mypy"), "facade"]
        )
    finally:
        os.chdir(cwd)
    return stdout, mapped


def test_every_spec_has_mapped_fields_to_rename(renamed_mypy_report: tuple[str, dict]) -> None:
    _, mapped = renamed_mypy_report
    specs = {adapter_class(n).spec for n in facade.provider_names()}
    assert specs <= set(mapped), f"no mapped response fields found for {specs - set(mapped)}"


@pytest.mark.parametrize("provider", facade.provider_names())
def test_renaming_a_mapped_field_fails_the_type_check_at_the_adapter(
    renamed_mypy_report: tuple[str, dict], provider: str
) -> None:
    report, _ = renamed_mypy_report
    adapter_file = _adapter_files()[provider]
    lines = [
        line
        for line in report.splitlines()
        if line.startswith(f"{adapter_file}:") and "error:" in line
    ]
    assert lines, f"mypy reported nothing in {adapter_file}:\n{report}"
    amounts = _mapped_amounts(provider)
    assert amounts, f"found no amount mapping in {adapter_file}"
    for prop, attr in amounts:
        assert any(f'has no attribute "{attr}"' in line for line in lines), (
            f"renaming {prop} did not fail the type check in {adapter_file}:\n" + "\n".join(lines)
        )
