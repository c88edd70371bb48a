"""Where an upstream document comes from: which URL (the plan), reading it, and recording in
specs/sources.toml where it came from. The update itself is scripts/spectools/update.py.

Where the URL comes from, first match wins: --url NAME=URL, the environment variable
WALLET_BALANCES_UPSTREAM_<NAME> (NAME upper-cased, other characters as "_", e.g.
WALLET_BALANCES_UPSTREAM_KUNA_CORE), then upstream_url in specs/sources.toml. A file:///path
URL or a plain path reads a local file (air-gapped users, this repository's own copy); any
other URL is fetched with httpx (timeout, redirects followed). Hand-authored specs are
updated only with an explicit URL (their upstream_url is a documentation site).

The manifest records where the document came from: ``fetched_from`` is the URL or path read.
When that is not the pinned ``upstream_url``, the URL replaces it, ``upstream_date`` becomes
"unknown" and ``upstream_commit`` the commit the URL names, else "unknown".
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from scripts.spectools.manifest import ManifestError, Spec, set_manifest_value

ENV_PREFIX = "WALLET_BALANCES_UPSTREAM_"
DEFAULT_TIMEOUT = 30.0


class UpdateError(Exception):
    """Why an update was abandoned; nothing in specs/ or generated/ was changed."""


@dataclass(frozen=True)
class Plan:
    entry: Spec
    url: str


def env_var(name: str) -> str:
    return ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def plan_updates(
    entries: Sequence[Spec],
    names: Sequence[str],
    overrides: Mapping[str, str],
    environ: Mapping[str, str],
) -> list[Plan]:
    """Which specs to update from which URL; ValueError for a usage error."""
    by_name = {e.name: e for e in entries}
    unknown = sorted(set(names) - by_name.keys()) + sorted(set(overrides) - by_name.keys())
    if unknown:
        raise ValueError(f"unknown spec(s): {', '.join(sorted(set(unknown)))}")
    chosen = list(dict.fromkeys(names)) or [
        e.name for e in entries if e.origin == "vendored" and e.upstream_url
    ]
    plans: list[Plan] = []
    for name in chosen:
        entry = by_name[name]
        explicit = overrides.get(name) or environ.get(env_var(name), "")
        if entry.generator != "openapi-python-client":
            raise ValueError(f"spec {name} is not an OpenAPI document ({entry.generator})")
        if not explicit and entry.origin != "vendored":
            raise ValueError(
                f"spec {name} is {entry.origin}: its upstream_url ({entry.upstream_url or 'none'})"
                f" is not an OpenAPI document. Pass --url {name}=URL (or set {env_var(name)})"
                " to replace it with a fetched document anyway."
            )
        url = explicit or entry.upstream_url
        if not url:
            raise ValueError(f"spec {name} has no upstream_url; pass --url {name}=URL")
        plans.append(Plan(entry, url))
    return plans


def local_path(url: str) -> Path | None:
    """The file a file:// URL or a plain path names (air-gapped updates); None for http(s)."""
    if url.startswith("file://"):
        return Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path))
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        return None
    return Path(url).expanduser().resolve()


def fetch(url: str, timeout: float) -> bytes:
    """The document at url, or UpdateError saying why not."""
    local = local_path(url)
    if local is not None:
        try:
            return local.read_bytes()
        except OSError as exc:
            raise UpdateError(f"could not read {url}: {exc}") from exc
    headers = {
        "Accept": "application/yaml, application/x-yaml, application/json;q=0.9, */*;q=0.5",
        "User-Agent": "wallet-balance-facade spectools.update",
    }
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
            response = client.get(url)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise UpdateError(f"could not fetch {url}: {type(exc).__name__}: {exc}") from exc
    if not response.is_success:
        raise UpdateError(
            f"{url} answered HTTP {response.status_code} {response.reason_phrase}".rstrip()
        )
    return response.content


def record_source(text: str, entry: Spec, url: str) -> str:
    """Say in the manifest where the document came from: the URL it was read from. A pinned
    commit stays only when the URL is the pinned one (anything else may be another version);
    a URL that names a commit (a raw GitHub URL) pins that one, its date left unknown."""
    text = set_manifest_value(text, entry.name, "fetched_from", url)
    if url != entry.upstream_url:
        text = set_manifest_value(text, entry.name, "upstream_url", url)
        commit = re.search(r"/([0-9a-f]{40})/", url)
        values = {"upstream_commit": commit.group(1) if commit else "unknown"}
        values["upstream_date"] = "unknown"
        for key, value in values.items():
            with contextlib.suppress(ManifestError):  # the entry does not record it
                text = set_manifest_value(text, entry.name, key, value)
    return text
