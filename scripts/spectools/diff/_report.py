"""Reports: the changes of one spec, as JSON or as text for a person, and the verdict line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._changes import Change, Usage, UsageMap
from ._differ import diff_documents
from ._documents import load_document, spec_name_for

__all__ = ["Report", "diff_files", "render_text", "usage_for", "verdict"]


@dataclass
class Report:
    """The changes of one spec between two versions (or why it was not compared)."""

    spec: str
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    status: str = "compared"  # compared | unchanged | new spec | removed spec | skipped
    note: str = ""

    @property
    def breaking_used(self) -> list[Change]:
        return [c for c in self.changes if c.breaking and c.used_by_facade]

    def to_json(self) -> dict[str, Any]:
        breaking = [c for c in self.changes if c.breaking]
        return {
            "spec": self.spec,
            "old": self.old_label,
            "new": self.new_label,
            "status": self.status,
            "note": self.note,
            "summary": {
                "breaking": len(breaking),
                "breaking_used_by_facade": len(self.breaking_used),
                "compatible": len(self.changes) - len(breaking),
            },
            "changes": [c.to_json() for c in self.changes],
        }


def _label(change: Change) -> str:
    base = "BREAKING" if change.breaking else "compatible"
    return f"{base} (used by facade)" if change.used_by_facade else base


def render_text(report: Report) -> str:
    """The report for a person: a summary line, then each change, breaking and used first."""
    if report.status != "compared":
        line = f"{report.spec}: {report.status}"
        return line + (f"\n  note: {report.note}" if report.note else "")
    lines = [f"{report.spec}: {report.old_label} -> {report.new_label}"]
    if report.note:
        lines.append(f"  note: {report.note}")
    if not report.changes:
        lines.append("  no changes to operations, parameters, bodies or security")
        return "\n".join(lines)
    breaking = [c for c in report.changes if c.breaking]
    lines.append(
        f"  {len(breaking)} breaking ({len(report.breaking_used)} used by the facade),"
        f" {len(report.changes) - len(breaking)} compatible"
    )
    lines.append("")
    width = max(len(_label(c)) for c in report.changes)
    for change in report.changes:
        target = change.identifier
        if change.new_identifier:
            target += f" -> {change.new_identifier}"
        lines.append(f"  {_label(change):<{width}}  {target}  [{change.kind}]")
        lines.append(f"      {change.message}")
        if change.operation_ids:
            lines.append(f"      operations: {', '.join(change.operation_ids)}")
        if change.used_by_facade and change.facade_operations != change.operation_ids:
            lines.append(f"      the facade uses it in: {', '.join(change.facade_operations)}")
    return "\n".join(lines)


def usage_for(usage_map: UsageMap, spec: str) -> tuple[Usage, str]:
    """The usage of spec, and a note for the report when the map has none."""
    if spec in usage_map:
        return usage_map[spec], ""
    return {}, f"the facade's usage map has no entry for spec {spec!r}: nothing is marked used"


def diff_files(old: Path, new: Path, spec: str | None, usage_map: UsageMap) -> Report:
    """The report of two files; the spec is named by spec, else by a file the map knows."""
    name = spec or spec_name_for(new)
    if spec is None and name not in usage_map and spec_name_for(old) in usage_map:
        name = spec_name_for(old)
    usage, note = usage_for(usage_map, name)
    changes = diff_documents(load_document(old), load_document(new), usage)
    return Report(name, str(old), str(new), changes, note=note)


def verdict(breaking_used: int) -> str:
    """The last line of a text report."""
    if breaking_used:
        return (
            f"spec_diff: {breaking_used} breaking change(s) used by the facade: fix the adapters"
            " and facade/_usage.py (see README, 'When a provider changes its API')."
        )
    return "spec_diff: no breaking change used by the facade."
