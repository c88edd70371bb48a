"""``Harness``: one provider of the sandbox, driven through the sync or the async client, over
the sandbox's sockets or its in-process transport."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import facade
from facade._registry import adapter_class
from facade.sandbox import Sandbox

from .profiles import Profile

FAST = {"backoff_base": 0.01, "backoff_max": 0.05, "timeout": 5.0}


def client_settings(sandbox: Sandbox, provider: str, mode: str = "sync") -> dict[str, Any]:
    """connect() settings of a sandbox provider, with the in-process transport if need be."""
    settings: dict[str, Any] = dict(sandbox.providers[provider].settings)
    if sandbox.in_process:
        settings["transport"] = sandbox.transport() if mode == "sync" else sandbox.async_transport()
    return settings


@dataclass
class Harness:
    """One provider of the sandbox, driven through the sync or the async client."""

    sandbox: Sandbox
    profile: Profile
    mode: str  # "sync" or "async"

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def info(self) -> Any:
        return self.sandbox.providers[self.name]

    def settings(self, **overrides: Any) -> dict[str, Any]:
        settings = {**self.info.settings, **FAST, **overrides}
        if self.sandbox.in_process:
            sandbox = self.sandbox
            settings["transport"] = (
                sandbox.transport() if self.mode == "sync" else sandbox.async_transport()
            )
        return settings

    def wallets(self) -> list[Mapping[str, Any]]:
        return list(self.info.wallets)

    def capability(self, name: str) -> facade.Support:
        # A capability an adapter does not name is unsupported, as the client reports it.
        return adapter_class(self.name).capabilities.get(name, facade.Support.UNSUPPORTED)

    def query_for(self, wallet: Mapping[str, Any]) -> dict[str, Any]:
        """get_balances arguments that read the whole wallet (by asset where listing is
        unsupported)."""
        args: dict[str, Any] = {"account_id": wallet["account_id"]}
        if self.capability("list_balances") is facade.Support.UNSUPPORTED:
            args["assets"] = wallet["assets"]
        return args

    def call(
        self, method: str, wallet_id: str, settings: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> facade.WalletBalances:
        """Run one client call; raises what the client raises."""
        resolved = dict(settings) if settings is not None else self.settings()
        if self.mode == "sync":
            with facade.connect(self.name, **resolved) as client:
                result: facade.WalletBalances = getattr(client, method)(wallet_id, **kwargs)
                return result

        async def run() -> facade.WalletBalances:
            async with facade.connect_async(self.name, **resolved) as client:
                result: facade.WalletBalances = await getattr(client, method)(wallet_id, **kwargs)
                return result

        return asyncio.run(run())

    def get(self, wallet_id: str, **kwargs: Any) -> facade.WalletBalances:
        settings = kwargs.pop("settings", None)
        return self.call("get_balances", wallet_id, settings, **kwargs)
