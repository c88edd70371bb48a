"""Reading the inputs: OpenAPI 3 documents (YAML or JSON, checked) and the facade's usage map."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from scripts.spectools.openapi import SpecError, unresolved_refs
from scripts.spectools.subset import load_yaml

from ._changes import UsageMap

__all__ = [
    "SPEC_SUFFIXES",
    "Doc",
    "load_document",
    "load_usage",
    "looks_openapi",
    "parse_document",
    "spec_name_for",
]

SPEC_SUFFIXES = (".yaml", ".yml", ".json")

Doc = Mapping[str, Any]


def parse_document(text: str, source: str) -> dict[str, Any]:
    """Parse YAML or JSON text into an OpenAPI 3 document, or raise SpecError saying why."""
    data: Any
    try:
        if text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError:
                data = load_yaml(text)
        else:
            data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML or JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"{source}: not an OpenAPI document (the top level is not a mapping)")
    version = data.get("openapi")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.startswith("3."):
        found = "no 'openapi' key" if version is None else f"openapi: {version!r}"
        raise SpecError(f"{source}: not an OpenAPI 3 document ({found})")
    if not isinstance(data.get("paths"), dict):
        raise SpecError(f"{source}: not an OpenAPI 3 document (no 'paths' mapping)")
    missing = unresolved_refs(data)
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise SpecError(
            f"{source}: $refs that cannot be resolved (only local '#/...' references are"
            f" supported): {shown}"
        )
    return data


def load_document(path: Path) -> dict[str, Any]:
    """The OpenAPI 3 document in the file at path (SpecError when unreadable or not one)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read {path}: {exc}") from exc
    return parse_document(text, str(path))


def looks_openapi(text: str) -> bool:
    """True unless the document parses and has no 'openapi' key (e.g. a JSON Schema)."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError:
        return True  # let parse_document report the error
    return not (isinstance(data, dict) and "openapi" not in data)


def spec_name_for(path: Path | str) -> str:
    """fireblocks.yaml -> fireblocks (the name in specs/sources.toml and the usage map)."""
    name = Path(path).name
    for suffix in SPEC_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(path).stem


def load_usage() -> UsageMap:
    """The facade's usage map: spec name -> operationId -> identifiers.

    Gathered from the registered adapters, which declare what they read
    (``facade._usage.spec_usage``), so the facade must be importable: the nox sessions
    install it.
    """
    try:
        from facade._usage import spec_usage  # noqa: PLC0415 - only the report needs it
    except ImportError as exc:
        raise SpecError(
            f"cannot import the facade for its usage map ({exc}); install it: pip install -e ."
        ) from exc
    return spec_usage()
