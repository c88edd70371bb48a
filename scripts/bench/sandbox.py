"""The sandbox in its own process (``python -m facade.sandbox``), described by its JSON lines."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import resource
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import httpx

from .common import PROVIDERS, ROOT

# The sandbox, in its own process.


@dataclass(frozen=True)
class Wallet:
    wallet_id: str
    account_id: str | None
    assets: tuple[str, ...]


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    base_url: str
    settings: Mapping[str, Any]
    wallets: tuple[Wallet, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "base_url": self.base_url,
            "settings": dict(self.settings),
            "wallets": [dataclasses.asdict(w) for w in self.wallets],
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> ProviderInfo:
        wallets = tuple(
            Wallet(str(w["wallet_id"]), w.get("account_id"), tuple(w.get("assets") or ()))
            for w in data.get("wallets") or ()
        )
        settings = dict(data.get("settings") or {})
        base_url = str(data.get("base_url") or settings.get("base_url"))
        settings.setdefault("base_url", base_url)
        return ProviderInfo(str(data["name"]), base_url, settings, wallets)


def _provider_entries(obj: Any) -> Iterator[dict[str, Any]]:
    """Provider descriptions in one JSON line of the sandbox, whatever its nesting."""
    if isinstance(obj, list):
        for item in obj:
            yield from _provider_entries(item)
        return
    if not isinstance(obj, dict):
        return
    name = obj.get("provider") or obj.get("name")
    if isinstance(name, str) and name in PROVIDERS and ("settings" in obj or "base_url" in obj):
        yield {**obj, "name": name}
        return
    providers = obj.get("providers")
    if isinstance(providers, dict):
        for key, value in providers.items():
            if isinstance(value, dict):
                yield from _provider_entries({"name": key, **value})
    elif isinstance(providers, list):
        yield from _provider_entries(providers)


class SandboxProcess:
    """``python -m facade.sandbox`` in a child process; its JSON lines describe the servers."""

    def __init__(self, command: Sequence[str], timeout: float = 90.0) -> None:
        self.command = list(command)
        self.timeout = timeout
        self.proc: subprocess.Popen[str] | None = None
        self.providers: dict[str, ProviderInfo] = {}
        self._lines: list[str] = []

    def __enter__(self) -> SandboxProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        err_lines: list[str] = []
        lines: list[str] = []
        for stream, into in ((self.proc.stdout, lines), (self.proc.stderr, err_lines)):
            threading.Thread(target=_drain, args=(stream, into), daemon=True).start()
        deadline = time.monotonic() + self.timeout
        found: dict[str, dict[str, Any]] = {}
        seen = 0
        while time.monotonic() < deadline and self.proc.poll() is None:
            for line in lines[seen:]:
                seen += 1
                with contextlib.suppress(ValueError):
                    obj = json.loads(line)
                    found.update((e["name"], e) for e in _provider_entries(obj))
            # Servers described: wait until every one accepts connections.
            if set(PROVIDERS) <= set(found) and all(_accepts(found[p]) for p in PROVIDERS):
                break
            time.sleep(0.05)
        self._lines = lines
        missing = set(PROVIDERS) - set(found)
        if missing:
            self.__exit__(None, None, None)
            tail = "\n".join((lines + err_lines)[-20:])
            raise RuntimeError(
                f"sandbox did not describe {sorted(missing)} within {self.timeout:.0f} s;"
                f" its output ended with:\n{tail}"
            )
        self.providers = {name: ProviderInfo.from_json(found[name]) for name in PROVIDERS}
        for info in self.providers.values():
            if not info.wallets:
                raise RuntimeError(f"sandbox lists no wallets for {info.name}")
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cpu_seconds(self) -> float:
        """User+system CPU of the sandbox process (and its waited-for children)."""
        return proc_cpu_seconds(self.pid)

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.proc = None


def _accepts(entry: Mapping[str, Any]) -> bool:
    url = httpx.URL(str(entry.get("base_url") or (entry.get("settings") or {}).get("base_url")))
    try:
        with socket.create_connection((url.host, url.port or 80), timeout=1.0):
            return True
    except OSError:
        return False


def _drain(stream: TextIO, into: list[str]) -> None:
    for line in stream:
        into.append(line)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    # after the ")": state is field 3, so utime/stime/cutime/cstime are 14-17 -> index 11-14
    return sum(int(f) for f in fields[11:15]) / _TICK


def rss_bytes() -> int:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited across fork+exec)."""
    with contextlib.suppress(OSError, StopIteration, ValueError):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(x for x in status if x.startswith("VmHWM:")).split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
