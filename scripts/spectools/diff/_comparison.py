"""The state of one comparison, shared by the comparers of parameters, bodies and security:
both documents, the changes collected so far, and what comparing bodies has learned about
names (components schemas renamed, inline objects moved to a schema or back), which later
type comparisons look through."""

from __future__ import annotations

import dataclasses
import re

from ._changes import BREAKING, Collector, Raw, Scope, Usage
from ._documents import Doc
from ._operations import Side
from ._schemas import Field

__all__ = ["Comparison"]


class Comparison:
    """Two documents being compared, the changes found, and the names learned so far."""

    def __init__(self, old: Doc, new: Doc, usage: Usage) -> None:
        self.old = Side(old)
        self.new = Side(new)
        self.out = Collector(usage)
        # old components schema name -> new name, found while comparing bodies
        self.schema_renames: dict[str, str] = {}
        # field identifier -> the components schema an inline object there moved to or from
        self.inline_moves: dict[str, str] = {}

    def type_raws(
        self,
        prefix: str,
        ident: str,
        what: str,
        a: Field,
        b: Field,
        *,
        scope: Scope = "identifier",
    ) -> list[Raw]:
        """A type or format change from a to b, renamed schemas and inline moves aside."""
        a_type, a_shape = self.renamed(a.type), self.renamed(a.shape)
        moved = self.inline_moves.get(ident)
        if moved is not None:  # the same object, inline on one side and named on the other
            a_type, a_shape = a_type.replace(moved, "object"), a_shape.replace(moved, "object")
            b = dataclasses.replace(
                b, type=b.type.replace(moved, "object"), shape=b.shape.replace(moved, "object")
            )
        if a_type != b.type:
            return [
                Raw(
                    f"{prefix}-type-changed",
                    BREAKING,
                    ident,
                    f"{what}: type changed from {a.shape} to {b.shape}",
                    scope,
                )
            ]
        if a_shape != b.shape:
            return [
                Raw(
                    f"{prefix}-format-changed",
                    BREAKING,
                    ident,
                    f"{what}: format changed from {a.shape} to {b.shape}",
                    "identifier",
                )
            ]
        return []

    def sig(self, old: Field) -> tuple[str, frozenset[str] | None, bool, bool]:
        """An old field's signature in the new document's schema names."""
        shape, enum, nullable, required = old.signature()
        return (self.renamed(shape), enum, nullable, required)

    def renamed(self, described: str) -> str:
        """An old type string with renamed components schemas written by their new names."""
        for old, new in self.schema_renames.items():
            described = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w.])", new, described)
        return described
