"""Comparing the fields of two bodies: inline objects moved to a components schema (or
back), schemas renamed, fields renamed, removed and added (shallow first), and each kept
field's requirement, nullability, type, enum and item limits."""

from __future__ import annotations

from ._changes import BREAKING, COMPATIBLE, Raw, Scope
from ._comparison import Comparison
from ._rules import (
    RENAME_SIMILARITY,
    SCHEMA_RENAME_OVERLAP,
    closed_enum_raw,
    enum_raws,
    limit_raws,
    name_similarity,
    pair_renames,
)
from ._schemas import Field, Fields

__all__ = ["compare_fields"]


def compare_fields(
    c: Comparison, old: Fields, new: Fields, old_root: str, new_root: str, *, request: bool
) -> list[Raw]:
    """The changes from the old body's fields (under old_root) to the new one's; records the
    schema renames and inline moves it finds on c, for the type comparisons after it."""
    prefix = "request-field" if request else "response-field"
    raws: list[Raw] = []
    # 0. an inline object moved to a components schema (or back) with the same fields:
    # the wire is unchanged, so neither the object nor its fields changed.
    renamed_prefixes: dict[str, str] = {old_root: new_root}
    gone = [name for name in old.components if name not in new.components]
    fresh = [name for name in new.components if name not in old.components]
    field_renames: dict[str, str] = {}
    for component in list(fresh):
        for ident in _inline_twins(old, component, new):
            field_renames[ident] = component
            c.inline_moves[ident] = component
            fresh.remove(component)
            break
    for component in list(gone):
        for ident in _inline_twins(new, component, old):
            renamed_prefixes[component] = ident
            c.inline_moves[ident] = component
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
                schema_scores[(a, b)] = overlap + name_similarity(a, b) / 100
    for a, b in pair_renames(schema_scores):
        renamed_prefixes[a] = b
        c.schema_renames[a] = b
        raws.append(
            Raw(
                "schema-renamed",
                BREAKING,
                a,
                f"components schema {a} was renamed to {b} (the generated model's name changes)",
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
        elsewhere = {translate(i) for i in old.fields} if c.inline_moves else set()
        added = [n for n in level_new if n not in translated and n not in elsewhere]
        scores: dict[tuple[str, str], float] = {}
        for r in removed:
            for a in added:
                score = name_similarity(r, a)
                same_parent = translate(r).rsplit(".", 1)[0] == a.rsplit(".", 1)[0]
                same = c.sig(old.fields[r]) == new.fields[a].signature()
                if same_parent and same and score >= RENAME_SIMILARITY:
                    scores[(r, a)] = score
        for r, a in pair_renames(scores):
            removed.remove(r)
            added.remove(a)
            field_renames[translate(r)] = a
            raws.append(
                Raw(
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
                Raw(
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
                raws.append(closed_enum_raw(a, info, f"new response field {a}"))
            if a.rsplit(".", 1)[0] in fresh_fields:
                continue
            if request and info.required:
                raws.append(
                    Raw(
                        "request-field-added-required",
                        BREAKING,
                        a,
                        f"new required request field {a} (every call must now send it)",
                        "operation",
                    )
                )
            elif request:
                raws.append(
                    Raw(
                        "request-field-added-optional",
                        COMPATIBLE,
                        a,
                        f"new optional request field {a}",
                        "identifier",
                    )
                )
            else:
                raws.append(
                    Raw(
                        "response-field-added",
                        COMPATIBLE,
                        a,
                        f"new response field {a}",
                        "identifier",
                    )
                )
        for t, i in translated.items():
            if t in new.fields:
                raws += _compare_field(c, prefix, i, old.fields[i], new.fields[t], request=request)
    return raws


def _inline_twins(inline_side: Fields, component: str, named_side: Fields) -> list[str]:
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
    c: Comparison, prefix: str, ident: str, a: Field, b: Field, *, request: bool
) -> list[Raw]:
    side = "request" if request else "response"
    what = f"{side} field {ident}"
    raws: list[Raw] = []
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
            Raw(
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
            Raw(
                f"{prefix}-became-{became}",
                BREAKING if breaking else COMPATIBLE,
                ident,
                f"{what} became {became}",
                "identifier",
            )
        )
    raws += c.type_raws(prefix, ident, what, a, b, scope="prefix")
    raws += enum_raws(a.enum, b.enum, prefix, ident, what, request=request)
    raws += limit_raws(a, b, prefix, ident, what)
    if not request and a.enum is None and b.enum is not None:
        raws.append(closed_enum_raw(ident, b, what))
    return raws
