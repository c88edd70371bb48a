"""1. Cold import: ``import facade`` plus one client per provider, in fresh processes."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from .common import (
    PACKAGE_OF,
    PROVIDERS,
    Plan,
    Report,
    connect_any,
    fmt,
    fmt_mmm,
    log,
    md_table,
)
from .raw import secret_setting
from .sandbox import ProviderInfo

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
elif mode == "deps":
    # What the facade imports of its dependencies, alone: the baseline of the import target.
    # httpcore is httpx's transport, which httpx imports when the first client is built.
    import httpx, httpcore, attrs, dateutil.parser, sniffio
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
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
        facade.connect(name, **s)
        out["connect_s"][name] = time.perf_counter() - t1
elif mode == "facade-import":
    import facade
elif mode.startswith("facade-one:"):
    import facade
    out["after_import"] = wbf()
    facade.connect(mode.split(":", 1)[1], **settings[mode.split(":", 1)[1]])
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


# A mode ending in this runs without bytecode: every module is compiled from source.
NO_BYTECODE = "@no-bytecode"


def child_env(mode: str, pycache: Path) -> dict[str, str]:
    """The child's environment: bytecode read from and written to ``pycache`` (the warm-up
    runs fill it; nothing is written into the tree or the environment). PYTHONDONTWRITEBYTECODE,
    set on some machines and CI images, would otherwise make every run compile every module
    that has no bytecode beside it: an installed package has it (pip compiles at install;
    other installers write it on first import). The no-bytecode cases run as earlier
    reports did: PYTHONDONTWRITEBYTECODE set, bytecode read only where it already exists."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    if mode.endswith(NO_BYTECODE):
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = str(pycache / "pycache")
    return env


def run_import_child(mode: str, settings_path: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHILD, mode.removesuffix(NO_BYTECODE), str(settings_path)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # never import from the work tree by accident
        env=child_env(mode, settings_path.parent),
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"import child {mode} failed:\n{proc.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def import_self_times(settings_path: Path) -> dict[str, float]:
    """Seconds of import self time per top-level package: import facade, one connect each."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _IMPORT_CHILD, "facade-all", str(settings_path)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env=child_env("facade-all", settings_path.parent),
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
    """What connect() pays besides imports: the CA bundle of the first https client (httpx's
    default SSL context), Fireblocks' PEM parse, and a connect() once both are done."""
    httpx.create_ssl_context()
    pem = secret_setting(infos["fireblocks-vault"].settings, "private_key").encode()
    settings = {p: dict(infos[p].settings) for p in PROVIDERS}
    for p in PROVIDERS:
        connect_any(p, **settings[p]).close()
    bundle, parsed, connects = [], [], []
    for _ in range(5):
        t0 = time.perf_counter()
        httpx.create_ssl_context()
        bundle.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        load_pem_private_key(pem, password=None)
        parsed.append(time.perf_counter() - t0)
        for p in PROVIDERS:
            t0 = time.perf_counter()
            connect_any(p, **settings[p]).close()
            connects.append(time.perf_counter() - t0)
    return {
        "ca_bundle_s": statistics.median(bundle),
        "pem_parse_s": statistics.median(parsed),
        "warm_connect_s": statistics.median(connects),
    }


def have_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def bench_import(report: Report, infos: Mapping[str, ProviderInfo], plan: Plan) -> None:
    log("cold import: fresh processes")
    cases = [
        ("bare", "python -c pass (bare interpreter)"),
        ("httpx", "import httpx"),
        ("deps", "import httpx (+ httpcore), attrs, cryptography, dateutil: the dependencies"),
        ("facade-import", "import facade"),
        ("facade-all", "import facade + connect() x5 providers"),
        ("facade-all-noclirich", "  same, click/rich hidden (runtime-only install)"),
        (f"deps{NO_BYTECODE}", "the dependencies, without bytecode (compiled at each import)"),
        (f"facade-all{NO_BYTECODE}", "import facade + connect() x5, without bytecode"),
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
        f"{plan.import_runs} runs per case, interleaved, after one warm-up run each: bytecode"
        " is cached (in a private PYTHONPYCACHEPREFIX, whatever PYTHONDONTWRITEBYTECODE says),"
        " as an installed package has it. The 'without bytecode' rows run with"
        " PYTHONDONTWRITEBYTECODE set, as every run did on this machine before the bench"
        " controlled it (reports up to 2026-12-01): modules without bytecode beside them"
        " (here, all installed packages) are compiled from source on every import."
        " 'in-process' is perf_counter around the imports/connects inside the child;"
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
        "Measured in this process: parsing the Fireblocks PEM key costs"
        f" {costs['pem_parse_s'] * 1000:.1f} ms (OpenSSL's RSA key checks), paid once per"
        " process and key by the first Fireblocks connect(); loading the CA bundle (httpx's"
        f" default SSL context) costs {costs['ca_bundle_s'] * 1000:.1f} ms, paid once per"
        " process by the first https client (the sandbox is plain http on loopback, whose"
        " clients skip it, so it is not in the rows above); a connect() once imports and key"
        f" are done costs {costs['warm_connect_s'] * 1000:.2f} ms. When click and rich are"
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
    report.target(
        "import", f"facade import + {len(PROVIDERS)} clients, median", facade_t, 0.3, True, " s"
    )
    # Issue 9's restated target: what the facade adds over importing its dependencies alone,
    # measured side by side (interleaved) in this run.
    deps_t = statistics.median(secs("deps"))
    deps_nb = statistics.median(secs(f"deps{NO_BYTECODE}"))
    facade_nb = statistics.median(secs(f"facade-all{NO_BYTECODE}"))
    report.target(
        "import",
        f"facade import + {len(PROVIDERS)} clients minus its dependencies' import, median",
        facade_t - deps_t,
        0.05,
        True,
        " s",
        note=f"dependencies alone {deps_t * 1000:.0f} ms; without bytecode"
        f" +{(facade_nb - deps_nb) * 1000:.0f} ms over {deps_nb * 1000:.0f} ms",
    )
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
