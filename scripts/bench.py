"""Benchmarks of the facade against raw httpx and the official Fireblocks SDK, on the sandbox.

    nox -s bench                      # full run; installs the project, fireblocks, matplotlib,
                                      # pyinstrument into .nox/bench
    nox -s bench -- --quick           # smoke run with small counts (well under 2 minutes)
    python scripts/bench.py --quick   # the same in any env with the project installed
    python scripts/bench.py --only latency,fanout   # some sections only

Sections (every ratio comes from one run on one machine; repetitions give min/median/max):

1. import   cold ``import facade`` + one client per provider, each run in a fresh process,
            next to ``import fireblocks`` (the official SDK) and ``import httpx``; and a check
            that using one provider imports no other provider's generated ``wbf_*`` package.
2. latency  median/p99 of ``get_balances`` per provider, sync and async, interleaved with the
            same request made with raw httpx; Fireblocks also next to the official SDK's
            ``get_vault_account_asset``; pyinstrument profiles of both; signing CPU per request.
3. fanout   ``gather_balances`` throughput and latency at several concurrencies next to raw
            async httpx with the same bound; peak RSS of a long fan-out in a child process.
4. sandbox  the in-process sandbox transport next to the socket sandbox: p50 of one request
            (raw httpx, same auth) and of one ``get_balances`` per provider, interleaved.
5. generate wall time of ``nox -R -s generate`` (venv reused).

The sandbox runs in its own process (``python -m facade.sandbox``), so the servers never share
the GIL with the measured client. Results go to bench-results/ (results.md, results.json,
latency.png, profile_*.txt). Exit status: 0 when every target is met or missed by at most 25%,
1 when one is missed by more, 2 when a section could not run. Nothing here runs in the test
gate: machines are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import gc
import hashlib
import importlib.metadata
import importlib.util
import itertools
import json
import math
import os
import platform
import resource
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from jwt import algorithms as jwt_algorithms

import facade
from facade import BalanceRequest
from facade._auth.bpn_signature import signature as bpn_signature
from facade._auth.fireblocks import TOKEN_LIFETIME, FireblocksAuth
from facade._client import _build
from facade.providers._base import BalanceQuery

# Providers are chosen at run time here: the typed overloads of facade.connect need a literal
# name, so the benchmark calls it through an untyped view.
connect_any: Callable[..., facade.BalanceClient] = facade.connect
connect_any_async: Callable[..., facade.AsyncBalanceClient] = facade.connect_async

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
PROVIDERS = ("fireblocks-vault", "fireblocks-embedded", "cryptofuse", "kuna-core", "bpn")
PACKAGE_OF = {
    "fireblocks-vault": "wbf_fireblocks",
    "fireblocks-embedded": "wbf_fireblocks",
    "cryptofuse": "wbf_cryptofuse",
    "kuna-core": "wbf_kuna_core",
    "bpn": "wbf_bpn",
}
SLACK = 0.25  # a target missed by more than this fraction fails the run
MB = 1024 * 1024


# --------------------------------------------------------------------------------------------
# Plan: how much of everything to do.


@dataclass(frozen=True)
class Plan:
    quick: bool
    import_runs: int
    latency_iters: int
    sdk_iters: int
    sdk_profile_calls: int
    sign_iters: int
    profile_iters: int
    fanout_requests: int
    fanout_distinct: int
    fanout_reps: int
    fanout_budget_s: float
    fanout_profile_requests: int
    concurrencies: tuple[int, ...]
    memory_small: int
    memory_large: int
    memory_fallback: int
    memory_budget_s: float
    generate_runs: int


FULL = Plan(
    quick=False,
    import_runs=5,
    latency_iters=1000,
    sdk_iters=150,
    sdk_profile_calls=40,
    sign_iters=3000,
    profile_iters=300,
    fanout_requests=10_000,
    fanout_distinct=1000,
    fanout_reps=3,
    fanout_budget_s=1500.0,
    fanout_profile_requests=2000,
    concurrencies=(1, 8, 64, 256),
    memory_small=1000,
    memory_large=100_000,
    memory_fallback=20_000,
    memory_budget_s=300.0,
    generate_runs=3,
)
QUICK = Plan(
    quick=True,
    import_runs=1,
    latency_iters=60,
    sdk_iters=12,
    sdk_profile_calls=8,
    sign_iters=300,
    profile_iters=30,
    fanout_requests=300,
    fanout_distinct=200,
    fanout_reps=1,
    fanout_budget_s=60.0,
    fanout_profile_requests=100,
    concurrencies=(1, 8, 64, 256),
    memory_small=200,
    memory_large=800,
    memory_fallback=800,
    memory_budget_s=20.0,
    generate_runs=1,
)
SECTIONS = ("import", "latency", "fanout", "sandbox", "generate")


# --------------------------------------------------------------------------------------------
# Small statistics and formatting helpers.


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = math.floor(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def mmm(values: Sequence[float]) -> tuple[float, float, float]:
    if not values:
        return (math.nan, math.nan, math.nan)
    return (min(values), statistics.median(values), max(values))


def fmt(value: float, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def fmt_mmm(values: Sequence[float], scale: float = 1.0, digits: int = 1) -> str:
    lo, mid, hi = mmm(values)
    return f"{fmt(mid * scale, digits)} ({fmt(lo * scale, digits)}-{fmt(hi * scale, digits)})"


def us(seconds: Sequence[float]) -> list[int]:
    """Seconds as whole microseconds, for the JSON of raw numbers."""
    return [round(s * 1e6) for s in seconds]


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Targets and the report.


@dataclass
class Target:
    section: str
    name: str
    value: float
    limit: float
    upper: bool  # True: value <= limit is met; False: value >= limit is met
    unit: str = ""
    note: str = ""

    @property
    def status(self) -> str:
        if math.isnan(self.value):
            return "FAIL"
        if self.met:
            return "PASS"
        badly = (
            self.value > self.limit * (1 + SLACK)
            if self.upper
            else self.value < self.limit * (1 - SLACK)
        )
        return "FAIL" if badly else "MISS (<=25%)"

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.upper else self.value >= self.limit

    def row(self) -> list[str]:
        sign = "<=" if self.upper else ">="
        return [
            self.section,
            self.name,
            f"{fmt(self.value, 3)}{self.unit}",
            f"{sign} {fmt(self.limit, 3)}{self.unit}",
            self.status,
            self.note,
        ]


@dataclass
class Report:
    plan: Plan
    targets: list[Target] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # markdown per section
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    chart: Path | None = None

    def target(self, *args: Any, **kwargs: Any) -> Target:
        t = Target(*args, **kwargs)
        self.targets.append(t)
        return t

    def markdown(self, meta: Mapping[str, str]) -> str:
        out = ["# wallet-balance-facade benchmarks", ""]
        out.append(" · ".join(f"{k}: {v}" for k, v in meta.items()))
        out.append("")
        if self.plan.quick:
            out += ["**Quick run (--quick): small counts, numbers are a smoke test only.**", ""]
        out += ["## Targets", ""]
        out.append(
            md_table(
                ["section", "target", "measured", "target", "status", "note"],
                [t.row() for t in self.targets],
            )
        )
        out.append("")
        for name in SECTIONS:
            if name in self.sections:
                out += [self.sections[name], ""]
            if name in self.errors:
                out += [f"## {name}: did not run", "", "```", self.errors[name], "```", ""]
        if self.notes:
            out += ["## Notes", ""] + [f"- {n}" for n in self.notes] + [""]
        if self.chart is not None:
            out += [f"Chart: `{self.chart}`", ""]
        return "\n".join(out)


# --------------------------------------------------------------------------------------------
# The sandbox, in its own process.


@dataclass(frozen=True)
class Wallet:
    wallet_id: str
    account_id: str | None
    assets: tuple[str, ...]


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    base_url: str
    settings: Mapping[str, Any]
    wallets: tuple[Wallet, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "base_url": self.base_url,
            "settings": dict(self.settings),
            "wallets": [dataclasses.asdict(w) for w in self.wallets],
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> ProviderInfo:
        wallets = tuple(
            Wallet(str(w["wallet_id"]), w.get("account_id"), tuple(w.get("assets") or ()))
            for w in data.get("wallets") or ()
        )
        settings = dict(data.get("settings") or {})
        base_url = str(data.get("base_url") or settings.get("base_url"))
        settings.setdefault("base_url", base_url)
        return ProviderInfo(str(data["name"]), base_url, settings, wallets)


def _provider_entries(obj: Any) -> Iterator[dict[str, Any]]:
    """Provider descriptions in one JSON line of the sandbox, whatever its nesting."""
    if isinstance(obj, list):
        for item in obj:
            yield from _provider_entries(item)
        return
    if not isinstance(obj, dict):
        return
    name = obj.get("provider") or obj.get("name")
    if isinstance(name, str) and name in PROVIDERS and ("settings" in obj or "base_url" in obj):
        yield {**obj, "name": name}
        return
    providers = obj.get("providers")
    if isinstance(providers, dict):
        for key, value in providers.items():
            if isinstance(value, dict):
                yield from _provider_entries({"name": key, **value})
    elif isinstance(providers, list):
        yield from _provider_entries(providers)


class SandboxProcess:
    """``python -m facade.sandbox`` in a child process; its JSON lines describe the servers."""

    def __init__(self, command: Sequence[str], timeout: float = 90.0) -> None:
        self.command = list(command)
        self.timeout = timeout
        self.proc: subprocess.Popen[str] | None = None
        self.providers: dict[str, ProviderInfo] = {}
        self._lines: list[str] = []

    def __enter__(self) -> SandboxProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        err_lines: list[str] = []
        lines: list[str] = []
        for stream, into in ((self.proc.stdout, lines), (self.proc.stderr, err_lines)):
            threading.Thread(target=_drain, args=(stream, into), daemon=True).start()
        deadline = time.monotonic() + self.timeout
        found: dict[str, dict[str, Any]] = {}
        seen = 0
        while time.monotonic() < deadline and self.proc.poll() is None:
            for line in lines[seen:]:
                seen += 1
                with contextlib.suppress(ValueError):
                    obj = json.loads(line)
                    found.update((e["name"], e) for e in _provider_entries(obj))
            # Servers described: wait until every one accepts connections.
            if set(PROVIDERS) <= set(found) and all(_accepts(found[p]) for p in PROVIDERS):
                break
            time.sleep(0.05)
        self._lines = lines
        missing = set(PROVIDERS) - set(found)
        if missing:
            self.__exit__(None, None, None)
            tail = "\n".join((lines + err_lines)[-20:])
            raise RuntimeError(
                f"sandbox did not describe {sorted(missing)} within {self.timeout:.0f} s;"
                f" its output ended with:\n{tail}"
            )
        self.providers = {name: ProviderInfo.from_json(found[name]) for name in PROVIDERS}
        for info in self.providers.values():
            if not info.wallets:
                raise RuntimeError(f"sandbox lists no wallets for {info.name}")
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cpu_seconds(self) -> float:
        """User+system CPU of the sandbox process (and its waited-for children)."""
        return proc_cpu_seconds(self.pid)

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.proc = None


def _accepts(entry: Mapping[str, Any]) -> bool:
    url = httpx.URL(str(entry.get("base_url") or (entry.get("settings") or {}).get("base_url")))
    try:
        with socket.create_connection((url.host, url.port or 80), timeout=1.0):
            return True
    except OSError:
        return False


def _drain(stream: TextIO, into: list[str]) -> None:
    for line in stream:
        into.append(line)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    # after the ")": state is field 3, so utime/stime/cutime/cstime are 14-17 -> index 11-14
    return sum(int(f) for f in fields[11:15]) / _TICK


def rss_bytes() -> int:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited across fork+exec)."""
    with contextlib.suppress(OSError, StopIteration, ValueError):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(x for x in status if x.startswith("VmHWM:")).split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --------------------------------------------------------------------------------------------
