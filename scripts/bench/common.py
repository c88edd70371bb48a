"""Shared pieces of the benchmarks: the plan (how much to do), statistics, targets, report."""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import facade
from facade._registry import adapter_class
from scripts.spectools.manifest import load_manifest

# Providers are chosen at run time here: the typed overloads of facade.connect need a literal
# name, so the benchmark calls it through an untyped view.
connect_any: Callable[..., facade.BalanceClient] = facade.connect
connect_any_async: Callable[..., facade.AsyncBalanceClient] = facade.connect_async

ROOT = Path(__file__).resolve().parents[2]
# Every registered provider, and the generated client package of each (its adapter's spec in
# specs/sources.toml): nothing here lists providers by hand.
PROVIDERS = tuple(facade.provider_names())
_PACKAGES = {spec.name: spec.package for spec in load_manifest(ROOT / "specs" / "sources.toml")}
PACKAGE_OF = {p: _PACKAGES[adapter_class(p).spec] for p in PROVIDERS}


@dataclass
class Output:
    """Where results go (bench-results/ unless --results says otherwise)."""

    dir: Path


OUT = Output(ROOT / "bench-results")
SLACK = 0.25  # a target missed by more than this fraction fails the run
MB = 1024 * 1024


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
