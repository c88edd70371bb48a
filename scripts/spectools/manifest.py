"""The one reader (and in-place writer) of specs/sources.toml, the manifest of vendored specs.

Paths are always passed in: the tools run on copies of the repository in tests, so no
function here falls back to the checkout this file happens to live in.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ManifestError(ValueError):
    """A manifest line that cannot be found or written."""


@dataclass(frozen=True)
class Spec:
    """One [[spec]] entry of a sources.toml."""

    name: str
    file: str
    package: str
    generator: str
    origin: str
    sha256: str
    specs_dir: Path  # the folder of the manifest it came from
    upstream_file: str = ""  # the official document this spec is a subset of
    upstream_sha256: str = ""
    operations: tuple[str, ...] = ()  # operationIds the subset keeps
    overlay: str = ""  # our corrections, applied at generation time
    overlay_sha256: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> Path:
        return self.specs_dir / self.file

    @property
    def upstream_url(self) -> str:
        """Where ``nox -s update_specs`` fetches the official document ("" when nowhere)."""
        return str(self.extra.get("upstream_url", ""))

    @property
    def upstream_path(self) -> Path | None:
        return self.specs_dir / self.upstream_file if self.upstream_file else None

    @property
    def overlay_path(self) -> Path | None:
        return self.specs_dir / self.overlay if self.overlay else None

    @property
    def served(self) -> bool:
        """Whether the sandbox serves this spec (every OpenAPI document does)."""
        return self.generator == "openapi-python-client"

    def hashed_files(self) -> list[tuple[str, Path, str]]:
        """(manifest key, file, recorded sha256) of every file the entry records a hash of."""
        hashed = [("sha256", self.path, self.sha256)]
        if self.upstream_path is not None:
            hashed.append(("upstream_sha256", self.upstream_path, self.upstream_sha256))
        if self.overlay_path is not None:
            hashed.append(("overlay_sha256", self.overlay_path, self.overlay_sha256))
        return hashed


def load_manifest(path: Path) -> list[Spec]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return [
        Spec(
            name=entry["name"],
            file=entry["file"],
            package=entry["package"],
            generator=entry["generator"],
            origin=entry["origin"],
            sha256=entry["sha256"],
            specs_dir=path.parent,
            upstream_file=entry.get("upstream_file", ""),
            upstream_sha256=entry.get("upstream_sha256", ""),
            operations=tuple(entry.get("operations", ())),
            overlay=entry.get("overlay", ""),
            overlay_sha256=entry.get("overlay_sha256", ""),
            extra=entry,
        )
        for entry in data["spec"]
    ]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_manifest_value(text: str, name: str, key: str, value: str) -> str:
    """Rewrite `key = "..."` inside the [[spec]] block of name, layout and comments kept.

    The manifest is edited as text, not re-serialised: its comments are documentation.
    """
    if re.search(r'["\\\n]', value):
        raise ManifestError(f"refusing to write {key} = {value!r} into specs/sources.toml")
    pattern = re.compile(
        r'(name = "'
        + re.escape(name)
        + r'"\n(?:(?!\[\[spec\]\]).*\n)*?'
        + re.escape(key)
        + r' = ")[^"\n]*(")'
    )

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + value + match.group(2)

    new_text, count = pattern.subn(replace, text, count=1)
    if count != 1:
        raise ManifestError(f"specs/sources.toml: no {key} line in the entry of spec {name!r}")
    return new_text


def update_manifest_hashes(specs: list[Spec], path: Path) -> list[str]:
    """Rewrite each spec's hash lines in place, keeping comments. Returns changed names."""
    text = path.read_text()
    changed = []
    for spec in specs:
        for key, file, recorded in spec.hashed_files():
            new = sha256_of(file)
            if new == recorded:
                continue
            try:
                text = set_manifest_value(text, spec.name, key, new)
            except ManifestError as exc:
                problem = f"{path}: could not find the {key} line of spec {spec.name!r}"
                raise SystemExit(problem) from exc
            if spec.name not in changed:
                changed.append(spec.name)
    path.write_text(text)
    return changed
