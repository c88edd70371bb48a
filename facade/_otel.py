"""OpenTelemetry spans and metrics (the ``otel`` extra: opentelemetry-api).

Used only when opentelemetry-api is installed, and imported only once the application may
have an SDK in place (see :class:`Telemetry`), so without the extra, or without an SDK,
nothing of it is imported. Without an SDK configured by the application the API is a no-op.

* one ``INTERNAL`` span per facade call (``wallet_balances.get_balances`` ...), with one
  ``CLIENT`` child span per HTTP attempt named after the HTTP method, carrying the HTTP
  semantic-convention attributes (``http.request.method``, ``server.address``,
  ``server.port``, ``url.scheme``, ``http.response.status_code``, ``error.type``,
  ``http.request.resend_count``);
* attributes ``wallet_balances.provider``, ``wallet_balances.operation``,
  ``wallet_balances.outcome`` (``success`` or the error class), ``wallet_balances.retries``;
  no wallet id unless the client was built with ``otel_wallet_ids=True``; never a credential
  or a URL path (paths hold wallet ids);
* metrics ``wallet_balances.client.duration`` (histogram, s) and
  ``wallet_balances.client.requests`` (counter), by provider, operation and outcome.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx

__all__ = ["Telemetry", "available"]

_SCOPE = "wallet-balance-facade"


def available() -> bool:
    """True when opentelemetry-api is installed, found without importing anything of it."""
    try:
        spec = importlib.util.find_spec("opentelemetry")
    except (ImportError, ValueError):
        return False
    # ``opentelemetry`` is a namespace package that other distributions share: the API is
    # there when its ``trace`` package is.
    locations = (spec.submodule_search_locations or ()) if spec is not None else ()
    return any(os.path.isdir(os.path.join(place, "trace")) for place in locations)


class Telemetry:
    """Spans and metrics of one client.

    Nothing of OpenTelemetry is imported until the application may have an SDK in place:
    installing one (``trace.set_tracer_provider``, ``metrics.set_meter_provider``) imports
    the API's ``trace`` or ``metrics`` module, and naming one in ``OTEL_PYTHON_*_PROVIDER``
    (set when the client is built) makes the API load it on first use. Until then every
    call is untraced for certain, and an application that has the API installed (often as
    another library's dependency) without using it pays neither its import (about 35 ms)
    nor a check of its providers per call.
    """

    def __init__(self, provider: str, *, wallet_ids: bool = False) -> None:
        self.provider = provider
        self.wallet_ids = wallet_ids
        self._loaded = False
        self._on = False
        # Read once, as a deployment sets them: checking the environment costs more per
        # call than the whole untraced path.
        self._named = _named_in_environment()
        self._trace: Any = None
        self._context: Any = None
        self._metrics: Any = None
        self._proxy_meter_providers: tuple[type, ...] = ()
        self._tracer: Any = None
        self._duration: Any = None
        self._requests: Any = None

    def _load(self) -> None:
        from opentelemetry import context, metrics, trace  # noqa: PLC0415 - the optional extra

        from . import __version__  # noqa: PLC0415

        self._trace = trace
        self._context = context
        self._metrics = metrics
        self._proxy_meter_providers = _proxy_meter_provider_types(metrics)
        self._tracer = trace.get_tracer(_SCOPE, __version__)
        meter = metrics.get_meter(_SCOPE, __version__)
        self._duration = meter.create_histogram(
            "wallet_balances.client.duration",
            unit="s",
            description="Duration of facade calls, retries and waits included",
        )
        self._requests = meter.create_counter(
            "wallet_balances.client.requests",
            unit="{request}",
            description="Facade calls by provider, operation and outcome",
        )
        self._loaded = True

    def active(self) -> bool:
        """False until the application installs an SDK: the API's no-op proxies then cost a
        test per call instead of spans nobody records (checked per call, so an SDK set up
        after the client was built is used from then on; the API sets its providers once
        per process, so once active, always active)."""
        if self._on:
            return True
        if not self._loaded:
            if not (self._named or _maybe_in_use()):
                return False
            self._load()
        self._on = not (
            isinstance(self._trace.get_tracer_provider(), self._trace.ProxyTracerProvider)
            and isinstance(self._metrics.get_meter_provider(), self._proxy_meter_providers)
        )
        return self._on

    @contextlib.contextmanager
    def call(self, operation: str, wallet_id: str) -> Iterator[None]:
        if not self.active():
            yield
            return
        attributes: dict[str, Any] = {
            "wallet_balances.provider": self.provider,
            "wallet_balances.operation": operation,
        }
        if self.wallet_ids:
            attributes["wallet_balances.wallet_id"] = wallet_id
        started = time.perf_counter()
        outcome = "success"
        with self._tracer.start_as_current_span(
            f"wallet_balances.{operation}",
            kind=self._trace.SpanKind.INTERNAL,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                yield
            except BaseException as error:  # facade errors, and cancellation too
                outcome = type(error).__name__
                span.set_attribute("error.type", outcome)
                span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, outcome))
                raise
            finally:
                span.set_attribute("wallet_balances.outcome", outcome)
                metric_attributes = {
                    "wallet_balances.provider": self.provider,
                    "wallet_balances.operation": operation,
                    "wallet_balances.outcome": outcome,
                }
                self._duration.record(time.perf_counter() - started, metric_attributes)
                self._requests.add(1, metric_attributes)

    def start_attempt(self, operation: str, number: int) -> Any:
        if not self.active():
            return None
        attributes: dict[str, Any] = {
            "wallet_balances.provider": self.provider,
            "wallet_balances.operation": operation,
        }
        if number > 1:
            attributes["http.request.resend_count"] = number - 1
            attributes["wallet_balances.retries"] = number - 1
        span = self._tracer.start_span(
            "HTTP", kind=self._trace.SpanKind.CLIENT, attributes=attributes
        )
        # Current while the attempt runs, so spans made under it (httpx instrumentation,
        # the application's event hooks) are its children.
        token = self._context.attach(self._trace.set_span_in_context(span))
        return _AttemptSpan(span, token)

    def end_attempt(
        self,
        handle: Any,
        request: httpx.Request | None,
        status: int | None,
        error: BaseException | None,
    ) -> None:
        span = handle.span
        self._context.detach(handle.token)
        if request is not None:
            span.update_name(request.method)
            url = request.url
            span.set_attribute("http.request.method", request.method)
            span.set_attribute("server.address", url.host)
            span.set_attribute("server.port", url.port or (443 if url.scheme == "https" else 80))
            span.set_attribute("url.scheme", url.scheme)
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if error is not None:
            kind = str(status) if status is not None and status >= 400 else type(error).__name__
            span.set_attribute("error.type", kind)
            span.set_attribute("wallet_balances.outcome", type(error).__name__)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, type(error).__name__))
        else:
            span.set_attribute("wallet_balances.outcome", "success")
        span.end()


class _AttemptSpan:
    __slots__ = ("span", "token")

    def __init__(self, span: Any, token: Any) -> None:
        self.span, self.token = span, token


def _maybe_in_use() -> bool:
    """Whether an SDK may be in place, found without importing anything of the API: one is
    installed through the API's ``trace`` or ``metrics`` module."""
    modules = sys.modules
    return "opentelemetry.trace" in modules or "opentelemetry.metrics" in modules


def _named_in_environment() -> bool:
    """Whether ``OTEL_PYTHON_TRACER_PROVIDER`` or ``OTEL_PYTHON_METER_PROVIDER`` names a
    provider, which the API loads on first use."""
    return bool(
        os.environ.get("OTEL_PYTHON_TRACER_PROVIDER")
        or os.environ.get("OTEL_PYTHON_METER_PROVIDER")
    )


def _proxy_meter_provider_types(metrics: Any) -> tuple[type, ...]:
    """The API's placeholder meter provider, in place until set_meter_provider.

    The tracing API exports its placeholder (``ProxyTracerProvider``); the metrics API does
    not, so it is looked up by its private name. When a release renames or moves it, this
    finds nothing and telemetry counts as active: calls then pay for no-op spans and
    metrics, but nothing breaks and nothing an SDK would record is lost.
    """
    internal = getattr(metrics, "_internal", None)
    proxy = getattr(internal, "_ProxyMeterProvider", None)
    return (proxy,) if isinstance(proxy, type) else ()
