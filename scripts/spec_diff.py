"""Classify what changed between two OpenAPI 3 documents, as breaking or compatible for a client.

    python -m scripts.spec_diff OLD NEW [--spec NAME] [--json]   # two files (YAML or JSON)
    python -m scripts.spec_diff --rev REV [--json]               # specs/ now vs specs/ at git REV
    python -m scripts.spec_diff --merge-base [--json]            # specs/ now vs the merge base
                                                                 # of HEAD and origin/main (or main)
    python -m scripts.spec_diff --identifiers FILE [--json]      # what a usage map may name

`nox -s spec_diff -- REV` runs the --rev form; `nox -s drift` runs the --merge-base form.

Every change is named by a stable identifier, the same ones the facade's usage map
(facade/_usage.py, ``spec_usage()``) lists per operationId:

    param:<name>                      a parameter (any location)
    <Schema>.<property>               a property of a components schema
    <Schema>.<property>.<property>    a property of an inline object (arrays and maps are
                                      transparent: the items' properties hang off the field)
    security:<scheme>                 a security scheme
    operation:<operationId>           an operation (operationId, else "METHOD /path")
    requestBody, response:<status>    a request body, a response
    header:<name>                     a response header

An inline request or response body schema (not a $ref) is named like the class
openapi-python-client generates for it: <OperationId>Body and <OperationId>Response<Status>.

Rules (for a client of the API, i.e. for us):

    operation removed, renamed (operationId) or moved (path/method)   breaking
    operation added                                                   compatible
    parameter removed, renamed, moved to another location             breaking
    new required parameter / parameter became required                breaking
    new optional parameter / parameter became optional                compatible
    request/response field removed or renamed                         breaking
    field type or format changed (parameters and fields)              breaking
    enum widened: response field breaking, request field/parameter compatible
    enum narrowed: request field/parameter breaking, response field compatible
    request body field became required / new required field          breaking
    new optional request field, new response field                    compatible
    response field became optional or nullable                        breaking
    components schema renamed (same position, same fields)            breaking
    security scheme removed or changed (type, location, name, flows)  breaking
    security scheme added: breaking when an operation now needs it, else compatible
    security requirement removed: breaking when a client's credentials stop being enough
    response status removed: breaking (2xx: for clients; others: for the sandbox, which
        answers with them); added: breaking for 2xx, compatible otherwise
    an inline object moved to a components schema (or back), same fields  no change
    response field that gains or is added with a closed enum: a risk to reads, breaking
        when required (the generated model parses it), compatible when optional (tolerated)
    minItems/maxItems changed: breaking when tighter on what clients send, else compatible
    servers changed                                                   compatible (reported)
    request body added (required) or removed, media type removed      breaking
    response media type removed: breaking for 2xx; response body's own type changed: breaking
    response header removed or its type changed                       breaking

``used_by_facade`` is true when the usage map of an affected operation lists the change's
identifier (for a field removed, renamed or retyped, also anything under that field; for a
schema renamed, any of its fields) or, for changes that concern every call of an operation
whatever the facade reads (operation removed, renamed or moved, new required parameter or
request field, request body and response status changes, new security requirement), lists
the operation itself. Operations are those of the old document (the facade's names).

Exit codes: 0 no breaking change used by the facade, 1 at least one, 2 usage error (an
unreadable file, not YAML/JSON, not an OpenAPI 3 document, an unknown git revision).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from scripts.spectools import subset
from scripts.spectools.manifest import load_manifest
from scripts.spectools.openapi import (
    Resolver as _Resolver,
)
from scripts.spectools.openapi import (
    SpecError,
    iter_operations,
    norm_path,
    unresolved_refs,
)

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
MERGE_BASE_REFS = ("origin/main", "main")

Severity = Literal["breaking", "compatible"]
Scope = Literal["identifier", "operation", "prefix"]
BREAKING: Severity = "breaking"
COMPATIBLE: Severity = "compatible"

Usage = Mapping[str, frozenset[str]]
UsageMap = Mapping[str, Usage]
Doc = Mapping[str, Any]

RENAME_SIMILARITY = 0.5
SCHEMA_RENAME_OVERLAP = 0.5


# Every kind of change this tool reports (the corpus in tests/spec_diff covers each one).
KINDS = frozenset(
    {
        "operation-removed",
        "operation-renamed",
        "operation-moved",
        "operation-added",
        "parameter-removed",
        "parameter-renamed",
        "parameter-location-changed",
        "parameter-added-required",
        "parameter-added-optional",
        "parameter-became-required",
        "parameter-became-optional",
        "parameter-type-changed",
        "parameter-format-changed",
        "parameter-enum-widened",
        "parameter-enum-narrowed",
        "parameter-enum-changed",
        "request-body-added-required",
        "request-body-added-optional",
        "request-body-removed",
        "request-body-became-required",
        "request-body-became-optional",
        "request-body-type-changed",
        "request-body-format-changed",
        "request-media-type-removed",
        "request-media-type-added",
        "request-field-removed",
        "request-field-renamed",
        "request-field-added-required",
        "request-field-added-optional",
        "request-field-became-required",
        "request-field-became-optional",
        "request-field-became-nullable",
        "request-field-became-non-nullable",
        "request-field-type-changed",
        "request-field-format-changed",
        "request-field-enum-widened",
        "request-field-enum-narrowed",
        "request-field-enum-changed",
        "response-status-removed",
        "response-status-added",
        "response-media-type-removed",
        "response-media-type-added",
        "response-body-type-changed",
        "response-body-format-changed",
        "response-header-removed",
        "response-header-added",
        "response-header-type-changed",
        "response-header-format-changed",
        "response-field-removed",
        "response-field-renamed",
        "response-field-added",
        "response-field-became-required",
        "response-field-became-optional",
        "response-field-became-nullable",
        "response-field-became-non-nullable",
        "response-field-type-changed",
        "response-field-format-changed",
        "response-field-enum-widened",
        "response-field-enum-narrowed",
        "response-field-enum-changed",
        "schema-renamed",
        "security-scheme-removed",
        "security-scheme-added",
        "security-scheme-changed",
        "security-requirement-removed",
        "security-requirement-added",
        "security-requirement-changed",
        "servers-changed",
        "parameter-limits-changed",
        "request-field-limits-changed",
        "response-field-limits-changed",
        "response-field-closed-enum",
    }
)


# --------------------------------------------------------------------------- change records


@dataclass(frozen=True)
class Change:
    kind: str
    severity: Severity
    operation_ids: tuple[str, ...]
    identifier: str
    message: str
    used_by_facade: bool
    new_identifier: str | None = None
    facade_operations: tuple[str, ...] = ()

    @property
    def breaking(self) -> bool:
        return self.severity == BREAKING

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "operationIds": list(self.operation_ids),
            "identifier": self.identifier,
            "new_identifier": self.new_identifier,
            "message": self.message,
            "used_by_facade": self.used_by_facade,
            "facade_operations": list(self.facade_operations),
        }


@dataclass(frozen=True)
class _Raw:
    """One change seen from one operation, before operations are merged."""

    kind: str
    severity: Severity
    identifier: str
    message: str
    scope: Scope
    new_identifier: str | None = None


def _sort_key(change: Change) -> tuple[int, str, str, str]:
    rank = (0 if change.breaking else 2) + (0 if change.used_by_facade else 1)
    return (rank, change.identifier, change.kind, change.new_identifier or "")


def _is_used(raw: _Raw, op_key: str, usage: Usage) -> bool:
    if op_key not in usage:
        return False
    if raw.scope == "operation":
        return True
    idents = usage[op_key]
    if raw.scope == "prefix":  # the identifier or anything under it
        return raw.identifier in idents or any(i.startswith(raw.identifier + ".") for i in idents)
    return raw.identifier in idents


class _Collector:
    """Merges per-operation changes into one record per (kind, identifier, message)."""

    def __init__(self, usage: Usage) -> None:
        self.usage = usage
        self._records: dict[tuple[str, Severity, str, str | None, str], list[str]] = {}
        self._used: dict[tuple[str, Severity, str, str | None, str], list[str]] = {}

    def add(self, raw: _Raw, op_keys: Sequence[str], usage_key: str | None) -> None:
        """Record raw for op_keys; usage is looked up under usage_key (the old operationId)."""
        key = (raw.kind, raw.severity, raw.identifier, raw.new_identifier, raw.message)
        ops = self._records.setdefault(key, [])
        used = self._used.setdefault(key, [])
        for op in op_keys:
            if op not in ops:
                ops.append(op)
        used_here = usage_key is not None and _is_used(raw, usage_key, self.usage)
        if used_here and usage_key is not None and usage_key not in used:
            used.append(usage_key)

    def changes(self) -> list[Change]:
        out: list[Change] = []
        for key, ops in self._records.items():
            kind, severity, identifier, new_identifier, message = key
            out.append(
                Change(
                    kind=kind,
                    severity=severity,
                    operation_ids=tuple(sorted(ops)),
                    identifier=identifier,
                    message=message,
                    used_by_facade=bool(self._used[key]),
                    new_identifier=new_identifier,
                    facade_operations=tuple(sorted(self._used[key])),
                )
            )
        return sorted(out, key=_sort_key)


# --------------------------------------------------------------------------- documents


# libyaml's loader when PyYAML has it: upstream documents run to megabytes.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)


def parse_document(text: str, source: str) -> dict[str, Any]:
    """Parse YAML or JSON text into an OpenAPI 3 document, or raise SpecError saying why."""
    data: Any
    try:
        if text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError:
                data = _load_yaml(text)
        else:
            data = _load_yaml(text)
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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read {path}: {exc}") from exc
    return parse_document(text, str(path))


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


# --------------------------------------------------------------------------- schemas


def _types(schema: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The declared types (without "null") and whether null is allowed."""
    declared = schema.get("type")
    names = [str(t) for t in declared] if isinstance(declared, list) else []
    if isinstance(declared, str):
        names = [declared]
    nullable = bool(schema.get("nullable")) or "null" in names
    return [t for t in names if t != "null"], nullable


