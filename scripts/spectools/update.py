"""Fetch provider specs from upstream, regenerate their clients, and report what changed.

    python -m scripts.spectools.update                  # every vendored spec with an upstream_url
    python -m scripts.spectools.update fireblocks       # the pinned upstream_url; subset + overlay
    python -m scripts.spectools.update fireblocks --url fireblocks=/path/to/openapi.yaml
    python -m scripts.spectools.update fireblocks --url fireblocks=https://example.test/v1.yaml
    python -m scripts.spectools.update fireblocks --dry-run  # fetch, generate, report; no writes
    nox -s update_specs -- fireblocks

For each spec it fetches the upstream document (which URL, and how the manifest records
where it came from: scripts/spectools/upstream.py) and validates it: YAML or JSON, a mapping
with ``openapi: 3.x`` and ``paths``, every local $ref resolving, and openapi-spec-validator's
verdict. It then writes the new spec and its updated manifest entry (sha256, ``retrieved`` =
today and, for vendored specs, ``upstream_version`` = the document's info.version) into a
staging copy, runs the generator (scripts/spectools/generate.py) into a staging generated/
directory, and only when all of that succeeded swaps specs/<file>, specs/sources.toml and
generated/<package> into place (rename-swaps; if a swap fails, the ones already done are
undone). The staging directory is a hidden .update-specs-* directory in the checkout (renames
must stay on one filesystem), removed when the run ends. On any failure (offline, an HTTP
error status, an invalid document, a generator failure) nothing in specs/ or generated/
changes and the message says why. Last, it prints the spec_diff report of the old spec
against the new one: fix what it marks "BREAKING (used by facade)" in the adapters.

What the spec file becomes. A spec with an ``upstream_file`` in specs/sources.toml
(Fireblocks): the fetched document is kept whole there (its sha256 recorded as
``upstream_sha256``), and specs/<file> becomes its subset, the ``operations`` listed in the
manifest plus every component they reference (and every security scheme), rendered exactly
as generation renders it, so ``nox -s drift`` can reproduce it offline. Our overlay
is applied on top for generation, the sandbox and the report; if an overlay action no longer
selects anything, or the overlay-applied document is invalid, nothing is written. An
operation upstream does not have stops the update, naming it. Other specs: exactly the
bytes the URL serves, or with --subset only the operations present in the current copy (same
operationId, or same method and path) plus what they reference.

Exit codes: 0 updated or already up to date (breaking changes are reported, not fatal: the
drift and spec_diff gates fail on them until the adapters are fixed), 1 nothing changed
because something failed (or, should even undoing a failed swap fail, the message says where
the originals were kept), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.spectools import diff as spec_diff
from scripts.spectools.generate import generate_into
from scripts.spectools.manifest import (
    ManifestError,
    Spec,
    load_manifest,
    set_manifest_value,
    sha256_of,
    update_manifest_hashes,
)
from scripts.spectools.openapi import SpecError
from scripts.spectools.subset import (
    OverlayError,
    dump_yaml,
    effective_document,
    render_subset,
    subset_matching,
)
from scripts.spectools.upstream import (
    DEFAULT_TIMEOUT,
    Plan,
    UpdateError,
    fetch,
    plan_updates,
    record_source,
)

ROOT = Path(__file__).resolve().parents[2]
PROG = "spectools.update"  # how its messages start

# Writes each spec's generated package (and served document) into a directory:
# generate.generate_into, or a stand-in in tests.
Generate = Callable[[list[Spec], Path], None]


class RollbackError(UpdateError):
    """A swap failed and so did undoing it: the originals are kept in a backup directory."""


@dataclass(frozen=True)
class Fetched:
    plan: Plan
    old_bytes: bytes | None
    new_bytes: bytes
    new_doc: dict[str, Any]
    upstream_bytes: bytes | None = None  # the whole fetched document, for upstream_file


@dataclass(frozen=True)
class Outcome:
    name: str
    file: str
    url: str
    status: str  # "updated" | "up to date" | "dry run"
    old_bytes: bytes | None
    new_bytes: bytes


# --------------------------------------------------------------------------- validate


def validate(raw: bytes, source: str) -> dict[str, Any]:
    """Parse and check an OpenAPI 3 document (local $refs resolve); UpdateError says why not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UpdateError(f"{source}: not UTF-8 text ({exc})") from exc
    try:
        doc = spec_diff.parse_document(text, source)
    except SpecError as exc:
        raise UpdateError(f"invalid spec: {exc}") from exc
    # A real validator, not only our structural checks: it is pinned in
    # scripts/requirements-generate.txt, so its absence is an installation error.
    validator = importlib.import_module("openapi_spec_validator")
    try:
        validator.validate(doc)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UpdateError(f"invalid spec: {source}: openapi-spec-validator: {first}") from exc
    return doc


