"""Command line: run the sections, write bench-results/, exit 0/1/2 by the targets."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.metadata
import importlib.util
import json
import os
import platform
import shlex
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from facade import BalanceRequest

from .codegen import bench_generate
from .common import FULL, OUT, QUICK, ROOT, SECTIONS, Report, fmt, log
from .fanout import bench_fanout
from .imports import bench_import
from .latency import bench_latency
from .memory import bench_memory, memory_child
from .raw import request_pool, valid_pool
from .sandbox import SandboxProcess
from .transport import bench_sandbox


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
    parser.add_argument("--results", type=Path, default=OUT.dir, help="output folder")
    parser.add_argument(
        "--sandbox-command",
        default=f"{sys.executable} -m facade.sandbox",
        help="how to start the sandbox process (default: %(default)s)",
    )
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--infos", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_child is not None:
        return memory_child(args.memory_child, args.infos)
    plan = QUICK if args.quick else FULL
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(sorted(unknown))}")
    OUT.dir = args.results.resolve()
    OUT.dir.mkdir(parents=True, exist_ok=True)
    report = Report(plan)
    meta = machine_meta()
    meta["load avg at start"] = _loadavg()
    started = time.perf_counter()
    log(f"{'quick' if plan.quick else 'full'} run; results in {OUT.dir}")

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
    (OUT.dir / "results.md").write_text(text)
    (OUT.dir / "results.json").write_text(
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
        f"\nResults: {OUT.dir}/results.md, results.json"
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
