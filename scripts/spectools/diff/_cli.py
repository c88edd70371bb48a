"""The command line: two files, specs/ against a git revision or the merge base, or the
identifiers of a document (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.spectools.openapi import SpecError

from ._documents import load_document, load_usage
from ._git import compare_rev, merge_base
from ._operations import identifiers
from ._report import diff_files, render_text, verdict

__all__ = ["main"]

# The checkout this copy of the tool belongs to: --rev and --merge-base compare its specs/.
ROOT = Path(__file__).resolve().parents[3]


def _run_rev(rev: str, why: str, root: Path, as_json: bool) -> int:
    usage_map = load_usage()
    reports, commit = compare_rev(rev, root, usage_map)
    breaking_used = sum(len(r.breaking_used) for r in reports)
    if as_json:
        payload = {
            "rev": rev,
            "commit": commit,
            "compared_with": why,
            "breaking_used_by_facade": breaking_used,
            "specs": [r.to_json() for r in reports],
        }
        print(json.dumps(payload, indent=2))
    else:
        against = f"{commit[:12]} ({why})" if rev == commit else f"{rev} ({commit[:12]}, {why})"
        print(f"spec_diff: specs/ (working tree) against {against}\n")
        for text in (render_text(r) for r in reports):
            print(text + ("\n" if "\n" in text else ""))
        if reports and "\n" not in render_text(reports[-1]):
            print()
        print(verdict(breaking_used))
    return 1 if breaking_used else 0


def _print_identifiers(path: Path, as_json: bool) -> int:
    try:
        found = identifiers(load_document(path))
    except SpecError as exc:
        print(f"spec_diff: error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps({op: sorted(ids) for op, ids in found.items()}, indent=2))
    else:
        for op, ids in found.items():
            print(f"{op}:")
            print("".join(f"    {ident}\n" for ident in sorted(ids)), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (0, 1: breaking change used, 2: usage error)."""
    parser = argparse.ArgumentParser(
        # Run as a package, argparse would call itself "__main__.py".
        prog="python -m scripts.spectools.diff",
        description="Classify OpenAPI changes as breaking or compatible for the facade.",
    )
    parser.add_argument("old", nargs="?", type=Path, help="the old document (YAML or JSON)")
    parser.add_argument("new", nargs="?", type=Path, help="the new document (YAML or JSON)")
    parser.add_argument("--spec", help="spec name in the usage map (default: from the file name)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rev", help="compare every spec in specs/ with the one at this git rev")
    mode.add_argument(
        "--merge-base",
        action="store_true",
        help="compare every spec in specs/ with the merge base of HEAD and origin/main or main",
    )
    mode.add_argument(
        "--identifiers",
        type=Path,
        metavar="FILE",
        help="list the identifiers each operation of FILE exposes (for facade/_usage.py)",
    )
    args = parser.parse_args(argv)
    in_git_mode = bool(args.rev) or args.merge_base
    if (in_git_mode or args.identifiers) and (args.old or args.new or args.spec):
        parser.error("OLD, NEW and --spec go without --rev, --merge-base and --identifiers")
    if args.identifiers:
        return _print_identifiers(args.identifiers, args.json)
    if not in_git_mode and (args.old is None or args.new is None):
        parser.error("give OLD and NEW, or --rev REV, or --merge-base")
    try:
        if args.merge_base:
            base, why = merge_base(ROOT)
            if base is None:
                if args.json:
                    print(json.dumps({"rev": None, "compared_with": why, "specs": []}))
                else:
                    print(f"spec_diff: {why}.")
                return 0
            return _run_rev(base, why, ROOT, args.json)
        if args.rev:
            return _run_rev(args.rev, f"git revision {args.rev}", ROOT, args.json)
        report = diff_files(args.old, args.new, args.spec, load_usage())
    except SpecError as exc:
        print(f"spec_diff: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(render_text(report))
        print()
        print(verdict(len(report.breaking_used)))
    return 1 if report.breaking_used else 0