# --------------------------------------------------------------------------- --subset


def leading_comments(text: str) -> str:
    """The comment block at the top of a YAML file (kept above a --subset rewrite)."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(line)
        elif line.strip() or not lines:
            break
        else:
            lines.append(line)
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(f"{line}\n" for line in lines)


def render_yaml(doc: Mapping[str, Any], header: str) -> bytes:
    """doc below header, written the way generation writes every document."""
    return (header + dump_yaml(dict(doc))).encode("utf-8")


# --------------------------------------------------------------------------- swapping


def swap_into_place(swaps: Sequence[tuple[Path, Path]], backup_dir: Path) -> None:
    """Move each staged path onto its target (files or directories) by renames.

    Each target is first renamed into backup_dir, then the staged path renamed onto it. If
    any step fails, every swap already made is undone and the error re-raised.
    """
    backup_dir.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Path, Path | None]] = []
    try:
        for index, (staged, target) in enumerate(swaps):
            backup: Path | None = None
            if target.exists():
                backup = backup_dir / f"{index}-{target.name}"
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(staged, target)
    except BaseException as failure:
        try:
            for target, backup in reversed(done):
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                elif target.exists() or target.is_symlink():
                    target.unlink()
                if backup is not None:
                    os.replace(backup, target)
        except OSError as undo:
            raise RollbackError(
                f"moving the staged files into place failed ({failure}) and so did undoing it"
                f" ({undo}): specs/ and generated/ may be half updated; the originals are in"
                f" {backup_dir}"
            ) from undo
        raise


# --------------------------------------------------------------------------- the update


def prepare(
    plans: Sequence[Plan],
    specs_dir: Path,
    *,
    subset: bool,
    timeout: float,
    fetcher: Callable[[str, float], bytes] = fetch,
) -> list[Fetched]:
    """Fetch and validate every plan (all before anything is written)."""
    out: list[Fetched] = []
    for plan in plans:
        raw = fetcher(plan.url, timeout)
        doc = validate(raw, plan.url)
        current = specs_dir / plan.entry.file
        old_bytes = current.read_bytes() if current.exists() else None
        new_bytes = raw
        if plan.entry.upstream_file:
            # The fetched document is kept whole; the spec is its subset (the operations
            # listed in sources.toml), rendered exactly as `nox -s generate` renders it.
            try:
                new_bytes = render_subset(plan.entry, raw)
            except ValueError as exc:
                raise UpdateError(f"{plan.url}: {exc}") from exc
            doc = validate(new_bytes, f"the subset of {plan.url}")
            out.append(Fetched(plan, old_bytes, new_bytes, doc, raw))
            continue
        if subset:
            if old_bytes is None:
                raise UpdateError(f"--subset needs the current specs/{plan.entry.file}")
            old_text = old_bytes.decode("utf-8-sig")
            try:
                old_doc = spec_diff.parse_document(old_text, f"specs/{plan.entry.file}")
            except SpecError as exc:
                raise UpdateError(f"--subset cannot read the current copy: {exc}") from exc
            doc = subset_matching(doc, old_doc)
            new_bytes = render_yaml(doc, leading_comments(old_text))
            doc = validate(new_bytes, f"the --subset of {plan.url}")
        out.append(Fetched(plan, old_bytes, new_bytes, doc))
    return out


def update(
    plans: Sequence[Plan],
    root: Path,
    *,
    subset: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    today: dt.date | None = None,
    dry_run: bool = False,
    fetcher: Callable[[str, float], bytes] = fetch,
    generator: Generate = generate_into,
) -> list[Outcome]:
    """Fetch, validate, stage, generate and swap in; UpdateError leaves root untouched."""
    specs_dir, generated = root / "specs", root / "generated"
    manifest = specs_dir / "sources.toml"
    day = (today or dt.date.today()).isoformat()
    try:
        fetched = prepare(plans, specs_dir, subset=subset, timeout=timeout, fetcher=fetcher)
    except (OSError, ValueError) as exc:
        raise UpdateError(f"{type(exc).__name__}: {exc}") from exc

    def is_change(f: Fetched) -> bool:
        if f.new_bytes != f.old_bytes:
            return True
        # Same subset, but the whole upstream document may still be newer: keep it current.
        kept = specs_dir / f.plan.entry.upstream_file
        return f.upstream_bytes is not None and (
            not kept.exists() or kept.read_bytes() != f.upstream_bytes
        )

    outcomes = [
        Outcome(
            f.plan.entry.name, f.plan.entry.file, f.plan.url, "up to date", f.old_bytes, f.new_bytes
        )
        for f in fetched
        if not is_change(f)
    ]
    changed = [f for f in fetched if is_change(f)]
    if not changed:
        return outcomes
    # Staged inside the checkout: the final renames must not cross a filesystem boundary.
    staging = Path(tempfile.mkdtemp(prefix=".update-specs-", dir=root))
    keep_staging = False
    try:
        stage_specs, stage_generated = staging / "specs", staging / "generated"
        stage_specs.mkdir()
        stage_generated.mkdir()
        stage_manifest = stage_specs / "sources.toml"
        text = manifest.read_text(encoding="utf-8")
        for item in changed:
            entry = item.plan.entry
            (stage_specs / entry.file).write_bytes(item.new_bytes)
            text = set_manifest_value(text, entry.name, "retrieved", day)
            if item.upstream_bytes is not None:
                staged_upstream = stage_specs / entry.upstream_file
                staged_upstream.parent.mkdir(parents=True, exist_ok=True)
                staged_upstream.write_bytes(item.upstream_bytes)
                text = record_source(text, entry, item.plan.url)
            version = (item.new_doc.get("info") or {}).get("version")
            if entry.origin == "vendored" and isinstance(version, str | int | float) and version:
                text = set_manifest_value(text, entry.name, "upstream_version", str(version))
        # Overlays are read beside the staged manifest: give the staging folder a copy.
        for spec in load_manifest(manifest):
            if spec.overlay_path is not None and spec.overlay_path.exists():
                target = stage_specs / spec.overlay
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(spec.overlay_path, target)
        stage_manifest.write_text(text, encoding="utf-8")
        # Specs read from the staged manifest resolve their files in the staging folder.
        names = {f.plan.entry.name for f in changed}
        staged = [s for s in load_manifest(stage_manifest) if s.name in names]
        try:
            update_manifest_hashes(staged, stage_manifest)
        except SystemExit as exc:  # the manifest writer's way of saying it found no hash line
            raise UpdateError(str(exc)) from exc
        _check_manifest(stage_manifest, names, day)
        try:
            generator(staged, stage_generated)
        except OverlayError as exc:
            raise UpdateError(
                f"{exc}. The overlay no longer fits the new document: adjust the overlay"
                " (or drop the correction upstream now makes itself), then rerun."
            ) from exc
        except SystemExit as exc:  # generate.py reports a failed tool this way
            raise UpdateError(f"generator failed: {exc}") from exc
        except Exception as exc:
            raise UpdateError(f"generator failed: {type(exc).__name__}: {exc}") from exc
        for spec in staged:
            # What generation and the sandbox see must be a valid document too: an overlay
            # can point at components an older or newer upstream does not have.
            if spec.overlay:
                effective = dump_yaml(effective_document(spec)).encode()
                validate(effective, f"specs/{spec.file} with specs/{spec.overlay} applied")
        for spec in staged:
            if not (stage_generated / spec.package).is_dir():
                raise UpdateError(f"generator produced no generated/{spec.package}")
        status = "dry run" if dry_run else "updated"
        if not dry_run:
            generated.mkdir(exist_ok=True)
            swaps = [(stage_specs / s.file, specs_dir / s.file) for s in staged]
            swaps += [
                (stage_specs / s.upstream_file, specs_dir / s.upstream_file)
                for s in staged
                if s.upstream_file and (stage_specs / s.upstream_file).exists()
            ]
            served = stage_generated / "specs"
            if served.is_dir():
                (generated / "specs").mkdir(exist_ok=True)
                swaps += [(p, generated / "specs" / p.name) for p in sorted(served.iterdir())]
            swaps.append((stage_manifest, manifest))
            swaps += [(stage_generated / s.package, generated / s.package) for s in staged]
            try:
                swap_into_place(swaps, staging / "backup")
            except RollbackError:
                keep_staging = True
                raise
            except OSError as exc:
                raise UpdateError(f"could not move the staged files into place: {exc}") from exc
        outcomes += [
            Outcome(
                f.plan.entry.name, f.plan.entry.file, f.plan.url, status, f.old_bytes, f.new_bytes
            )
            for f in changed
        ]
    except UpdateError:
        raise
    except ManifestError as exc:
        raise UpdateError(str(exc)) from exc
    except (OSError, ValueError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise UpdateError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)
    return outcomes


def _check_manifest(path: Path, names: Iterable[str], day: str) -> None:
    """Each updated entry of the staged manifest, read back, records its new file and day."""
    wanted = set(names)
    for spec in load_manifest(path):
        if spec.name not in wanted:
            continue
        if spec.sha256 != sha256_of(spec.path) or spec.extra.get("retrieved") != day:
            raise UpdateError(f"the staged manifest entry of {spec.name} was not updated")


# --------------------------------------------------------------------------- report


def report(outcome: Outcome, root: Path) -> str:
    """The spec_diff report of an outcome, as text."""
    return _report(outcome, root)[0]


def _report(outcome: Outcome, root: Path) -> tuple[str, int]:
    """(report text, number of breaking changes the facade uses)."""
    if outcome.old_bytes is None:
        return f"{outcome.name}: new spec file specs/{outcome.file}; nothing to compare.", 0
    try:
        old_doc = spec_diff.parse_document(
            outcome.old_bytes.decode("utf-8-sig"), f"specs/{outcome.file}"
        )
        new_doc = spec_diff.parse_document(outcome.new_bytes.decode("utf-8-sig"), outcome.url)
    except (SpecError, UnicodeDecodeError) as exc:
        return f"{outcome.name}: no report: {exc}", 0
    # Judge what the facade and the sandbox see: both sides with our overlay applied.
    specs = [s for s in load_manifest(root / "specs" / "sources.toml") if s.name == outcome.name]
    if specs and specs[0].overlay:
        try:
            old_doc = effective_document(specs[0], outcome.old_bytes)
            new_doc = effective_document(specs[0], outcome.new_bytes)
        except OverlayError as exc:
            return f"{outcome.name}: no report: {exc}", 0
    try:
        usage_map = spec_diff.load_usage()
        usage, note = usage_map.get(outcome.name, {}), ""
    except SpecError as exc:
        usage, note = {}, f"usage map unavailable ({exc}): nothing is marked used"
    changes = spec_diff.diff_documents(old_doc, new_doc, usage)
    result = spec_diff.Report(
        outcome.name, f"specs/{outcome.file} (before)", outcome.url, changes, note=note
    )
    return spec_diff.render_text(result), len(result.breaking_used)


def _parse_overrides(values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise ValueError(f"--url wants NAME=URL, got {value!r}")
        out[name] = url
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.spectools.update",
        description="Fetch upstream specs, regenerate their clients and report the changes.",
    )
    parser.add_argument("specs", nargs="*", help="spec names (default: every vendored spec)")
    parser.add_argument(
        "--url", action="append", default=[], metavar="NAME=URL", help="fetch NAME from URL"
    )
    parser.add_argument(
        "--subset",
        action="store_true",
        help="keep only the operations of the current copy and what they reference",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds")
    parser.add_argument(
        "--dry-run", action="store_true", help="fetch, validate, generate and report only"
    )
    args = parser.parse_args(argv)
    try:
        overrides = _parse_overrides(args.url)
        plans = plan_updates(
            load_manifest(ROOT / "specs" / "sources.toml"), args.specs, overrides, os.environ
        )
    except ValueError as exc:
        parser.error(str(exc))
    if not plans:
        print(f"{PROG}: no spec to update (none is vendored with an upstream_url).")
        return 0
    for plan in plans:
        print(f"{PROG}: {plan.entry.name}: fetching {plan.url}")
    try:
        outcomes = update(
            plans, ROOT, subset=args.subset, timeout=args.timeout, dry_run=args.dry_run
        )
    except RollbackError as exc:
        print(f"{PROG}: failed: {exc}", file=sys.stderr)
        return 1
    except UpdateError as exc:
        print(f"{PROG}: failed, nothing in specs/ or generated/ changed: {exc}", file=sys.stderr)
        return 1
    breaking_used = 0
    for outcome in outcomes:
        if outcome.status == "up to date":
            print(f"{PROG}: {outcome.name}: specs/{outcome.file} is up to date.")
            continue
        package = next(p.entry.package for p in plans if p.entry.name == outcome.name)
        if outcome.status == "dry run":
            print(f"{PROG}: {outcome.name}: dry run, nothing written.")
        else:
            print(
                f"{PROG}: {outcome.name}: updated specs/{outcome.file},"
                f" its entry in specs/sources.toml and generated/{package}."
            )
        text, used = _report(outcome, ROOT)
        breaking_used += used
        print()
        print(text)
        print()
    if any(o.status == "updated" for o in outcomes):
        todo = (
            f"fix the {breaking_used} change(s) marked BREAKING (used by facade) in the adapters"
            " and facade/_usage.py, then run"
            if breaking_used
            else "run"
        )
        print(
            f"{PROG}: next: {todo} `nox -s tests` (the conformance suite) and commit"
            " specs/, generated/ and the facade together."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
