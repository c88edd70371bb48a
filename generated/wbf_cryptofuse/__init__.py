"""A client library for accessing Cryptofuse API (wallet balances subset)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
