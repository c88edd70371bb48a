"""Memory: peak RSS of a long fan-out, in a child process."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import facade
from facade import BalanceRequest

from .common import MB, PROVIDERS, ROOT, Plan, Report, fmt, log, md_table
from .fanout import fresh_requests
from .raw import facade_settings
from .sandbox import ProviderInfo, peak_rss_mb, rss_bytes

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
            fresh_requests(pool, n), concurrency=64, settings=settings
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
            "-m",
            "scripts.bench",
            "--memory-child",
            str(n),
            "--infos",
            str(infos_path),
        ],
        cwd=ROOT,
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
