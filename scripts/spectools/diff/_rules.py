"""The rules shared by parameters, fields and headers: rename pairing by spelling, enum and
item-limit changes (whose severity depends on the direction of the data), closed enums."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from ._changes import BREAKING, COMPATIBLE, Raw
from ._schemas import Field

__all__ = [
    "RENAME_SIMILARITY",
    "SCHEMA_RENAME_OVERLAP",
    "closed_enum_raw",
    "enum_raws",
    "limit_raws",
    "name_similarity",
    "pair_renames",
]

# A removed and an added parameter or field of the same signature are one renamed when their
# names are at least this alike; two components schemas when their fields overlap this much.
RENAME_SIMILARITY = 0.5
SCHEMA_RENAME_OVERLAP = 0.5


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[-1].rsplit(":", 1)[-1].lower()


def name_similarity(old: str, new: str) -> float:
    """How alike the last parts of two identifiers are spelled (0 to 1, case ignored)."""
    return difflib.SequenceMatcher(None, _leaf(old), _leaf(new)).ratio()


def pair_renames(scores: Mapping[tuple[str, str], float]) -> list[tuple[str, str]]:
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


def limit_raws(a: Field, b: Field, prefix: str, identifier: str, what: str) -> list[Raw]:
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
        Raw(
            f"{prefix}-limits-changed",
            BREAKING if sending and tighter else COMPATIBLE,
            identifier,
            f"{what}: item limits changed from {show(old)} to {show(new)}"
            + (" (calls within the old limits may now be refused)" if sending and tighter else ""),
            "identifier",
        )
    ]


def closed_enum_raw(ident: str, info: Field, what: str) -> Raw:
    """A response field that now has (or newly is) a closed enum: a risk to reads, since the
    generated model parses it. Tolerated when optional (our model template reads an unknown
    value of an optional field as unset); a required one fails the whole read."""
    values = ", ".join(sorted(info.enum or ()))
    if info.required:
        return Raw(
            "response-field-closed-enum",
            BREAKING,
            ident,
            f"{what} is a closed enum ({values}): risk to reads, a value outside it fails"
            " the generated model's parse of every response",
            "identifier",
        )
    return Raw(
        "response-field-closed-enum",
        COMPATIBLE,
        ident,
        f"{what} is a closed enum ({values}): optional, so a value outside it reads as"
        " unset (tolerant reading), never fails a read",
        "identifier",
    )


def enum_raws(
    old: frozenset[str] | None,
    new: frozenset[str] | None,
    prefix: str,
    identifier: str,
    what: str,
    *,
    request: bool,
) -> list[Raw]:
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
        Raw(
            f"{prefix}-enum-{change}",
            severity,
            identifier,
            f"{what}: enum {change}, {detail}{why}",
            "identifier",
        )
    ]
