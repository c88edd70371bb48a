"""specs/fireblocks.yaml is upstream's text: a reproducible subset of the pinned official
document, with our corrections only in the overlay, and our generator template pinned."""

from __future__ import annotations

import copy
import difflib
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

import openapi_python_client
import pytest
import yaml

from scripts.spectools import subset
from scripts.spectools.generate import subset_problems
from scripts.spectools.manifest import load_manifest

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


@pytest.fixture(scope="module")
def spec() -> Any:
    (entry,) = [s for s in load_manifest(SPECS / "sources.toml") if s.name == "fireblocks"]
    return entry


@pytest.fixture(scope="module")
def upstream(spec: Any) -> dict[str, Any]:
    doc: dict[str, Any] = subset.load_yaml(spec.upstream_path.read_bytes())
    return doc


def test_subset_reproduces_the_vendored_file_byte_for_byte(spec: Any) -> None:
    assert subset.render_subset(spec) == spec.path.read_bytes()
    assert subset_problems(spec) == []


def test_every_operation_and_component_equals_the_official_documents(
    spec: Any, upstream: dict[str, Any]
) -> None:
    ours = yaml.safe_load(spec.path.read_text())
    assert ours["info"] == upstream["info"]
    assert ours["servers"] == upstream["servers"]
    assert "security" not in ours  # upstream applies none; the overlay does
    operations = set()
    for path, item in ours["paths"].items():
        for method, op in item.items():
            assert op == upstream["paths"][path][method], f"{method.upper()} {path}"
            operations.add(op["operationId"])
    assert operations == set(spec.operations)
    for section, entries in ours["components"].items():
        for name, value in entries.items():
            assert value == upstream["components"][section][name], f"{section}/{name}"


def test_upstream_copy_and_manifest_are_true(spec: Any) -> None:
    data = tomllib.loads((SPECS / "sources.toml").read_text())
    (entry,) = [e for e in data["spec"] if e["name"] == "fireblocks"]
    upstream_bytes = spec.upstream_path.read_bytes()
    assert hashlib.sha256(upstream_bytes).hexdigest() == entry["upstream_sha256"]
    assert hashlib.sha256(spec.path.read_bytes()).hexdigest() == entry["sha256"]
    assert hashlib.sha256(spec.overlay_path.read_bytes()).hexdigest() == entry["overlay_sha256"]
    # A pinned commit is in the URL; after an update from another source it is "unknown".
    if entry["upstream_commit"] != "unknown":
        assert re.fullmatch(r"[0-9a-f]{40}", entry["upstream_commit"])
        assert entry["upstream_commit"] in entry["upstream_url"]
    assert entry["fetched_from"]
    assert yaml.safe_load(upstream_bytes)["info"]["version"] == entry["upstream_version"]


def test_a_hand_edit_of_the_subset_is_named(spec: Any, tmp_path: Path) -> None:
    edited = tmp_path / spec.file
    edited.write_text(spec.path.read_text().replace("Fireblocks", "Fireb1ocks", 1))
    moved = type(spec)(**{**spec.__dict__, "specs_dir": tmp_path})
    (tmp_path / "upstream").mkdir()
    (tmp_path / spec.upstream_file).write_bytes(spec.upstream_path.read_bytes())
    problems = subset_problems(moved)
    assert problems == [
        f"spec fireblocks: specs/{spec.file} is not the subset of specs/{spec.upstream_file}"
        " (it was edited, or the upstream copy or the operations list changed)"
    ]


def test_subset_refuses_an_operation_upstream_lacks(upstream: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="upstream has no operation"):
        subset.subset_document(upstream, ["getVaultAccountAsset", "noSuchOperation"])


def test_subset_keeps_security_schemes_it_does_not_apply(upstream: dict[str, Any]) -> None:
    kept = subset.subset_document(upstream, ["getVaultAccountAsset"])
    assert set(kept["components"]["securitySchemes"]) == {"bearerTokenAuth", "ApiKeyAuth"}


# --------------------------------------------------------------------------- the overlay


