"""Helpers of the spec/generation tests (tests/generated): spec inventory, generator runs.

Everything that says what an operation looks like on the wire is read from specs/*.yaml, so a
spec change shows up in these tests without editing them. Only the argument values used to call
each operation are written here (REQUEST_CASES), and a test fails when an operation has none.
"""

from __future__ import annotations

import base64
import enum
import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import yaml

from scripts.spectools.manifest import Spec, load_manifest
from scripts.spectools.openapi import iter_operations, resolve

REPO_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = REPO_ROOT / "specs"
GENERATED_DIR = REPO_ROOT / "generated"
MANIFEST = SPECS_DIR / "sources.toml"
GENERATE_REQUIREMENTS = REPO_ROOT / "scripts" / "requirements-generate.txt"
FALLBACK_GENERATOR_PYTHON = REPO_ROOT / ".nox" / "generate" / "bin" / "python"
OPENAPI_CLIENT_GENERATOR = "openapi-python-client"


# --------------------------------------------------------------------------------------------
# Manifest and specs


# The one reader of specs/sources.toml is scripts/spectools/manifest.py.
ManifestEntry = Spec


@cache
def manifest() -> tuple[ManifestEntry, ...]:
    return tuple(load_manifest(MANIFEST))


def manifest_entry(name: str) -> ManifestEntry:
    (entry,) = (e for e in manifest() if e.name == name)
    return entry


def client_specs() -> tuple[ManifestEntry, ...]:
    """The specs that become HTTP clients (the others are plain models)."""
    return tuple(e for e in manifest() if e.generator == OPENAPI_CLIENT_GENERATOR)


@cache
def load_spec(name: str) -> Mapping[str, Any]:
    """The parsed spec as generated from and served (generated/specs/: overlays applied).
    Cached: treat it as read-only (copy before mutating)."""
    entry = manifest_entry(name)
    served = GENERATED_DIR / "specs" / entry.file
    with (served if served.is_file() else entry.path).open(encoding="utf-8") as fh:
        doc: Mapping[str, Any] = yaml.safe_load(fh)
    return doc


def ref_name(node: Mapping[str, Any]) -> str:
    return str(node["$ref"]).rsplit("/", 1)[-1]


def snake(name: str) -> str:
    """openapi-python-client's identifier for an operationId or a parameter name."""
    text = re.sub(r"[^0-9A-Za-z]+", "_", name)
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", text)
    return text.strip("_").lower()


@dataclass(frozen=True)
class Param:
    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]

    @property
    def kwarg(self) -> str:
        return snake(self.name)

    @property
    def has_default(self) -> bool:
        return "default" in self.schema


@dataclass(frozen=True)
class Operation:
    spec: str
    package: str
    operation_id: str
    method: str
    path: str
    base_path: str
    params: tuple[Param, ...]
    body_media_type: str | None
    body_schema: str | None
    body_example: Any
    security: tuple[tuple[str, ...], ...]
    responses: Mapping[str, Mapping[str, Any]] = field(hash=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.spec, self.operation_id)

    def __str__(self) -> str:
        return f"{self.spec}:{self.operation_id}"

    def param(self, name: str) -> Param:
        (found,) = (p for p in self.params if p.name == name)
        return found

    def response_schema(self, status: str) -> str:
        content = self.responses[status]["content"]["application/json"]
        return ref_name(content["schema"])


