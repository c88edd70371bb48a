"""2. Per-call latency: the facade next to raw httpx and the official Fireblocks SDK."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from jwt import algorithms as jwt_algorithms

from facade._auth.fireblocks import FireblocksAuth

from .common import (
    OUT,
    PROVIDERS,
    Plan,
    Report,
    connect_any,
    connect_any_async,
    fmt,
    log,
    md_table,
    pct,
    us,
)
from .imports import have_module
from .profiling import inclusive_time, profile_summary, run_profiled
from .raw import (
    RawAuth,
    RawBuilder,
    facade_settings,
    probe_request,
    raw_async_client,
    raw_send_async,
    raw_send_sync,
    raw_sync_client,
    secret_setting,
)
from .sandbox import ProviderInfo

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
        api_key=secret_setting(info.settings, "api_key"),
        secret_key=secret_setting(info.settings, "private_key"),
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


def signing_evidence(info: ProviderInfo, plan: Plan) -> dict[str, float]:
    """CPU per JWT: facade (pre-parsed key) vs the SDK's way (PEM text into jwt.encode)."""
    pem = secret_setting(info.settings, "private_key")
    api_key = secret_setting(info.settings, "api_key")
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
            " the identical method, URL, headers and body (recorded once from the facade on"
            " an in-process sandbox), signs Fireblocks JWTs with pyjwt and a key parsed once,"
            " BPN with the same HMAC (scripts/raw_auth.py), and only decodes the JSON.",
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
                    OUT.dir / "profile_sdk.txt",
                )
            finally:
                sdk.close()
            summary = profile_summary(session)
            root = summary.get("root")
            total = summary["total"] or math.nan
            sign_t = inclusive_time(root, lambda f: f.function == "_sign_jwt") if root else 0.0
            prep_t = (
                inclusive_time(
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
                f"{plan.sdk_profile_calls} calls, `{OUT.dir.name}/profile_sdk.txt`):",
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
    ("  balance_calls: generated build_request_kwargs", "balance_calls", "/facade/"),
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
        session = run_profiled(loop, plan.profile_iters, OUT.dir / "profile_facade.txt")
    finally:
        for c in clients.values():
            c.close()
    summary = profile_summary(session, top=15)
    total = summary["total"] or math.nan
    root = summary.get("root")
    facade_incl = (
        {label: inclusive_time(root, _frame_is(fn, part)) for label, fn, part in _SYNC_STEPS}
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
        f" `{OUT.dir.name}/profile_facade.txt`)",
        "",
        md_table(["self time by area", "share"], cat_rows),
        "",
        md_table(["top functions by self time", "share"], fn_rows),
        "",
        md_table(["step (inclusive)", "us per call", "share"], incl_rows),
    ]
