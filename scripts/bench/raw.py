"""What to ask each provider, and the same requests as a raw httpx user sends them."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import facade
from facade import BalanceRequest
from facade.sandbox import Sandbox
from scripts import raw_auth

from .common import PROVIDERS, connect_any
from .sandbox import ProviderInfo

# Requests: what to ask each provider, and the same request as raw httpx sends it.


def one_call_variants(info: ProviderInfo) -> list[BalanceRequest]:
    """Distinct get_balances requests on this provider's valid wallets, each one HTTP call."""
    out: list[BalanceRequest] = []
    for w in info.wallets:
        assets = sorted(set(w.assets))
        singles = [(a,) for a in assets]
        if info.name == "fireblocks-vault":
            choices: list[tuple[str, ...] | None] = [None, *singles]
        elif info.name == "fireblocks-embedded":
            choices = list(singles)
        else:  # one call whatever the selection: every subset is a distinct request
            choices = [None]
            for k in range(1, len(assets) + 1):
                choices += list(itertools.combinations(assets, k))
        out += [BalanceRequest(info.name, w.wallet_id, w.account_id, c) for c in choices]
    return out


def request_pool(infos: Mapping[str, ProviderInfo], distinct: int) -> list[BalanceRequest]:
    """Up to ``distinct`` distinct requests, round-robin over providers and their wallets."""
    per_provider = [one_call_variants(infos[p]) for p in PROVIDERS]
    pool: list[BalanceRequest] = []
    for group in itertools.zip_longest(*per_provider):
        pool += [r for r in group if r is not None]
        if len(pool) >= distinct:
            break
    return pool[:distinct]


def probe_request(info: ProviderInfo) -> BalanceRequest:
    """The request used for per-call latency: the first wallet with assets, its first asset."""
    w = next(w for w in info.wallets if w.assets)
    return BalanceRequest(info.name, w.wallet_id, w.account_id, (w.assets[0],))


def valid_pool(
    infos: Mapping[str, ProviderInfo], pool: Sequence[BalanceRequest]
) -> tuple[list[BalanceRequest], list[str]]:
    """The requests the sandbox answers successfully (each tried once), and why others failed."""
    clients = {p: connect_any(p, **facade_settings(infos[p])) for p in PROVIDERS}
    kept, dropped = [], []
    try:
        for r in pool:
            try:
                clients[r.provider].get_balances(
                    r.wallet_id, account_id=r.account_id, assets=r.assets
                )
            except facade.errors.FacadeError as exc:
                dropped.append(f"{r.provider} {r.wallet_id} {r.assets}: {type(exc).__name__}")
            else:
                kept.append(r)
    finally:
        for c in clients.values():
            c.close()
    return kept, dropped


@dataclass(frozen=True)
class RawCall:
    provider: str
    method: str
    url: str  # relative to base_url, with the query
    target: str  # the request target the server sees (base path included): what is signed
    body: bytes
    headers: tuple[tuple[str, str], ...]


class RawAuth:
    """Per-request signing as a raw httpx user writes it (scripts/raw_auth.py, shared with
    the sandbox tests). Chosen by the credentials the provider's settings carry: an RSA key
    signs a Fireblocks JWT, an API secret a BPN signature. A static API key needs nothing
    here: the recorded header (see :class:`RawBuilder`) is sent as is."""

    def __init__(self, info: ProviderInfo) -> None:
        s = info.settings
        self.provider = info.name
        self._private_key = secret_setting(s, "private_key") if "private_key" in s else None
        self._api_secret = secret_setting(s, "api_secret") if "api_secret" in s else None
        self._api_key = secret_setting(s, "api_key") if "api_key" in s else ""

    def headers(self, method: str, target: str, body: bytes) -> dict[str, str]:
        """Header names in lower case, as :class:`RawCall` keeps them, so these replace."""
        if self._private_key is not None:
            signed = raw_auth.fireblocks_headers(self._api_key, self._private_key, target, body)
        elif self._api_secret is not None:
            signed = raw_auth.bpn_headers(self._api_key, self._api_secret, method, target, body)
        else:
            return {}
        return {k.lower(): v for k, v in signed.items()}


