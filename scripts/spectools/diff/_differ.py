"""The comparison of two documents: operations matched (by operationId, else by route), then
each pair's parameters, bodies and responses, security, and servers."""

from __future__ import annotations

from collections.abc import Sequence

from ._changes import BREAKING, COMPATIBLE, Change, Raw, Usage
from ._compare_bodies import compare_request, compare_responses
from ._compare_params import compare_params
from ._compare_security import compare_security
from ._comparison import Comparison
from ._documents import Doc
from ._operations import Operation, operations

__all__ = ["diff_documents"]


def diff_documents(old: Doc, new: Doc, usage: Usage | None = None) -> list[Change]:
    """Every change from old to new, breaking first, facade-used first within each severity."""
    c = Comparison(old, new, usage or {})
    pairs, removed, added = _match_operations(c)
    for op in removed:
        c.out.add(
            Raw(
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
        c.out.add(
            Raw(
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
        for raw in _compare_operation(c, old_op, new_op):
            c.out.add(raw, ops, old_op.key)
    compare_security(c, pairs, removed, added)
    _compare_servers(c, [old for old, _ in pairs] + list(removed))
    return c.out.changes()


def _match_operations(
    c: Comparison,
) -> tuple[list[tuple[Operation, Operation]], list[Operation], list[Operation]]:
    old_ops, new_ops = operations(c.old.doc), operations(c.new.doc)
    pairs: list[tuple[Operation, Operation]] = []
    new_by_key = {op.key: op for op in new_ops}
    matched_new: set[int] = set()
    unmatched_old: list[Operation] = []
    for op in old_ops:
        other = new_by_key.get(op.key)
        if other is not None and id(other) not in matched_new:
            pairs.append((op, other))
            matched_new.add(id(other))
        else:
            unmatched_old.append(op)
    new_by_route = {(op.method, op.norm_path): op for op in new_ops if id(op) not in matched_new}
    removed: list[Operation] = []
    for op in unmatched_old:
        other = new_by_route.get((op.method, op.norm_path))
        if other is not None and id(other) not in matched_new:
            pairs.append((op, other))
            matched_new.add(id(other))
        else:
            removed.append(op)
    added = [op for op in new_ops if id(op) not in matched_new]
    return pairs, removed, added


def _compare_operation(c: Comparison, old: Operation, new: Operation) -> list[Raw]:
    raws: list[Raw] = []
    if old.key != new.key:
        raws.append(
            Raw(
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
            Raw(
                "operation-moved",
                BREAKING,
                f"operation:{old.key}",
                f"operation {old.key} moved from {old.label} to {new.label}",
                "operation",
            )
        )
    raws += compare_params(c, old, new)
    raws += compare_request(c, old, new)
    raws += compare_responses(c, old, new)
    return raws


def _compare_servers(c: Comparison, old_ops: Sequence[Operation]) -> None:
    def urls(doc: Doc) -> list[str]:
        servers = doc.get("servers")
        if not isinstance(servers, list):
            return []
        return [str(s.get("url")) for s in servers if isinstance(s, dict)]

    old, new = urls(c.old.doc), urls(c.new.doc)
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
    c.out.add(
        Raw(
            "servers-changed",
            COMPATIBLE,
            "servers",
            f"servers changed: {detail} (the facade's base_url is a setting; check its default)",
            "identifier",
        ),
        [op.key for op in old_ops],
        None,
    )
