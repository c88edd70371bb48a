"""Comparing the parameters of an operation: removed, added, renamed, moved to another
location, and each kept one's requirement, type, enum and item limits."""

from __future__ import annotations

from ._changes import BREAKING, COMPATIBLE, Raw
from ._comparison import Comparison
from ._operations import Operation, Param, path_slots
from ._rules import RENAME_SIMILARITY, enum_raws, limit_raws, name_similarity, pair_renames

__all__ = ["compare_params"]


def compare_params(c: Comparison, old_op: Operation, new_op: Operation) -> list[Raw]:
    """The changes to the parameters of old_op (path item and operation level) in new_op."""
    old, new = c.old.params(old_op), c.new.params(new_op)
    raws: list[Raw] = []
    removed = [k for k in old if k not in new]
    added = [k for k in new if k not in old]
    for key in list(removed):
        moved = [a for a in added if a[1] == key[1]]
        if moved:
            target = moved[0]
            removed.remove(key)
            added.remove(target)
            raws.append(
                Raw(
                    "parameter-location-changed",
                    BREAKING,
                    f"param:{key[1]}",
                    f"parameter {key[1]} moved from {key[0]} to {target[0]}",
                    "identifier",
                )
            )
            raws += _compare_param(c, old[key], new[target])
    # A path parameter at the same place in the template is the same parameter renamed,
    # however different the names; others need similar spellings.
    old_slots, new_slots = path_slots(old_op.path), path_slots(new_op.path)
    scores: dict[tuple[str, str], float] = {}
    for r in removed:
        for a in added:
            score = name_similarity(r[1], a[1])
            if r[0] == "path" and a[0] == "path" and old_slots.get(r[1]) == new_slots.get(a[1]):
                score += 1.0
            same = r[0] == a[0] and c.sig(old[r].info) == new[a].info.signature()
            if same and score >= RENAME_SIMILARITY:
                scores[(f"{r[0]}:{r[1]}", f"{a[0]}:{a[1]}")] = score
    by_label = {f"{k[0]}:{k[1]}": k for k in removed + added}
    for old_label, new_label in pair_renames(scores):
        r, a = by_label[old_label], by_label[new_label]
        removed.remove(r)
        added.remove(a)
        raws.append(
            Raw(
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
            Raw(
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
                Raw(
                    "parameter-added-required",
                    BREAKING,
                    f"param:{name}",
                    f"new required {location} parameter {name} (every call must now send it)",
                    "operation",
                )
            )
        else:
            raws.append(
                Raw(
                    "parameter-added-optional",
                    COMPATIBLE,
                    f"param:{name}",
                    f"new optional {location} parameter {name}",
                    "identifier",
                )
            )
    for key in old:
        if key in new:
            raws += _compare_param(c, old[key], new[key])
    return raws


def _compare_param(c: Comparison, old: Param, new: Param) -> list[Raw]:
    ident = f"param:{old.name}"
    what = f"{new.location} parameter {old.name}"
    raws: list[Raw] = []
    a, b = old.info, new.info
    if not a.required and b.required:
        raws.append(
            Raw(
                "parameter-became-required",
                BREAKING,
                ident,
                f"{what} became required (every call must now send it)",
                "operation",
            )
        )
    elif a.required and not b.required:
        raws.append(
            Raw(
                "parameter-became-optional",
                COMPATIBLE,
                ident,
                f"{what} became optional",
                "identifier",
            )
        )
    raws += c.type_raws("parameter", ident, what, a, b)
    raws += enum_raws(a.enum, b.enum, "parameter", ident, what, request=True)
    raws += limit_raws(a, b, "parameter", ident, what)
    return raws
