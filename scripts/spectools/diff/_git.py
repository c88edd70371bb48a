"""specs/ against git: each spec in the working tree against the same file at a revision,
both sides with their overlay applied (as generation and the sandbox see them), and the
merge base the drift gate compares with."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from scripts.spectools import subset
from scripts.spectools.manifest import load_manifest
from scripts.spectools.openapi import SpecError

from ._changes import UsageMap
from ._differ import diff_documents
from ._documents import SPEC_SUFFIXES, looks_openapi, parse_document, spec_name_for
from ._report import Report, usage_for

__all__ = ["MERGE_BASE_REFS", "compare_rev", "merge_base"]

MERGE_BASE_REFS = ("origin/main", "main")


def _git(args: Sequence[str], root: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def _git_text(args: Sequence[str], root: Path) -> str | None:
    proc = _git(args, root)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def _spec_files(root: Path, rev: str) -> list[str]:
    names = {p.name for p in (root / "specs").glob("*") if p.suffix in SPEC_SUFFIXES}
    listed = _git(["ls-tree", "--name-only", rev, "--", "specs/"], root)
    if listed.returncode == 0:
        for line in listed.stdout.decode().splitlines():
            name = Path(line).name
            if Path(name).suffix in SPEC_SUFFIXES:
                names.add(name)
    return sorted(names)


def _overlay_file(root: Path, name: str) -> str:
    """specs/<overlay> of spec name per the working tree's manifest ("" when it has none)."""
    try:
        specs = load_manifest(root / "specs" / "sources.toml")
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        return ""
    return next((spec.overlay for spec in specs if spec.name == name), "")


def _with_overlay(doc: dict[str, Any], overlay: bytes | None, label: str) -> dict[str, Any]:
    """doc with its overlay applied: compare what generation and the sandbox see."""
    if overlay is None:
        return doc
    try:
        return dict(subset.apply_overlay(doc, subset.load_yaml(overlay)))
    except (subset.OverlayError, yaml.YAMLError) as exc:
        raise SpecError(f"{label}: the overlay does not apply: {exc}") from exc


def compare_rev(rev: str, root: Path, usage_map: UsageMap) -> tuple[list[Report], str]:
    """Reports for every spec in root/specs against the same file at git rev."""
    commit = _git_text(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if not commit:
        raise SpecError(f"unknown git revision {rev!r} (in {root})")
    reports: list[Report] = []
    shown_rev = rev[:12] if re.fullmatch(r"[0-9a-f]{40}", rev) else rev
    for file in _spec_files(root, rev):
        name = spec_name_for(file)
        old_label = f"{shown_rev}:specs/{file}"
        new_path = root / "specs" / file
        new_label = f"specs/{file}"
        shown = _git(["show", f"{commit}:./specs/{file}"], root)
        old_bytes = shown.stdout if shown.returncode == 0 else None
        usage, note = usage_for(usage_map, name)
        if old_bytes is None:
            reports.append(
                Report(
                    name, old_label, new_label, status=f"new spec (not in {shown_rev})", note=note
                )
            )
            continue
        if not new_path.exists():
            old_text = old_bytes.decode("utf-8-sig")
            if not looks_openapi(old_text):
                reports.append(Report(name, old_label, "(deleted)", status="removed (not OpenAPI)"))
                continue
            old_doc = parse_document(old_text, old_label)
            empty = {"openapi": "3.0.0", "paths": {}}
            changes = diff_documents(old_doc, empty, usage)
            reports.append(
                Report(name, old_label, "(deleted)", changes, note="removed spec; " + note)
            )
            continue
        new_bytes = new_path.read_bytes()
        overlay = _overlay_file(root, name)
        new_overlay = old_overlay = None
        if overlay:
            overlay_path = root / "specs" / overlay
            new_overlay = overlay_path.read_bytes() if overlay_path.exists() else None
            shown_overlay = _git(["show", f"{commit}:./specs/{overlay}"], root)
            old_overlay = shown_overlay.stdout if shown_overlay.returncode == 0 else None
        if new_bytes == old_bytes and new_overlay == old_overlay:
            reports.append(Report(name, old_label, new_label, status="unchanged"))
            continue
        old_text, new_text = old_bytes.decode("utf-8-sig"), new_bytes.decode("utf-8-sig")
        if not (looks_openapi(old_text) and looks_openapi(new_text)):
            reports.append(
                Report(
                    name,
                    old_label,
                    new_label,
                    status="changed, but not an OpenAPI 3 document: not compared",
                )
            )
            continue
        old_doc = _with_overlay(parse_document(old_text, old_label), old_overlay, old_label)
        new_doc = _with_overlay(parse_document(new_text, new_label), new_overlay, new_label)
        changes = diff_documents(old_doc, new_doc, usage)
        reports.append(Report(name, old_label, new_label, changes, note=note))
    return reports, commit


def merge_base(root: Path) -> tuple[str | None, str]:
    """(merge base of HEAD and origin/main or main, explanation); None: nothing to compare."""
    if shutil.which("git") is None:
        return None, "git is not installed; nothing to compare"
    if _git_text(["rev-parse", "--is-inside-work-tree"], root) != "true":
        return None, "not inside a git checkout; nothing to compare"
    head = _git_text(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root)
    if not head:
        return None, "the repository has no commits; nothing to compare"
    for ref in MERGE_BASE_REFS:
        sha = _git_text(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
        if not sha:
            continue
        if sha == head:
            # Still compare the working tree: an update not yet committed is what to check.
            return head, f"HEAD, which is {ref}: the working tree's uncommitted changes"
        base = _git_text(["merge-base", "HEAD", ref], root)
        if not base:
            return None, f"HEAD and {ref} have no merge base; nothing to compare"
        return base, f"merge base of HEAD and {ref}"
    return None, f"no {' or '.join(MERGE_BASE_REFS)} ref; nothing to compare"
