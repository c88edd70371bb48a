"""A client library for accessing BPN (Better Payment Network) OpenAPI (wallet balance subset)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
