from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.login_request import LoginRequest
from ...models.login_response import LoginResponse
from ...types import Response

OPERATION_ID: Final = "login"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    *,
    body: LoginRequest,
    merchant_id: str,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""
    headers: dict[str, Any] = {}
    headers["merchant_id"] = merchant_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/auth/login",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | LoginResponse:
    if response.status_code == 200:
        response_200 = LoginResponse.from_dict(response.json())

        return response_200

    response_default = ErrorBody.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | LoginResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
    merchant_id: str,
) -> Response[ErrorBody | LoginResponse]:
    """Obtain a JWT for private endpoints

     The merchant_id header is needed only here.

    Args:
        merchant_id (str):
        body (LoginRequest): Merchant credentials. Their field names are not in the material we
            have, so the object is left open; the facade sends the `login` setting as given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | LoginResponse]
    """

    kwargs = build_request_kwargs(
        body=body,
        merchant_id=merchant_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
    merchant_id: str,
) -> ErrorBody | LoginResponse | None:
    """Obtain a JWT for private endpoints

     The merchant_id header is needed only here.

    Args:
        merchant_id (str):
        body (LoginRequest): Merchant credentials. Their field names are not in the material we
            have, so the object is left open; the facade sends the `login` setting as given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | LoginResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        merchant_id=merchant_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
    merchant_id: str,
) -> Response[ErrorBody | LoginResponse]:
    """Obtain a JWT for private endpoints

     The merchant_id header is needed only here.

    Args:
        merchant_id (str):
        body (LoginRequest): Merchant credentials. Their field names are not in the material we
            have, so the object is left open; the facade sends the `login` setting as given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | LoginResponse]
    """

    kwargs = build_request_kwargs(
        body=body,
        merchant_id=merchant_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginRequest,
    merchant_id: str,
) -> ErrorBody | LoginResponse | None:
    """Obtain a JWT for private endpoints

     The merchant_id header is needed only here.

    Args:
        merchant_id (str):
        body (LoginRequest): Merchant credentials. Their field names are not in the material we
            have, so the object is left open; the facade sends the `login` setting as given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | LoginResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            merchant_id=merchant_id,
        )
    ).parsed
