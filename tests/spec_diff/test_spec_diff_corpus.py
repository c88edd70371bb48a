"""The rule corpus: tests/spec_diff/corpus/<case>/{old,new}.(yaml|json) and expected.yaml.

Each expected.yaml holds a usage map (operationId -> identifiers, as in facade/_usage.py)
and the exact list of changes: kind, severity, identifier, new_identifier, operationIds and
used_by_facade. Nothing more and nothing less may be reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from support.spec_tooling import CORPUS

from scripts.spectools import diff

CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def _document(case: Path, stem: str) -> Path:
    (found,) = [p for p in case.iterdir() if p.stem == stem]
    return found


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((case / "expected.yaml").read_text())
    return data


def _record(change: dict[str, Any]) -> tuple[Any, ...]:
    return (
        change["kind"],
        change["severity"],
        change["identifier"],
        change.get("new_identifier"),
        tuple(change["operationIds"]),
        change["used_by_facade"],
    )


def _run(case: Path) -> list[Any]:
    expected = _expected(case)
    usage = {op: frozenset(ids) for op, ids in (expected.get("usage") or {}).items()}
    old = diff.load_document(_document(case, "old"))
    new = diff.load_document(_document(case, "new"))
    changes: list[Any] = diff.diff_documents(old, new, usage)
    return changes


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Path) -> None:
    expected = sorted(_record(c) for c in _expected(case)["changes"])
    actual = sorted(_record(c.to_json()) for c in _run(case))
    assert actual == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_order_breaking_and_used_first(case: Path) -> None:
    ranks = [(not c.breaking, not c.used_by_facade) for c in _run(case)]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_records_are_complete(case: Path) -> None:
    for change in _run(case):
        record = change.to_json()
        assert set(record) >= {
            "kind",
            "severity",
            "operationIds",
            "identifier",
            "message",
            "used_by_facade",
        }
        assert record["kind"] in diff.KINDS
        assert record["severity"] in {"breaking", "compatible"}
        assert record["message"]
        assert set(record["facade_operations"]) <= set(record["operationIds"])
        assert record["used_by_facade"] == bool(record["facade_operations"])


def test_corpus_covers_every_kind() -> None:
    covered = {c["kind"] for case in CASES for c in _expected(case)["changes"]}
    assert covered == set(diff.KINDS)


def test_identical_documents_have_no_changes() -> None:
    for case in CASES:
        for stem in ("old", "new"):
            doc = diff.load_document(_document(case, stem))
            assert diff.diff_documents(doc, doc, {}) == []