# Requests: what to ask each provider, and the same request as raw httpx sends it.


def one_call_variants(info: ProviderInfo) -> list[BalanceRequest]:
    """Distinct get_balances requests on this provider's valid wallets, each one HTTP call."""
    out: list[BalanceRequest] = []
    for w in info.wallets:
        assets = sorted(set(w.assets))
        singles = [(a,) for a in assets]
        if info.name == "fireblocks-vault":
            choices: list[tuple[str, ...] | None] = [None, *singles]
        elif info.name == "fireblocks-embedded":
            choices = list(singles)
        else:  # one call whatever the selection: every subset is a distinct request
            choices = [None]
            for k in range(1, len(assets) + 1):
                choices += list(itertools.combinations(assets, k))
        out += [BalanceRequest(info.name, w.wallet_id, w.account_id, c) for c in choices]
    return out


def request_pool(infos: Mapping[str, ProviderInfo], distinct: int) -> list[BalanceRequest]:
    """Up to ``distinct`` distinct requests, round-robin over providers and their wallets."""
    per_provider = [one_call_variants(infos[p]) for p in PROVIDERS]
    pool: list[BalanceRequest] = []
    for group in itertools.zip_longest(*per_provider):
        pool += [r for r in group if r is not None]
        if len(pool) >= distinct:
            break
    return pool[:distinct]


def probe_request(info: ProviderInfo) -> BalanceRequest:
    """The request used for per-call latency: the first wallet with assets, its first asset."""
    w = next(w for w in info.wallets if w.assets)
    return BalanceRequest(info.name, w.wallet_id, w.account_id, (w.assets[0],))


def valid_pool(
    infos: Mapping[str, ProviderInfo], pool: Sequence[BalanceRequest]
) -> tuple[list[BalanceRequest], list[str]]:
    """The requests the sandbox answers successfully (each tried once), and why others failed."""
    clients = {p: connect_any(p, **facade_settings(infos[p])) for p in PROVIDERS}
    kept, dropped = [], []
    try:
        for r in pool:
            try:
                clients[r.provider].get_balances(
                    r.wallet_id, account_id=r.account_id, assets=r.assets
                )
            except facade.errors.FacadeError as exc:
                dropped.append(f"{r.provider} {r.wallet_id} {r.assets}: {type(exc).__name__}")
            else:
                kept.append(r)
    finally:
        for c in clients.values():
            c.close()
    return kept, dropped


@dataclass(frozen=True)
class RawCall:
    provider: str
    method: str
    url: str  # relative to base_url, with the query
    target: str  # the request target the server sees (base path included): what is signed
    body: bytes
    headers: tuple[tuple[str, str], ...]


class RawAuth:
    """The provider's authentication as a raw httpx user writes it: headers per request."""

    def __init__(self, info: ProviderInfo) -> None:
        s = info.settings
        self.provider = info.name
        self.flow: httpx.Auth | None = None
        self._key: RSAPrivateKey | None = None
        self._static: dict[str, str] = {}
        if info.name.startswith("fireblocks"):
            key = load_pem_private_key(_secret(s, "private_key").encode(), password=None)
            assert isinstance(key, RSAPrivateKey)
            self._key, self._api_key = key, _secret(s, "api_key")
        elif info.name == "bpn":
            self._api_key, self._api_secret = _secret(s, "api_key"), _secret(s, "api_secret")
        elif info.name == "cryptofuse" and s.get("api_key"):
            self._static = {"X-API-Key": _secret(s, "api_key")}
        elif info.name == "kuna-core" and s.get("api_key"):
            self._static = {"api-key": _secret(s, "api_key")}
        else:  # token flows: the provider's own httpx.Auth (fetches and caches the token)
            adapter, *_ = _build(info.name, {}, info.settings)
            self.flow = adapter.auth()

    def headers(self, method: str, target: str, body: bytes) -> dict[str, str]:
        if self._key is not None:
            iat = int(time.time())
            claims = {
                "uri": target,
                "nonce": uuid.uuid4().hex,
                "iat": iat,
                "exp": iat + TOKEN_LIFETIME,
                "sub": self._api_key,
                "bodyHash": hashlib.sha256(body).hexdigest(),
            }
            token = jwt.encode(claims, self._key, algorithm="RS256")
            return {"X-API-Key": self._api_key, "Authorization": f"Bearer {token}"}
        if self.provider == "bpn":
            ts = int(time.time() * 1000)
            return {
                "X-Api-Key": self._api_key,
                "X-Timestamp": str(ts),
                "X-Signature": bpn_signature(self._api_secret, method, target, body, ts),
            }
        return self._static


def _secret(settings: Mapping[str, Any], name: str) -> str:
    value = settings.get(name)
    if value is None and settings.get(f"{name}_file"):
        return Path(str(settings[f"{name}_file"])).read_text()
    if not isinstance(value, str):
        raise RuntimeError(f"sandbox settings have no {name}")
    return value


class RawBuilder:
    """Turns a BalanceRequest into the HTTP calls the facade makes for it, built once."""

    def __init__(self, infos: Mapping[str, ProviderInfo]) -> None:
        self._adapters = {p: _build(p, {}, infos[p].settings)[0] for p in PROVIDERS}
        self._client = httpx.Client()
        self._cache: dict[BalanceRequest, list[RawCall]] = {}

    def calls(self, request: BalanceRequest) -> list[RawCall]:
        cached = self._cache.get(request)
        if cached is not None:
            return cached
        adapter = self._adapters[request.provider]
        query = BalanceQuery(request.wallet_id, request.account_id, request.assets)
        base = httpx.URL(adapter.base_url)
        prefix = base.raw_path.decode().rstrip("/")
        out = []
        for call in adapter.balance_calls(query):
            kwargs = dict(call.request)
            kwargs["url"] = adapter.base_url + kwargs["url"]
            built = self._client.build_request(**kwargs)
            target = built.url.raw_path.decode()
            relative = target[len(prefix) :] if prefix and target.startswith(prefix) else target
            headers = dict(call.request.get("headers") or {})
            if built.content and "content-type" in built.headers:
                headers["Content-Type"] = built.headers["content-type"]
            out.append(
                RawCall(
                    request.provider,
                    built.method,
                    relative,
                    target,
                    built.content,
                    tuple(headers.items()),
                )
            )
        self._cache[request] = out
        return out

    def close(self) -> None:
        self._client.close()


def raw_send_sync(client: httpx.Client, auth: RawAuth, call: RawCall) -> Any:
    headers = {**dict(call.headers), **auth.headers(call.method, call.target, call.body)}
    response = client.request(
        call.method, call.url, content=call.body or None, headers=headers, auth=auth.flow
    )
    if response.status_code != 200:
        raise RuntimeError(f"raw {call.provider} {call.url}: HTTP {response.status_code}")
    return response.json()


async def raw_send_async(client: httpx.AsyncClient, auth: RawAuth, call: RawCall) -> Any:
    headers = {**dict(call.headers), **auth.headers(call.method, call.target, call.body)}
    response = await client.request(
        call.method, call.url, content=call.body or None, headers=headers, auth=auth.flow
    )
    if response.status_code != 200:
        raise RuntimeError(f"raw {call.provider} {call.url}: HTTP {response.status_code}")
    return response.json()


def raw_sync_client(info: ProviderInfo, connections: int = 10) -> httpx.Client:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.Client(base_url=info.base_url, timeout=30.0, limits=limits)


def raw_async_client(info: ProviderInfo, connections: int = 10) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=info.base_url, timeout=30.0, limits=limits)


def facade_settings(info: ProviderInfo, **extra: Any) -> dict[str, Any]:
    return {**info.settings, **extra}


# --------------------------------------------------------------------------------------------
# 4. The in-process sandbox transport against the socket sandbox.


class _Replay(httpx.BaseTransport):
    """Answers each URL with the response the in-process sandbox gave it first."""

    def __init__(self, origin: httpx.BaseTransport) -> None:
        self._origin = origin
        self._seen: dict[tuple[str, str], tuple[int, list[tuple[bytes, bytes]], bytes]] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, str(request.url))
        if key not in self._seen:
            response = self._origin.handle_request(request)
            self._seen[key] = (response.status_code, response.headers.raw, response.read())
        status, headers, content = self._seen[key]
        return httpx.Response(status, headers=headers, content=content, request=request)


