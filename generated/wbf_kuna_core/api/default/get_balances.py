from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.balance_request import BalanceRequest
from ...models.balance_response import BalanceResponse
from ...models.error_body import ErrorBody
from ...types import Response

OPERATION_ID: Final = "getBalances"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    *,
    body: BalanceRequest,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/balance",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BalanceResponse | ErrorBody:
    if response.status_code == 200:
        response_200 = BalanceResponse.from_dict(response.json())

        return response_200

    response_default = ErrorBody.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BalanceResponse | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BalanceRequest,
) -> Response[BalanceResponse | ErrorBody]:
    """Get all wallet balances [Private]

     View available user wallet balances in terms of available assets. The deposit address and memo tag
    are returned for crypto assets if they were generated before.

    Args:
        body (BalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BalanceResponse | ErrorBody]
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
    client: AuthenticatedClient | Client,
    body: BalanceRequest,
) -> BalanceResponse | ErrorBody | None:
    """Get all wallet balances [Private]

     View available user wallet balances in terms of available assets. The deposit address and memo tag
    are returned for crypto assets if they were generated before.

    Args:
        body (BalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BalanceResponse | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BalanceRequest,
) -> Response[BalanceResponse | ErrorBody]:
    """Get all wallet balances [Private]

     View available user wallet balances in terms of available assets. The deposit address and memo tag
    are returned for crypto assets if they were generated before.

    Args:
        body (BalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BalanceResponse | ErrorBody]
    """

    kwargs = build_request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BalanceRequest,
) -> BalanceResponse | ErrorBody | None:
    """Get all wallet balances [Private]

     View available user wallet balances in terms of available assets. The deposit address and memo tag
    are returned for crypto assets if they were generated before.

    Args:
        body (BalanceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BalanceResponse | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
