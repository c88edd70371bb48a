"""4. Generation: wall time of ``nox -R -s generate``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from .common import ROOT, Plan, Report, fmt_mmm, log, md_table

# 4. Generation.


def bench_generate(report: Report, plan: Plan) -> None:
    nox = shutil.which("nox", path=_outer_path())
    gen_python = ROOT / ".nox" / "generate" / "bin" / "python"
    warm_up = False
    if nox:
        command = [nox, "-R", "-s", "generate"]
        warm_up = not gen_python.exists()  # the first run creates .nox/generate: not timed
    elif gen_python.exists():
        command = [str(gen_python), "-m", "scripts.spectools.generate"]
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


# Main.