def test_every_overlay_action_gives_a_reason(spec: Any) -> None:
    overlay = yaml.safe_load(spec.overlay_path.read_text())
    assert overlay["overlay"] == "1.0.0"
    assert overlay["actions"]
    for action in overlay["actions"]:
        assert len(action["description"].split()) >= 10, action["target"]


def test_served_document_is_the_subset_plus_the_overlay(spec: Any) -> None:
    served = yaml.safe_load((REPO / "generated" / "specs" / spec.file).read_text())
    vendored = yaml.safe_load(spec.path.read_text())
    assert served["security"] == [{"bearerTokenAuth": [], "ApiKeyAuth": []}]
    responses = served["paths"]["/vault/accounts_paged"]["get"]["responses"]
    assert responses["default"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorSchema"
    }
    for path, item in served["paths"].items():
        for method, op in item.items():
            headers = op["responses"]["200"].get("headers", {})
            assert "X-Request-ID" in headers, f"{method} {path}"
    # And it is exactly the overlay applied to the vendored text, nothing else.
    overlay = yaml.safe_load(spec.overlay_path.read_text())
    assert served == subset.apply_overlay(vendored, overlay)


def _overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


DOC: dict[str, Any] = {
    "openapi": "3.0.0",
    "paths": {"/a/{id}": {"get": {"responses": {"200": {"description": "ok"}}, "tags": ["x"]}}},
}


def test_overlay_update_merges_and_appends() -> None:
    out = subset.apply_overlay(
        DOC,
        _overlay(
            {
                "target": "$.paths['/a/{id}'].get",
                "description": "why",
                "update": {"responses": {"default": {"description": "err"}}, "tags": ["y"]},
            }
        ),
    )
    op = out["paths"]["/a/{id}"]["get"]
    assert op["responses"] == {"200": {"description": "ok"}, "default": {"description": "err"}}
    assert op["tags"] == ["x", "y"]
    assert DOC["paths"]["/a/{id}"]["get"]["tags"] == ["x"]  # the input is not changed


def test_overlay_remove() -> None:
    out = subset.apply_overlay(
        DOC, _overlay({"target": "$.paths.*.get.tags", "description": "why", "remove": True})
    )
    assert "tags" not in out["paths"]["/a/{id}"]["get"]


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ({"actions": []}, "not an OpenAPI Overlay 1.x document"),
        (_overlay({"target": "$.paths", "update": {}}), "gives no reason"),
        (_overlay({"target": "$.nothing", "description": "why", "update": {}}), "selects nothing"),
        (_overlay({"target": "$.paths", "description": "why"}), "exactly one of"),
        (_overlay({"target": "$.openapi", "description": "why", "update": {}}), "not an object"),
        (_overlay({"target": "$[", "description": "why", "update": {}}), "invalid JSONPath"),
    ],
)
def test_overlay_errors(overlay: dict[str, Any], message: str) -> None:
    with pytest.raises(subset.OverlayError, match=re.escape(message)):
        subset.apply_overlay(copy.deepcopy(DOC), overlay)


# --------------------------------------------------------------------------- the template

_MARKED = re.compile(
    r"\{# wallet-balance-facade:.*?#\}\n(.*?)\{% elif prop_template\.construct %\}\n", re.S
)


def test_model_template_is_the_pinned_generators_plus_the_marked_change() -> None:
    """A generator upgrade that changes model.py.jinja must be merged into our copy."""
    assert openapi_python_client.__version__ == "0.29.1"
    ours = (REPO / "scripts" / "templates" / "openapi-python-client" / "model.py.jinja").read_text()
    stock = (
        Path(openapi_python_client.__file__).parent / "templates" / "model.py.jinja"
    ).read_text()
    match = _MARKED.search(ours)
    assert match is not None
    restored = ours[: match.start()] + "    {% if prop_template.construct %}\n"
    restored += ours[match.end() :]
    diff = "".join(difflib.unified_diff(stock.splitlines(True), restored.splitlines(True)))
    assert restored == stock, diff
