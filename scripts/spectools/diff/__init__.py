"""Classify what changed between two OpenAPI 3 documents, as breaking or compatible for a client.

    python -m scripts.spectools.diff OLD NEW [--spec NAME] [--json]
        two files (YAML or JSON)
    python -m scripts.spectools.diff --rev REV [--json]
        specs/ now vs specs/ at git REV
    python -m scripts.spectools.diff --merge-base [--json]
        specs/ now vs the merge base of HEAD and origin/main (or main)
    python -m scripts.spectools.diff --identifiers FILE [--json]
        the identifiers each operation exposes: what a usage map may name

`nox -s spec_diff -- REV` runs the --rev form; `nox -s drift` runs the --merge-base form.

Every change is named by a stable identifier, the same ones the facade's usage map
(facade/_usage.py, ``spec_usage()``) lists per operationId:

    param:<name>                      a parameter (any location)
    <Schema>.<property>               a property of a components schema
    <Schema>.<property>.<property>    a property of an inline object (arrays and maps are
                                      transparent: the items' properties hang off the field)
    security:<scheme>                 a security scheme
    operation:<operationId>           an operation (operationId, else "METHOD /path")
    requestBody, response:<status>    a request body, a response
    header:<name>                     a response header

An inline request or response body schema (not a $ref) is named like the class
openapi-python-client generates for it: <OperationId>Body and <OperationId>Response<Status>.

Rules (for a client of the API, i.e. for us):

    operation removed, renamed (operationId) or moved (path/method)   breaking
    operation added                                                   compatible
    parameter removed, renamed, moved to another location             breaking
    new required parameter / parameter became required                breaking
    new optional parameter / parameter became optional                compatible
    request/response field removed or renamed                         breaking
    field type or format changed (parameters and fields)              breaking
    enum widened: response field breaking, request field/parameter compatible
    enum narrowed: request field/parameter breaking, response field compatible
    request body field became required / new required field          breaking
    new optional request field, new response field                    compatible
    response field became optional or nullable                        breaking
    components schema renamed (same position, same fields)            breaking
    security scheme removed or changed (type, location, name, flows)  breaking
    security scheme added: breaking when an operation now needs it, else compatible
    security requirement removed: breaking when a client's credentials stop being enough
    response status removed: breaking (2xx: for clients; others: for the sandbox, which
        answers with them); added: breaking for 2xx, compatible otherwise
    an inline object moved to a components schema (or back), same fields  no change
    response field that gains or is added with a closed enum: a risk to reads, breaking
        when required (the generated model parses it), compatible when optional (tolerated)
    minItems/maxItems changed: breaking when tighter on what clients send, else compatible
    servers changed                                                   compatible (reported)
    request body added (required) or removed, media type removed      breaking
    response media type removed: breaking for 2xx; response body's own type changed: breaking
    response header removed or its type changed                       breaking

``used_by_facade`` is true when the usage map of an affected operation lists the change's
identifier (for a field removed, renamed or retyped, also anything under that field; for a
schema renamed, any of its fields) or, for changes that concern every call of an operation
whatever the facade reads (operation removed, renamed or moved, new required parameter or
request field, request body and response status changes, new security requirement), lists
the operation itself. Operations are those of the old document (the facade's names).

Exit codes: 0 no breaking change used by the facade, 1 at least one, 2 usage error (an
unreadable file, not YAML/JSON, not an OpenAPI 3 document, an unknown git revision).

In process: ``diff_documents`` (two parsed documents), ``diff_files``, ``compare_rev``; errors
are ``scripts.spectools.openapi.SpecError``.

Modules: _documents (loading, the usage map), _schemas (type strings, flattened fields),
_operations (an operation's surface, identifiers), _changes (kinds, records, merging), _rules
(renames, enums, item limits), _comparison (shared state) with _differ (operations, servers),
_compare_params, _compare_bodies, _compare_fields and _compare_security, _report, _git, _cli.
"""

from __future__ import annotations

from ._changes import KINDS, Change
from ._cli import main
from ._differ import diff_documents
from ._documents import load_document, load_usage, parse_document, spec_name_for
from ._git import compare_rev, merge_base
from ._operations import identifiers
from ._report import Report, diff_files, render_text

__all__ = [
    "KINDS",
    "Change",
    "Report",
    "compare_rev",
    "diff_documents",
    "diff_files",
    "identifiers",
    "load_document",
    "load_usage",
    "main",
    "merge_base",
    "parse_document",
    "render_text",
    "spec_name_for",
]

# Public names report where users import them from (help(), reprs): classes and functions.
for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj) and getattr(_obj, "__module__", "").startswith(__name__ + "."):
        _obj.__module__ = __name__
del _name, _obj