def _security_schemes(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    schemes: Mapping[str, Any] = doc.get("components", {}).get("securitySchemes", {})
    return schemes


def operations(spec: str | None = None) -> list[Operation]:
    """Every operation of every client spec (or of one), in spec order."""
    found: list[Operation] = []
    for entry in client_specs():
        if spec is not None and entry.name != spec:
            continue
        doc = load_spec(entry.name)
        base_path = urlsplit(doc["servers"][0]["url"]).path.rstrip("/")
        global_security = doc.get("security", [])
        for walked in iter_operations(doc):
            path, method, op = walked.path, walked.method, walked.node
            merged: dict[tuple[str, str], Mapping[str, Any]] = {}
            for raw in [*walked.path_item.get("parameters", []), *op.get("parameters", [])]:
                p = resolve(doc, raw)
                merged[(p["in"], p["name"])] = p
            params = tuple(
                Param(
                    name=p["name"],
                    location=p["in"],
                    required=bool(p.get("required", False)),
                    schema=resolve(doc, p.get("schema", {})),
                )
                for p in merged.values()
            )
            body_media_type = body_schema = body_example = None
            if "requestBody" in op:
                body = resolve(doc, op["requestBody"])
                ((body_media_type, media),) = body["content"].items()
                body_schema = ref_name(media["schema"])
                body_example = media.get("example")
            security = op.get("security", global_security)
            found.append(
                Operation(
                    spec=entry.name,
                    package=entry.package,
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    base_path=base_path,
                    params=params,
                    body_media_type=body_media_type,
                    body_schema=body_schema,
                    body_example=body_example,
                    security=tuple(tuple(req) for req in security),
                    responses={
                        str(status): resolve(doc, resp)
                        for status, resp in op.get("responses", {}).items()
                    },
                )
            )
    return found


def operation(spec: str, operation_id: str) -> Operation:
    (found,) = (op for op in operations(spec) if op.operation_id == operation_id)
    return found


def uses_basic_auth_only(op: Operation) -> bool:
    """True when every security alternative of the operation is HTTP Basic."""
    schemes = _security_schemes(load_spec(op.spec))
    names = [name for alternative in op.security for name in alternative]
    return bool(names) and all(
        schemes[n].get("type") == "http" and schemes[n].get("scheme", "").lower() == "basic"
        for n in names
    )


def minimal_instance(doc: Mapping[str, Any], schema: Any) -> Any:
    """The smallest JSON value the schema accepts (required fields only)."""
    schema = resolve(doc, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal_instance(doc, props[name]) for name in schema.get("required", [])}
    simple: dict[str, Any] = {"array": [], "string": "x", "number": 1, "integer": 1}
    return simple.get(kind, True if kind == "boolean" else None)


def assemble_field_examples(doc: Mapping[str, Any], schema_name: str) -> dict[str, Any]:
    """An object built from the `example:` of each documented property (nested via $ref)."""
    schema = doc["components"]["schemas"][schema_name]
    out: dict[str, Any] = {}
    for prop, sub in schema.get("properties", {}).items():
        if "$ref" in sub:
            out[prop] = assemble_field_examples(doc, ref_name(sub))
        elif "example" in sub:
            out[prop] = sub["example"]
    return out


@dataclass(frozen=True)
class ResponseExample:
    spec: str
    operation_id: str
    status: str
    name: str
    value: Any = field(hash=False, compare=False)
    schema: str

    @property
    def id(self) -> str:
        return f"{self.spec}:{self.operation_id}:{self.status}:{self.name}"


def response_examples() -> list[ResponseExample]:
    """Every `example` / `examples` of every response of every client spec."""
    found: list[ResponseExample] = []
    for op in operations():
        doc = load_spec(op.spec)
        for status, response in op.responses.items():
            for media_type, media in response.get("content", {}).items():
                assert media_type == "application/json", f"{op} {status}: {media_type}"
                schema = ref_name(media["schema"])
                if "example" in media:
                    found.append(
                        ResponseExample(
                            op.spec, op.operation_id, status, "example", media["example"], schema
                        )
                    )
                for name, example in media.get("examples", {}).items():
                    value = resolve(doc, example)["value"]
                    found.append(
                        ResponseExample(op.spec, op.operation_id, status, name, value, schema)
                    )
    return found


def spec_example(spec: str, operation_id: str, status: str, name: str) -> Any:
    (found,) = (
        e
        for e in response_examples()
        if (e.spec, e.operation_id, e.status, e.name) == (spec, operation_id, status, name)
    )
    return found.value


# --------------------------------------------------------------------------------------------
# Calling the generated clients


@dataclass(frozen=True)
class RequestCase:
    """Argument values for one operation, keyed by the spec's parameter names.

    `body` None means: send the requestBody example of the spec.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None


WALLET_UUID = "550e8400-e29b-41d4-a716-446655440000"

REQUEST_CASES: Mapping[tuple[str, str], RequestCase] = {
    ("fireblocks", "getPagedVaultAccounts"): RequestCase(
        values={
            "namePrefix": "Treasury & Ops",
            "nameSuffix": "hot/1",
            "minAmountThreshold": 0.25,
            "assetId": "USDT_ERC20",
            "orderBy": "ASC",
            "before": "MjAyNi0xMS0yMA==",
            "after": "MjAyNi0xMS0yMQ==",
            "limit": 50.0,
            # One id each: upstream says `explode: false` (a,b), which openapi-python-client
            # 0.29.1 ignores (it repeats the parameter). The facade sends none of these.
            "tagIds": ["5d0c4a7e-tag-a"],
            "includeTagIds": ["5d0c4a7e-tag-c"],
            "excludeTagIds": ["5d0c4a7e-tag-d"],
        }
    ),
    ("fireblocks", "getVaultAccount"): RequestCase(values={"vaultAccountId": "42"}),
    ("fireblocks", "getVaultAccountAsset"): RequestCase(
        values={"vaultAccountId": "42", "assetId": "USDT_ERC20"}
    ),
    ("fireblocks", "updateVaultAccountAssetBalance"): RequestCase(
        values={
            "vaultAccountId": "42",
            "assetId": "BTC_TEST",
            "Idempotency-Key": "idem-7c0e0a4e-refresh-vault",
        }
    ),
    ("fireblocks", "GetEmbeddedWalletAssetBalance"): RequestCase(
        values={"walletId": WALLET_UUID, "accountId": "0", "assetId": "BTC"}
    ),
    ("fireblocks", "RefreshEmbeddedWalletAssetBalance"): RequestCase(
        values={
            "walletId": WALLET_UUID,
            "accountId": "0",
            "assetId": "BTC",
            "Idempotency-Key": "idem-1b9d6bcd-refresh-ncw",
        }
    ),
    ("cryptofuse", "getWalletBalances"): RequestCase(values={"wallet_id": WALLET_UUID}),
    ("cryptofuse", "createAccessToken"): RequestCase(
        body={"grant_type": "client_credentials", "scope": "read write"}
    ),
    ("kuna-core", "login"): RequestCase(
        values={"merchant_id": "merchant-7f3a"},
        body={"login": "merchant@example.com", "password": "p@ss word&=1"},
    ),
    ("kuna-core", "getBalances"): RequestCase(),  # the spec's request example
    ("bpn", "getAssetBalance"): RequestCase(values={"currency": "USDC", "walletId": "40"}),
}

BASIC_CLIENT_ID = "client-id"
BASIC_CLIENT_SECRET = "client-secret:with:colons"


def api_module(op: Operation) -> ModuleType:
    """The generated module of an operation (api/<tag>/<operation_id>.py)."""
    api = importlib.import_module(f"{op.package}.api")
    wanted = snake(op.operation_id)
    names = [
        info.name
        for info in pkgutil.walk_packages(api.__path__, prefix=f"{api.__name__}.")
        if info.name.rsplit(".", 1)[-1] == wanted
    ]
    assert len(names) == 1, f"{op}: expected one generated module named {wanted}, got {names}"
    return importlib.import_module(names[0])


def models_module(package: str) -> ModuleType:
    return importlib.import_module(f"{package}.models")


def model_class(package: str, schema: str) -> type[Any]:
    cls: type[Any] = getattr(models_module(package), schema)
    return cls


# Optional parameters that upstream versions add or drop (vault-account tags appeared in
# 2025-11): a value for one the spec lacks is left out rather than reported as a typo, so
# these tests survive an update to an older or newer upstream document.
VERSIONED_PARAMETERS = frozenset({"tagIds", "includeTagIds", "excludeTagIds"})


def case_for(op: Operation) -> RequestCase:
    case = REQUEST_CASES.get(op.key)
    assert case is not None, f"{op} has no entry in REQUEST_CASES: add argument values for it"
    names = {p.name for p in op.params}
    absent = {k for k in case.values if k not in names and k in VERSIONED_PARAMETERS}
    if absent:
        values = {k: v for k, v in case.values.items() if k not in absent}
        return RequestCase(values=values, body=case.body)
    return case


def request_body(op: Operation) -> Mapping[str, Any] | None:
    if op.body_media_type is None:
        return None
    body = case_for(op).body
    if body is None:
        assert op.body_example is not None, f"{op}: no body in REQUEST_CASES and no spec example"
        body = op.body_example
    return body


def _python_value(annotation: Any, value: Any) -> Any:
    """Wrap a plain value into the generated enum when the parameter is typed with one."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate(value)
    return value


def build_client(op: Operation, base_url: str) -> Any:
    """The generated client for an operation: `Client`, or `AuthenticatedClient` (Basic)
    when the spec's only security for it is HTTP Basic (the generated signature demands it)."""
    package = importlib.import_module(op.package)
    # trust_env=False: proxy settings of the environment must not divert loopback requests.
    httpx_args = {"trust_env": False}
    if uses_basic_auth_only(op):
        token = basic_token(BASIC_CLIENT_ID, BASIC_CLIENT_SECRET)
        return package.AuthenticatedClient(
            base_url=base_url, token=token, prefix="Basic", httpx_args=httpx_args
        )
    return package.Client(base_url=base_url, httpx_args=httpx_args)


def basic_token(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def call_operation(
    op: Operation, client: Any, values: Mapping[str, Any], body: Mapping[str, Any] | None
) -> Any:
    """Call the generated `sync_detailed` with spec-named values; returns its Response."""
    module = api_module(op)
    fn = module.sync_detailed
    package = importlib.import_module(op.package)
    # The annotations are strings, and the client classes are imported for type checkers
    # only: resolve them against the module plus the package's client classes.
    namespace = {**vars(module), "AuthenticatedClient": package.AuthenticatedClient}
    hints = typing.get_type_hints(fn, globalns={**namespace, "Client": package.Client})
    kwargs: dict[str, Any] = {"client": client}
    for name, value in values.items():
        param = op.param(name)
        kwargs[param.kwarg] = _python_value(hints[param.kwarg], value)
    if body is not None:
        assert op.body_schema is not None
        kwargs["body"] = model_class(op.package, op.body_schema).from_dict(dict(body))
    return fn(**kwargs)


# --------------------------------------------------------------------------------------------
# Running scripts/spectools/generate.py on a copy of the repository

GENERATOR_TOOLS = ("openapi-python-client", "datamodel-codegen", "ruff")
PINNED_DISTRIBUTIONS = ("openapi-python-client", "datamodel-code-generator", "ruff")


def find_generator_python() -> Path | None:
    """The interpreter whose bin dir holds the pinned generators: this one (the CI `tests`
    session installs them next to it), else the `nox -s generate` venv of the checkout."""
    current = Path(sys.executable)
    if (current.parent / OPENAPI_CLIENT_GENERATOR).exists():
        return current
    if (FALLBACK_GENERATOR_PYTHON.parent / OPENAPI_CLIENT_GENERATOR).exists():
        return FALLBACK_GENERATOR_PYTHON
    return None


def pinned_versions() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in GENERATE_REQUIREMENTS.read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line):
            pins[m.group(1).lower()] = m.group(2)
    return pins


def installed_versions(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys;"
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    proc = subprocess.run(
        [str(python), "-c", code, *PINNED_DISTRIBUTIONS],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    versions: dict[str, str] = json.loads(proc.stdout)
    return versions


def generator_env(python: Path, **overrides: str) -> dict[str, str]:
    """The environment of a `nox -s generate` run: the interpreter's bin dir first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    env.update(overrides)
    return env


def copy_repository(dest: Path) -> Path:
    """Copy what the generation workflow needs (specs/, generated/, scripts/) into dest."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("specs", "generated", "scripts"):
        shutil.copytree(REPO_ROOT / name, dest / name, ignore=ignore)
    return dest


def run_generate(
    python: Path, root: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the copy's scripts/spectools/generate.py (it acts on the tree it lives in)."""
    return subprocess.run(
        [str(python), "-m", "scripts.spectools.generate", *args],
        cwd=root,
        env=dict(env) if env is not None else generator_env(python),
        capture_output=True,
        text=True,
        check=False,
        timeout=110,
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def drift_sections(stderr: str) -> dict[str, list[str]]:
    """Split the drift report into its `- ...` entries: first line -> indented lines."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in stderr.splitlines():
        if line.startswith("- "):
            current = sections.setdefault(line[2:], [])
        elif line.startswith("    ") and current is not None:
            current.append(line.strip())
        else:
            current = None
    return sections


def iter_text_files(root: Path) -> Iterator[tuple[str, str]]:
    for name, data in tree_bytes(root).items():
        yield name, data.decode("utf-8")