def _is_model(schema: Any) -> bool:
    """True for a schema that becomes a class of its own in a generated client."""
    if not isinstance(schema, dict):
        return False
    types, _ = _types(schema)
    return "properties" in schema or "allOf" in schema or types == ["object"]


class _Schemas:
    """Describes schemas and flattens their fields into identifier -> _Field."""

    def __init__(self, resolver: _Resolver) -> None:
        self.r = resolver

    def describe(self, schema: Any, with_format: bool = True, depth: int = 0) -> str:
        """A stable type string: string(date-time), array<VaultAsset>, map<X>, object, any."""
        if depth > 20 or not isinstance(schema, dict):
            return "any"
        name = self.r.schema_name(schema)
        if "$ref" in schema:
            target = self.r.deref(schema)
            if name is not None and _is_model(target):
                return name
            return self.describe(target, with_format, depth + 1)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and "properties" not in schema:
            return self.describe(all_of[0], with_format, depth + 1)
        for combinator in ("oneOf", "anyOf"):
            variants = schema.get(combinator)
            if isinstance(variants, list) and variants:
                inner = sorted({self.describe(v, with_format, depth + 1) for v in variants})
                inner = [v for v in inner if v != "null"] or inner
                return inner[0] if len(inner) == 1 else f"{combinator}[{'|'.join(inner)}]"
        types, _ = _types(schema)
        if not types and schema.get("type") == "null":
            return "null"
        if types == ["array"] or (not types and "items" in schema):
            return f"array<{self.describe(schema.get('items'), with_format, depth + 1)}>"
        if types == ["object"] or (not types and ("properties" in schema or "allOf" in schema)):
            additional = schema.get("additionalProperties")
            if (
                "properties" not in schema
                and "allOf" not in schema
                and isinstance(additional, dict)
            ):
                return f"map<{self.describe(additional, with_format, depth + 1)}>"
            return "object"
        if not types:
            return "any"
        described = "|".join(types)
        fmt = schema.get("format")
        if with_format and isinstance(fmt, str) and len(types) == 1:
            described += f"({fmt})"
        return described

    def enum(self, schema: Any, depth: int = 0) -> frozenset[str] | None:
        """The allowed values (JSON-encoded), of the items for an array; None when open."""
        if depth > 20 or not isinstance(schema, dict):
            return None
        schema = self.r.deref(schema)
        if not isinstance(schema, dict):
            return None
        if "enum" in schema and isinstance(schema["enum"], list):
            return frozenset(
                json.dumps(v, sort_keys=True, default=str) for v in schema["enum"] if v is not None
            )
        if "const" in schema:
            return frozenset({json.dumps(schema["const"], sort_keys=True, default=str)})
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return self.enum(all_of[0], depth + 1)
        types, _ = _types(schema)
        if types == ["array"]:
            return self.enum(schema.get("items"), depth + 1)
        return None

    def nullable(self, schema: Any, depth: int = 0) -> bool:
        if depth > 20 or not isinstance(schema, dict):
            return False
        if schema.get("nullable") is True:
            return True
        if "$ref" in schema:
            return self.nullable(self.r.deref(schema), depth + 1)
        _, nullable = _types(schema)
        if nullable:
            return True
        for combinator in ("oneOf", "anyOf"):
            for variant in schema.get(combinator) or []:
                if isinstance(variant, dict) and variant.get("type") == "null":
                    return True
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return self.nullable(all_of[0], depth + 1)
        return False

    def fact(self, schema: Any, parent: str, name: str, required: bool) -> _Field:
        return _Field(
            parent=parent,
            name=name,
            type=self.describe(schema, with_format=False),
            shape=self.describe(schema),
            enum=self.enum(schema),
            nullable=self.nullable(schema),
            required=required,
            limits=self.limits(schema),
        )

    def limits(self, schema: Any) -> tuple[tuple[str, int], ...]:
        schema = self.r.deref(schema) if isinstance(schema, dict) else schema
        if not isinstance(schema, dict):
            return ()
        return tuple(
            (key, int(schema[key]))
            for key in ("minItems", "maxItems")
            if isinstance(schema.get(key), int) and not isinstance(schema.get(key), bool)
        )

    # Flattening -----------------------------------------------------------------------

    def flatten(self, schema: Any, root: str, out: _Fields) -> None:
        """Add every field reachable from a body schema to out (components once each)."""
        self._descend(schema, root, out, depth=0)

    def _descend(self, schema: Any, prefix: str, out: _Fields, depth: int) -> None:
        if depth > 40 or not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = self.r.schema_name(schema)
            target = self.r.deref(schema)
            if name is None:
                self._descend(target, prefix, out, depth + 1)
                return
            if name in out.components:
                return
            out.components[name] = set()
            self._descend(target, name, out, depth + 1)
            return
        if "properties" in schema or "allOf" in schema:
            self._walk(schema, prefix, out, depth)
        for combinator in ("oneOf", "anyOf"):
            for variant in schema.get(combinator) or []:
                self._descend(variant, prefix, out, depth + 1)
        if "items" in schema:
            self._descend(schema.get("items"), prefix, out, depth + 1)
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict):
            self._descend(additional, prefix, out, depth + 1)

    def _merged(self, schema: Mapping[str, Any], depth: int) -> tuple[dict[str, Any], set[str]]:
        """Properties and required names of schema with its allOf members merged in."""
        props: dict[str, Any] = {}
        required: set[str] = set()
        for member in schema.get("allOf") or []:
            resolved = self.r.deref(member) if depth < 20 else {}
            if isinstance(resolved, dict):
                member_props, member_required = self._merged(resolved, depth + 1)
                props.update(member_props)
                required |= member_required
        own = schema.get("properties")
        if isinstance(own, dict):
            props.update(own)
        req = schema.get("required")
        if isinstance(req, list):
            required |= {str(x) for x in req}
        return props, required

    def _walk(self, schema: Mapping[str, Any], prefix: str, out: _Fields, depth: int) -> None:
        props, required = self._merged(schema, 0)
        top = prefix.split(".", 1)[0]
        for name, prop in props.items():
            ident = f"{prefix}.{name}"
            out.fields[ident] = self.fact(prop, prefix, str(name), str(name) in required)
            if top in out.components:
                out.components[top].add(ident)
            self._descend(prop, ident, out, depth + 1)
        # Unions and maps inside allOf members (the schema's own are descended by the caller).
        for member in schema.get("allOf") or []:
            resolved = self.r.deref(member)
            if isinstance(resolved, dict):
                for combinator in ("oneOf", "anyOf"):
                    for variant in resolved.get(combinator) or []:
                        self._descend(variant, prefix, out, depth + 1)


