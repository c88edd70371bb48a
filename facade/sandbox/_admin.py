"""The admin endpoint of a running sandbox: add, list and clear faults from outside.

Served on loopback only, next to the provider servers, when the sandbox runs with
``admin=True`` (``wallet-balances sandbox`` always does). ``wallet-balances sandbox-admin``
is its client. JSON in and out:

* ``GET /faults``: the pending faults;
* ``POST /faults`` with ``{"fault": "PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES]"}``: queue one
  (201, the fault as listed); a bad spec or target is a 400 ``{"error": ...}``;
* ``DELETE /faults`` (``?provider=NAME`` for one provider): clear them;
* ``POST /reset``: forget faults, recorded requests, violations and clock skew.

It guards no secret the provider servers do not already hand out to any local caller.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from facade.sandbox._faults import InjectedFault, parse_fault_option

if TYPE_CHECKING:
    from facade.sandbox._sandbox import Sandbox

__all__ = ["AdminApp", "describe_fault"]


def describe_fault(injected: InjectedFault) -> dict[str, Any]:
    return {
        "provider": injected.provider or injected.server,
        "operation": injected.operation,
        "fault": str(injected.fault),
        "remaining": injected.remaining,
        "fired": injected.fired,
    }


class AdminApp:
    """ASGI app over one sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._app = Starlette(
            routes=[
                Route("/faults", self._list, methods=["GET"]),
                Route("/faults", self._add, methods=["POST"]),
                Route("/faults", self._clear, methods=["DELETE"]),
                Route("/reset", self._reset, methods=["POST"]),
            ]
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self._app(scope, receive, send)

    async def _list(self, request: Request) -> JSONResponse:
        return JSONResponse([describe_fault(f) for f in self._sandbox.pending_faults()])

    async def _add(self, request: Request) -> JSONResponse:
        try:
            payload = json.loads(await request.body())
            spec = payload["fault"] if isinstance(payload, dict) else None
            if not isinstance(spec, str):
                raise ValueError('expected {"fault": "PROVIDER[:OPERATION_ID]=KIND[:ARG][*TIMES]"}')
            provider, operation, fault, times = parse_fault_option(spec)
            injected = self._sandbox.inject(provider, fault, operation=operation, times=times)
        except (ValueError, KeyError) as exc:
            message = str(exc) if isinstance(exc, ValueError) else "missing 'fault'"
            return JSONResponse({"error": message}, status_code=400)
        return JSONResponse(describe_fault(injected), status_code=201)

    async def _clear(self, request: Request) -> JSONResponse:
        provider = request.query_params.get("provider")
        before = len(self._sandbox.pending_faults())
        try:
            self._sandbox.clear_faults(provider)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"cleared": before - len(self._sandbox.pending_faults())})

    async def _reset(self, request: Request) -> JSONResponse:
        self._sandbox.reset()
        return JSONResponse({"reset": True})
