"""3. Fan-out: ``gather_balances`` throughput and latency next to raw async httpx."""

from __future__ import annotations

import asyncio
import functools
import gc
import math
import statistics
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import facade
from facade import BalanceRequest

from .common import OUT, PROVIDERS, Plan, Report, fmt, fmt_mmm, log, md_table, pct, us
from .imports import have_module
from .profiling import inclusive_time, profile_summary
from .raw import RawAuth, RawBuilder, facade_settings, raw_async_client, raw_send_async
from .sandbox import ProviderInfo, SandboxProcess

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


def fresh_requests(pool: Sequence[BalanceRequest], n: int) -> Iterator[BalanceRequest]:
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
        for r in fresh_requests(pool, n):
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
    (OUT.dir / "profile_fanout.txt").write_text(
        profiler.output_text(unicode=False, color=False, show_all=False)
    )
    summary = profile_summary(profiler.last_session, top=10)
    root = summary.get("root")
    total = summary["total"] or math.nan

    def share(function: str, path_part: str) -> float:
        if root is None:
            return math.nan
        return (
            inclusive_time(
                root, lambda f: f.function == function and path_part in (f.file_path or "")
            )
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
        f" concurrency {concurrency}, `{OUT.dir.name}/profile_fanout.txt`)",
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
    path = OUT.dir / "latency.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
