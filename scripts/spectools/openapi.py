"""The one OpenAPI walker of the tooling: local $ref resolution, reference and operation walks.

The sandbox (facade/sandbox/_validation.py) keeps its own small walker: the installed
runtime must not import scripts/, which is not in the wheel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_PREFIX = "#/components/schemas/"


class SpecError(Exception):
    """A document that is not an OpenAPI 3 document this tooling can read (message says why)."""


def unescape(part: str) -> str:
    """A JSON Pointer reference token, unescaped (RFC 6901)."""
    return part.replace("~1", "/").replace("~0", "~")


class Resolver:
    """Local ("#/...") $ref resolution in one document."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc

    def target(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise SpecError(f"unsupported $ref {ref!r}: only local references are resolved")
        node: Any = self.doc
        for raw_part in ref[2:].split("/"):
            part = unescape(raw_part)
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SpecError(f"unresolved $ref {ref!r}")
        return node

    def deref(self, node: Any) -> Any:
        """Follow $ref chains (parameters, responses, headers, request bodies, schemas)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise SpecError(f"circular $ref {ref!r}")
            seen.add(ref)
            node = self.target(ref)
        return node

    def schema_name(self, node: Any) -> str | None:
        """The component name when node is a direct $ref to #/components/schemas/<name>."""
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref: str = node["$ref"]
            if ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :]:
                return unescape(ref[len(SCHEMA_PREFIX) :])
        return None


def resolve(doc: Mapping[str, Any], node: Any) -> Any:
    """node with its local $ref chain followed (SpecError when it points nowhere)."""
    return Resolver(doc).deref(node)


def iter_refs(node: Any, *, mappings: bool = False) -> Iterator[str]:
    """The $ref values under node; with mappings, discriminator mapping targets too (they
    keep a schema alive in a subset just as a $ref does)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
                continue
            if mappings and key == "discriminator" and isinstance(value, Mapping):
                mapping = value.get("mapping")
                if isinstance(mapping, Mapping):
                    yield from (v for v in mapping.values() if isinstance(v, str))
            yield from iter_refs(value, mappings=mappings)
    elif isinstance(node, list):
        for item in node:
            yield from iter_refs(item, mappings=mappings)


def component_key(ref: str) -> tuple[str, str] | None:
    """("schemas", "Name") for "#/components/schemas/Name" (and deeper pointers into it)."""
    parts = ref.split("/")
    if len(parts) < 4 or parts[:2] != ["#", "components"]:
        return None
    return parts[2], unescape(parts[3])


def unresolved_refs(doc: Mapping[str, Any]) -> list[str]:
    """Local $refs of doc that point nowhere (external refs count as unresolved)."""
    resolver = Resolver(doc)
    missing: list[str] = []
    for ref in sorted(set(iter_refs(doc))):
        try:
            resolver.target(ref)
        except SpecError:
            missing.append(ref)
    return missing


def security_names(requirements: Any) -> Iterator[str]:
    """The scheme names of a `security` list (any alternative)."""
    for requirement in requirements or []:
        if isinstance(requirement, Mapping):
            yield from (str(name) for name in requirement)


def norm_path(path: str) -> str:
    """A path template with its parameter names blanked: /a/{id} and /a/{key} are one route."""
    return re.sub(r"\{[^}]*\}", "{}", path)


@dataclass(frozen=True)
class Operation:
    """One operation of a document, where it sits, and its (dereferenced) path item."""

    path: str
    method: str
    node: Mapping[str, Any]
    path_item: Mapping[str, Any]

    @property
    def operation_id(self) -> str | None:
        op_id = self.node.get("operationId")
        return str(op_id) if op_id else None


def iter_operations(doc: Mapping[str, Any]) -> Iterator[Operation]:
    """Every operation of doc, in document order (path items behind a $ref followed)."""
    resolver = Resolver(doc)
    for path, raw_item in (doc.get("paths") or {}).items():
        item = resolver.deref(raw_item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, Mapping):
                yield Operation(str(path), method, node, item)
