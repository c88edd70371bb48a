"""Comparing request bodies and responses: presence, requirement, media types, statuses,
headers, and each body's own type; their fields go to _compare_fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._changes import BREAKING, COMPATIBLE, Raw
from ._compare_fields import compare_fields
from ._comparison import Comparison
from ._operations import Operation, content_schemas, is_success, pascal
from ._schemas import Fields

__all__ = ["compare_request", "compare_responses"]


def compare_request(c: Comparison, old_op: Operation, new_op: Operation) -> list[Raw]:
    """The changes to the request body of old_op in new_op."""
    old, new = c.old.request_body(old_op), c.new.request_body(new_op)
    if old is None and new is None:
        return []
    if old is None and new is not None:
        if new.get("required"):
            return [
                Raw(
                    "request-body-added-required",
                    BREAKING,
                    "requestBody",
                    "new required request body (every call must now send it)",
                    "operation",
                )
            ]
        return [
            Raw(
                "request-body-added-optional",
                COMPATIBLE,
                "requestBody",
                "new optional request body",
                "identifier",
            )
        ]
    if new is None:
        return [
            Raw(
                "request-body-removed",
                BREAKING,
                "requestBody",
                "the request body was removed",
                "operation",
            )
        ]
    assert old is not None
    raws: list[Raw] = []
    if not old.get("required") and new.get("required"):
        raws.append(
            Raw(
                "request-body-became-required",
                BREAKING,
                "requestBody",
                "the request body became required",
                "operation",
            )
        )
    elif old.get("required") and not new.get("required"):
        raws.append(
            Raw(
                "request-body-became-optional",
                COMPATIBLE,
                "requestBody",
                "the request body became optional",
                "identifier",
            )
        )
    old_media, new_media = content_schemas(old), content_schemas(new)
    for media in old_media:
        if media not in new_media:
            raws.append(
                Raw(
                    "request-media-type-removed",
                    BREAKING,
                    f"requestBody:{media}",
                    f"the request body no longer accepts {media}",
                    "operation",
                )
            )
    for media in new_media:
        if media not in old_media:
            raws.append(
                Raw(
                    "request-media-type-added",
                    COMPATIBLE,
                    f"requestBody:{media}",
                    f"the request body also accepts {media}",
                    "identifier",
                )
            )
    common = [m for m in old_media if m in new_media]
    root = f"{pascal(new_op.key)}Body"
    old_root = f"{pascal(old_op.key)}Body"
    raws += _compare_bodies(
        c,
        [(old_media[m], new_media[m]) for m in common],
        old_root,
        root,
        request=True,
        root_ident="requestBody",
        root_what="request body",
    )
    return raws


def compare_responses(c: Comparison, old_op: Operation, new_op: Operation) -> list[Raw]:
    """The changes to the responses of old_op in new_op (statuses, media, headers, bodies)."""
    old, new = c.old.responses(old_op), c.new.responses(new_op)
    raws: list[Raw] = []
    for status in old:
        if status not in new:
            success = is_success(status)
            # An error response is nothing a client parses, but the sandbox answers with
            # it: its errors become off-spec (it validates what it sends).
            raws.append(
                Raw(
                    "response-status-removed",
                    BREAKING,
                    f"response:{status}",
                    f"response {status} was removed"
                    + (
                        " (the success response clients parse)"
                        if success
                        else " (breaking for the sandbox: its error answers with this"
                        " status become off-spec; restore it in the overlay if the API"
                        " still sends it)"
                    ),
                    "operation" if success else "identifier",
                )
            )
    for status in new:
        if status not in old:
            success = is_success(status)
            raws.append(
                Raw(
                    "response-status-added",
                    BREAKING if success else COMPATIBLE,
                    f"response:{status}",
                    f"new response {status}"
                    + (" (a success response clients do not parse yet)" if success else ""),
                    "operation",
                )
            )
    bodies: list[tuple[str, Any, Any]] = []
    for status in old:
        if status not in new:
            continue
        old_media, new_media = content_schemas(old[status]), content_schemas(new[status])
        for media in old_media:
            if media not in new_media:
                raws.append(
                    Raw(
                        "response-media-type-removed",
                        BREAKING if is_success(status) else COMPATIBLE,
                        f"response:{status}",
                        f"response {status} no longer has a {media} body",
                        "operation",
                    )
                )
        for media in new_media:
            if media not in old_media:
                raws.append(
                    Raw(
                        "response-media-type-added",
                        COMPATIBLE,
                        f"response:{status}",
                        f"response {status} may now have a {media} body",
                        "identifier",
                    )
                )
        for media in old_media:
            if media in new_media:
                bodies.append((status, old_media[media], new_media[media]))
        raws += _compare_headers(c, status, old[status], new[status])
    # Inline bodies are named per status (like the generated classes), so each status's
    # body is compared on its own.
    for status, old_schema, new_schema in bodies:
        raws += _compare_bodies(
            c,
            [(old_schema, new_schema)],
            f"{pascal(old_op.key)}Response{pascal(status)}",
            f"{pascal(new_op.key)}Response{pascal(status)}",
            request=False,
            root_ident=f"response:{status}",
            root_what=f"response {status} body",
        )
    return raws


def _compare_headers(
    c: Comparison, status: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[Raw]:
    a, b = c.old.headers(old), c.new.headers(new)
    raws: list[Raw] = []
    for key, info in a.items():
        ident = f"header:{info.name}"
        if key not in b:
            raws.append(
                Raw(
                    "response-header-removed",
                    BREAKING,
                    ident,
                    f"response {status} no longer has header {info.name}",
                    "identifier",
                )
            )
        else:
            raws += c.type_raws(
                "response-header", ident, f"response {status} header {info.name}", info, b[key]
            )
    for key, info in b.items():
        if key not in a:
            raws.append(
                Raw(
                    "response-header-added",
                    COMPATIBLE,
                    f"header:{info.name}",
                    f"response {status} has a new header {info.name}",
                    "identifier",
                )
            )
    return raws


def _compare_bodies(
    c: Comparison,
    pairs: Sequence[tuple[Any, Any]],
    old_root: str,
    new_root: str,
    *,
    request: bool,
    root_ident: str,
    root_what: str,
) -> list[Raw]:
    old_fields, new_fields = Fields(), Fields()
    for old_schema, new_schema in pairs:
        c.old.s.flatten(old_schema, old_root, old_fields)
        c.new.s.flatten(new_schema, new_root, new_fields)
    raws = compare_fields(c, old_fields, new_fields, old_root, new_root, request=request)
    for old_schema, new_schema in pairs:
        a = c.renamed(c.old.s.describe(old_schema))
        b = c.new.s.describe(new_schema)
        a_type = c.renamed(c.old.s.describe(old_schema, with_format=False))
        b_type = c.new.s.describe(new_schema, with_format=False)
        if a != b:
            kind = "type" if a_type != b_type else "format"
            raws.append(
                Raw(
                    f"{'request' if request else 'response'}-body-{kind}-changed",
                    BREAKING,
                    root_ident,
                    f"{root_what}: {kind} changed from {a} to {b}",
                    "operation",
                )
            )
    return raws
