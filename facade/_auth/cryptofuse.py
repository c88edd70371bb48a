"""Cryptofuse OAuth2 client credentials: POST /o/token/ with HTTP Basic client auth."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from wbf_cryptofuse.api.default import create_access_token
from wbf_cryptofuse.models import TokenRequest, TokenResponse

from .tokens import TokenAuth

__all__ = ["ClientCredentialsAuth"]


class ClientCredentialsAuth(TokenAuth):
    """OAuth2 client credentials (Cryptofuse ``POST /o/token/``)."""

    operation = create_access_token.OPERATION_ID

    def __init__(
        self, provider: str, base_url: str, client_id: str, client_secret: str, scope: str
    ) -> None:
        super().__init__(base_url)
        self.provider = provider
        self._basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._scope = scope

    def token_request(self) -> httpx.Request:
        kwargs = create_access_token.build_request_kwargs(
            body=TokenRequest(grant_type="client_credentials", scope=self._scope)
        )
        headers = {**kwargs["headers"], "Authorization": f"Basic {self._basic}"}
        return httpx.Request(
            kwargs["method"], self._url(kwargs["url"]), data=kwargs["data"], headers=headers
        )

    def read_token(self, body: Any) -> tuple[str, float]:
        parsed = TokenResponse.from_dict(body)
        if not parsed.access_token or parsed.token_type.lower() != "bearer":
            raise ValueError("not a bearer token")
        return parsed.access_token, float(parsed.expires_in)