def secret_setting(settings: Mapping[str, Any], name: str) -> str:
    value = settings.get(name)
    if value is None and settings.get(f"{name}_file"):
        return Path(str(settings[f"{name}_file"])).read_text()
    if not isinstance(value, str):
        raise RuntimeError(f"sandbox settings have no {name}")
    return value


# Headers httpx sets by itself; everything else the facade sent is part of the request.
_TRANSPORT_HEADERS = frozenset(
    {"host", "content-length", "connection", "user-agent", "accept", "accept-encoding"}
)


class RawBuilder:
    """Turns a BalanceRequest into the HTTP calls the facade makes for it, built once.

    The calls are recorded, not rebuilt: the facade sends each request once to an in-process
    sandbox (its httpx transport, no sockets), and the sandbox's request records (public API)
    give method, target, headers and body. So the raw baseline sends exactly what the facade
    sends, whatever the provider, without reaching into the facade's internals."""

    def __init__(self, infos: Mapping[str, ProviderInfo]) -> None:
        self._infos = infos
        self._recorder: Sandbox | None = None
        self._clients: dict[str, facade.BalanceClient] = {}
        self._cache: dict[BalanceRequest, list[RawCall]] = {}

    def _client(self, provider: str) -> tuple[Sandbox, facade.BalanceClient]:
        if self._recorder is None:
            self._recorder = Sandbox(in_process=True).start()
        client = self._clients.get(provider)
        if client is None:
            client = self._clients[provider] = self._recorder.connect(provider)
        return self._recorder, client

    def calls(self, request: BalanceRequest) -> list[RawCall]:
        cached = self._cache.get(request)
        if cached is not None:
            return cached
        recorder, client = self._client(request.provider)
        recorder.clear_requests()
        client.get_balances(request.wallet_id, account_id=request.account_id, assets=request.assets)
        prefix = httpx.URL(self._infos[request.provider].base_url).raw_path.decode().rstrip("/")
        out = []
        for sent in recorder.requests(request.provider):
            relative = sent.target[len(prefix) :] if prefix else sent.target
            headers = tuple(
                (k.lower(), v) for k, v in sent.headers if k.lower() not in _TRANSPORT_HEADERS
            )
            out.append(
                RawCall(request.provider, sent.method, relative, sent.target, sent.body, headers)
            )
        self._cache[request] = out
        return out

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        if self._recorder is not None:
            self._recorder.stop()
            self._recorder = None


def raw_send_sync(client: httpx.Client, auth: RawAuth, call: RawCall) -> Any:
    headers = {**dict(call.headers), **auth.headers(call.method, call.target, call.body)}
    response = client.request(call.method, call.url, content=call.body or None, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"raw {call.provider} {call.url}: HTTP {response.status_code}")
    return response.json()


async def raw_send_async(client: httpx.AsyncClient, auth: RawAuth, call: RawCall) -> Any:
    headers = {**dict(call.headers), **auth.headers(call.method, call.target, call.body)}
    response = await client.request(
        call.method, call.url, content=call.body or None, headers=headers
    )
    if response.status_code != 200:
        raise RuntimeError(f"raw {call.provider} {call.url}: HTTP {response.status_code}")
    return response.json()


def raw_sync_client(info: ProviderInfo, connections: int = 10) -> httpx.Client:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.Client(base_url=info.base_url, timeout=30.0, limits=limits)


def raw_async_client(info: ProviderInfo, connections: int = 10) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=info.base_url, timeout=30.0, limits=limits)


def facade_settings(info: ProviderInfo, **extra: Any) -> dict[str, Any]:
    return {**info.settings, **extra}