@dataclass(frozen=True)
class _Field:
    parent: str
    name: str
    type: str
    shape: str
    enum: frozenset[str] | None
    nullable: bool
    required: bool
    # minItems/maxItems (of the field or, for a parameter, its schema): compared on their own,
    # not part of the signature that rename detection matches on.
    limits: tuple[tuple[str, int], ...] = ()

    def signature(self) -> tuple[str, frozenset[str] | None, bool, bool]:
        return (self.shape, self.enum, self.nullable, self.required)


@dataclass
class _Fields:
    fields: dict[str, _Field] = field(default_factory=dict)
    # components schema name -> identifiers of its fields (for schema-rename detection)
    components: dict[str, set[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class _Param:
    location: str
    name: str
    info: _Field


@dataclass
class _Operation:
    key: str  # operationId, else "METHOD /path"
    method: str
    path: str
    node: Mapping[str, Any]
    path_item: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def norm_path(self) -> str:
        return norm_path(self.path)


def _operations(doc: Doc) -> list[_Operation]:
    return [
        _Operation(
            op.operation_id or f"{op.method.upper()} {op.path}",
            op.method,
            op.path,
            op.node,
            op.path_item,
        )
        for op in iter_operations(doc)
    ]


def _path_slots(path: str) -> dict[str, int]:
    """Path template parameter name -> its position: /a/{x}/b/{y} -> {x: 0, y: 1}."""
    return {name: i for i, name in enumerate(re.findall(r"\{([^}]*)\}", path))}


def _pascal(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words)


class _Side:
    """One document, with helpers to read an operation's surface."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.r = _Resolver(doc)
        self.s = _Schemas(self.r)

    def params(self, op: _Operation) -> dict[tuple[str, str], _Param]:
        out: dict[tuple[str, str], _Param] = {}
        for raw in list(op.path_item.get("parameters") or []) + list(
            op.node.get("parameters") or []
        ):
            param = self.r.deref(raw)
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                continue
            location, name = str(param["in"]), str(param["name"])
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), dict):
                first: Any = next(iter(param["content"].values()), {})
                schema = first.get("schema") if isinstance(first, dict) else None
            required = location == "path" or bool(param.get("required"))
            out[(location, name)] = _Param(
                location, name, self.s.fact(schema or {}, "param", name, required)
            )
        return out

    def security(self, op: _Operation) -> list[frozenset[str]]:
        requirements = op.node["security"] if "security" in op.node else self.doc.get("security")
        alternatives = [
            frozenset(str(k) for k in req) for req in requirements or [] if isinstance(req, dict)
        ]
        return alternatives or [frozenset()]

    def schemes(self) -> dict[str, Any]:
        components = self.doc.get("components") or {}
        schemes = components.get("securitySchemes") or {}
        return {str(k): self.r.deref(v) for k, v in schemes.items()}

    def request_body(self, op: _Operation) -> dict[str, Any] | None:
        body = self.r.deref(op.node.get("requestBody"))
        return body if isinstance(body, dict) else None

    def responses(self, op: _Operation) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for status, raw in (op.node.get("responses") or {}).items():
            response = self.r.deref(raw)
            out[str(status)] = response if isinstance(response, dict) else {}
        return out

    def headers(self, response: Mapping[str, Any]) -> dict[str, _Field]:
        out: dict[str, _Field] = {}
        for name, raw in (response.get("headers") or {}).items():
            header = self.r.deref(raw)
            schema = header.get("schema") if isinstance(header, dict) else None
            out[str(name).lower()] = self.s.fact(
                schema or {}, "header", str(name), bool(header.get("required"))
            )
        return out


def _media(container: Mapping[str, Any]) -> dict[str, Any]:
    content = container.get("content")
    if not isinstance(content, dict):
        return {}
    return {str(k): (v.get("schema") if isinstance(v, dict) else None) for k, v in content.items()}


def _is_success(status: str) -> bool:
    return status.startswith("2")


# --------------------------------------------------------------------------- comparison


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[-1].rsplit(":", 1)[-1].lower()


def _name_similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(None, _leaf(old), _leaf(new)).ratio()


def _pair_renames(scores: Mapping[tuple[str, str], float]) -> list[tuple[str, str]]:
    """Greedy one-to-one pairing of (old, new) candidates, best score first."""
    pairs: list[tuple[str, str]] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for _, old, new in sorted((-score, old, new) for (old, new), score in scores.items()):
        if old in used_old or new in used_new:
            continue
        pairs.append((old, new))
        used_old.add(old)
        used_new.add(new)
    return pairs


def _limit_raws(a: _Field, b: _Field, prefix: str, identifier: str, what: str) -> list[_Raw]:
    """minItems/maxItems changes: tighter is breaking for what clients send, never for what
    they receive (a response's limits only describe it)."""
    if a.limits == b.limits:
        return []
    old, new = dict(a.limits), dict(b.limits)
    tighter = any(
        (key == "maxItems" and key in new and (key not in old or new[key] < old[key]))
        or (key == "minItems" and new.get(key, 0) > old.get(key, 0))
        for key in ("minItems", "maxItems")
    )
    sending = prefix != "response-field"

    def show(limits: Mapping[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(limits.items())) or "none"

    return [
        _Raw(
            f"{prefix}-limits-changed",
            BREAKING if sending and tighter else COMPATIBLE,
            identifier,
            f"{what}: item limits changed from {show(old)} to {show(new)}"
            + (" (calls within the old limits may now be refused)" if sending and tighter else ""),
            "identifier",
        )
    ]


def _closed_enum_raw(ident: str, info: _Field, what: str) -> _Raw:
    """A response field that now has (or newly is) a closed enum: a risk to reads, since the
    generated model parses it. Tolerated when optional (our model template reads an unknown
    value of an optional field as unset); a required one fails the whole read."""
    values = ", ".join(sorted(info.enum or ()))
    if info.required:
        return _Raw(
            "response-field-closed-enum",
            BREAKING,
            ident,
            f"{what} is a closed enum ({values}): risk to reads, a value outside it fails"
            " the generated model's parse of every response",
            "identifier",
        )
    return _Raw(
        "response-field-closed-enum",
        COMPATIBLE,
        ident,
        f"{what} is a closed enum ({values}): optional, so a value outside it reads as"
        " unset (tolerant reading), never fails a read",
        "identifier",
    )


def _enum_raws(
    old: frozenset[str] | None,
    new: frozenset[str] | None,
    prefix: str,
    identifier: str,
    what: str,
    *,
    request: bool,
) -> list[_Raw]:
    if old == new:
        return []

    def show(values: frozenset[str]) -> str:
        return ", ".join(sorted(values))

    if new is None or (old is not None and new > old):
        change = "widened"
        detail = "no longer restricted" if new is None else f"gained {show(new - (old or new))}"
    elif old is None or new < old:
        change = "narrowed"
        detail = f"now restricted to {show(new)}" if old is None else f"lost {show(old - new)}"
    else:
        change = "changed"
        detail = f"gained {show(new - old)}; lost {show(old - new)}"
    if change == "changed":
        severity = BREAKING
    elif request:
        severity = BREAKING if change == "narrowed" else COMPATIBLE
    else:
        severity = BREAKING if change == "widened" else COMPATIBLE
    why = {
        (True, "narrowed"): " (values clients may send are now rejected)",
        (False, "widened"): " (clients may receive values they do not know)",
    }.get((request, change), "")
    return [
        _Raw(
            f"{prefix}-enum-{change}",
            severity,
            identifier,
            f"{what}: enum {change}, {detail}{why}",
            "identifier",
        )
    ]


class _Differ:
    def __init__(self, old: Doc, new: Doc, usage: Usage) -> None:
        self.old = _Side(old)
        self.new = _Side(new)
        self.out = _Collector(usage)
        # old components schema name -> new name, found while comparing bodies
        self.schema_renames: dict[str, str] = {}
        # field identifier -> the components schema an inline object there moved to or from
        self.inline_moves: dict[str, str] = {}

    def run(self) -> list[Change]:
        pairs, removed, added = self._match_operations()
        for op in removed:
            self.out.add(
                _Raw(
                    "operation-removed",
                    BREAKING,
                    f"operation:{op.key}",
                    f"operation {op.key} ({op.label}) was removed",
                    "operation",
                ),
                [op.key],
                op.key,
            )
        for op in added:
            self.out.add(
                _Raw(
                    "operation-added",
                    COMPATIBLE,
                    f"operation:{op.key}",
                    f"new operation {op.key} ({op.label})",
                    "operation",
                ),
                [op.key],
                op.key,
            )
        for old_op, new_op in pairs:
            ops = [old_op.key] if old_op.key == new_op.key else [old_op.key, new_op.key]
            for raw in self._compare_operation(old_op, new_op):
                self.out.add(raw, ops, old_op.key)
        self._compare_security(pairs, removed, added)
        self._compare_servers([old for old, _ in pairs] + list(removed))
        return self.out.changes()

    def _compare_servers(self, old_ops: Sequence[_Operation]) -> None:
        def urls(doc: Doc) -> list[str]:
            servers = doc.get("servers")
            if not isinstance(servers, list):
                return []
            return [str(s.get("url")) for s in servers if isinstance(s, dict)]

        old, new = urls(self.old.doc), urls(self.new.doc)
        if old == new:
            return
        gone = [u for u in old if u not in new]
        fresh = [u for u in new if u not in old]
        detail = (
            "; ".join(
                part
                for part in (
                    f"removed {', '.join(gone)}" if gone else "",
                    f"added {', '.join(fresh)}" if fresh else "",
                )
                if part
            )
            or f"reordered to {', '.join(new)}"
        )
        self.out.add(
            _Raw(
                "servers-changed",
                COMPATIBLE,
                "servers",
                f"servers changed: {detail} (the facade's base_url is a setting; check its"
                " default)",
                "identifier",
            ),
            [op.key for op in old_ops],
            None,
        )

    # Operations ---------------------------------------------------------------------

    def _match_operations(
        self,
    ) -> tuple[list[tuple[_Operation, _Operation]], list[_Operation], list[_Operation]]:
        old_ops, new_ops = _operations(self.old.doc), _operations(self.new.doc)
        pairs: list[tuple[_Operation, _Operation]] = []
        new_by_key = {op.key: op for op in new_ops}
        matched_new: set[int] = set()
        unmatched_old: list[_Operation] = []
        for op in old_ops:
            other = new_by_key.get(op.key)
            if other is not None and id(other) not in matched_new:
                pairs.append((op, other))
                matched_new.add(id(other))
            else:
                unmatched_old.append(op)
        new_by_route = {
            (op.method, op.norm_path): op for op in new_ops if id(op) not in matched_new
        }
        removed: list[_Operation] = []
        for op in unmatched_old:
            other = new_by_route.get((op.method, op.norm_path))
            if other is not None and id(other) not in matched_new:
                pairs.append((op, other))
                matched_new.add(id(other))
            else:
                removed.append(op)
        added = [op for op in new_ops if id(op) not in matched_new]
        return pairs, removed, added

    def _compare_operation(self, old: _Operation, new: _Operation) -> list[_Raw]:
        raws: list[_Raw] = []
        if old.key != new.key:
            raws.append(
                _Raw(
                    "operation-renamed",
                    BREAKING,
                    f"operation:{old.key}",
                    f"operationId {old.key} was renamed to {new.key} ({new.label})",
                    "operation",
                    new_identifier=f"operation:{new.key}",
                )
            )
        elif (old.method, old.norm_path) != (new.method, new.norm_path):
            raws.append(
                _Raw(
                    "operation-moved",
                    BREAKING,
                    f"operation:{old.key}",
                    f"operation {old.key} moved from {old.label} to {new.label}",
                    "operation",
                )
            )
        raws += self._compare_params(old, new)
        raws += self._compare_request(old, new)
        raws += self._compare_responses(old, new)
        return raws

    # Parameters ---------------------------------------------------------------------

    def _compare_params(self, old_op: _Operation, new_op: _Operation) -> list[_Raw]:
        old, new = self.old.params(old_op), self.new.params(new_op)
        raws: list[_Raw] = []
        removed = [k for k in old if k not in new]
        added = [k for k in new if k not in old]
        for key in list(removed):
            moved = [a for a in added if a[1] == key[1]]
            if moved:
                target = moved[0]
                removed.remove(key)
                added.remove(target)
                raws.append(
                    _Raw(
                        "parameter-location-changed",
                        BREAKING,
                        f"param:{key[1]}",
                        f"parameter {key[1]} moved from {key[0]} to {target[0]}",
                        "identifier",
                    )
                )
                raws += self._compare_param(old[key], new[target])
        # A path parameter at the same place in the template is the same parameter renamed,
        # however different the names; others need similar spellings.
        old_slots, new_slots = _path_slots(old_op.path), _path_slots(new_op.path)
        scores: dict[tuple[str, str], float] = {}
        for r in removed:
            for a in added:
                score = _name_similarity(r[1], a[1])
                if r[0] == "path" and a[0] == "path" and old_slots.get(r[1]) == new_slots.get(a[1]):
                    score += 1.0
                same = r[0] == a[0] and self._sig(old[r].info) == new[a].info.signature()
                if same and score >= RENAME_SIMILARITY:
                    scores[(f"{r[0]}:{r[1]}", f"{a[0]}:{a[1]}")] = score
        by_label = {f"{k[0]}:{k[1]}": k for k in removed + added}
        for old_label, new_label in _pair_renames(scores):
            r, a = by_label[old_label], by_label[new_label]
            removed.remove(r)
            added.remove(a)
            raws.append(
                _Raw(
                    "parameter-renamed",
                    BREAKING,
                    f"param:{r[1]}",
                    f"{r[0]} parameter {r[1]} was renamed to {a[1]}",
                    "identifier",
                    new_identifier=f"param:{a[1]}",
                )
            )
        for location, name in removed:
            raws.append(
                _Raw(
                    "parameter-removed",
                    BREAKING,
                    f"param:{name}",
                    f"{location} parameter {name} was removed",
                    "identifier",
                )
            )
        for key in added:
            location, name = key
            if new[key].info.required:
                raws.append(
                    _Raw(
                        "parameter-added-required",
                        BREAKING,
                        f"param:{name}",
                        f"new required {location} parameter {name} (every call must now send it)",
                        "operation",
                    )
                )
            else:
                raws.append(
                    _Raw(
                        "parameter-added-optional",
                        COMPATIBLE,
                        f"param:{name}",
                        f"new optional {location} parameter {name}",
                        "identifier",
                    )
                )
        for key in old:
            if key in new:
                raws += self._compare_param(old[key], new[key])
        return raws

    def _compare_param(self, old: _Param, new: _Param) -> list[_Raw]:
        ident = f"param:{old.name}"
        what = f"{new.location} parameter {old.name}"
        raws: list[_Raw] = []
        a, b = old.info, new.info
        if not a.required and b.required:
            raws.append(
                _Raw(
                    "parameter-became-required",
                    BREAKING,
                    ident,
                    f"{what} became required (every call must now send it)",
                    "operation",
                )
            )
        elif a.required and not b.required:
            raws.append(
                _Raw(
                    "parameter-became-optional",
                    COMPATIBLE,
                    ident,
                    f"{what} became optional",
                    "identifier",
                )
            )
        raws += self._type_raws("parameter", ident, what, a, b)
        raws += _enum_raws(a.enum, b.enum, "parameter", ident, what, request=True)
        raws += _limit_raws(a, b, "parameter", ident, what)
        return raws

    def _type_raws(
        self,
        prefix: str,
        ident: str,
        what: str,
        a: _Field,
        b: _Field,
        *,
        scope: Scope = "identifier",
    ) -> list[_Raw]:
        a_type, a_shape = self._renamed(a.type), self._renamed(a.shape)
        moved = self.inline_moves.get(ident)
        if moved is not None:  # the same object, inline on one side and named on the other
            a_type, a_shape = a_type.replace(moved, "object"), a_shape.replace(moved, "object")
            b = dataclasses.replace(
                b, type=b.type.replace(moved, "object"), shape=b.shape.replace(moved, "object")
            )
        if a_type != b.type:
            return [
                _Raw(
                    f"{prefix}-type-changed",
                    BREAKING,
                    ident,
                    f"{what}: type changed from {a.shape} to {b.shape}",
                    scope,
                )
            ]
        if a_shape != b.shape:
            return [
                _Raw(
                    f"{prefix}-format-changed",
                    BREAKING,
                    ident,
                    f"{what}: format changed from {a.shape} to {b.shape}",
                    "identifier",
                )
            ]
        return []

    def _sig(self, old: _Field) -> tuple[str, frozenset[str] | None, bool, bool]:
        """An old field's signature in the new document's schema names."""
        shape, enum, nullable, required = old.signature()
        return (self._renamed(shape), enum, nullable, required)

    def _renamed(self, described: str) -> str:
        """An old type string with renamed components schemas written by their new names."""
        for old, new in self.schema_renames.items():
            described = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w.])", new, described)
        return described

    # Bodies -------------------------------------------------------------------------

    def _compare_request(self, old_op: _Operation, new_op: _Operation) -> list[_Raw]:
        old, new = self.old.request_body(old_op), self.new.request_body(new_op)
        if old is None and new is None:
            return []
        if old is None and new is not None:
            if new.get("required"):
                return [
                    _Raw(
                        "request-body-added-required",
                        BREAKING,
                        "requestBody",
                        "new required request body (every call must now send it)",
                        "operation",
                    )
                ]
            return [
                _Raw(
                    "request-body-added-optional",
                    COMPATIBLE,
                    "requestBody",
                    "new optional request body",
                    "identifier",
                )
            ]
        if new is None:
            return [
                _Raw(
                    "request-body-removed",
                    BREAKING,
                    "requestBody",
                    "the request body was removed",
                    "operation",
                )
            ]
        assert old is not None
        raws: list[_Raw] = []
        if not old.get("required") and new.get("required"):
            raws.append(
                _Raw(
                    "request-body-became-required",
                    BREAKING,
                    "requestBody",
                    "the request body became required",
                    "operation",
                )
            )
        elif old.get("required") and not new.get("required"):
            raws.append(
                _Raw(
                    "request-body-became-optional",
                    COMPATIBLE,
                    "requestBody",
                    "the request body became optional",
                    "identifier",
                )
            )
        old_media, new_media = _media(old), _media(new)
        for media in old_media:
            if media not in new_media:
                raws.append(
                    _Raw(
                        "request-media-type-removed",
                        BREAKING,
                        f"requestBody:{media}",
                        f"the request body no longer accepts {media}",
                        "operation",
                    )
                )
        for media in new_media:
            if media not in old_media:
                raws.append(
                    _Raw(
                        "request-media-type-added",
                        COMPATIBLE,
                        f"requestBody:{media}",
                        f"the request body also accepts {media}",
                        "identifier",
                    )
                )
        common = [m for m in old_media if m in new_media]
        root = f"{_pascal(new_op.key)}Body"
        old_root = f"{_pascal(old_op.key)}Body"
        raws += self._compare_bodies(
            [(old_media[m], new_media[m]) for m in common],
            old_root,
            root,
            request=True,
            root_ident="requestBody",
            root_what="request body",
        )
        return raws

    def _compare_responses(self, old_op: _Operation, new_op: _Operation) -> list[_Raw]:
        old, new = self.old.responses(old_op), self.new.responses(new_op)
        raws: list[_Raw] = []
        for status in old:
            if status not in new:
                success = _is_success(status)
                # An error response is nothing a client parses, but the sandbox answers with
                # it: its errors become off-spec (it validates what it sends).
                raws.append(
                    _Raw(
                        "response-status-removed",
                        BREAKING,
                        f"response:{status}",
                        f"response {status} was removed"
                        + (
                            " (the success response clients parse)"
                            if success
                            else " (breaking for the sandbox: its error answers with this"
                            " status become off-spec; restore it in the overlay if the API"
                            " still sends it)"
                        ),
                        "operation" if success else "identifier",
                    )
                )
        for status in new:
            if status not in old:
                success = _is_success(status)
                raws.append(
                    _Raw(
                        "response-status-added",
                        BREAKING if success else COMPATIBLE,
                        f"response:{status}",
                        f"new response {status}"
                        + (" (a success response clients do not parse yet)" if success else ""),
                        "operation",
                    )
                )
        bodies: list[tuple[str, Any, Any]] = []
        for status in old:
            if status not in new:
                continue
            old_media, new_media = _media(old[status]), _media(new[status])
            for media in old_media:
                if media not in new_media:
                    raws.append(
                        _Raw(
                            "response-media-type-removed",
                            BREAKING if _is_success(status) else COMPATIBLE,
                            f"response:{status}",
                            f"response {status} no longer has a {media} body",
                            "operation",
                        )
                    )
            for media in new_media:
                if media not in old_media:
                    raws.append(
                        _Raw(
                            "response-media-type-added",
                            COMPATIBLE,
                            f"response:{status}",
                            f"response {status} may now have a {media} body",
                            "identifier",
                        )
                    )
            for media in old_media:
                if media in new_media:
                    bodies.append((status, old_media[media], new_media[media]))
            raws += self._compare_headers(status, old[status], new[status])
        # Inline bodies are named per status (like the generated classes), so each status's
        # body is compared on its own.
        for status, old_schema, new_schema in bodies:
            raws += self._compare_bodies(
                [(old_schema, new_schema)],
                f"{_pascal(old_op.key)}Response{_pascal(status)}",
                f"{_pascal(new_op.key)}Response{_pascal(status)}",
                request=False,
                root_ident=f"response:{status}",
                root_what=f"response {status} body",
            )
        return raws

    def _compare_headers(
        self, status: str, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> list[_Raw]:
        a, b = self.old.headers(old), self.new.headers(new)
        raws: list[_Raw] = []
        for key, info in a.items():
            ident = f"header:{info.name}"
            if key not in b:
                raws.append(
                    _Raw(
                        "response-header-removed",
                        BREAKING,
                        ident,
                        f"response {status} no longer has header {info.name}",
                        "identifier",
                    )
                )
            else:
                raws += self._type_raws(
                    "response-header", ident, f"response {status} header {info.name}", info, b[key]
                )
        for key, info in b.items():
            if key not in a:
                raws.append(
                    _Raw(
                        "response-header-added",
                        COMPATIBLE,
                        f"header:{info.name}",
                        f"response {status} has a new header {info.name}",
                        "identifier",
                    )
                )
        return raws

    def _compare_bodies(
        self,
        pairs: Sequence[tuple[Any, Any]],
        old_root: str,
        new_root: str,
        *,
        request: bool,
        root_ident: str,
        root_what: str,
    ) -> list[_Raw]:
        old_fields, new_fields = _Fields(), _Fields()
        for old_schema, new_schema in pairs:
            self.old.s.flatten(old_schema, old_root, old_fields)
            self.new.s.flatten(new_schema, new_root, new_fields)
        raws = self._compare_fields(old_fields, new_fields, old_root, new_root, request)
        for old_schema, new_schema in pairs:
            a = self._renamed(self.old.s.describe(old_schema))
            b = self.new.s.describe(new_schema)
            a_type = self._renamed(self.old.s.describe(old_schema, with_format=False))
            b_type = self.new.s.describe(new_schema, with_format=False)
            if a != b:
                kind = "type" if a_type != b_type else "format"
                raws.append(
                    _Raw(
                        f"{'request' if request else 'response'}-body-{kind}-changed",
                        BREAKING,
                        root_ident,
                        f"{root_what}: {kind} changed from {a} to {b}",
                        "operation",
                    )
                )
        return raws

    def _compare_fields(
        self, old: _Fields, new: _Fields, old_root: str, new_root: str, request: bool
    ) -> list[_Raw]:
        prefix = "request-field" if request else "response-field"
        raws: list[_Raw] = []
        # 0. an inline object moved to a components schema (or back) with the same fields:
        # the wire is unchanged, so neither the object nor its fields changed.
        renamed_prefixes: dict[str, str] = {old_root: new_root}
        gone = [c for c in old.components if c not in new.components]
        fresh = [c for c in new.components if c not in old.components]
        field_renames: dict[str, str] = {}
        for component in list(fresh):
            for ident in self._inline_twins(old, component, new):
                field_renames[ident] = component
                self.inline_moves[ident] = component
                fresh.remove(component)
                break
        for component in list(gone):
            for ident in self._inline_twins(new, component, old):
                renamed_prefixes[component] = ident
                self.inline_moves[ident] = component
                gone.remove(component)
                break
        # 1. components schemas renamed: same fields, the old name gone, a new name present.
        schema_scores: dict[tuple[str, str], float] = {}
        for a in gone:
            a_names = {i[len(a) + 1 :] for i in old.components[a]}
            for b in fresh:
                b_names = {i[len(b) + 1 :] for i in new.components[b]}
                union = a_names | b_names
                overlap = len(a_names & b_names) / len(union) if union else 1.0
                if overlap >= SCHEMA_RENAME_OVERLAP:
                    # Field overlap decides; the spelling only breaks ties.
                    schema_scores[(a, b)] = overlap + _name_similarity(a, b) / 100
        for a, b in _pair_renames(schema_scores):
            renamed_prefixes[a] = b
            self.schema_renames[a] = b
            raws.append(
                _Raw(
                    "schema-renamed",
                    BREAKING,
                    a,
                    f"components schema {a} was renamed to {b} (the generated model's"
                    " name changes)",
                    "prefix",
                    new_identifier=b,
                )
            )
        # 2. fields, shallow first, so a renamed inline object carries its children along.

        def translate(ident: str) -> str:
            head, _, rest = ident.partition(".")
            head = renamed_prefixes.get(head, head)
            ident = f"{head}.{rest}" if rest else head
            for old_p, new_p in field_renames.items():
                if ident.startswith(old_p + "."):
                    return new_p + ident[len(old_p) :]
            return ident

        gone_fields: set[str] = set()  # removed old fields: children are not reported again
        fresh_fields: set[str] = set()  # added new fields: likewise
        depth_of = {i: i.count(".") for i in [*old.fields, *new.fields]}
        for depth in sorted(set(depth_of.values())):
            level_old = [i for i in old.fields if depth_of[i] == depth]
            level_new = [i for i in new.fields if depth_of[i] == depth]
            translated = {translate(i): i for i in level_old}
            removed = [i for t, i in translated.items() if t not in new.fields]
            # A field that an old field of another depth translates to (an inline object
            # moved to or from a components schema) is not new.
            elsewhere = {translate(i) for i in old.fields} if self.inline_moves else set()
            added = [n for n in level_new if n not in translated and n not in elsewhere]
            scores: dict[tuple[str, str], float] = {}
            for r in removed:
                for a in added:
                    score = _name_similarity(r, a)
                    same_parent = translate(r).rsplit(".", 1)[0] == a.rsplit(".", 1)[0]
                    same = self._sig(old.fields[r]) == new.fields[a].signature()
                    if same_parent and same and score >= RENAME_SIMILARITY:
                        scores[(r, a)] = score
            for r, a in _pair_renames(scores):
                removed.remove(r)
                added.remove(a)
                field_renames[translate(r)] = a
                raws.append(
                    _Raw(
                        f"{prefix}-renamed",
                        BREAKING,
                        r,
                        f"{'request' if request else 'response'} field {r} was renamed to"
                        f" {new.fields[a].name}",
                        "prefix",
                        new_identifier=a,
                    )
                )
            for r in removed:
                gone_fields.add(r)
                if r.rsplit(".", 1)[0] in gone_fields:
                    continue
                raws.append(
                    _Raw(
                        f"{prefix}-removed",
                        BREAKING,
                        r,
                        f"{'request' if request else 'response'} field {r} was removed",
                        "prefix",
                    )
                )
            for a in added:
                fresh_fields.add(a)
                info = new.fields[a]
                if not request and info.enum is not None:
                    raws.append(_closed_enum_raw(a, info, f"new response field {a}"))
                if a.rsplit(".", 1)[0] in fresh_fields:
                    continue
                if request and info.required:
                    raws.append(
                        _Raw(
                            "request-field-added-required",
                            BREAKING,
                            a,
                            f"new required request field {a} (every call must now send it)",
                            "operation",
                        )
                    )
                elif request:
                    raws.append(
                        _Raw(
                            "request-field-added-optional",
                            COMPATIBLE,
                            a,
                            f"new optional request field {a}",
                            "identifier",
                        )
                    )
                else:
                    raws.append(
                        _Raw(
                            "response-field-added",
                            COMPATIBLE,
                            a,
                            f"new response field {a}",
                            "identifier",
                        )
                    )
            for t, i in translated.items():
                if t in new.fields:
                    raws += self._compare_field(prefix, i, old.fields[i], new.fields[t], request)
        return raws

    @staticmethod
    def _inline_twins(inline_side: _Fields, component: str, named_side: _Fields) -> list[str]:
        """Fields of inline_side holding an inline object whose fields (names and
        signatures, at every depth) are exactly those of the components schema `component`
        of named_side, at a field that named_side types as that schema."""
        named = {
            i[len(component) + 1 :]: named_side.fields[i].signature()
            for i in named_side.components.get(component, ())
        }
        if not named:
            return []
        twins = []
        for ident, info in inline_side.fields.items():
            there = named_side.fields.get(ident)
            if info.type != "object" or there is None or component not in there.shape:
                continue
            children = {
                i[len(ident) + 1 :]: f.signature()
                for i, f in inline_side.fields.items()
                if i.startswith(ident + ".")
            }
            if children == named:
                twins.append(ident)
        return twins

    def _compare_field(
        self, prefix: str, ident: str, a: _Field, b: _Field, request: bool
    ) -> list[_Raw]:
        side = "request" if request else "response"
        what = f"{side} field {ident}"
        raws: list[_Raw] = []
        if a.required != b.required:
            became = "required" if b.required else "optional"
            if request:
                severity = BREAKING if b.required else COMPATIBLE
                scope: Scope = "operation" if b.required else "identifier"
                why = " (every call must now send it)" if b.required else ""
            else:
                severity = COMPATIBLE if b.required else BREAKING
                scope = "identifier"
                why = "" if b.required else " (clients can no longer rely on it being present)"
            raws.append(
                _Raw(
                    f"{prefix}-became-{became}",
                    severity,
                    ident,
                    f"{what} became {became}{why}",
                    scope,
                )
            )
        if a.nullable != b.nullable:
            became = "nullable" if b.nullable else "non-nullable"
            breaking = b.nullable != request  # nullable breaks readers, non-nullable writers
            raws.append(
                _Raw(
                    f"{prefix}-became-{became}",
                    BREAKING if breaking else COMPATIBLE,
                    ident,
                    f"{what} became {became}",
                    "identifier",
                )
            )
        raws += self._type_raws(prefix, ident, what, a, b, scope="prefix")
        raws += _enum_raws(a.enum, b.enum, prefix, ident, what, request=request)
        raws += _limit_raws(a, b, prefix, ident, what)
        if not request and a.enum is None and b.enum is not None:
            raws.append(_closed_enum_raw(ident, b, what))
        return raws

    # Security -----------------------------------------------------------------------

    def _compare_security(
        self,
        pairs: Sequence[tuple[_Operation, _Operation]],
        removed_ops: Sequence[_Operation],
        added_ops: Sequence[_Operation],
    ) -> None:
        old_schemes, new_schemes = self.old.schemes(), self.new.schemes()
        # Operations that referenced / newly need each scheme, for the definition records.
        referenced_old: dict[str, list[str]] = {}
        needed_new: dict[str, list[tuple[str, bool]]] = {}
        for op in removed_ops:
            for scheme in _schemes_in(self.old.security(op)):
                referenced_old.setdefault(scheme, []).append(op.key)
        for op in added_ops:
            for scheme in _schemes_in(self.new.security(op)):
                needed_new.setdefault(scheme, []).append((op.key, False))
        for old_op, new_op in pairs:
            a, b = self.old.security(old_op), self.new.security(new_op)
            ops = [old_op.key] if old_op.key == new_op.key else [old_op.key, new_op.key]
            for scheme in _schemes_in(a):
                referenced_old.setdefault(scheme, []).append(old_op.key)
            if set(a) == set(b):
                for scheme in _schemes_in(b):
                    needed_new.setdefault(scheme, []).append((old_op.key, False))
                continue

            def accepted(alternative: frozenset[str], b: list[frozenset[str]] = b) -> bool:
                return any(req <= alternative for req in b)

            broken = [alt for alt in a if not accepted(alt)]
            a_all, b_all = _schemes_in(a), _schemes_in(b)
            for scheme in sorted(b_all):
                needed_new.setdefault(scheme, []).append((old_op.key, bool(broken)))
            for scheme in sorted(a_all - b_all):
                if scheme not in new_schemes:
                    continue  # reported with the definition
                severity = BREAKING if any(scheme in alt for alt in broken) else COMPATIBLE
                self.out.add(
                    _Raw(
                        "security-requirement-removed",
                        severity,
                        f"security:{scheme}",
                        f"security scheme {scheme} is no longer accepted"
                        + (
                            " (clients using it must change credentials)"
                            if severity == BREAKING
                            else ""
                        ),
                        "identifier",
                    ),
                    ops,
                    old_op.key,
                )
            for scheme in sorted(b_all - a_all):
                if scheme not in old_schemes:
                    continue  # reported with the definition
                self.out.add(
                    _Raw(
                        "security-requirement-added",
                        BREAKING if broken else COMPATIBLE,
                        f"security:{scheme}",
                        f"security scheme {scheme} is now "
                        + ("required" if broken else "accepted as an alternative"),
                        "operation" if broken else "identifier",
                    ),
                    ops,
                    old_op.key,
                )
            if broken and not b_all - a_all:
                # Same schemes, combined differently (e.g. "A or B" became "A and B").
                for scheme in sorted(_schemes_in(alt for alt in b if alt not in a)):
                    self.out.add(
                        _Raw(
                            "security-requirement-changed",
                            BREAKING,
                            f"security:{scheme}",
                            f"security requirements changed from {_show_security(a)}"
                            f" to {_show_security(b)}",
                            "operation",
                        ),
                        ops,
                        old_op.key,
                    )
        for scheme in old_schemes:
            ident = f"security:{scheme}"
            if scheme not in new_schemes:
                ops = referenced_old.get(scheme, [])
                raw = _Raw(
                    "security-scheme-removed",
                    BREAKING if ops else COMPATIBLE,
                    ident,
                    f"security scheme {scheme} was removed",
                    "identifier",
                )
                self._add_everywhere(raw, ops)
                continue
            differences = _scheme_differences(old_schemes[scheme], new_schemes[scheme])
            if differences:
                ops = sorted(
                    set(referenced_old.get(scheme, []))
                    | {op for op, _ in needed_new.get(scheme, [])}
                )
                raw = _Raw(
                    "security-scheme-changed",
                    BREAKING,
                    ident,
                    f"security scheme {scheme} changed: {'; '.join(differences)}",
                    "identifier",
                )
                self._add_everywhere(raw, ops)
        for scheme in new_schemes:
            if scheme in old_schemes:
                continue
            needers = needed_new.get(scheme, [])
            breaking_ops = [op for op, broken in needers if broken]
            raw = _Raw(
                "security-scheme-added",
                BREAKING if breaking_ops else COMPATIBLE,
                f"security:{scheme}",
                f"new security scheme {scheme}"
                + (" (operations now require it)" if breaking_ops else ""),
                "operation" if breaking_ops else "identifier",
            )
            if breaking_ops:
                self._add_everywhere(raw, breaking_ops)
            else:
                self._add_everywhere(raw, sorted({op for op, _ in needers}))

    def _add_everywhere(self, raw: _Raw, ops: Sequence[str]) -> None:
        if not ops:
            self.out.add(raw, [], None)
        for op in ops:
            self.out.add(raw, [op], op)


def _show_security(alternatives: Sequence[frozenset[str]]) -> str:
    return " or ".join(" and ".join(sorted(alt)) or "(none)" for alt in alternatives)


def _schemes_in(alternatives: Iterable[frozenset[str]]) -> set[str]:
    out: set[str] = set()
    for alternative in alternatives:
        out |= alternative
    return out


def _scheme_differences(old: Any, new: Any) -> list[str]:
    def norm(scheme: Any) -> dict[str, Any]:
        if not isinstance(scheme, dict):
            return {}
        out: dict[str, Any] = {
            key: scheme.get(key)
            for key in ("type", "in", "name", "bearerFormat", "openIdConnectUrl")
            if scheme.get(key) is not None
        }
        if scheme.get("scheme") is not None:
            out["scheme"] = str(scheme["scheme"]).lower()
        flows = scheme.get("flows")
        if isinstance(flows, dict):
            for flow, spec in sorted(flows.items()):
                if not isinstance(spec, dict):
                    continue
                for key in ("authorizationUrl", "tokenUrl", "refreshUrl"):
                    if spec.get(key) is not None:
                        out[f"flows.{flow}.{key}"] = spec[key]
                out[f"flows.{flow}.scopes"] = ", ".join(sorted(spec.get("scopes") or {}))
        return out

    a, b = norm(old), norm(new)
    return [
        f"{key}: {a.get(key, '(none)')} -> {b.get(key, '(none)')}"
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]


def diff_documents(old: Doc, new: Doc, usage: Usage | None = None) -> list[Change]:
    """Every change from old to new, breaking first, facade-used first within each severity."""
    return _Differ(old, new, usage or {}).run()


def identifiers(doc: Doc) -> dict[str, set[str]]:
    """operationId -> every identifier the operation exposes (what a usage map may name)."""
    side = _Side(doc)
    out: dict[str, set[str]] = {}
    for op in _operations(doc):
        found = {f"param:{name}" for _, name in side.params(op)}
        found |= {f"security:{scheme}" for scheme in _schemes_in(side.security(op))}
        fields = _Fields()
        body = side.request_body(op)
        if body is not None:
            for schema in _media(body).values():
                side.s.flatten(schema, f"{_pascal(op.key)}Body", fields)
        for status, response in side.responses(op).items():
            found |= {f"header:{h.name}" for h in side.headers(response).values()}
            for schema in _media(response).values():
                side.s.flatten(schema, f"{_pascal(op.key)}Response{_pascal(status)}", fields)
        out[op.key] = found | set(fields.fields)
    return out


# --------------------------------------------------------------------------- reports


@dataclass
class Report:
    spec: str
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    status: str = "compared"  # compared | unchanged | new spec | removed spec | skipped
    note: str = ""

    @property
    def breaking_used(self) -> list[Change]:
        return [c for c in self.changes if c.breaking and c.used_by_facade]

    def to_json(self) -> dict[str, Any]:
        breaking = [c for c in self.changes if c.breaking]
        return {
            "spec": self.spec,
            "old": self.old_label,
            "new": self.new_label,
            "status": self.status,
            "note": self.note,
            "summary": {
                "breaking": len(breaking),
                "breaking_used_by_facade": len(self.breaking_used),
                "compatible": len(self.changes) - len(breaking),
            },
            "changes": [c.to_json() for c in self.changes],
        }


def _label(change: Change) -> str:
    base = "BREAKING" if change.breaking else "compatible"
    return f"{base} (used by facade)" if change.used_by_facade else base


def render_text(report: Report) -> str:
    if report.status != "compared":
        line = f"{report.spec}: {report.status}"
        return line + (f"\n  note: {report.note}" if report.note else "")
    lines = [f"{report.spec}: {report.old_label} -> {report.new_label}"]
    if report.note:
        lines.append(f"  note: {report.note}")
    if not report.changes:
        lines.append("  no changes to operations, parameters, bodies or security")
        return "\n".join(lines)
    breaking = [c for c in report.changes if c.breaking]
    lines.append(
        f"  {len(breaking)} breaking ({len(report.breaking_used)} used by the facade),"
        f" {len(report.changes) - len(breaking)} compatible"
    )
    lines.append("")
    width = max(len(_label(c)) for c in report.changes)
    for change in report.changes:
        target = change.identifier
        if change.new_identifier:
            target += f" -> {change.new_identifier}"
        lines.append(f"  {_label(change):<{width}}  {target}  [{change.kind}]")
        lines.append(f"      {change.message}")
        if change.operation_ids:
            lines.append(f"      operations: {', '.join(change.operation_ids)}")
        if change.used_by_facade and change.facade_operations != change.operation_ids:
            lines.append(f"      the facade uses it in: {', '.join(change.facade_operations)}")
    return "\n".join(lines)


def _usage_for(usage_map: UsageMap, spec: str) -> tuple[Usage, str]:
    if spec in usage_map:
        return usage_map[spec], ""
    return {}, f"the facade's usage map has no entry for spec {spec!r}: nothing is marked used"


def diff_files(old: Path, new: Path, spec: str | None, usage_map: UsageMap) -> Report:
    name = spec or spec_name_for(new)
    if spec is None and name not in usage_map and spec_name_for(old) in usage_map:
        name = spec_name_for(old)
    usage, note = _usage_for(usage_map, name)
    changes = diff_documents(load_document(old), load_document(new), usage)
    return Report(name, str(old), str(new), changes, note=note)


# --------------------------------------------------------------------------- git


def _git(args: Sequence[str], root: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def _git_text(args: Sequence[str], root: Path) -> str | None:
    proc = _git(args, root)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def _spec_files(root: Path, rev: str) -> list[str]:
    names = {p.name for p in (root / "specs").glob("*") if p.suffix in SPEC_SUFFIXES}
    listed = _git(["ls-tree", "--name-only", rev, "--", "specs/"], root)
    if listed.returncode == 0:
        for line in listed.stdout.decode().splitlines():
            name = Path(line).name
            if Path(name).suffix in SPEC_SUFFIXES:
                names.add(name)
    return sorted(names)


def _overlay_file(root: Path, name: str) -> str:
    """specs/<overlay> of spec name per the working tree's manifest ("" when it has none)."""
    try:
        specs = load_manifest(root / "specs" / "sources.toml")
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        return ""
    return next((spec.overlay for spec in specs if spec.name == name), "")


def _with_overlay(doc: dict[str, Any], overlay: bytes | None, label: str) -> dict[str, Any]:
    """doc with its overlay applied: compare what generation and the sandbox see."""
    if overlay is None:
        return doc
    try:
        return dict(subset.apply_overlay(doc, subset.load_yaml(overlay)))
    except (subset.OverlayError, yaml.YAMLError) as exc:
        raise SpecError(f"{label}: the overlay does not apply: {exc}") from exc


def compare_rev(rev: str, root: Path, usage_map: UsageMap) -> tuple[list[Report], str]:
    """Reports for every spec in root/specs against the same file at git rev."""
    commit = _git_text(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if not commit:
        raise SpecError(f"unknown git revision {rev!r} (in {root})")
    reports: list[Report] = []
    shown_rev = rev[:12] if re.fullmatch(r"[0-9a-f]{40}", rev) else rev
    for file in _spec_files(root, rev):
        name = spec_name_for(file)
        old_label = f"{shown_rev}:specs/{file}"
        new_path = root / "specs" / file
        new_label = f"specs/{file}"
        shown = _git(["show", f"{commit}:./specs/{file}"], root)
        old_bytes = shown.stdout if shown.returncode == 0 else None
        usage, note = _usage_for(usage_map, name)
        if old_bytes is None:
            reports.append(
                Report(
                    name, old_label, new_label, status=f"new spec (not in {shown_rev})", note=note
                )
            )
            continue
        if not new_path.exists():
            old_text = old_bytes.decode("utf-8-sig")
            if not _looks_openapi(old_text):
                reports.append(Report(name, old_label, "(deleted)", status="removed (not OpenAPI)"))
                continue
            old_doc = parse_document(old_text, old_label)
            empty = {"openapi": "3.0.0", "paths": {}}
            changes = diff_documents(old_doc, empty, usage)
            reports.append(
                Report(name, old_label, "(deleted)", changes, note="removed spec; " + note)
            )
            continue
        new_bytes = new_path.read_bytes()
        overlay = _overlay_file(root, name)
        new_overlay = old_overlay = None
        if overlay:
            overlay_path = root / "specs" / overlay
            new_overlay = overlay_path.read_bytes() if overlay_path.exists() else None
            shown_overlay = _git(["show", f"{commit}:./specs/{overlay}"], root)
            old_overlay = shown_overlay.stdout if shown_overlay.returncode == 0 else None
        if new_bytes == old_bytes and new_overlay == old_overlay:
            reports.append(Report(name, old_label, new_label, status="unchanged"))
            continue
        old_text, new_text = old_bytes.decode("utf-8-sig"), new_bytes.decode("utf-8-sig")
        if not (_looks_openapi(old_text) and _looks_openapi(new_text)):
            reports.append(
                Report(
                    name,
                    old_label,
                    new_label,
                    status="changed, but not an OpenAPI 3 document: not compared",
                )
            )
            continue
        old_doc = _with_overlay(parse_document(old_text, old_label), old_overlay, old_label)
        new_doc = _with_overlay(parse_document(new_text, new_label), new_overlay, new_label)
        changes = diff_documents(old_doc, new_doc, usage)
        reports.append(Report(name, old_label, new_label, changes, note=note))
    return reports, commit


def _looks_openapi(text: str) -> bool:
    """True unless the document parses and has no 'openapi' key (e.g. a JSON Schema)."""
    try:
        data = _load_yaml(text)
    except yaml.YAMLError:
        return True  # let parse_document report the error
    return not (isinstance(data, dict) and "openapi" not in data)


def merge_base(root: Path) -> tuple[str | None, str]:
    """(merge base of HEAD and origin/main or main, explanation); None: nothing to compare."""
    if shutil.which("git") is None:
        return None, "git is not installed; nothing to compare"
    if _git_text(["rev-parse", "--is-inside-work-tree"], root) != "true":
        return None, "not inside a git checkout; nothing to compare"
    head = _git_text(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root)
    if not head:
        return None, "the repository has no commits; nothing to compare"
    for ref in MERGE_BASE_REFS:
        sha = _git_text(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
        if not sha:
            continue
        if sha == head:
            # Still compare the working tree: an update not yet committed is what to check.
            return head, f"HEAD, which is {ref}: the working tree's uncommitted changes"
        base = _git_text(["merge-base", "HEAD", ref], root)
        if not base:
            return None, f"HEAD and {ref} have no merge base; nothing to compare"
        return base, f"merge base of HEAD and {ref}"
    return None, f"no {' or '.join(MERGE_BASE_REFS)} ref; nothing to compare"


def _run_rev(rev: str, why: str, root: Path, as_json: bool) -> int:
    usage_map = load_usage()
    reports, commit = compare_rev(rev, root, usage_map)
    breaking_used = sum(len(r.breaking_used) for r in reports)
    if as_json:
        payload = {
            "rev": rev,
            "commit": commit,
            "compared_with": why,
            "breaking_used_by_facade": breaking_used,
            "specs": [r.to_json() for r in reports],
        }
        print(json.dumps(payload, indent=2))
    else:
        against = f"{commit[:12]} ({why})" if rev == commit else f"{rev} ({commit[:12]}, {why})"
        print(f"spec_diff: specs/ (working tree) against {against}\n")
        for text in (render_text(r) for r in reports):
            print(text + ("\n" if "\n" in text else ""))
        if reports and "\n" not in render_text(reports[-1]):
            print()
        print(_verdict(breaking_used))
    return 1 if breaking_used else 0


def _verdict(breaking_used: int) -> str:
    if breaking_used:
        return (
            f"spec_diff: {breaking_used} breaking change(s) used by the facade: fix the adapters"
            " and facade/_usage.py (see README, 'When a provider changes its API')."
        )
    return "spec_diff: no breaking change used by the facade."


def _print_identifiers(path: Path, as_json: bool) -> int:
    try:
        found = identifiers(load_document(path))
    except SpecError as exc:
        print(f"spec_diff: error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps({op: sorted(ids) for op, ids in found.items()}, indent=2))
    else:
        for op, ids in found.items():
            print(f"{op}:")
            print("".join(f"    {ident}\n" for ident in sorted(ids)), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Classify OpenAPI changes as breaking or compatible for the facade."
    )
    parser.add_argument("old", nargs="?", type=Path, help="the old document (YAML or JSON)")
    parser.add_argument("new", nargs="?", type=Path, help="the new document (YAML or JSON)")
    parser.add_argument("--spec", help="spec name in the usage map (default: from the file name)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rev", help="compare every spec in specs/ with the one at this git rev")
    mode.add_argument(
        "--merge-base",
        action="store_true",
        help="compare every spec in specs/ with the merge base of HEAD and origin/main or main",
    )
    mode.add_argument(
        "--identifiers",
        type=Path,
        metavar="FILE",
        help="list the identifiers each operation of FILE exposes (for facade/_usage.py)",
    )
    args = parser.parse_args(argv)
    in_git_mode = bool(args.rev) or args.merge_base
    if (in_git_mode or args.identifiers) and (args.old or args.new or args.spec):
        parser.error("OLD, NEW and --spec go without --rev, --merge-base and --identifiers")
    if args.identifiers:
        return _print_identifiers(args.identifiers, args.json)
    if not in_git_mode and (args.old is None or args.new is None):
        parser.error("give OLD and NEW, or --rev REV, or --merge-base")
    try:
        if args.merge_base:
            base, why = merge_base(ROOT)
            if base is None:
                if args.json:
                    print(json.dumps({"rev": None, "compared_with": why, "specs": []}))
                else:
                    print(f"spec_diff: {why}.")
                return 0
            return _run_rev(base, why, ROOT, args.json)
        if args.rev:
            return _run_rev(args.rev, f"git revision {args.rev}", ROOT, args.json)
        report = diff_files(args.old, args.new, args.spec, load_usage())
    except SpecError as exc:
        print(f"spec_diff: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(render_text(report))
        print()
        print(_verdict(len(report.breaking_used)))
    return 1 if report.breaking_used else 0


if __name__ == "__main__":
    raise SystemExit(main())
