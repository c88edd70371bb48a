"""Change records: the kinds this tool reports, one change as seen from one operation (Raw),
and the Collector that merges those into one Change per kind, identifier and message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "BREAKING",
    "COMPATIBLE",
    "KINDS",
    "Change",
    "Collector",
    "Raw",
    "Scope",
    "Severity",
    "Usage",
    "UsageMap",
]

Severity = Literal["breaking", "compatible"]
# What a change touches, for used_by_facade: its identifier, the whole operation, or the
# identifier and anything under it.
Scope = Literal["identifier", "operation", "prefix"]
BREAKING: Severity = "breaking"
COMPATIBLE: Severity = "compatible"

# operationId -> identifiers the facade reads; per spec name in a UsageMap.
Usage = Mapping[str, frozenset[str]]
UsageMap = Mapping[str, Usage]


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


@dataclass(frozen=True)
class Change:
    """One reported change, merged over every operation it affects."""

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
class Raw:
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


def _is_used(raw: Raw, op_key: str, usage: Usage) -> bool:
    if op_key not in usage:
        return False
    if raw.scope == "operation":
        return True
    idents = usage[op_key]
    if raw.scope == "prefix":  # the identifier or anything under it
        return raw.identifier in idents or any(i.startswith(raw.identifier + ".") for i in idents)
    return raw.identifier in idents


class Collector:
    """Merges per-operation changes into one record per (kind, identifier, message)."""

    def __init__(self, usage: Usage) -> None:
        self.usage = usage
        self._records: dict[tuple[str, Severity, str, str | None, str], list[str]] = {}
        self._used: dict[tuple[str, Severity, str, str | None, str], list[str]] = {}

    def add(self, raw: Raw, op_keys: Sequence[str], usage_key: str | None) -> None:
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

    def add_everywhere(self, raw: Raw, ops: Sequence[str]) -> None:
        """Record raw once per operation (usage looked up under each), or once for none."""
        if not ops:
            self.add(raw, [], None)
        for op in ops:
            self.add(raw, [op], op)

    def changes(self) -> list[Change]:
        """The merged changes: breaking first, facade-used first within each severity."""
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
