"""What the facade reads from each provider spec, for the breaking-change report.

Each adapter declares its own ``reads`` (operationId -> identifiers the mapping depends on:
``param:<name>`` for a parameter, ``<Schema>.<property>`` for a field of a components
schema, ``<Schema>.<property>.<property>`` for a field of an inline object, and
``security:<scheme>`` for a security scheme). This module only gathers them per spec, over
every registered provider. Nothing at run time reads it: it serves scripts/spectools/diff.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._registry import adapter_class, provider_names

__all__ = ["spec_usage"]


def spec_usage() -> Mapping[str, Mapping[str, frozenset[str]]]:
    """Spec name -> operationId -> identifiers the facade depends on."""
    usage: dict[str, dict[str, frozenset[str]]] = {}
    for name in provider_names():
        cls = adapter_class(name)
        per_spec = usage.setdefault(cls.spec, {})
        for operation, identifiers in cls.reads.items():
            per_spec[operation] = per_spec.get(operation, frozenset()) | identifiers
    return usage