def bench_sandbox(report: Report, infos: Mapping[str, ProviderInfo], plan: Plan) -> None:
    """p50 per request and per facade call, sockets (sandbox process) vs in process."""
    from facade.sandbox import Sandbox  # noqa: PLC0415 - the sandbox extra

    iters = max(30, plan.latency_iters // 2)
    with Sandbox(in_process=True) as sandbox:
        local = {p: ProviderInfo.from_json(sandbox.providers[p].as_json()) for p in PROVIDERS}
        builders = {"socket": RawBuilder(infos), "in-process": RawBuilder(local)}
        probes = {p: probe_request(infos[p]) for p in PROVIDERS}
        raws = {
            "socket": {p: raw_sync_client(infos[p]) for p in PROVIDERS},
            "in-process": {
                p: httpx.Client(
                    base_url=local[p].base_url, timeout=30.0, transport=sandbox.transport()
                )
                for p in PROVIDERS
            },
        }
        auths = {
            "socket": {p: RawAuth(infos[p]) for p in PROVIDERS},
            "in-process": {p: RawAuth(local[p]) for p in PROVIDERS},
        }
        replay = _Replay(sandbox.transport())
        clients = {
            "socket": {p: connect_any(p, **facade_settings(infos[p])) for p in PROVIDERS},
            "in-process": {p: sandbox.connect(p) for p in PROVIDERS},
            # The floor: the same answers replayed from memory, no server work at all.
            "replay": {p: sandbox.connect(p, transport=replay) for p in PROVIDERS},
        }
        samples: dict[str, dict[str, list[float]]] = {
            p: {
                **{f"request {where}": [] for where in raws},
                **{f"call {where}": [] for where in clients},
            }
            for p in PROVIDERS
        }

        def request(where: str, p: str) -> None:
            for call in builders[where].calls(probes[p]):
                raw_send_sync(raws[where][p], auths[where][p], call)

        def call(where: str, p: str) -> None:
            q = probes[p]
            wallet = clients[where][p].get_balances(
                q.wallet_id, account_id=q.account_id, assets=q.assets
            )
            if not wallet.balances:
                raise RuntimeError(f"{p} {where}: no balances")

        try:
            for _ in range(max(5, iters // 20)):
                for p in PROVIDERS:
                    for where in raws:
                        request(where, p)
                    for where in clients:
                        call(where, p)
            perf = time.perf_counter
            for i in range(iters):
                for p in PROVIDERS:
                    order = [("request", w) for w in raws] + [("call", w) for w in clients]
                    for kind, where in order if i % 2 == 0 else order[::-1]:
                        fn = request if kind == "request" else call
                        t0 = perf()
                        fn(where, p)
                        samples[p][f"{kind} {where}"].append(perf() - t0)
        finally:
            for group in clients.values():
                for client in group.values():
                    client.close()
            for raw_group in raws.values():
                for raw in raw_group.values():
                    raw.close()
            for builder in builders.values():
                builder.close()
    rows = []
    for p in PROVIDERS:
        got = {k: pct(v, 50) for k, v in samples[p].items()}
        request_ratio = got["request socket"] / got["request in-process"]
        call_ratio = got["call socket"] / got["call in-process"]
        floor = got["call replay"]
        added = (got["call socket"] - floor) / max(got["call in-process"] - floor, 1e-6)
        rows.append(
            [
                p,
                fmt(got["request socket"] * 1000, 3),
                fmt(got["request in-process"] * 1000, 3),
                fmt(request_ratio, 1),
                fmt(got["call socket"] * 1000, 3),
                fmt(got["call in-process"] * 1000, 3),
                fmt(floor * 1000, 3),
                fmt(call_ratio, 1),
                fmt(added, 1),
            ]
        )
        report.target(
            "sandbox",
            f"{p}: time the sandbox adds to a call, socket / in-process",
            added,
            5.0,
            False,
            "x",
            "call p50 minus the replay floor (the facade's own client work)",
        )
    report.data["sandbox"] = {p: {k: us(v) for k, v in samples[p].items()} for p in PROVIDERS}
    report.sections["sandbox"] = "\n".join(
        [
            "## sandbox: in-process transport vs sockets",
            "",
            f"p50 in ms over {iters} interleaved iterations, sync; the socket sandbox is the"
            " separate sandbox process. *request*: one HTTP exchange with raw httpx and the"
            " provider's auth; *call*: ``get_balances`` through the facade (its client-side"
            " work, e.g. Fireblocks RS256 signing, is the same on both sides); *replay*: the"
            " same call answered from memory, the floor no sandbox can go below. *added*:"
            " (socket call - replay) / (in-process call - replay), what each sandbox costs a"
            " test per call.",
            "",
            md_table(
                [
                    "provider",
                    "request, socket",
                    "request, in-process",
                    "ratio",
                    "call, socket",
                    "call, in-process",
                    "call, replay",
                    "ratio",
                    "added, ratio",
                ],
                rows,
            ),
        ]
    )


# --------------------------------------------------------------------------------------------
# 1. Cold import.

_IMPORT_CHILD = r"""
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
with open(path) as fh:
    settings = json.load(fh)
if mode.endswith("-noclirich"):
    class _Hide:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in ("click", "rich", "pygments"):
                raise ImportError(name)
            return None
    sys.meta_path.insert(0, _Hide())
def wbf():
    return sorted({m.partition(".")[0] for m in sys.modules if m.startswith("wbf_")})
out = {}
t0 = time.perf_counter()
if mode == "bare":
    pass
elif mode == "httpx":
    import httpx
elif mode == "fireblocks":
    import fireblocks
elif mode == "fireblocks-client":
    from fireblocks.client import Fireblocks
    from fireblocks.client_configuration import ClientConfiguration
    s = settings["fireblocks-vault"]
    Fireblocks(ClientConfiguration(api_key=s["api_key"], secret_key=s["private_key"],
                                   base_path=s["base_url"]))
elif mode.startswith("facade-all"):
    import facade
    out["import_s"] = time.perf_counter() - t0
    out["connect_s"] = {}
    for name, s in settings.items():
        t1 = time.perf_counter()
        connect_any(name, **s)
        out["connect_s"][name] = time.perf_counter() - t1
elif mode == "facade-import":
    import facade
elif mode.startswith("facade-one:"):
    import facade
    out["after_import"] = wbf()
    connect_any(mode.split(":", 1)[1], **settings[mode.split(":", 1)[1]])
else:
    raise SystemExit("unknown mode " + mode)
out["seconds"] = time.perf_counter() - t0
out["wbf"] = wbf()
out["providers_modules"] = sorted(m for m in sys.modules if m.startswith("facade.providers."))
# VmHWM, not ru_maxrss: after fork+exec, ru_maxrss still counts the parent's pages.
with open("/proc/self/status") as fh:
    out["maxrss_kib"] = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:"))
print(json.dumps(out))
"""


def run_import_child(mode: str, settings_path: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHILD, mode, str(settings_path)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # never import from the work tree by accident
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"import child {mode} failed:\n{proc.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def import_self_times(settings_path: Path) -> dict[str, float]:
    """Seconds of import self time per top-level package for import facade + 5 connects."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _IMPORT_CHILD, "facade-all", str(settings_path)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        check=False,
    )
    totals: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:") :].split("|")
        package = name.strip().partition(".")[0]
        totals[package] = totals.get(package, 0.0) + int(self_us) / 1e6
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def client_costs(infos: Mapping[str, ProviderInfo]) -> dict[str, float]:
    """What one connect() pays besides imports: an httpx.Client, and Fireblocks' PEM parse."""
    httpx.Client().close()
    pem = _secret(infos["fireblocks-vault"].settings, "private_key").encode()
    built, parsed = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        httpx.Client().close()
        built.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        load_pem_private_key(pem, password=None)
        parsed.append(time.perf_counter() - t0)
    return {"httpx_client_s": statistics.median(built), "pem_parse_s": statistics.median(parsed)}


def have_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def bench_import(report: Report, infos: Mapping[str, ProviderInfo], plan: Plan) -> None:
    log("cold import: fresh processes")
    cases = [
        ("bare", "python -c pass (bare interpreter)"),
        ("httpx", "import httpx"),
        ("facade-import", "import facade"),
        ("facade-all", "import facade + connect() x5 providers"),
        ("facade-all-noclirich", "  same, click/rich hidden (runtime-only install)"),
    ]
    if have_module("fireblocks"):
        cases.append(("fireblocks", "import fireblocks (official SDK)"))
        if not plan.quick:
            cases.append(
                ("fireblocks-client", "import fireblocks + Fireblocks(ClientConfiguration)")
            )
    else:
        report.notes.append("fireblocks SDK not installed: run via `nox -s bench` to compare.")
    with tempfile.TemporaryDirectory(prefix="wbf-bench-") as tmp:
        settings_path = Path(tmp) / "settings.json"
        settings_path.write_text(json.dumps({p: dict(infos[p].settings) for p in PROVIDERS}))
        for mode, _ in cases:  # warm the bytecode caches: cold process, not cold disk
            run_import_child(mode, settings_path)
        samples: dict[str, list[dict[str, Any]]] = {mode: [] for mode, _ in cases}
        for _ in range(plan.import_runs):
            for mode, _ in cases:  # interleaved, so drift hits every case alike
                samples[mode].append(run_import_child(mode, settings_path))
        lazy: dict[str, dict[str, Any]] = {}
        for p in PROVIDERS:
            lazy[p] = run_import_child(f"facade-one:{p}", settings_path)
        bare_import = run_import_child("facade-import", settings_path)
        by_package = import_self_times(settings_path)

    def secs(mode: str) -> list[float]:
        return [s["seconds"] for s in samples[mode]]

    def rss(mode: str) -> list[float]:
        return [s["maxrss_kib"] / 1024 for s in samples[mode]]

    def walls(mode: str) -> list[float]:
        return [s["wall"] for s in samples[mode]]

    bare_rss = statistics.median(rss("bare"))
    rows = []
    for mode, label in cases:
        net = [r - bare_rss for r in rss(mode)]
        rows.append(
            [
                label,
                fmt_mmm(secs(mode), 1000, 0),
                fmt_mmm(walls(mode), 1000, 0),
                fmt_mmm(rss(mode), 1, 1),
                fmt(statistics.median(net), 1) if mode != "bare" else "-",
            ]
        )
    lazy_rows = []
    lazy_ok = True
    import_wbf = [w for w in bare_import["wbf"] if w != "wbf_model"]
    for p in PROVIDERS:
        got = [w for w in lazy[p]["wbf"] if w != "wbf_model"]
        ok = got == [PACKAGE_OF[p]]
        lazy_ok &= ok
        others = [m for m in lazy[p]["providers_modules"] if not m.endswith("._base")]
        lazy_rows.append([p, ", ".join(lazy[p]["wbf"]), ", ".join(others), "yes" if ok else "NO"])
    lazy_ok &= not import_wbf

    md = ["## 1. Cold import (fresh process each; median (min-max) of runs)", ""]
    md.append(
        md_table(
            [
                "case",
                "import+connect ms (in-process)",
                "process wall ms",
                "peak RSS MB",
                "RSS over bare MB",
            ],
            rows,
        )
    )
    md += [
        "",
        f"{plan.import_runs} runs per case, interleaved, after one warm-up run each (bytecode"
        " cached). 'in-process' is perf_counter around the imports/connects inside the child;"
        " 'process wall' includes interpreter start-up; peak RSS is the child's VmHWM"
        " (its ru_maxrss would include the parent's pages copied at fork).",
        "",
        "Lazy loading: `import facade` alone imports "
        + (", ".join(bare_import["wbf"]) or "no wbf_* package")
        + " (wbf_model is the canonical model, not a provider's client). One provider used:",
        "",
        md_table(
            ["provider used", "wbf_* imported", "facade.providers.* imported", "only own"],
            lazy_rows,
        ),
    ]
    costs = client_costs(infos)
    connect_rows = [
        [p, fmt_mmm([x["connect_s"][p] for x in samples["facade-all"]], 1000, 1)] for p in PROVIDERS
    ]
    import_part = fmt_mmm([x["import_s"] for x in samples["facade-all"]], 1000, 1)
    pkg_total = sum(by_package.values())
    pkg_rows = [
        [name, fmt(t * 1000, 1), f"{t / pkg_total:.0%}"]
        for name, t in list(by_package.items())[:12]
    ]
    md += [
        "",
        "Where `import facade + connect() x5` spends its time (median (min-max) ms):"
        f" `import facade` {import_part}, then per connect():",
        "",
        md_table(["connect()", "ms"], connect_rows),
        "",
        "Import self time by top-level package (one run under `-X importtime`, which adds"
        f" overhead; {pkg_total * 1000:.0f} ms in all):",
        "",
        md_table(["package", "ms", "share"], pkg_rows),
        "",
        f"Measured in this process: building an `httpx.Client()` costs"
        f" {costs['httpx_client_s'] * 1000:.1f} ms (its default SSL context loads the CA"
        " bundle, even for an http:// loopback URL), and each connect() builds one;"
        f" parsing the Fireblocks PEM key costs {costs['pem_parse_s'] * 1000:.1f} ms (OpenSSL's"
        " RSA key checks), paid by both Fireblocks connect()s. When click and rich are"
        " importable (the dev/cli extras, uvicorn), `import httpx` also imports its CLI"
        " (`httpx._main`: click, rich, pygments); the 'click/rich hidden' row shows an"
        " install without them.",
    ]
    extra = {"self_time_by_package_s": by_package, "client_costs": costs}
    report.sections["import"] = "\n".join(md)
    report.data["import"] = {
        "cases": {mode: samples[mode] for mode, _ in cases},
        "lazy": lazy,
        "import_only": bare_import,
        **extra,
    }
    facade_t = statistics.median(secs("facade-all"))
    report.target("import", "facade import + 5 clients, median", facade_t, 0.3, True, " s")
    if have_module("fireblocks"):
        sdk_t = statistics.median(secs("fireblocks"))
        report.target(
            "import",
            "facade time / `import fireblocks` time",
            facade_t / sdk_t,
            0.1,
            True,
            note=f"SDK {sdk_t * 1000:.0f} ms",
        )
        f_net = statistics.median(rss("facade-all")) - bare_rss
        s_net = statistics.median(rss("fireblocks")) - bare_rss
        report.target(
            "import",
            "facade RSS / SDK RSS (each net of bare python)",
            f_net / s_net,
            0.1,
            True,
            note=f"{f_net:.1f} MB vs {s_net:.1f} MB; gross"
            f" {statistics.median(rss('facade-all')):.1f} vs"
            f" {statistics.median(rss('fireblocks')):.1f} MB",
        )
    report.target(
        "import",
        "lazy clients: one provider imports only its wbf_* (1 = yes)",
        1.0 if lazy_ok else 0.0,
        1.0,
        False,
    )


# --------------------------------------------------------------------------------------------
# 2. Per-call latency.


def _latency_rows(
    samples: Mapping[str, Mapping[str, list[float]]], mode: str, report: Report
) -> list[list[str]]:
    rows = []
    for p in PROVIDERS:
        f, r = samples[p]["facade"], samples[p]["raw"]
        ratio50, ratio99 = pct(f, 50) / pct(r, 50), pct(f, 99) / pct(r, 99)
        rows.append(
            [
                p,
                mode,
                fmt(pct(f, 50) * 1000, 3),
                fmt(pct(f, 99) * 1000, 3),
                fmt(pct(r, 50) * 1000, 3),
                fmt(pct(r, 99) * 1000, 3),
                fmt(ratio50, 3),
                fmt(ratio99, 3),
            ]
        )
        report.target("latency", f"{p} {mode}: facade/raw p50", ratio50, 1.15, True)
    return rows


def latency_sync(
    infos: Mapping[str, ProviderInfo], builder: RawBuilder, iters: int
) -> dict[str, dict[str, list[float]]]:
    clients = {p: connect_any(p, **facade_settings(infos[p])) for p in PROVIDERS}
    raws = {p: raw_sync_client(infos[p]) for p in PROVIDERS}
    auths = {p: RawAuth(infos[p]) for p in PROVIDERS}
    probes = {p: probe_request(infos[p]) for p in PROVIDERS}
    calls = {p: builder.calls(probes[p]) for p in PROVIDERS}
    samples: dict[str, dict[str, list[float]]] = {p: {"facade": [], "raw": []} for p in PROVIDERS}

    def run_facade(p: str) -> None:
        q = probes[p]
        wallet = clients[p].get_balances(q.wallet_id, account_id=q.account_id, assets=q.assets)
        if not wallet.balances:
            raise RuntimeError(f"{p}: no balances")

    def run_raw(p: str) -> None:
        for call in calls[p]:
            raw_send_sync(raws[p], auths[p], call)

    try:
        for _ in range(max(5, iters // 20)):  # warm-up: connections, caches
            for p in PROVIDERS:
                run_facade(p)
                run_raw(p)
        perf = time.perf_counter
        for i in range(iters):
            for p in PROVIDERS:
                order = (("facade", run_facade), ("raw", run_raw))
                for side, fn in order if i % 2 == 0 else order[::-1]:
                    t0 = perf()
                    fn(p)
                    samples[p][side].append(perf() - t0)
    finally:
        for c in clients.values():
            c.close()
        for r in raws.values():
            r.close()
    return samples


async def latency_async(
    infos: Mapping[str, ProviderInfo], builder: RawBuilder, iters: int
) -> dict[str, dict[str, list[float]]]:
    clients = {p: connect_any_async(p, **facade_settings(infos[p])) for p in PROVIDERS}
    raws = {p: raw_async_client(infos[p]) for p in PROVIDERS}
    auths = {p: RawAuth(infos[p]) for p in PROVIDERS}
    probes = {p: probe_request(infos[p]) for p in PROVIDERS}
    calls = {p: builder.calls(probes[p]) for p in PROVIDERS}
    samples: dict[str, dict[str, list[float]]] = {p: {"facade": [], "raw": []} for p in PROVIDERS}

    async def run_facade(p: str) -> None:
        q = probes[p]
        wallet = await clients[p].get_balances(
            q.wallet_id, account_id=q.account_id, assets=q.assets
        )
        if not wallet.balances:
            raise RuntimeError(f"{p}: no balances")

    async def run_raw(p: str) -> None:
        for call in calls[p]:
            await raw_send_async(raws[p], auths[p], call)

    try:
        for _ in range(max(5, iters // 20)):
            for p in PROVIDERS:
                await run_facade(p)
                await run_raw(p)
        perf = time.perf_counter
        for i in range(iters):
            for p in PROVIDERS:
                order: tuple[tuple[str, Callable[[str], Awaitable[None]]], ...] = (
                    ("facade", run_facade),
                    ("raw", run_raw),
                )
                for side, fn in order if i % 2 == 0 else order[::-1]:
                    t0 = perf()
                    await fn(p)
                    samples[p][side].append(perf() - t0)
    finally:
        for c in clients.values():
            await c.aclose()
        for r in raws.values():
            await r.aclose()
    return samples


def sdk_client(info: ProviderInfo) -> Any:
    # Optional: installed by the nox bench session only.
    from fireblocks.client import Fireblocks  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415
    from fireblocks.client_configuration import (  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415
        ClientConfiguration,
    )

    config = ClientConfiguration(
        api_key=_secret(info.settings, "api_key"),
        secret_key=_secret(info.settings, "private_key"),
        base_path=info.base_url,
    )
    return Fireblocks(config)


def latency_fireblocks_trio(
    info: ProviderInfo, builder: RawBuilder, iters: int
) -> dict[str, list[float]]:
    """facade vs raw httpx vs official SDK on getVaultAccountAsset, interleaved."""
    probe = probe_request(info)
    asset = probe.assets[0] if probe.assets else ""
    client = connect_any(info.name, **facade_settings(info))
    raw = raw_sync_client(info)
    auth = RawAuth(info)
    (call,) = builder.calls(probe)
    sdk = sdk_client(info)
    samples: dict[str, list[float]] = {"facade": [], "raw": [], "sdk": []}

    def run_facade() -> None:
        client.get_balances(probe.wallet_id, assets=probe.assets)

    def run_raw() -> None:
        raw_send_sync(raw, auth, call)

    def run_sdk() -> None:
        result = sdk.vaults.get_vault_account_asset(probe.wallet_id, asset).result()
        if result.data is None:
            raise RuntimeError("SDK returned no data")

    sides: list[tuple[str, Callable[[], None]]] = [
        ("facade", run_facade),
        ("raw", run_raw),
        ("sdk", run_sdk),
    ]
    try:
        for _, fn in sides * 3:
            fn()
        perf = time.perf_counter
        for i in range(iters):
            rotated = sides[i % 3 :] + sides[: i % 3]
            for side, fn in rotated:
                t0 = perf()
                fn()
                samples[side].append(perf() - t0)
    finally:
        client.close()
        raw.close()
        sdk.close()
    return samples


# Profiling (pyinstrument).


def _walk(frame: Any) -> Iterator[Any]:
    stack = [frame]
    while stack:
        f = stack.pop()
        yield f
        stack.extend(f.children)


def _inclusive(root: Any, match: Callable[[Any], bool]) -> float:
    """Time in frames matching ``match``, outermost occurrences only (no double counting)."""
    total = 0.0
    stack = [root]
    while stack:
        f = stack.pop()
        if match(f):
            total += f.time
        else:
            stack.extend(f.children)
    return total


_BUILTIN_AREAS = (
    (("socket.", "select.", "epoll.", "poll."), "socket I/O (waiting for the server)"),
    (("RSAPrivateKey.", "load_pem", "Hash.", "HMAC."), "jwt/cryptography (signing)"),
    (("lock.acquire", "Lock.acquire", "Condition.wait"), "threads/futures (waiting)"),
)


def _category(path: str | None, function: str, parent: str) -> str:
    """The area a frame's self time belongs to; C functions take their caller's area."""
    p = (path or "").replace("\\", "/")
    if not p or p.startswith("<"):
        for prefixes, area in _BUILTIN_AREAS:
            if function.startswith(prefixes):
                return area
        return parent
    if "/facade/" in p:
        return "facade/"
    if "/wbf_" in p or "/generated/" in p:
        return "generated wbf_* clients"
    if "/httpcore/_backends/" in p or p.endswith(("/socket.py", "/selectors.py", "/ssl.py")):
        return "socket I/O (waiting for the server)"
    if "/asyncio/" in p:
        return "asyncio event loop"
    if any(s in p for s in ("/httpx/", "/httpcore/", "/h11/", "/anyio/", "/sniffio/")):
        return "httpx/httpcore/h11"
    if "/jwt/" in p or "/cryptography/" in p:
        return "jwt/cryptography (signing)"
    if p.endswith(("/json/decoder.py", "/json/__init__.py", "/decimal.py")):
        return "json/decimal"
    if "/fireblocks/" in p or "/urllib3/" in p or "/pydantic" in p:
        return "official SDK (fireblocks/urllib3/pydantic)"
    if "/concurrent/" in p or p.endswith("/threading.py"):
        return "threads/futures (waiting)"
    if p.endswith("/scripts/bench.py"):
        return "benchmark loop"
    return "other (stdlib)"


def profile_summary(session: Any, top: int = 12) -> dict[str, Any]:
    root = session.root_frame()
    if root is None:
        return {"total": 0.0, "categories": {}, "functions": []}
    total = root.time
    cats: Counter[str] = Counter()
    funcs: Counter[str] = Counter()
    stack: list[tuple[Any, str]] = [(root, "other (stdlib)")]
    while stack:
        f, parent = stack.pop()
        area = _category(f.file_path, f.function, parent)
        stack.extend((child, area) for child in f.children)
        if f.is_synthetic:
            continue
        self_t = f.total_self_time
        if self_t <= 0:
            continue
        cats[area] += self_t
        short = (f.file_path or "?").replace("\\", "/")
        for marker in ("site-packages/", "/lib/python3.11/", "/work/main/"):
            if marker in short:
                short = short.split(marker, 1)[1]
                break
        funcs[f"{short}:{f.function}"] += self_t
    return {
        "total": total,
        "categories": dict(cats.most_common()),
        "functions": funcs.most_common(top),
        "root": root,
    }


def run_profiled(fn: Callable[[], None], n: int, out: Path) -> Any:
    from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(n):
        fn()
    profiler.stop()
    out.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return profiler.last_session


def signing_evidence(info: ProviderInfo, plan: Plan) -> dict[str, float]:
    """CPU per JWT: facade (pre-parsed key) vs the SDK's way (PEM text into jwt.encode)."""
    pem = _secret(info.settings, "private_key")
    api_key = _secret(info.settings, "api_key")
    auth = FireblocksAuth(api_key, pem)
    uri = "/v1/vault/accounts/0/BTC"
    auth.sign(uri, b"")
    t0 = time.process_time()
    for _ in range(plan.sign_iters):
        auth.sign(uri, b"")
    facade_sign = (time.process_time() - t0) / plan.sign_iters
    n_pem = max(5, plan.sign_iters // 100)
    t0 = time.process_time()
    for _ in range(n_pem):
        jwt.encode({"uri": uri, "sub": api_key}, pem, algorithm="RS256")
    pem_sign = (time.process_time() - t0) / n_pem
    t0 = time.process_time()
    for _ in range(n_pem):
        load_pem_private_key(pem.encode(), password=None)
    parse = (time.process_time() - t0) / n_pem
    t0 = time.process_time()
    for _ in range(n_pem * 10):
        load_pem_private_key(pem.encode(), password=None, unsafe_skip_rsa_key_validation=True)
    parse_skip = (time.process_time() - t0) / (n_pem * 10)
    key = load_pem_private_key(pem.encode(), password=None)
    bits = key.key_size if isinstance(key, RSAPrivateKey) else 0
    return {
        "facade_sign_cpu_s": facade_sign,
        "pem_sign_cpu_s": pem_sign,
        "pem_parse_cpu_s": parse,
        "pem_parse_skip_validation_cpu_s": parse_skip,
        "key_bits": float(bits),
    }


def count_sdk_key_parses(info: ProviderInfo, calls: int) -> tuple[int, int]:
    """(SDK requests made, PEM parses seen inside pyjwt) while the SDK makes ``calls`` requests."""
    original = getattr(jwt_algorithms, "load_pem_private_key", None)
    if original is None:
        return calls, -1
    counter = {"n": 0}

    def counting(*args: Any, **kwargs: Any) -> Any:
        counter["n"] += 1
        return original(*args, **kwargs)

    probe = probe_request(info)
    asset = probe.assets[0] if probe.assets else ""
    sdk = sdk_client(info)
    jwt_algorithms.load_pem_private_key = counting  # type: ignore[attr-defined, unused-ignore]
    try:
        for _ in range(calls):
            sdk.vaults.get_vault_account_asset(probe.wallet_id, asset).result()
    finally:
        jwt_algorithms.load_pem_private_key = original  # type: ignore[attr-defined, unused-ignore]
        sdk.close()
    return calls, counter["n"]


def bench_latency(report: Report, infos: Mapping[str, ProviderInfo], plan: Plan) -> None:
    builder = RawBuilder(infos)
    try:
        log(f"latency: sync, {plan.latency_iters} interleaved iterations x 5 providers")
        sync = latency_sync(infos, builder, plan.latency_iters)
        log("latency: async")
        asyn = asyncio.run(latency_async(infos, builder, plan.latency_iters))
        rows = _latency_rows(sync, "sync", report) + _latency_rows(asyn, "async", report)
        md = [
            "## 2. Per-call latency of get_balances (one wallet, one asset; loopback)",
            "",
            md_table(
                [
                    "provider",
                    "mode",
                    "facade p50 ms",
                    "facade p99 ms",
                    "raw httpx p50 ms",
                    "raw httpx p99 ms",
                    "facade/raw p50",
                    "facade/raw p99",
                ],
                rows,
            ),
            "",
            f"{plan.latency_iters} calls per provider and side, facade and raw interleaved"
            " (order alternating), one pooled client per side and provider. Raw httpx sends"
            " the identical method, URL and body (built once), signs Fireblocks JWTs with"
            " pyjwt and a key parsed once, BPN with the same HMAC, and only decodes the JSON.",
        ]
        report.data["latency"] = {
            "sync": {p: {k: us(v) for k, v in sync[p].items()} for p in PROVIDERS},
            "async": {p: {k: us(v) for k, v in asyn[p].items()} for p in PROVIDERS},
        }

        fb = infos["fireblocks-vault"]
        evidence = signing_evidence(fb, plan)
        report.data["signing"] = evidence
        report.target(
            "latency",
            "facade Fireblocks JWT signing CPU per request",
            evidence["facade_sign_cpu_s"] * 1000,
            2.0,
            True,
            " ms",
            note=f"RSA-{int(evidence['key_bits'])}, {plan.sign_iters} signs, process_time",
        )
        md += [
            "",
            "### Fireblocks signing (CPU time per JWT, process_time)",
            "",
            md_table(
                ["what", "ms CPU"],
                [
                    [
                        f"facade FireblocksAuth.sign (key parsed once; {plan.sign_iters} signs)",
                        fmt(evidence["facade_sign_cpu_s"] * 1000, 3),
                    ],
                    [
                        "jwt.encode(claims, <PEM text>) as the official SDK does",
                        fmt(evidence["pem_sign_cpu_s"] * 1000, 2),
                    ],
                    [
                        "load_pem_private_key(PEM) alone",
                        fmt(evidence["pem_parse_cpu_s"] * 1000, 2),
                    ],
                    [
                        "load_pem_private_key(PEM, unsafe_skip_rsa_key_validation=True)",
                        fmt(evidence["pem_parse_skip_validation_cpu_s"] * 1000, 3),
                    ],
                ],
            ),
        ]

        if have_module("fireblocks") and have_module("pyinstrument"):
            log(f"latency: Fireblocks facade vs raw vs SDK, {plan.sdk_iters} iterations")
            trio = latency_fireblocks_trio(fb, builder, plan.sdk_iters)
            report.data["latency"]["fireblocks_sdk"] = {k: us(v) for k, v in trio.items()}
            f50 = pct(trio["facade"], 50)
            trio_rows = [
                [
                    side,
                    fmt(pct(v, 50) * 1000, 3),
                    fmt(pct(v, 99) * 1000, 3),
                    fmt(pct(v, 50) / f50, 2),
                ]
                for side, v in trio.items()
            ]
            speedup = pct(trio["sdk"], 50) / f50
            report.target(
                "latency",
                "official SDK p50 / facade p50 (getVaultAccountAsset)",
                speedup,
                10.0,
                False,
            )
            sdk_calls, parses = count_sdk_key_parses(fb, max(5, plan.sdk_profile_calls // 2))
            log("profiling the official SDK (pyinstrument)")
            probe = probe_request(fb)
            asset = probe.assets[0] if probe.assets else ""
            sdk = sdk_client(fb)
            try:
                sdk.vaults.get_vault_account_asset(probe.wallet_id, asset).result()
                session = run_profiled(
                    lambda: sdk.vaults.get_vault_account_asset(probe.wallet_id, asset).result(),
                    plan.sdk_profile_calls,
                    RESULTS / "profile_sdk.txt",
                )
            finally:
                sdk.close()
            summary = profile_summary(session)
            root = summary.get("root")
            total = summary["total"] or math.nan
            sign_t = _inclusive(root, lambda f: f.function == "_sign_jwt") if root else 0.0
            prep_t = (
                _inclusive(
                    root,
                    lambda f: f.function == "prepare_key" and "jwt" in (f.file_path or ""),
                )
                if root
                else 0.0
            )
            report.data["sdk_profile"] = {
                "total_s": summary["total"],
                "sign_jwt_s": sign_t,
                "prepare_key_s": prep_t,
                "calls": plan.sdk_profile_calls,
                "pem_parses_counted": parses,
                "requests_counted": sdk_calls,
                "categories": summary["categories"],
                "functions": summary["functions"],
            }
            md += [
                "",
                "### Fireblocks getVaultAccountAsset: facade vs raw httpx vs official SDK",
                "",
                md_table(["client", "p50 ms", "p99 ms", "p50 / facade p50"], trio_rows),
                "",
                f"{plan.sdk_iters} calls each, rotated order, same sandbox, same key.",
                "",
                "Why the official SDK is slow (pyinstrument, "
                f"{plan.sdk_profile_calls} calls, `{RESULTS.name}/profile_sdk.txt`):",
                "",
                f"- {sign_t / total:.0%} of the calling thread's time is in"
                " `fireblocks/bearer_token_provider.py:_sign_jwt`, and"
                f" {prep_t / total:.0%} in `jwt/algorithms.py:RSAAlgorithm.prepare_key`,"
                " which turns the PEM text into a key object on every call"
                f" ({total / plan.sdk_profile_calls * 1000:.1f} ms per call in all).",
                f"- Counting wrapper on pyjwt's `load_pem_private_key`: {parses} PEM parses"
                f" for {sdk_calls} SDK requests: the SDK hands the PEM string to"
                " `jwt.encode(token, key=self._secret_key, algorithm='RS256')` per request.",
                f"- Parsing the RSA-{int(evidence['key_bits'])} PEM costs"
                f" {evidence['pem_parse_cpu_s'] * 1000:.1f} ms CPU (OpenSSL's RSA key"
                " consistency check); with `unsafe_skip_rsa_key_validation=True` it costs"
                f" {evidence['pem_parse_skip_validation_cpu_s'] * 1000:.3f} ms, and signing"
                f" with a parsed key {evidence['facade_sign_cpu_s'] * 1000:.2f} ms.",
            ]

        if have_module("pyinstrument"):
            log("profiling the facade's sync get_balances loop (pyinstrument)")
            md += _profile_facade(report, infos, plan)
        else:
            report.notes.append("pyinstrument not installed: no profiles (use `nox -s bench`).")
    finally:
        builder.close()
    report.sections["latency"] = "\n".join(md)


def _frame_is(name: str, path_part: str = "/facade/") -> Callable[[Any], bool]:
    def match(frame: Any) -> bool:
        return bool(frame.function == name and path_part in (frame.file_path or ""))

    return match


# (label, function, path part): the steps of one sync get_balances, outermost first.
_SYNC_STEPS = (
    ("BalanceClient.get_balances (everything)", "get_balances", "/facade/"),
    ("  _query: validation", "_query", "/facade/"),
    ("  balance_calls: generated _get_kwargs", "balance_calls", "/facade/"),
    ("  SyncTransport._attempt: one HTTP exchange", "_attempt", "/facade/"),
    ("    httpx Client.build_request", "build_request", "/httpx/"),
    ("    httpx Client.send (auth flow + network + headers)", "send", "/httpx/_client"),
    ("      auth_flow (Fireblocks JWT / BPN HMAC / header)", "auth_flow", "/facade/"),
    ("    Response.iter_bytes (body, streamed)", "iter_bytes", "/httpx/"),
    ("    _Core.interpret: Decimal JSON + generated from_dict", "interpret", "/facade/"),
    ("  _finish: map_balances + WalletBalances", "_finish", "/facade/"),
)


def _profile_facade(report: Report, infos: Mapping[str, ProviderInfo], plan: Plan) -> list[str]:
    clients = {p: connect_any(p, **facade_settings(infos[p])) for p in PROVIDERS}
    probes = {p: probe_request(infos[p]) for p in PROVIDERS}

    def loop() -> None:
        for p in PROVIDERS:
            q = probes[p]
            clients[p].get_balances(q.wallet_id, account_id=q.account_id, assets=q.assets)

    try:
        loop()
        session = run_profiled(loop, plan.profile_iters, RESULTS / "profile_facade.txt")
    finally:
        for c in clients.values():
            c.close()
    summary = profile_summary(session, top=15)
    total = summary["total"] or math.nan
    root = summary.get("root")
    facade_incl = (
        {label: _inclusive(root, _frame_is(fn, part)) for label, fn, part in _SYNC_STEPS}
        if root
        else {}
    )
    report.data["facade_profile"] = {
        "total_s": summary["total"],
        "calls": plan.profile_iters * len(PROVIDERS),
        "categories": summary["categories"],
        "functions": summary["functions"],
        "inclusive": facade_incl,
    }
    cat_rows = [[k, f"{v / total:.1%}"] for k, v in summary["categories"].items()]
    fn_rows = [[name, f"{t / total:.1%}"] for name, t in summary["functions"]]
    calls = plan.profile_iters * len(PROVIDERS)
    incl_rows = [[k, f"{v / calls * 1e6:.0f}", f"{v / total:.1%}"] for k, v in facade_incl.items()]
    per_call = total / calls * 1000
    return [
        "",
        f"### Where the facade spends its time (pyinstrument, sync get_balances,"
        f" {plan.profile_iters} x 5 providers, {per_call:.2f} ms per call,"
        f" `{RESULTS.name}/profile_facade.txt`)",
        "",
        md_table(["self time by area", "share"], cat_rows),
        "",
        md_table(["top functions by self time", "share"], fn_rows),
        "",
        md_table(["step (inclusive)", "us per call", "share"], incl_rows),
    ]


# --------------------------------------------------------------------------------------------
# 3. Fan-out.


@dataclass
class FanoutRun:
    side: str
    concurrency: int
    requests: int
    wall: float
    latencies: list[float]
    errors: int
    client_cpu: float
    server_cpu: float

    @property
    def throughput(self) -> float:
        return self.requests / self.wall


def _fresh(pool: Sequence[BalanceRequest], n: int) -> Iterator[BalanceRequest]:
    """n requests cycling through pool, each a new object (so in-flight ones are distinct)."""
    for i in range(n):
        r = pool[i % len(pool)]
        yield BalanceRequest(r.provider, r.wallet_id, r.account_id, r.assets)


async def fanout_facade(
    infos: Mapping[str, ProviderInfo], pool: Sequence[BalanceRequest], n: int, concurrency: int
) -> FanoutResult:
    starts: dict[int, tuple[BalanceRequest, float]] = {}
    perf = time.perf_counter

    def source() -> Iterator[BalanceRequest]:
        for r in _fresh(pool, n):
            starts[id(r)] = (r, perf())
            yield r

    settings = {
        p: facade_settings(infos[p], max_concurrency=max(concurrency, 1)) for p in PROVIDERS
    }
    latencies: list[float] = []
    errors = 0
    t0 = perf()
    async for outcome in facade.gather_balances(
        source(), concurrency=concurrency, settings=settings
    ):
        _, started = starts.pop(id(outcome.request))
        latencies.append(perf() - started)
        if not outcome.ok:
            errors += 1
            if errors <= 3:
                log(f"facade fan-out error: {outcome.error!r}")
    return perf() - t0, latencies, errors


async def fanout_raw(
    infos: Mapping[str, ProviderInfo],
    builder: RawBuilder,
    pool: Sequence[BalanceRequest],
    n: int,
    concurrency: int,
) -> FanoutResult:
    calls = [builder.calls(r) for r in pool]  # the URLs a raw user would have written
    perf = time.perf_counter
    t0 = perf()  # from here on like the facade, which builds its clients inside the run
    auths = {p: RawAuth(infos[p]) for p in PROVIDERS}
    clients = {p: raw_async_client(infos[p], concurrency) for p in PROVIDERS}
    latencies: list[float] = []
    errors = 0
    indexes = iter(range(n))

    async def worker() -> None:
        nonlocal errors
        for i in indexes:
            started = perf()
            try:
                for call in calls[i % len(calls)]:
                    await raw_send_async(clients[call.provider], auths[call.provider], call)
            except (httpx.HTTPError, RuntimeError) as exc:
                errors += 1
                if errors <= 3:
                    log(f"raw fan-out error: {exc!r}")
            latencies.append(perf() - started)

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = perf() - t0
    finally:
        for c in clients.values():
            await c.aclose()
    return wall, latencies, errors


FanoutResult = tuple[float, list[float], int]


def measure_fanout(
    side: str,
    concurrency: int,
    n: int,
    sandbox: SandboxProcess,
    run: Callable[[], Coroutine[Any, Any, FanoutResult]],
) -> FanoutRun:
    gc.collect()
    cpu0, srv0 = time.process_time(), sandbox.cpu_seconds()
    wall, lat, errors = asyncio.run(run())
    cpu1, srv1 = time.process_time(), sandbox.cpu_seconds()
    return FanoutRun(side, concurrency, n, wall, lat, errors, cpu1 - cpu0, srv1 - srv0)


def bench_fanout(
    report: Report,
    infos: Mapping[str, ProviderInfo],
    plan: Plan,
    sandbox: SandboxProcess,
    pool: Sequence[BalanceRequest],
) -> None:
    pairs = {(r.provider, r.wallet_id, r.account_id) for r in pool}
    n = plan.fanout_requests
    builder = RawBuilder(infos)
    runs: list[FanoutRun] = []
    started = time.perf_counter()
    reps_done = 0
    try:
        for rep in range(plan.fanout_reps):
            for c in plan.concurrencies:
                log(f"fan-out: {n} requests at concurrency {c} (rep {rep + 1})")
                order = ["facade", "raw"] if (rep + c) % 2 == 0 else ["raw", "facade"]
                for side in order:
                    run = (
                        functools.partial(fanout_facade, infos, pool, n, c)
                        if side == "facade"
                        else functools.partial(fanout_raw, infos, builder, pool, n, c)
                    )
                    runs.append(measure_fanout(side, c, n, sandbox, run))
            reps_done += 1
            elapsed = time.perf_counter() - started
            if rep + 1 < plan.fanout_reps and elapsed / reps_done * (reps_done + 1) > (
                plan.fanout_budget_s
            ):
                report.notes.append(
                    f"fan-out: stopped after {reps_done} of {plan.fanout_reps} repetitions:"
                    f" one more would pass the {plan.fanout_budget_s:.0f} s budget"
                    f" ({elapsed:.0f} s so far)."
                )
                break
        profile_md = []
        if have_module("pyinstrument"):
            log("profiling the facade fan-out (pyinstrument)")
            profile_md = _profile_fanout(
                report,
                infos,
                pool,
                plan.fanout_profile_requests,
                64 if plan.quick else max(plan.concurrencies),
            )
    finally:
        builder.close()

    rows = []
    chart: dict[str, dict[int, dict[str, float]]] = {"facade": {}, "raw": {}}  # p50/p90/p99
    ratio_rows = []
    for c in plan.concurrencies:
        tp, p50, cpu = {}, {}, {}
        for side in ("facade", "raw"):
            mine = [r for r in runs if r.side == side and r.concurrency == c]
            lat = [x for r in mine for x in r.latencies]
            throughputs = [r.throughput for r in mine]
            tp[side] = statistics.median(throughputs)
            total_req = sum(r.requests for r in mine)
            wall = sum(r.wall for r in mine)
            chart[side][c] = {f"p{q}": pct(lat, q) for q in (50, 90, 99)}
            chart[side][c]["throughput"] = tp[side]
            p50[side] = pct(lat, 50)
            cpu[side] = sum(r.client_cpu for r in mine) / total_req
            rows.append(
                [
                    str(c),
                    side,
                    fmt_mmm(throughputs, 1, 0),
                    fmt(pct(lat, 50) * 1000, 2),
                    fmt(pct(lat, 90) * 1000, 2),
                    fmt(pct(lat, 99) * 1000, 2),
                    fmt(max(lat, default=math.nan) * 1000, 0),
                    fmt(sum(r.client_cpu for r in mine) / total_req * 1e6, 0),
                    fmt(sum(r.server_cpu for r in mine) / total_req * 1e6, 0),
                    f"{sum(r.server_cpu for r in mine) / wall:.0%}",
                    str(sum(r.errors for r in mine)),
                ]
            )
        ratio_rows.append(
            [
                str(c),
                fmt(tp["facade"] / tp["raw"], 3),
                fmt(p50["facade"] / p50["raw"], 3),
                fmt(cpu["facade"] / cpu["raw"], 3),
            ]
        )
        report.target(
            "fanout",
            f"throughput facade/raw at concurrency {c}",
            tp["facade"] / tp["raw"],
            0.8,
            False,
            note=f"median of {reps_done} run(s)",
        )
    facade_errors = sum(r.errors for r in runs if r.side == "facade")
    raw_errors = sum(r.errors for r in runs if r.side == "raw")
    if facade_errors:
        report.target("fanout", "failed gather_balances requests", float(facade_errors), 0.0, True)
    if raw_errors:
        report.notes.append(
            f"fan-out: {raw_errors} raw httpx request(s) failed (see the errors column); a"
            " Fireblocks JWT lives 25 s and is signed before the request waits for a pooled"
            " connection, so a request queued longer than that gets HTTP 401."
        )
    report.data["fanout"] = {
        "requests_per_run": n,
        "distinct_requests": len(pool),
        "distinct_provider_wallet_pairs": len(pairs),
        "runs": [
            {
                "side": r.side,
                "concurrency": r.concurrency,
                "requests": r.requests,
                "wall_s": r.wall,
                "throughput": r.throughput,
                "errors": r.errors,
                "client_cpu_s": r.client_cpu,
                "server_cpu_s": r.server_cpu,
                "latencies_us": us(r.latencies),
            }
            for r in runs
        ],
    }
    report.chart = draw_chart(chart, plan)
    wallets = sum(len(infos[p].wallets) for p in PROVIDERS)
    md = [
        "## 3. Fan-out: gather_balances vs raw async httpx, same requests, same bound",
        "",
        md_table(
            [
                "concurrency",
                "side",
                "req/s median (min-max)",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "client CPU us/req",
                "sandbox CPU us/req",
                "sandbox busy",
                "errors",
            ],
            rows,
        ),
        "",
        f"{n} requests per run, {reps_done} run(s) per side and concurrency, sides"
        f" alternating. {len(pool)} distinct requests (provider, wallet, account, asset"
        f" selection) over {len(pairs)} distinct (provider, wallet) pairs: the sandbox seeds"
        f" {wallets} wallets, and only valid wallets are used, so distinct requests repeat"
        " wallets with different asset selections; each request is one HTTP call. The facade"
        " gets max_concurrency = concurrency per provider client; raw httpx one AsyncClient"
        " per provider with max_connections = concurrency and N workers. Latency = from"
        " taking a request to receiving its result. 'sandbox busy' = sandbox CPU / wall time"
        " (near 100% means the single-process server is the bottleneck).",
        "",
        md_table(
            ["concurrency", "throughput facade/raw", "p50 facade/raw", "client CPU facade/raw"],
            ratio_rows,
        ),
    ]
    report.sections["fanout"] = "\n".join(md + profile_md)


def _profile_fanout(
    report: Report,
    infos: Mapping[str, ProviderInfo],
    pool: Sequence[BalanceRequest],
    n: int,
    concurrency: int,
) -> list[str]:
    from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415

    profiler = Profiler(interval=0.0005)
    profiler.start()
    asyncio.run(fanout_facade(infos, pool, n, concurrency))
    profiler.stop()
    (RESULTS / "profile_fanout.txt").write_text(
        profiler.output_text(unicode=False, color=False, show_all=False)
    )
    summary = profile_summary(profiler.last_session, top=10)
    root = summary.get("root")
    total = summary["total"] or math.nan

    def share(function: str, path_part: str) -> float:
        if root is None:
            return math.nan
        return (
            _inclusive(root, lambda f: f.function == function and path_part in (f.file_path or ""))
            / total
        )

    spots = {
        "httpcore pool: AsyncConnectionPool._assign_requests_to_connections": share(
            "_assign_requests_to_connections", "httpcore"
        ),
        "httpcore: current_async_library (imports sniffio per call when it is missing)": share(
            "current_async_library", "httpcore"
        ),
        "asyncio.wait bookkeeping in gather_balances (asyncio/tasks.py:_wait)": share(
            "_wait", "asyncio"
        ),
        "facade: AsyncTransport._attempt (one request, incl. httpx)": share("_attempt", "facade"),
        "facade: _ClientBase._finish (mapping to WalletBalances)": share("_finish", "facade"),
        "facade: _Core.interpret (Decimal JSON + generated model)": share("interpret", "facade"),
    }
    report.data["fanout_profile"] = {
        "requests": n,
        "concurrency": concurrency,
        "total_s": summary["total"],
        "hot_spots": spots,
        "categories": summary["categories"],
        "functions": summary["functions"],
    }
    return [
        "",
        f"### Where the fan-out spends its time (pyinstrument, gather_balances, {n} requests at"
        f" concurrency {concurrency}, `{RESULTS.name}/profile_fanout.txt`)",
        "",
        md_table(["hot spot (inclusive)", "share"], [[k, f"{v:.1%}"] for k, v in spots.items()]),
        "",
        md_table(
            ["self time by area", "share"],
            [[k, f"{v / total:.1%}"] for k, v in summary["categories"].items()],
        ),
    ]


def draw_chart(chart: Mapping[str, Mapping[int, Mapping[str, float]]], plan: Plan) -> Path | None:
    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415
    except ImportError:
        return None
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 5))
    colors = {"facade": "tab:blue", "raw": "tab:orange"}
    styles = {50: "-", 90: "--", 99: ":"}
    for side, by_c in chart.items():
        cs = sorted(by_c)
        for q, style in styles.items():
            ax.plot(
                cs,
                [by_c[c][f"p{q}"] * 1000 for c in cs],
                style,
                marker="o",
                color=colors[side],
                label=f"{side} p{q}",
            )
        ax2.plot(
            cs,
            [by_c[c]["throughput"] for c in cs],
            "-",
            marker="o",
            color=colors[side],
            label=side,
        )
    for a in (ax, ax2):
        a.set_xscale("log", base=2)
        a.set_xlabel("concurrency (requests in flight)")
        a.grid(True, which="both", alpha=0.3)
        a.set_xticks(list(plan.concurrencies), [str(c) for c in plan.concurrencies])
    ax.set_yscale("log")
    ax.set_ylabel("latency per request (ms, log)")
    ax.set_title("gather_balances latency vs raw async httpx")
    ax.legend(fontsize=8, ncol=2)
    ax2.set_ylabel("requests per second")
    ax2.set_title("throughput")
    ax2.legend()
    quick = " (--quick)" if plan.quick else ""
    fig.suptitle(f"Fan-out over the loopback sandbox, {plan.fanout_requests} requests/run{quick}")
    fig.tight_layout()
    path = RESULTS / "latency.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# Memory: a long fan-out in a child process.


def memory_child(n: int, infos_path: Path) -> int:
    data = json.loads(infos_path.read_text())
    infos = {p["name"]: ProviderInfo.from_json(p) for p in data["providers"]}
    pool = [
        BalanceRequest(r[0], r[1], r[2], None if r[3] is None else tuple(r[3]))
        for r in data["pool"]
    ]
    settings = {p: facade_settings(infos[p]) for p in PROVIDERS}
    samples: list[tuple[int, float]] = [(0, rss_bytes() / MB)]
    errors = 0
    step = max(100, n // 50)

    async def main() -> None:
        nonlocal errors
        done = 0
        async for outcome in facade.gather_balances(
            _fresh(pool, n), concurrency=64, settings=settings
        ):
            done += 1
            errors += not outcome.ok
            if done % step == 0:
                samples.append((done, rss_bytes() / MB))

    t0 = time.perf_counter()
    asyncio.run(main())
    print(
        json.dumps(
            {
                "requests": n,
                "seconds": time.perf_counter() - t0,
                "errors": errors,
                "peak_rss_mb": peak_rss_mb(),
                "samples": samples,
            }
        )
    )
    return 0


def run_memory_child(n: int, infos_path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--memory-child",
            str(n),
            "--infos",
            str(infos_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"memory child ({n}) failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def bench_memory(
    report: Report,
    infos: Mapping[str, ProviderInfo],
    plan: Plan,
    pool: Sequence[BalanceRequest],
) -> None:
    with tempfile.TemporaryDirectory(prefix="wbf-bench-") as tmp:
        infos_path = Path(tmp) / "infos.json"
        infos_path.write_text(
            json.dumps(
                {
                    "providers": [infos[p].to_json() for p in PROVIDERS],
                    "pool": [[r.provider, r.wallet_id, r.account_id, r.assets] for r in pool],
                }
            )
        )
        log(f"memory: gather_balances over {plan.memory_small} requests (child process)")
        small = run_memory_child(plan.memory_small, infos_path)
        rate = small["requests"] / small["seconds"]
        large_n = plan.memory_large
        extrapolated = False
        if large_n / rate > plan.memory_budget_s and plan.memory_fallback < large_n:
            # Too slow by the small run's rate (start-up included): try the fallback first,
            # and go on to the full count if the fallback's steady rate says it fits.
            fallback_s = plan.memory_fallback / rate
            log(f"memory: {plan.memory_fallback} requests (about {fallback_s:.0f} s)")
            large = run_memory_child(plan.memory_fallback, infos_path)
            rate = large["requests"] / large["seconds"]
            if large_n / rate > plan.memory_budget_s:
                large_n = plan.memory_fallback
        if large_n == plan.memory_large:
            log(f"memory: {large_n} requests (about {large_n / rate:.0f} s)")
            large = run_memory_child(large_n, infos_path)
    target_n = plan.memory_large if not plan.quick else 100_000
    growth = large["peak_rss_mb"] - small["peak_rss_mb"]
    per_req = growth / max(1, large_n - small["requests"])
    projected = per_req * (target_n - small["requests"]) if large_n < target_n else growth
    if large_n < target_n:
        extrapolated = True
    how = (
        f"measured {small['requests']} vs {large_n} requests and EXTRAPOLATED linearly to"
        f" {target_n} ({growth:+.1f} MB over {large_n - small['requests']} extra requests"
        f" -> {projected:+.1f} MB)"
        if extrapolated
        else f"measured directly, {small['requests']} vs {large_n} requests"
    )
    report.target(
        "fanout",
        f"peak RSS growth, {small['requests']} -> {target_n} requests (concurrency 64)",
        max(projected, 0.0),
        50.0,
        True,
        " MB",
        note=how,
    )
    report.data["memory"] = {
        "small": small,
        "large": large,
        "extrapolated": extrapolated,
        "projected_growth_mb": projected,
        "target_requests": target_n,
    }
    traj = large["samples"]
    md = [
        "",
        "### Memory of a long fan-out (child process, gather_balances over a generator,"
        " concurrency 64)",
        "",
        md_table(
            ["requests", "seconds", "req/s", "peak RSS MB", "errors"],
            [
                [
                    str(r["requests"]),
                    fmt(r["seconds"], 1),
                    fmt(r["requests"] / r["seconds"], 0),
                    fmt(r["peak_rss_mb"], 1),
                    str(r["errors"]),
                ]
                for r in (small, large)
            ],
        ),
        "",
        f"Peak RSS growth: {how}. RSS during the {large_n}-request run (MB, sampled):"
        f" {', '.join(f'{int(d)}: {m:.1f}' for d, m in traj[:: max(1, len(traj) // 8)])}.",
    ]
    if extrapolated:
        report.notes.append(f"Memory target: {how}.")
    report.sections["fanout"] = report.sections.get("fanout", "") + "\n" + "\n".join(md)


# --------------------------------------------------------------------------------------------
# 4. Generation.


def bench_generate(report: Report, plan: Plan) -> None:
    nox = shutil.which("nox", path=_outer_path())
    gen_python = ROOT / ".nox" / "generate" / "bin" / "python"
    warm_up = False
    if nox:
        command = [nox, "-R", "-s", "generate"]
        warm_up = not gen_python.exists()  # the first run creates .nox/generate: not timed
    elif gen_python.exists():
        command = [str(gen_python), "scripts/generate.py"]
    else:
        report.notes.append(
            "generate: skipped: no `nox` on PATH and no .nox/generate (run `nox -s generate`)."
        )
        return
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    env["PATH"] = _outer_path()
    before = _git_status()
    times = []
    if warm_up:
        log("generate: creating .nox/generate (untimed)")
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    for i in range(plan.generate_runs):
        log(f"generate: run {i + 1}/{plan.generate_runs}: {' '.join(command)}")
        t0 = time.perf_counter()
        proc = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{proc.stderr[-2000:]}")
    after = _git_status()
    changed = sorted(set(after) - set(before))
    report.data["generate"] = {"command": command, "seconds": times, "changed": changed}
    shown = " ".join(Path(command[0]).name if i == 0 else c for i, c in enumerate(command))
    md = [
        "## 4. Generation",
        "",
        md_table(
            ["command", "runs", "wall s median (min-max)"],
            [[f"`{shown}`", str(len(times)), fmt_mmm(times, 1, 2)]],
        ),
        "",
        "Regenerating changed no tracked file."
        if not changed
        else f"Regenerating changed: {', '.join(changed)}",
    ]
    report.sections["generate"] = "\n".join(md)


def _outer_path() -> str:
    """PATH without this nox session's own venv (so the outer `nox` is found and used)."""
    venv = os.environ.get("VIRTUAL_ENV")
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if venv:
        parts = [p for p in parts if not p.startswith(venv)]
    return os.pathsep.join(parts)


def _git_status() -> list[str]:
    proc = subprocess.run(
        ["git", "status", "--porcelain", "--", "generated", "specs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.splitlines()


# --------------------------------------------------------------------------------------------
# Main.


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _loadavg() -> str:
    """1-minute load average: other work on this machine skews the numbers."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def machine_meta() -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "?",
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "httpx": _version("httpx"),
        "pyjwt": _version("pyjwt"),
        "cryptography": _version("cryptography"),
        "fireblocks": _version("fireblocks"),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {','.join(SECTIONS)})",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="output folder")
    parser.add_argument(
        "--sandbox-command",
        default=f"{sys.executable} -m facade.sandbox",
        help="how to start the sandbox process (default: %(default)s)",
    )
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--infos", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    global RESULTS  # noqa: PLW0603 - one output folder for the whole run
    args = parse_args(argv)
    if args.memory_child is not None:
        return memory_child(args.memory_child, args.infos)
    plan = QUICK if args.quick else FULL
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}")
    RESULTS = args.results.resolve()
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = Report(plan)
    meta = machine_meta()
    meta["load avg at start"] = _loadavg()
    started = time.perf_counter()
    log(f"{'quick' if plan.quick else 'full'} run; results in {RESULTS}")

    needs_sandbox = {"import", "latency", "fanout", "sandbox"} & set(only)
    if needs_sandbox:
        try:
            with SandboxProcess(shlex.split(args.sandbox_command)) as sandbox:
                urls = ", ".join(f"{p}={i.base_url}" for p, i in sandbox.providers.items())
                log(f"sandbox up (pid {sandbox.pid}): {urls}")
                infos = sandbox.providers
                pools: list[list[BalanceRequest]] = []

                def pool() -> list[BalanceRequest]:
                    """The fan-out's distinct requests, each checked once on the sandbox."""
                    if not pools:
                        kept, dropped = valid_pool(infos, request_pool(infos, plan.fanout_distinct))
                        if dropped:
                            report.notes.append(
                                f"fan-out: {len(dropped)} candidate requests failed on the"
                                " sandbox and were left out (only valid wallets are used),"
                                f" e.g. {dropped[:3]}"
                            )
                        pools.append(kept)
                    return pools[0]

                sections: tuple[tuple[str, Callable[[], None]], ...] = (
                    ("import", lambda: bench_import(report, infos, plan)),
                    ("latency", lambda: bench_latency(report, infos, plan)),
                    ("fanout", lambda: bench_fanout(report, infos, plan, sandbox, pool())),
                    ("memory", lambda: bench_memory(report, infos, plan, pool())),
                    ("sandbox", lambda: bench_sandbox(report, infos, plan)),
                )
                for name, fn in sections:
                    section = "fanout" if name == "memory" else name
                    if section not in only:
                        continue
                    try:
                        fn()
                    except Exception:  # one broken section must not hide the others
                        report.errors[section] = traceback.format_exc()
                        log(f"{name} failed:\n{report.errors[section]}")
        except Exception:
            report.errors["sandbox"] = traceback.format_exc()
            log(f"sandbox failed:\n{report.errors['sandbox']}")
    if "generate" in only:
        try:
            bench_generate(report, plan)
        except Exception:
            report.errors["generate"] = traceback.format_exc()
            log(f"generate failed:\n{report.errors['generate']}")

    meta["bench time"] = f"{time.perf_counter() - started:.0f} s"
    meta["load avg at start/end"] = f"{meta.pop('load avg at start')} / {_loadavg()}"
    text = report.markdown(meta)
    if "sandbox" in report.errors:
        text += "\n## sandbox: did not start\n\n```\n" + report.errors["sandbox"] + "```\n"
    (RESULTS / "results.md").write_text(text)
    (RESULTS / "results.json").write_text(
        json.dumps(
            {
                "meta": meta,
                "plan": dataclasses.asdict(plan),
                "targets": [{**dataclasses.asdict(t), "status": t.status} for t in report.targets],
                "errors": report.errors,
                "data": report.data,
            },
            indent=1,
            default=str,
        )
    )
    print(text)
    print(
        f"\nResults: {RESULTS}/results.md, results.json"
        + (f", {report.chart}" if report.chart else "")
    )
    failed = [t for t in report.targets if t.status == "FAIL"]
    missed = [t for t in report.targets if t.status.startswith("MISS")]
    for t in missed:
        print(f"missed (within 25%): [{t.section}] {t.name}: {fmt(t.value, 3)}{t.unit}")
    for t in failed:
        print(
            f"FAILED (missed by more than 25%): [{t.section}] {t.name}: {fmt(t.value, 3)}{t.unit}"
            f" (target {'<=' if t.upper else '>='} {fmt(t.limit, 3)}{t.unit})"
        )
    if report.errors:
        print(f"sections that did not run: {', '.join(report.errors)}")
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
