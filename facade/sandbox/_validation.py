"""Request and response validation against the repository's provider specs (openapi-core).

Parameters and bodies are validated by openapi-core; security requirements are not (each
provider app authenticates itself, with the provider's own error bodies and codes).

openapi-core needs one to a few milliseconds per call, which would cap the sandbox at a few
hundred requests per second, so results are memoized:

* requests by operation, content type, body and the *validation-relevant* parameter values.
  A parameter whose schema is a bare ``{type: string}`` accepts any non-empty value, so only
  "empty" versus "non-empty" enters the key; that keeps unique values such as
  ``Idempotency-Key`` or wallet ids from defeating the cache. Undeclared parameters are
  ignored by openapi-core, so they are left out of the key too;
* responses by operation, status, content type and body bytes (per-request values such as
  BPN's ``traceId`` are filled in after validation, see ``_http.Reply.fill``).

Specs are read from the repository's ``generated/specs/`` directory (``specs/`` with our overlay
corrections applied, written by ``nox -s generate``), from the copy a wheel carries in
``facade/sandbox/specs/``, or from the directory named by ``$WALLET_BALANCES_SANDBOX_SPECS``.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.validators import (
    V30RequestBodyValidator,
    V30RequestParametersValidator,
)
from openapi_core.validation.response.validators import V30ResponseValidator
from starlette.datastructures import Headers, QueryParams

__all__ = [
    "SPECS_ENV_VAR",
    "Operation",
    "SpecValidator",
    "SpecsNotFoundError",
    "load_validator",
    "specs_dir",
]

SPECS_ENV_VAR = "WALLET_BALANCES_SANDBOX_SPECS"
SPEC_FILES: Mapping[str, str] = {
    "fireblocks": "fireblocks.yaml",
    "cryptofuse": "cryptofuse.yaml",
    "kuna-core": "kuna-core.yaml",
    "bpn": "bpn.yaml",
}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Keys that do not change which values a schema accepts.
_ANNOTATIONS = frozenset({"description", "example", "examples", "title", "deprecated"})
_NUMERIC = re.compile(r"[0-9]+")
_MEMO_LIMIT = 8192
# Stands in for "some non-empty value" in memo keys; cannot occur in a decoded str query.
_ANY = "\x00any"


class SpecsNotFoundError(RuntimeError):
    """The provider specs are not available (e.g. the sandbox runs from an installed wheel)."""


def specs_dir() -> Path:
    """The directory holding the provider specs, or SpecsNotFoundError."""
    override = os.environ.get(SPECS_ENV_VAR)
    # An explicit directory is the only candidate: silently using another would hide a typo.
    # A checkout has the served documents in generated/specs (the vendored Fireblocks subset
    # in specs/ lacks the corrections its overlay adds); a wheel carries a copy of them.
    here = Path(__file__).resolve()
    candidates = (
        [Path(override)]
        if override
        else [here.parents[2] / "generated" / "specs", here.parent / "specs"]
    )
    for candidate in candidates:
        if all((candidate / name).is_file() for name in SPEC_FILES.values()):
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise SpecsNotFoundError(
        "facade.sandbox validates every request against the provider specs, and found none."
        f" Looked in: {tried}. Reinstall the package, or point ${SPECS_ENV_VAR} at a"
        f" directory with {', '.join(SPEC_FILES.values())}."
    )


def _is_numeric(value: object) -> bool:
    # Fireblocks' custom ``format: numeric``: a string of ASCII digits.
    return not isinstance(value, str) or _NUMERIC.fullmatch(value) is not None


_FORMATS: dict[str, Callable[[Any], bool]] = {"numeric": _is_numeric}


@dataclass(frozen=True)
class Operation:
    """One operation of a spec, with what the memo key needs to know about its parameters."""

    operation_id: str
    method: str
    path: str
    # name -> True when the parameter's value (not only its presence) affects validity.
    path_params: Mapping[str, bool]
    query_params: Mapping[str, bool]
    header_params: Mapping[str, bool]


@dataclass
class _OpenAPIRequest:
    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


@dataclass
class _OpenAPIResponse:
    status_code: int
    data: bytes
    content_type: str
    headers: Headers


class SpecValidator:
    """The validators of one provider spec, built once and shared by every server."""

    def __init__(self, name: str, path: Path) -> None:
        with path.open(encoding="utf-8") as handle:
            document = cast(dict[str, Any], yaml.safe_load(handle))
        self.name = name
        self.document = document
        servers = document.get("servers") if isinstance(document, dict) else None
        if not servers or not isinstance(servers[0], dict) or "url" not in servers[0]:
            raise ValueError(f"{path}: the sandbox needs the spec's servers[0].url (its base)")
        server = urlsplit(cast(str, servers[0]["url"]))
        # Requests reach the sandbox on its own host; openapi-core is shown the spec's first
        # server instead, so the spec needs no patching.
        self.host_url = f"{server.scheme}://{server.netloc}"
        self.server_prefix = server.path.rstrip("/")
        self.operations: Mapping[str, Operation] = self._operations(document)
        # OpenAPI() also checks the document itself, so a broken spec fails at startup.
        spec = OpenAPI.from_dict(document).spec
        self._parameters = V30RequestParametersValidator(spec, extra_format_validators=_FORMATS)
        self._body = V30RequestBodyValidator(spec, extra_format_validators=_FORMATS)
        self._response = V30ResponseValidator(spec, extra_format_validators=_FORMATS)
        self._request_memo: dict[tuple[object, ...], tuple[str, ...]] = {}
        self._response_memo: dict[tuple[object, ...], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def _operations(self, document: dict[str, Any]) -> dict[str, Operation]:
        operations: dict[str, Operation] = {}
        for template, item in cast(dict[str, dict[str, Any]], document["paths"]).items():
            shared = [self._resolve(p) for p in item.get("parameters", [])]
            for method in _METHODS:
                if method not in item:
                    continue
                op = item[method]
                params = {(p["in"], p["name"]): p for p in shared}
                params.update(
                    {(p["in"], p["name"]): p for p in map(self._resolve, op.get("parameters", []))}
                )
                by_location: dict[str, dict[str, bool]] = {"path": {}, "query": {}, "header": {}}
                for (location, name), param in params.items():
                    if location in by_location:
                        by_location[location][name] = not self._value_insensitive(param)
                operations[op["operationId"]] = Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=self.server_prefix + template,
                    path_params=by_location["path"],
                    query_params=by_location["query"],
                    header_params=by_location["header"],
                )
        return operations

    def _resolve(self, node: Any) -> Any:
        # Not the tooling's walker (scripts/spectools/openapi.py): scripts/ is not in the
        # wheel, and the installed sandbox must not import it.
        while isinstance(node, dict) and "$ref" in node:
            ref = cast(str, node["$ref"])
            if not ref.startswith("#/"):
                raise ValueError(f"{self.name}: only local $ref is supported, got {ref!r}")
            node = self.document
            for part in ref[2:].split("/"):
                node = node[part]
        return node

    def _value_insensitive(self, param: dict[str, Any]) -> bool:
        if "content" in param or "schema" not in param:
            return False
        schema = self._resolve(param["schema"])
        keys = {k for k in schema if not k.startswith("x-") and k not in _ANNOTATIONS}
        return keys == {"type"} and schema["type"] == "string"

    # ------------------------------------------------------------------ requests

    def request_errors(
        self,
        operation: Operation,
        *,
        path: str,
        path_params: Mapping[str, str],
        query_string: bytes,
        headers: Headers,
        body: bytes,
    ) -> tuple[str, ...]:
        """Why the request breaks the spec (empty when it does not)."""
        content_type = headers.get("content-type", "")
        query = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        key = (
            operation.operation_id,
            content_type,
            body,
            tuple(_norm(v, operation.path_params[n]) for n, v in path_params.items()),
            tuple(
                (n, _norm(v, operation.query_params[n]))
                for n, v in query
                if n in operation.query_params
            ),
            tuple(
                (n, _norm(headers.get(n), sensitive))
                for n, sensitive in operation.header_params.items()
            ),
        )
        cached = self._request_memo.get(key)
        if cached is not None:
            return cached
        request = _OpenAPIRequest(
            host_url=self.host_url,
            path=path,
            method=operation.method.lower(),
            parameters=RequestParameters(
                query=QueryParams(query_string), header=headers, cookie={}
            ),
            body=body or None,
            content_type=content_type.lower() or "application/octet-stream",
        )
        errors = tuple(
            _describe(exc)
            for validator in (self._parameters, self._body)
            for exc in validator.iter_errors(request)
        )
        self._remember(self._request_memo, key, errors)
        return errors

    # ------------------------------------------------------------------ responses

    def response_errors(
        self,
        operation: Operation,
        *,
        path: str,
        status: int,
        headers: Headers,
        body: bytes,
    ) -> tuple[str, ...]:
        """Why the response breaks the spec (empty when it does not)."""
        content_type = headers.get("content-type", "")
        key = (operation.operation_id, status, content_type, body)
        cached = self._response_memo.get(key)
        if cached is not None:
            return cached
        request = _OpenAPIRequest(
            host_url=self.host_url,
            path=path,
            method=operation.method.lower(),
            parameters=RequestParameters(),
            body=None,
            content_type="application/octet-stream",
        )
        response = _OpenAPIResponse(
            status_code=status, data=body, content_type=content_type.lower(), headers=headers
        )
        errors = tuple(_describe(exc) for exc in self._response.iter_errors(request, response))
        self._remember(self._response_memo, key, errors)
        return errors

    def _remember(
        self,
        memo: dict[tuple[object, ...], tuple[str, ...]],
        key: tuple[object, ...],
        errors: tuple[str, ...],
    ) -> None:
        with self._lock:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[key] = errors


def _norm(value: str | None, sensitive: bool) -> str | None:
    if sensitive or not value:
        return value
    return _ANY


def _describe(exc: BaseException) -> str:
    """One line: openapi-core's summary, then the schema errors behind it."""
    summary = str(exc) or type(exc).__name__
    details: list[str] = []
    for cause in _causes(exc):
        text = str(cause)
        if text and text in summary:
            # openapi-core repeats the cause (with a repr of the whole value) in the summary.
            summary = summary.replace(text, "").rstrip(": ")
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            details.extend(_schema_error(error) for error in schema_errors)
        elif text and not isinstance(cause, KeyError):
            details.append(text)
    return ": ".join([summary, *dict.fromkeys(details)])


def _schema_error(error: object) -> str:
    message = str(getattr(error, "message", error))
    location = "/".join(str(p) for p in getattr(error, "absolute_path", ()))
    return f"{message} (at {location})" if location else message


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen = {id(exc)}
    current = exc.__cause__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__


@functools.cache
def _load(name: str, path: Path) -> SpecValidator:
    return SpecValidator(name, path)


def load_validator(name: str, path: Path | None = None) -> SpecValidator:
    """The process-wide validator of one provider spec (``fireblocks``, ``cryptofuse``, ...):
    the served copy of a built-in spec, or the document at ``path``."""
    if path is None:
        if name not in SPEC_FILES:
            raise SpecsNotFoundError(
                f"{name!r} is not one of the sandbox's own specs ({', '.join(SPEC_FILES)});"
                " a behaviour serving another provider names its document in spec_path"
            )
        path = specs_dir() / SPEC_FILES[name]
    return _load(name, path.resolve())
