from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ... import errors
from ...models.o_auth_error_body import OAuthErrorBody
from ...models.token_request import TokenRequest
from ...models.token_response import TokenResponse
from ...types import Response

OPERATION_ID: Final = "createAccessToken"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    *,
    body: TokenRequest,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/o/token/",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthErrorBody | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OAuthErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OAuthErrorBody.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OAuthErrorBody | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[OAuthErrorBody | TokenResponse]:
    """Obtain an OAuth2 access token (client credentials)

     Client credentials grant. The client authenticates with HTTP Basic (base64 of
    client_id:client_secret). The token lifetime is whatever `expires_in` says.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthErrorBody | TokenResponse]
    """

    kwargs = build_request_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> OAuthErrorBody | TokenResponse | None:
    """Obtain an OAuth2 access token (client credentials)

     Client credentials grant. The client authenticates with HTTP Basic (base64 of
    client_id:client_secret). The token lifetime is whatever `expires_in` says.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthErrorBody | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[OAuthErrorBody | TokenResponse]:
    """Obtain an OAuth2 access token (client credentials)

     Client credentials grant. The client authenticates with HTTP Basic (base64 of
    client_id:client_secret). The token lifetime is whatever `expires_in` says.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthErrorBody | TokenResponse]
    """

    kwargs = build_request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> OAuthErrorBody | TokenResponse | None:
    """Obtain an OAuth2 access token (client credentials)

     Client credentials grant. The client authenticates with HTTP Basic (base64 of
    client_id:client_secret). The token lifetime is whatever `expires_in` says.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthErrorBody | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
