"""Kuna Core login: a JWT from POST /v2/auth/login (merchant_id header, credentials body)."""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Mapping
from typing import Any

import httpx
from wbf_kuna_core.api.default import login
from wbf_kuna_core.models import LoginRequest, LoginResponse

from .tokens import TokenAuth

__all__ = ["LoginTokenAuth"]


def _jwt_lifetime(token: str, default: float) -> float:
    """Seconds until a JWT's ``exp``, read without verifying (the provider verifies)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"]) - time.time()
    except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
        return default


class LoginTokenAuth(TokenAuth):
    """A JWT from a login call (Kuna Core ``POST /v2/auth/login``)."""

    operation = login.OPERATION_ID
    DEFAULT_LIFETIME = 600.0

    def __init__(
        self, provider: str, base_url: str, merchant_id: str, credentials: Mapping[str, str]
    ) -> None:
        super().__init__(base_url)
        self.provider = provider
        self._merchant_id = merchant_id
        self._credentials = dict(credentials)

    def token_request(self) -> httpx.Request:
        body = LoginRequest.from_dict(self._credentials)
        kwargs = login.build_request_kwargs(body=body, merchant_id=self._merchant_id)
        return httpx.Request(
            kwargs["method"],
            self._url(kwargs["url"]),
            json=kwargs["json"],
            headers=kwargs["headers"],
        )

    def read_token(self, body: Any) -> tuple[str, float]:
        token = LoginResponse.from_dict(body).data.access_token
        if not isinstance(token, str) or not token:
            raise ValueError("no accessToken")
        return token, _jwt_lifetime(token, self.DEFAULT_LIFETIME)
