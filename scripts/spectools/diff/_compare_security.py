"""Comparing security: each operation's requirements (which credentials still suffice) and
the schemes' definitions (removed, added, changed), each reported against the operations
that use the scheme."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._changes import BREAKING, COMPATIBLE, Raw
from ._comparison import Comparison
from ._operations import Operation, schemes_in

__all__ = ["compare_security"]


def compare_security(
    c: Comparison,
    pairs: Sequence[tuple[Operation, Operation]],
    removed_ops: Sequence[Operation],
    added_ops: Sequence[Operation],
) -> None:
    """Add the security changes to c.out: requirements per matched operation, then each
    scheme's definition, reported against the operations that use it."""
    old_schemes, new_schemes = c.old.schemes(), c.new.schemes()
    # Operations that referenced / newly need each scheme, for the definition records.
    referenced_old: dict[str, list[str]] = {}
    needed_new: dict[str, list[tuple[str, bool]]] = {}
    for op in removed_ops:
        for scheme in schemes_in(c.old.security(op)):
            referenced_old.setdefault(scheme, []).append(op.key)
    for op in added_ops:
        for scheme in schemes_in(c.new.security(op)):
            needed_new.setdefault(scheme, []).append((op.key, False))
    for old_op, new_op in pairs:
        a, b = c.old.security(old_op), c.new.security(new_op)
        ops = [old_op.key] if old_op.key == new_op.key else [old_op.key, new_op.key]
        for scheme in schemes_in(a):
            referenced_old.setdefault(scheme, []).append(old_op.key)
        if set(a) == set(b):
            for scheme in schemes_in(b):
                needed_new.setdefault(scheme, []).append((old_op.key, False))
            continue

        def accepted(alternative: frozenset[str], b: list[frozenset[str]] = b) -> bool:
            return any(req <= alternative for req in b)

        broken = [alt for alt in a if not accepted(alt)]
        a_all, b_all = schemes_in(a), schemes_in(b)
        for scheme in sorted(b_all):
            needed_new.setdefault(scheme, []).append((old_op.key, bool(broken)))
        for scheme in sorted(a_all - b_all):
            if scheme not in new_schemes:
                continue  # reported with the definition
            severity = BREAKING if any(scheme in alt for alt in broken) else COMPATIBLE
            c.out.add(
                Raw(
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
            c.out.add(
                Raw(
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
            for scheme in sorted(schemes_in(alt for alt in b if alt not in a)):
                c.out.add(
                    Raw(
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
            raw = Raw(
                "security-scheme-removed",
                BREAKING if ops else COMPATIBLE,
                ident,
                f"security scheme {scheme} was removed",
                "identifier",
            )
            c.out.add_everywhere(raw, ops)
            continue
        differences = _scheme_differences(old_schemes[scheme], new_schemes[scheme])
        if differences:
            ops = sorted(
                set(referenced_old.get(scheme, [])) | {op for op, _ in needed_new.get(scheme, [])}
            )
            raw = Raw(
                "security-scheme-changed",
                BREAKING,
                ident,
                f"security scheme {scheme} changed: {'; '.join(differences)}",
                "identifier",
            )
            c.out.add_everywhere(raw, ops)
    for scheme in new_schemes:
        if scheme in old_schemes:
            continue
        needers = needed_new.get(scheme, [])
        breaking_ops = [op for op, broken in needers if broken]
        raw = Raw(
            "security-scheme-added",
            BREAKING if breaking_ops else COMPATIBLE,
            f"security:{scheme}",
            f"new security scheme {scheme}"
            + (" (operations now require it)" if breaking_ops else ""),
            "operation" if breaking_ops else "identifier",
        )
        if breaking_ops:
            c.out.add_everywhere(raw, breaking_ops)
        else:
            c.out.add_everywhere(raw, sorted({op for op, _ in needers}))


def _show_security(alternatives: Sequence[frozenset[str]]) -> str:
    return " or ".join(" and ".join(sorted(alt)) or "(none)" for alt in alternatives)


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
