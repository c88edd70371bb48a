"""Schemas as the comparison sees them: a stable type string, enum, nullability and item
limits of each, and the fields of a body flattened to identifier -> Field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scripts.spectools.openapi import Resolver

__all__ = ["Field", "Fields", "Schemas"]


@dataclass(frozen=True)
class Field:
    """What the comparison knows of one field, parameter or header."""

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
class Fields:
    """The fields of one or more bodies, by identifier."""

    fields: dict[str, Field] = field(default_factory=dict)
    # components schema name -> identifiers of its fields (for schema-rename detection)
    components: dict[str, set[str]] = field(default_factory=dict)


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


class Schemas:
    """Describes schemas and flattens their fields into identifier -> Field."""

    def __init__(self, resolver: Resolver) -> None:
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

    def fact(self, schema: Any, parent: str, name: str, required: bool) -> Field:
        return Field(
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

    def flatten(self, schema: Any, root: str, out: Fields) -> None:
        """Add every field reachable from a body schema to out (components once each)."""
        self._descend(schema, root, out, depth=0)

    def _descend(self, schema: Any, prefix: str, out: Fields, depth: int) -> None:
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

    def _walk(self, schema: Mapping[str, Any], prefix: str, out: Fields, depth: int) -> None:
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
