"""OpenTelemetry: a span per call, a child span per attempt, metrics; nothing without the extra."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", reason="the OpenTelemetry tests need opentelemetry-sdk")
pytest.importorskip("uvicorn", reason="these tests use the sandbox extra")

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

import facade
from facade import errors
from facade.sandbox import WalletClients

ROOT = Path(__file__).resolve().parents[2]
FAST = {"backoff_base": 0.001, "backoff_max": 0.002}


class Telemetry:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.metrics = InMemoryMetricReader()


_INSTALLED: Telemetry | None = None


@pytest.fixture
def otel() -> Telemetry:
    """In-memory exporter and reader behind the global providers (set once per process)."""
    global _INSTALLED  # noqa: PLW0603
    if _INSTALLED is None:
        installed = Telemetry()
        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(installed.spans))
        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(MeterProvider(metric_readers=[installed.metrics]))
        _INSTALLED = installed
    _INSTALLED.spans.clear()
    return _INSTALLED


def _points(reader: InMemoryMetricReader, name: str) -> list[Any]:
    data = reader.get_metrics_data()
    return [
        point
        for resource in (data.resource_metrics if data else [])
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == name
        for point in metric.data.data_points
    ]


def _calls(spans: tuple[ReadableSpan, ...]) -> list[ReadableSpan]:
    return [s for s in spans if s.name.startswith("wallet_balances.")]


def _attempts(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    assert parent.context is not None
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


def _args(clients: WalletClients, provider: str) -> dict[str, Any]:
    wallet = next(w for w in clients.wallets(provider) if w["assets"])
    return {
        "wallet_id": wallet["wallet_id"],
        "account_id": wallet["account_id"],
        "assets": wallet["assets"],
    }


@pytest.mark.parametrize("provider", facade.provider_names())
def test_a_span_per_call_with_a_child_per_attempt(
    otel: Telemetry, wallet_clients: WalletClients, provider: str
) -> None:
    wallet_clients.sandbox.inject(provider, "503", times=1)
    args = _args(wallet_clients, provider)
    wallet_clients.connect(provider, **FAST).get_balances(**args)
    spans = otel.spans.get_finished_spans()
    [call] = _calls(spans)
    assert call.name == "wallet_balances.get_balances"
    assert call.kind is trace.SpanKind.INTERNAL
    assert call.attributes is not None
    assert call.attributes["wallet_balances.provider"] == provider
    assert call.attributes["wallet_balances.operation"] == "get_balances"
    assert call.attributes["wallet_balances.outcome"] == "success"
    attempts = _attempts(spans, call)
    assert len(attempts) == len(wallet_clients.sandbox.requests(provider))
    first = attempts[0]
    [retry] = [s for s in attempts if "http.request.resend_count" in (s.attributes or {})]
    assert first.kind is trace.SpanKind.CLIENT
    assert first.attributes is not None
    assert retry.attributes is not None
    assert first.attributes["http.response.status_code"] == 503
    assert first.attributes["error.type"] == "503"
    assert first.attributes["http.request.method"] in ("GET", "POST")
    assert first.attributes["server.address"].endswith(".sandbox.test")
    assert retry.attributes["http.response.status_code"] == 200
    assert retry.attributes["http.request.resend_count"] == 1
    assert retry.attributes["wallet_balances.retries"] == 1
    # No wallet id, no credential, no path (paths carry wallet ids) anywhere.
    values = [v for s in spans for v in (s.attributes or {}).values() if isinstance(v, str)]
    values += [s.name for s in spans]
    texts = json.dumps(values)
    assert str(args["wallet_id"]) not in values
    if len(str(args["wallet_id"])) > 3:  # ids such as "0" are in every number
        assert str(args["wallet_id"]) not in texts
    for value in wallet_clients.sandbox.providers[provider].settings.values():
        if not value.startswith("http"):
            assert value not in texts


async def test_async_attempt_spans_are_children_of_the_call(
    otel: Telemetry, wallet_clients: WalletClients
) -> None:
    client = wallet_clients.connect_async("fireblocks-embedded")
    await client.get_balances(**_args(wallet_clients, "fireblocks-embedded"))
    spans = otel.spans.get_finished_spans()
    [call] = _calls(spans)
    # Two assets: two concurrent requests, each its own child of the one call span.
    assert len(_attempts(spans, call)) == 2


def test_a_failed_call_records_its_error_and_metrics(
    otel: Telemetry, wallet_clients: WalletClients
) -> None:
    wallet_clients.sandbox.inject("kuna-core", "503", times=None)
    client = wallet_clients.connect("kuna-core", max_retries=1, **FAST)
    with pytest.raises(errors.ProviderUnavailable):
        client.get_balances(**_args(wallet_clients, "kuna-core"))
    wallet_clients.sandbox.clear_faults()
    client.get_balances(**_args(wallet_clients, "kuna-core"))
    [failed, _] = _calls(otel.spans.get_finished_spans())
    assert failed.attributes is not None
    assert failed.attributes["wallet_balances.outcome"] == "ProviderUnavailable"
    assert failed.attributes["error.type"] == "ProviderUnavailable"
    assert failed.status.status_code is trace.StatusCode.ERROR
    counts = {
        p.attributes["wallet_balances.outcome"]: p.value
        for p in _points(otel.metrics, "wallet_balances.client.requests")
        if p.attributes["wallet_balances.provider"] == "kuna-core"
    }
    assert counts["ProviderUnavailable"] >= 1
    assert counts["success"] >= 1
    durations = [
        p
        for p in _points(otel.metrics, "wallet_balances.client.duration")
        if p.attributes["wallet_balances.provider"] == "kuna-core"
    ]
    assert {p.attributes["wallet_balances.operation"] for p in durations} == {"get_balances"}
    assert sum(p.count for p in durations) >= 2


def test_refresh_is_its_own_operation(otel: Telemetry, wallet_clients: WalletClients) -> None:
    client = wallet_clients.connect("fireblocks-vault")
    client.refresh_balances("0", assets=["BTC"])
    [call] = _calls(otel.spans.get_finished_spans())
    assert call.name == "wallet_balances.refresh_balances"


def test_wallet_ids_only_on_request(otel: Telemetry, wallet_clients: WalletClients) -> None:
    client = wallet_clients.connect("bpn", otel_wallet_ids=True)
    client.get_balances("1", assets=["USDT"])
    [call] = _calls(otel.spans.get_finished_spans())
    assert call.attributes is not None
    assert call.attributes["wallet_balances.wallet_id"] == "1"


def test_telemetry_false_switches_it_off(otel: Telemetry, wallet_clients: WalletClients) -> None:
    wallet_clients.connect("bpn", telemetry=False).get_balances("1", assets=["USDT"])
    assert otel.spans.get_finished_spans() == ()


def _fresh(code: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(result.stdout)


def test_no_import_cost_without_the_extra() -> None:
    # opentelemetry made unimportable, as on an install without the extra.
    loaded = _fresh(
        """
        import importlib.abc, json, sys

        class NoOtel(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == "opentelemetry" or name.startswith("opentelemetry."):
                    raise ModuleNotFoundError(name)
                return None

        sys.meta_path.insert(0, NoOtel())
        import facade
        client = facade.connect("bpn", base_url="http://127.0.0.1:9", api_key="k", api_secret="s")
        client.close()
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("opentelemetry"))))
        """
    )
    assert loaded == []


def test_import_facade_loads_no_opentelemetry_even_when_installed() -> None:
    loaded = _fresh(
        """
        import json, sys
        import facade
        names = [m for m in sys.modules if "opentelemetry" in m or m == "facade._otel"]
        print(json.dumps(sorted(names)))
        """
    )
    assert loaded == []


def test_calls_load_no_opentelemetry_until_the_application_installs_an_sdk() -> None:
    # The API installed but unused (often another library's dependency): calls import
    # nothing of it. An SDK installed after the client was built is used from then on.
    result = _fresh(
        """
        import json, sys
        import facade
        from facade.sandbox import Sandbox

        def loaded():
            return sorted(m for m in sys.modules if m.startswith("opentelemetry"))

        with Sandbox(in_process=True) as sandbox:
            client = sandbox.connect("bpn")
            client.get_balances("1", assets=["USDT"])
            before = loaded()

            from opentelemetry import trace
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import SimpleSpanProcessor
            from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
                InMemorySpanExporter,
            )

            spans = InMemorySpanExporter()
            provider = TracerProvider()
            provider.add_span_processor(SimpleSpanProcessor(spans))
            trace.set_tracer_provider(provider)
            client.get_balances("1", assets=["USDT"])
            client.close()
        print(json.dumps([before, sorted(s.name for s in spans.get_finished_spans())]))
        """
    )
    assert result == [[], ["GET", "wallet_balances.get_balances"]]


def test_a_provider_named_in_the_environment_is_used() -> None:
    # OTEL_PYTHON_TRACER_PROVIDER makes the API load a provider on first use, with nothing
    # of OpenTelemetry imported by the application itself.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import facade._otel as o; print(o.Telemetry('bpn').active())",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "OTEL_PYTHON_TRACER_PROVIDER": "sdk_tracer_provider"},
    )
    assert result.stdout.strip() == "True"


def test_no_sdk_means_inactive_and_an_unknown_placeholder_means_active() -> None:
    """Without an SDK the API's placeholders record nothing, so calls skip telemetry. The
    metrics placeholder is found by a private name: if a release moves it, telemetry must
    stay on (correct, only slower) rather than fail or drop what an SDK would record."""
    states = _fresh(
        """
        import json
        from opentelemetry import metrics
        from facade import _otel

        as_installed = _otel.Telemetry("bpn").active()
        del metrics._internal._ProxyMeterProvider
        placeholder_moved = _otel.Telemetry("bpn").active()
        print(json.dumps([as_installed, placeholder_moved]))
        """
    )
    assert states == [False, True]


def test_async_clients_are_traced_too(otel: Telemetry, wallet_clients: WalletClients) -> None:
    client = wallet_clients.connect_async("cryptofuse")
    asyncio.run(client.get_balances(**_args(wallet_clients, "cryptofuse")))
    [call] = _calls(otel.spans.get_finished_spans())
    assert len(_attempts(otel.spans.get_finished_spans(), call)) == 1


def test_the_attempt_span_is_current_while_it_runs(
    otel: Telemetry, wallet_clients: WalletClients
) -> None:
    # What httpx's instrumentation (or an event hook) sees as the current span.
    seen: list[Any] = []
    client = wallet_clients.connect(
        "bpn", event_hooks={"request": [lambda request: seen.append(trace.get_current_span())]}
    )
    client.get_balances("1", assets=["USDT"])
    spans = otel.spans.get_finished_spans()
    [call] = _calls(spans)
    [attempt] = _attempts(spans, call)
    [current] = seen
    assert current.get_span_context().span_id == attempt.context.span_id  # type: ignore[union-attr]
    assert not trace.get_current_span().get_span_context().is_valid  # restored afterwards


async def test_a_cancelled_call_still_ends_its_spans(
    otel: Telemetry, wallet_clients: WalletClients
) -> None:
    wallet_clients.sandbox.inject("cryptofuse", "latency:5", times=1)
    client = wallet_clients.connect_async("cryptofuse")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(client.get_balances(**_args(wallet_clients, "cryptofuse")), 0.2)
    spans = otel.spans.get_finished_spans()
    [call] = _calls(spans)
    [attempt] = _attempts(spans, call)
    assert call.attributes is not None
    assert attempt.attributes is not None
    assert call.attributes["error.type"] == "CancelledError"
    assert attempt.attributes["error.type"] == "CancelledError"
    assert not trace.get_current_span().get_span_context().is_valid
