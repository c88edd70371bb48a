"""4. sandbox: the in-process sandbox transport next to the socket sandbox: p50 of one request
(raw httpx, same auth) and of one ``get_balances`` per provider, interleaved."""

from __future__ import annotations

import time
from collections.abc import Mapping

import httpx

from .common import PROVIDERS, Plan, Report, connect_any, fmt, md_table, pct, us
from .raw import (
    RawAuth,
    RawBuilder,
    facade_settings,
    probe_request,
    raw_send_sync,
    raw_sync_client,
)
from .sandbox import ProviderInfo


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
