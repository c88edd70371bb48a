"""Operations as the comparison sees them: their keys, and a Side (one document) that reads
an operation's parameters, security, bodies, responses and headers; and identifiers(), what
each operation exposes to a usage map."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scripts.spectools.openapi import Resolver, iter_operations, norm_path

from ._documents import Doc
from ._schemas import Field, Fields, Schemas

__all__ = [
    "Operation",
    "Param",
    "Side",
    "content_schemas",
    "identifiers",
    "is_success",
    "operations",
    "pascal",
    "path_slots",
    "schemes_in",
]


@dataclass(frozen=True)
class Param:
    """A parameter of an operation, by location and name."""

    location: str
    name: str
    info: Field


@dataclass
class Operation:
    """An operation as compared: named by its key, matched by key or by route."""

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


def operations(doc: Doc) -> list[Operation]:
    """Every operation of doc, in document order."""
    return [
        Operation(
            op.operation_id or f"{op.method.upper()} {op.path}",
            op.method,
            op.path,
            op.node,
            op.path_item,
        )
        for op in iter_operations(doc)
    ]


def path_slots(path: str) -> dict[str, int]:
    """Path template parameter name -> its position: /a/{x}/b/{y} -> {x: 0, y: 1}."""
    return {name: i for i, name in enumerate(re.findall(r"\{([^}]*)\}", path))}


def pascal(text: str) -> str:
    """An operationId or status as openapi-python-client spells it in a class name."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words)


class Side:
    """One document, with helpers to read an operation's surface."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.r = Resolver(doc)
        self.s = Schemas(self.r)

    def params(self, op: Operation) -> dict[tuple[str, str], Param]:
        out: dict[tuple[str, str], Param] = {}
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
            out[(location, name)] = Param(
                location, name, self.s.fact(schema or {}, "param", name, required)
            )
        return out

    def security(self, op: Operation) -> list[frozenset[str]]:
        requirements = op.node["security"] if "security" in op.node else self.doc.get("security")
        alternatives = [
            frozenset(str(k) for k in req) for req in requirements or [] if isinstance(req, dict)
        ]
        return alternatives or [frozenset()]

    def schemes(self) -> dict[str, Any]:
        components = self.doc.get("components") or {}
        schemes = components.get("securitySchemes") or {}
        return {str(k): self.r.deref(v) for k, v in schemes.items()}

    def request_body(self, op: Operation) -> dict[str, Any] | None:
        body = self.r.deref(op.node.get("requestBody"))
        return body if isinstance(body, dict) else None

    def responses(self, op: Operation) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for status, raw in (op.node.get("responses") or {}).items():
            response = self.r.deref(raw)
            out[str(status)] = response if isinstance(response, dict) else {}
        return out

    def headers(self, response: Mapping[str, Any]) -> dict[str, Field]:
        out: dict[str, Field] = {}
        for name, raw in (response.get("headers") or {}).items():
            header = self.r.deref(raw)
            schema = header.get("schema") if isinstance(header, dict) else None
            out[str(name).lower()] = self.s.fact(
                schema or {}, "header", str(name), bool(header.get("required"))
            )
        return out


def content_schemas(container: Mapping[str, Any]) -> dict[str, Any]:
    """Media type -> schema of a request body or response."""
    content = container.get("content")
    if not isinstance(content, dict):
        return {}
    return {str(k): (v.get("schema") if isinstance(v, dict) else None) for k, v in content.items()}


def is_success(status: str) -> bool:
    return status.startswith("2")


def schemes_in(alternatives: Iterable[frozenset[str]]) -> set[str]:
    """Every scheme named in any of the alternatives."""
    out: set[str] = set()
    for alternative in alternatives:
        out |= alternative
    return out


def identifiers(doc: Doc) -> dict[str, set[str]]:
    """operationId -> every identifier the operation exposes (what a usage map may name)."""
    side = Side(doc)
    out: dict[str, set[str]] = {}
    for op in operations(doc):
        found = {f"param:{name}" for _, name in side.params(op)}
        found |= {f"security:{scheme}" for scheme in schemes_in(side.security(op))}
        fields = Fields()
        body = side.request_body(op)
        if body is not None:
            for schema in content_schemas(body).values():
                side.s.flatten(schema, f"{pascal(op.key)}Body", fields)
        for status, response in side.responses(op).items():
            found |= {f"header:{h.name}" for h in side.headers(response).values()}
            for schema in content_schemas(response).values():
                side.s.flatten(schema, f"{pascal(op.key)}Response{pascal(status)}", fields)
        out[op.key] = found | set(fields.fields)
    return out
