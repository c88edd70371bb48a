"""Every error the facade raises.

    FacadeError
    ├── UsageError                 the caller asked for something impossible; nothing was sent
    │   ├── InvalidArgument        a bad id, asset code or option (also a ValueError)
    │   ├── ConfigurationError     missing or malformed settings, unreadable key files
    │   └── Unsupported            the provider cannot do this (see ``client.capabilities``)
    └── ProviderError              the request was sent (or tried) and did not succeed
        ├── AuthenticationError    401: bad or expired credentials, rejected signature
        ├── PermissionDenied       403
        ├── NotFound               404: unknown wallet, account or asset
        ├── InvalidRequest         400, 405, 409, 422: the provider rejected the request
        ├── RateLimited            429; ``retry_after`` in seconds when the provider said so
        ├── ProviderUnavailable    5xx, refused or reset connections
        ├── Timeout                no complete answer within the configured timeout (or 408)
        └── ProtocolError          the answer breaks the contract: not JSON, missing or
                                   non-numeric amounts, an unexpected status

``except facade.errors.ProviderError`` catches provider and network failures only; misuse is
kept apart, as httpx keeps ``InvalidURL`` apart from ``HTTPError``.

Every error carries ``provider``, ``operation``, ``status_code``, ``code`` and
``provider_message`` (the provider's own error code and text) and ``request_id``
(``X-Request-ID`` or BPN's ``traceId``) when they are known. Messages never contain
credentials.
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "FacadeError",
    "InvalidArgument",
    "InvalidRequest",
    "NotFound",
    "PermissionDenied",
    "ProtocolError",
    "ProviderError",
    "ProviderUnavailable",
    "RateLimited",
    "Timeout",
    "Unsupported",
    "UsageError",
]


class FacadeError(Exception):
    """Base class of every error raised by the facade."""

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        operation: str | None = None,
        status_code: int | None = None,
        code: str | None = None,
        provider_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.operation = operation
        self.status_code = status_code
        self.code = code
        self.provider_message = provider_message
        self.request_id = request_id

    def __str__(self) -> str:
        context = [
            f"{label}={value}"
            for label, value in (
                ("provider", self.provider),
                ("operation", self.operation),
                ("status", self.status_code),
                ("code", self.code),
                ("request_id", self.request_id),
            )
            if value is not None
        ]
        return f"{self.message} ({', '.join(context)})" if context else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


# Misuse: raised before anything is sent.


class UsageError(FacadeError):
    """The call cannot be made as asked; no request was sent."""


class InvalidArgument(UsageError, ValueError):
    """An id, asset code or option failed validation before a request was built."""


class ConfigurationError(UsageError):
    """Settings are missing, malformed or point at unreadable files."""


class Unsupported(UsageError):
    """The provider does not offer this operation or feature."""


# Provider and network failures.


class ProviderError(FacadeError):
    """The provider (or the network to it) did not give a usable answer.

    ``retry_after`` holds the seconds of a ``Retry-After`` header (429 and 503 carry one),
    else None.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        provider: str | None = None,
        operation: str | None = None,
        status_code: int | None = None,
        code: str | None = None,
        provider_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(
            message,
            provider=provider,
            operation=operation,
            status_code=status_code,
            code=code,
            provider_message=provider_message,
            request_id=request_id,
        )
        self.retry_after = retry_after


class AuthenticationError(ProviderError):
    """Credentials were missing, wrong, expired, or a signature was rejected (401)."""


class PermissionDenied(ProviderError):
    """The credentials are valid but not allowed to do this (403)."""


class NotFound(ProviderError):
    """The wallet, account or asset does not exist at the provider (404)."""


class InvalidRequest(ProviderError):
    """The provider rejected the request as malformed (400, 405, 409, 422)."""


class RateLimited(ProviderError):
    """Too many requests (429), after the retry budget was spent or the wait was too long."""


class ProviderUnavailable(ProviderError):
    """A 5xx answer, or the connection was refused or reset."""


class Timeout(ProviderError):
    """No complete answer arrived within the configured timeout."""


class ProtocolError(ProviderError):
    """The answer does not honour the provider's contract (not JSON, bad amounts, ...)."""
