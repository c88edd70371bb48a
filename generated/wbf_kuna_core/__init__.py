"""A client library for accessing Kuna Core API (wallet balances subset)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
