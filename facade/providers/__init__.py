"""One module per provider: the mapping between a generated client and the canonical model.

Adapters build requests (as :class:`facade.providers.Call`) and map responses; retries,
auth plumbing, error translation and decimal parsing live in the core.
"""

from ._base import Adapter, BalanceQuery, Mapped, Support

__all__ = ["Adapter", "BalanceQuery", "Mapped", "Support"]
