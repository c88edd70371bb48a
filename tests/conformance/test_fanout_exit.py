"""Leaving a fan-out early returns at once (issue 11): ``break``, ``close()``, an exception in
the loop body or Ctrl-C while one provider is slow returns within 1 s, cancels the requests
in flight and closes the clients the fan-out made, sync and async.

Each case runs in a fresh ``python -X dev -W error::ResourceWarning``, so an unclosed socket
or transport shows on its stderr (a warning raised in ``__del__`` is printed, not raised).
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from facade.sandbox import Sandbox

pytestmark = pytest.mark.timeout(120)

SLOW = "kuna-core"  # answers after 20 s, with retries left: the case that used to block

SCRIPT = r"""
import asyncio, gc, json, os, signal, sys, threading, time
import facade

job = json.load(sys.stdin)
requests = [facade.BalanceRequest(**r) for r in job["requests"]]
settings = job["settings"]
mode, how = job["mode"], job["how"]
left = None


def leave_sync():
    global left
    outcomes = facade.gather_balances_sync(requests, concurrency=8, settings=settings)
    if how == "interrupt":
        try:
            for outcome in outcomes:
                assert outcome.ok, outcome.error
                left = time.monotonic()
                threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
                time.sleep(5)  # interrupted here, or in the next wait for an outcome
        except KeyboardInterrupt:
            return
        raise AssertionError("not interrupted")
    if how == "close":
        first = next(outcomes)
        assert first.ok, first.error
        left = time.monotonic()
        outcomes.close()
        return
    try:
        for outcome in outcomes:
            assert outcome.ok, outcome.error
            left = time.monotonic()
            if how == "break":
                break
            raise LookupError("the loop body failed")
    except LookupError:
        pass


async def leave_async():
    global left
    try:
        async for outcome in facade.gather_balances(requests, concurrency=8, settings=settings):
            assert outcome.ok, outcome.error
            left = time.monotonic()
            if how == "break":
                break
            raise LookupError("the loop body failed")
    except LookupError:
        pass


if mode == "sync":
    leave_sync()
else:
    asyncio.run(leave_async())
gc.collect()
elapsed = time.monotonic() - left
alive = [t.name for t in threading.enumerate() if t.name == "gather_balances"]
print(json.dumps({"elapsed": elapsed, "alive": alive}))
"""


def _job(sandbox: Sandbox, mode: str, how: str) -> dict[str, Any]:
    settings = {
        name: {**info.settings, "backoff_base": 0.01, "timeout": 30.0, "max_retries": 3}
        for name, info in sandbox.providers.items()
        if name in ("cryptofuse", SLOW)
    }
    fast = sandbox.providers["cryptofuse"].wallets[0]["wallet_id"]
    slow = [w["wallet_id"] for w in sandbox.providers[SLOW].wallets if w["assets"]]
    requests = [{"provider": "cryptofuse", "wallet_id": fast}] + [
        {"provider": SLOW, "wallet_id": wallet} for wallet in slow
    ]
    return {"settings": settings, "requests": requests, "mode": mode, "how": how}


@pytest.mark.parametrize(
    ("mode", "how"),
    [
        ("sync", "break"),
        ("sync", "close"),
        ("sync", "raise"),
        ("sync", "interrupt"),
        ("async", "break"),
        ("async", "raise"),
    ],
)
def test_leaving_a_fan_out_early_returns_at_once_and_leaks_nothing(
    conformance_sandbox: Sandbox, mode: str, how: str
) -> None:
    if conformance_sandbox.in_process:
        pytest.skip("the fresh interpreter reaches the sandbox over its sockets only")
    conformance_sandbox.reset()
    conformance_sandbox.inject(SLOW, "latency:20", times=None)
    try:
        done = subprocess.run(
            [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c", SCRIPT],
            input=json.dumps(_job(conformance_sandbox, mode, how)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        conformance_sandbox.reset()
    assert done.returncode == 0, done.stderr
    assert "ResourceWarning" not in done.stderr, done.stderr
    assert "unclosed" not in done.stderr, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["elapsed"] < 1.0, report
    assert report["alive"] == []
